from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import reverse

from articles.models import Article


class ArticleSitemap(Sitemap):
    changefreq = "monthly"
    # Pages of a thousand keep each sitemap file quick to build and fetch at any size.
    limit = 1000

    def items(self):
        return (
            Article.objects.published()
            .with_last_modified()
            .only("slug", "language", "content_changed_at", "publish_at")
            .order_by("pk")
        )

    def lastmod(self, article):
        return article.last_modified

    def get_latest_lastmod(self):
        # The index asks for this; one aggregate instead of Django's walk over every item.
        return self.items().aggregate(latest=Max("last_modified"))["latest"]


class PageSitemap(Sitemap):
    """Reader pages that are not articles."""

    changefreq = "monthly"

    def items(self):
        return ["articles:index", "articles:diary"]

    def location(self, name):
        return reverse(name)


SITEMAPS = {"articles": ArticleSitemap, "pages": PageSitemap}

from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import reverse

from articles import languages
from articles.models import Article, Edition


class ArticleSitemap(Sitemap):
    changefreq = "monthly"
    # Pages of a thousand keep each sitemap file quick to build and fetch at any size.
    limit = 1000

    def items(self):
        return (
            Article.objects.published()
            .with_last_modified()
            .only("slug", "language", "translation_key", "content_changed_at", "publish_at")
            .order_by("pk")
        )

    def lastmod(self, article):
        return article.last_modified

    def get_urls(self, page=1, site=None, protocol=None):
        """Each article's entry lists its editions in every language (itself included) as
        hreflang alternates, and the default language's as x-default: what the page's head
        says, for crawlers that read the sitemap first."""
        urls = super().get_urls(page, site, protocol)
        editions = {}
        for key, language, slug in (
            Article.objects.published()
            .filter(translation_key__in={url["item"].translation_key for url in urls})
            .order_by("language")
            .values_list("translation_key", "language", "slug")
        ):
            editions.setdefault(key, []).append(Edition(0, language, slug))
        for url in urls:
            every = editions.get(url["item"].translation_key, [])
            if len(every) < 2:
                continue
            origin = url["location"].removesuffix(url["item"].get_absolute_url())
            url["alternates"] = [
                {"lang_code": tag, "location": location}
                for tag, location in languages.hreflang_links(
                    {edition.language: origin + edition.url for edition in every}
                )
            ]
        return urls

    def get_latest_lastmod(self):
        # The index asks for this; one aggregate instead of Django's walk over every item.
        return self.items().aggregate(latest=Max("last_modified"))["latest"]


class PageSitemap(Sitemap):
    """Reader pages that are not articles, in every language (the same page at each
    language's address), each with its alternates."""

    changefreq = "monthly"
    i18n = alternates = x_default = True

    def items(self):
        return ["articles:index", "articles:diary"]

    def location(self, name):
        return reverse(name)

    def get_urls(self, page=1, site=None, protocol=None):
        urls = super().get_urls(page, site, protocol)
        # Django's alternates name languages by their codes (en-gb); the pages' heads and
        # the articles' entries by their BCP 47 tags (en-GB).
        for alternate in (one for url in urls for one in url["alternates"]):
            if alternate["lang_code"] != "x-default":
                alternate["lang_code"] = languages.tag(alternate["lang_code"])
        return urls


SITEMAPS = {"articles": ArticleSitemap, "pages": PageSitemap}

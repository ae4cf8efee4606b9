from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from articles.models import Article

FEED_LENGTH = 20


class LatestArticlesFeed(Feed):
    """New and updated articles, newest change first, for feed readers and aggregators."""

    feed_type = Atom1Feed
    title = f"{settings.SITE_NAME}: new and updated articles"
    subtitle = "Patient information about calf cramps at night, as it is published or revised."
    # RFC 4287 needs an author for the feed or for every entry: the site publishes them all.
    author_name = settings.SITE_NAME

    def link(self):
        return reverse("articles:index")

    def items(self):
        return (
            Article.objects.published()
            .in_language()
            .with_last_modified()
            .order_by("-last_modified")
        )[:FEED_LENGTH]

    def item_title(self, article):
        return article.title

    def item_description(self, article):
        return article.summary

    def item_pubdate(self, article):
        return article.publish_at

    def item_updateddate(self, article):
        return article.last_modified

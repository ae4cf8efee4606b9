"""Named reads of the article models: views, feeds and sitemaps use only these."""

from django.db import models


class ArticleQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=self.model.Status.PUBLISHED)

    def with_parts(self):
        """Everything the article page draws, in a fixed number of queries."""
        return self.prefetch_related(
            "sections", "causes", "relief_techniques", "prevention_tips", "callouts",
            "reviews", "sources",
        )  # fmt: skip

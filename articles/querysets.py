"""Named queries of the article models: views, feeds and sitemaps read only through these."""

import functools
import operator

from django.db import models
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

# Positions stay small so that a reorder can park rows above this value while it saves.
MAX_POSITION = 9999
# Health publishers (the NHS among them) review each page at least every three years.
REVIEW_INTERVAL_YEARS = 3


def add_years(day, years):
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February, in a year that has none
        return day.replace(year=day.year + years, day=28)


def review_due_date(review_due_on, last_reviewed_on):
    """When the next review falls due: an editor's date counts until a review is recorded
    on or after it, then three years from the latest review. None: never reviewed."""
    if review_due_on and (last_reviewed_on is None or last_reviewed_on < review_due_on):
        return review_due_on
    if last_reviewed_on is None:
        return None
    return add_years(last_reviewed_on, REVIEW_INTERVAL_YEARS)


class Stage(models.TextChoices):
    """Where an article stands for readers at a moment: worked out, never stored.

    Article.stage() gives it in Python and ArticleQuerySet.in_stage() in SQL; a test holds
    the two to agree over a grid of statuses and dates.
    """

    DRAFT = "draft", "Draft"
    SCHEDULED = "scheduled", "Scheduled"
    LIVE = "live", "Published"
    TAKEN_DOWN = "taken_down", "Taken down"


def live_condition(alias, status, now):
    """The rule of ArticleQuerySet.published() as SQL on the article table under `alias`,
    with its parameters, for the few queries written by hand (tests hold them to agree).
    Raw queries skip the pages-only manager, so the rule names drafts itself."""
    sql = (
        f"{alias}.draft_of_id IS NULL AND {alias}.status = %s AND {alias}.publish_at <= %s "
        f"AND ({alias}.unpublish_at IS NULL OR {alias}.unpublish_at > %s)"
    )
    return sql, [status, now, now]


class ArticleQuerySet(models.QuerySet):
    def in_stage(self, stage, now=None):
        """Articles in `stage` at `now`: the rule of Article.stage(), in SQL."""
        now = now or timezone.now()
        if stage == Stage.DRAFT:
            return self.filter(status=self.model.Status.DRAFT)
        published = self.filter(status=self.model.Status.PUBLISHED)
        if stage == Stage.SCHEDULED:
            return published.filter(publish_at__gt=now)
        gone_live = published.filter(publish_at__lte=now)
        if stage == Stage.TAKEN_DOWN:
            return gone_live.filter(unpublish_at__lte=now)
        return gone_live.filter(
            models.Q(unpublish_at__isnull=True) | models.Q(unpublish_at__gt=now)
        )

    def published(self, now=None):
        """What readers may see now: published, past its go-live time, not yet taken down.

        An article's own go-live and take-down times are this query on its dates, so
        nothing has to run for them (an approved version waiting for its time does:
        articles.publishing.schedule).
        """
        return self.in_stage(Stage.LIVE, now)

    def next_scheduled_change(self, now):
        """The next time after `now` at which one of these articles goes live, comes down,
        or changes to an approved version, if any is scheduled."""
        upcoming = self.filter(status=self.model.Status.PUBLISHED).aggregate(
            live=models.Min("publish_at", filter=models.Q(publish_at__gt=now)),
            down=models.Min("unpublish_at", filter=models.Q(unpublish_at__gt=now)),
        )
        publications = self.model._meta.get_field("publications").related_model.objects
        switch = publications.filter(article__in=self).next_go_live_after(now)
        return min(filter(None, [*upcoming.values(), switch]), default=None)

    def formerly_at(self, slug):
        """Articles that were published at `slug` before an editor changed it."""
        return self.filter(old_slugs__old_slug=slug)

    def with_review_dates(self):
        return self.annotate(last_reviewed_on=models.Max("reviews__reviewed_on"))

    def review_due_by(self, day):
        """Articles whose next review falls on or before `day`, or that were never reviewed.

        The rule of review_due_date(), in SQL.
        """
        reviewed_before = add_years(day, -REVIEW_INTERVAL_YEARS)
        editor_date_counts = models.Q(review_due_on__isnull=False) & (
            models.Q(latest_review_on__isnull=True)
            | models.Q(latest_review_on__lt=models.F("review_due_on"))
        )
        return self.alias(latest_review_on=models.Max("reviews__reviewed_on")).filter(
            (editor_date_counts & models.Q(review_due_on__lte=day))
            | (~editor_date_counts & models.Q(latest_review_on__lte=reviewed_before))
            | models.Q(review_due_on__isnull=True, latest_review_on__isnull=True)
        )

    def with_last_modified(self):
        """last_modified: the later of the last edit and going live (see Article)."""
        return self.annotate(
            last_modified=Coalesce(
                Greatest("content_changed_at", "publish_at"), "content_changed_at"
            )
        )

    def with_contents(self):
        """What a listing shows of each article: its section headings."""
        return self.prefetch_related("sections")

    def with_parts(self):
        """Everything the article page draws, in a fixed number of queries."""
        return self.prefetch_related(*self.page_lookups())

    def page_lookups(self):
        """The prefetches of with_parts(), for articles already read."""
        # Every related article, live or not: the page links to the live ones, and the
        # page cache keeps the page only until the next of them goes live or comes down.
        related = models.Prefetch(
            "related_articles", queryset=self.model.objects.order_by("title")
        )
        return [*self.model.part_accessors(), "reviews", related]

    def with_quick_help_parts(self):
        """What the "During a cramp" box draws: the steps and the care cards it links to."""
        return self.prefetch_related("relief_techniques", "callouts")

    def home_help(self):
        """The article whose "During a cramp" box the home page shows, if any."""
        return self.filter(is_home_help=True).first()

    def with_unsourced_claims(self):
        """Articles with a cause, technique, tip or care card that cites no source."""
        unsourced = [
            models.Exists(model.objects.filter(article=models.OuterRef("pk"), source_ids=[]))
            for model in self.model.claim_models()
        ]
        return self.filter(functools.reduce(operator.or_, unsourced))


class PageManager(models.Manager.from_queryset(ArticleQuerySet)):
    """Article pages only: an article's draft (its unpublished changes, a row of its own)
    is never a page, so no reader query, list or index can show one by forgetting it."""

    def get_queryset(self):
        return super().get_queryset().filter(draft_of__isnull=True)


class PartQuerySet(models.QuerySet):
    def park(self):
        """Move these rows above every editor-entered position, keeping their order.

        Rows written back in a new order (a reorder in the admin, a copy of another
        version) would otherwise briefly share a position and trip the database constraint.
        """
        return self.update(position=models.F("position") + MAX_POSITION)

"""Named queries of the article models: views, feeds and sitemaps read only through these."""

import functools
import operator

from django.db import models
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from articles import languages

# Positions stay small so that a reorder can park rows above this value while it saves.
MAX_POSITION = 9999
# Health publishers (the NHS among them) review each page at least every three years.
REVIEW_INTERVAL_YEARS = 3
# Reviews falling due this soon are shown with the overdue ones ("due in the next 3 months").
REVIEW_NOTICE_DAYS = 91


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
    """Where an article stands for readers at a moment: worked out, never stored."""

    DRAFT = "draft", "Draft"
    SCHEDULED = "scheduled", "Scheduled"
    LIVE = "live", "Published"
    TAKEN_DOWN = "taken_down", "Taken down"


NOW = object()  # stands for the moment asked about
COMPARISONS = {"=": ("exact", operator.eq), ">": ("gt", operator.gt), "<=": ("lte", operator.le)}
# An article's stage at a moment, written once: the first stage whose condition holds, as
# (field, comparison, value). A missing (NULL) value never holds. Python (stage_at), the
# ORM (ArticleQuerySet.in_stage) and hand-written SQL (live_condition) all read this.
STAGE_RULE = (
    (Stage.DRAFT, ("status", "=", "draft")),
    (Stage.SCHEDULED, ("publish_at", ">", NOW)),
    (Stage.TAKEN_DOWN, ("unpublish_at", "<=", NOW)),
    (Stage.LIVE, None),
)
# The times at which a published article's stage changes by itself.
STAGE_TIMES = [condition[0] for _, condition in STAGE_RULE if condition and condition[2] is NOW]


def _holds(article, condition, now):
    field, comparison, value = condition
    actual = getattr(article, field)
    return actual is not None and COMPARISONS[comparison][1](
        actual, now if value is NOW else value
    )


def stage_at(article, now):
    return next(s for s, c in STAGE_RULE if c is None or _holds(article, c, now))


def next_stage_time(article, after):
    """The next moment after `after` at which the article's stage changes by itself."""
    if stage_at(article, after) == Stage.DRAFT:
        return None
    moments = (getattr(article, field) for field in STAGE_TIMES)
    return min((moment for moment in moments if moment and moment > after), default=None)


def _q(condition, now):
    field, comparison, value = condition
    lookup = COMPARISONS[comparison][0]
    return models.Q(**{f"{field}__{lookup}": now if value is NOW else value})


def stage_q(stage, now):
    """The rule as a filter: this stage's condition holds, and no earlier one's."""
    q = models.Q()
    for each, condition in STAGE_RULE:
        if each == stage:
            return q & _q(condition, now) if condition else q
        q &= ~_q(condition, now)
    raise ValueError(stage)


def live_condition(alias, now):
    """The rule of ArticleQuerySet.published() as SQL on the article table under `alias`,
    with its parameters, for the few queries written by hand. Raw queries skip the
    pages-only manager, so the rule names drafts itself."""
    sql, params = [f"{alias}.draft_of_id IS NULL"], []
    for stage, condition in STAGE_RULE:
        if stage == Stage.LIVE:
            break
        field, comparison, value = condition
        column = f"{alias}.{field}"
        sql.append(f"NOT ({column} {comparison} %s AND {column} IS NOT NULL)")
        params.append(now if value is NOW else value)
    return " AND ".join(sql), params


class ArticleQuerySet(models.QuerySet):
    def in_stage(self, stage, now=None):
        """Articles in `stage` at `now` (STAGE_RULE)."""
        return self.filter(stage_q(stage, now or timezone.now()))

    def in_language(self, language=None):
        """The editions in `language`, by default the one the page is being made in."""
        return self.filter(language=language or languages.current())

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
        upcoming = self.exclude(stage_q(Stage.DRAFT, now)).aggregate(
            **{
                field: models.Min(field, filter=models.Q(**{f"{field}__gt": now}))
                for field in STAGE_TIMES
            }
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

    def in_home_order(self):
        """The home page's order: editors' places, then the article whose box the home page
        shows (the help readers need first), then by title."""
        return self.order_by("position", models.F("is_home_help").desc(), "title", "pk")

    def home_help(self):
        """The article whose "During a cramp" box the home page shows, if any."""
        return self.filter(is_home_help=True).first()

    def with_unsourced_claims(self):
        """Articles with a cause, technique, tip or care card that cites no source."""
        unsourced = [
            models.Exists(
                model.objects.filter(article=models.OuterRef("pk"), source_ids=[]).exclude(
                    model.uncited_allowed()
                )
            )
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

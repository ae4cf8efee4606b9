"""What waits for each person: the queries behind the admin's home page.

Every list is one query, cut to a few rows, so the page costs the same whatever the number
of articles; "more" links lead to the admin's full lists.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Max
from django.utils import timezone

from articles import languages
from articles.accounts.roles import is_clinician, may_publish
from articles.models import Article, Feedback, Publication, Stage, WorkingCopy
from articles.publishing import translations
from articles.querysets import REVIEW_NOTICE_DAYS, review_due_date
from articles.search import log

# Rows each list shows; the rest is a click away in the admin's own lists.
SHOWN = 8
SEARCH_DAYS = 7


@dataclass
class Rows:
    """Up to SHOWN rows of a list, and whether there are more."""

    rows: list
    has_more: bool = False

    @classmethod
    def first(cls, queryset):
        rows = list(queryset[: SHOWN + 1])
        return cls(rows[:SHOWN], len(rows) > SHOWN)


@dataclass
class ReviewDue:
    article_id: int
    title: str
    due_on: datetime.date | None  # None: never reviewed
    is_overdue: bool


@dataclass
class GoingLive:
    article_id: int
    title: str
    at: datetime.datetime
    is_first_time: bool


@dataclass
class Behind:
    """A translation whose source has a newer version than the one it translates."""

    article_id: int
    title: str
    language: str  # its BCP 47 tag, for `lang`
    source_language: str  # the source's language, named in that language
    source_tag: str
    source_changed_at: datetime.datetime


@dataclass
class Untranslated:
    """A live article with no edition yet in some of the site's languages."""

    article_id: int
    title: str
    language: str  # its BCP 47 tag
    missing: list  # (tag, name) of each language it lacks


@dataclass
class Work:
    """What the home page shows one person; a list is None where their role has none."""

    is_editor: bool = False
    is_reviewer: bool = False
    drafts: Rows | None = None
    sent_back: Rows | None = None
    waiting_for_review: Rows | None = None
    going_live: list = field(default_factory=list)
    reviews_due: Rows | None = None
    feedback: Rows | None = None
    unfound_searches: list | None = None
    behind: Rows | None = None  # translations to catch up
    untranslated: Rows | None = None  # and to start


def work_for(user, now=None):
    now = now or timezone.now()
    work = Work(
        is_editor=user.has_perm("articles.change_article"),
        is_reviewer=may_publish(user) or is_clinician(user),
    )
    if work.is_editor:
        mine = WorkingCopy.objects.filter(edited_by=user).select_related("article")
        work.drafts = Rows.first(
            mine.filter(state=WorkingCopy.State.EDITING).order_by("-updated_at")
        )
        work.sent_back = Rows.first(
            mine.filter(state=WorkingCopy.State.SENT_BACK)
            .select_related("sent_back_by")
            .order_by("-sent_back_at")
        )
        work.behind, work.untranslated = translations_to_do()
    if work.is_editor or work.is_reviewer:
        work.waiting_for_review = Rows.first(
            WorkingCopy.objects.filter(state=WorkingCopy.State.SUBMITTED)
            .select_related("article", "submitted_by")
            .order_by("submitted_at")
        )
        work.going_live = going_live(now)
    if work.is_reviewer:
        work.reviews_due = reviews_due(timezone.localdate(now))
    if user.has_perm("articles.view_feedback"):
        work.feedback = Rows.first(
            Feedback.objects.unhandled_reports()
            .select_related("article")
            .order_by("received_on", "article__title")
        )
    if user.has_perm("articles.view_synonym"):
        work.unfound_searches = log.unfound(days=SEARCH_DAYS, limit=SHOWN)
    return work


def going_live(now):
    """The next changes readers get by themselves: approved changes waiting for their
    time, and new articles scheduled to go live, soonest first."""
    changes = [
        GoingLive(p.article_id, p.article.title, p.published_at, is_first_time=False)
        for p in Publication.objects.waiting()
        .filter(published_at__gt=now)
        .select_related("article")
        .order_by("published_at")[:SHOWN]
    ]
    new = [
        GoingLive(a.pk, a.title, a.publish_at, is_first_time=True)
        for a in Article.objects.in_stage(Stage.SCHEDULED, now).order_by("publish_at")[:SHOWN]
    ]
    return sorted(changes + new, key=lambda item: item.at)[:SHOWN]


def translations_to_do():
    """Translations behind their source, longest behind first, and live articles missing
    a language, by title: one query each."""
    behind = Rows.first(translations.stale_translations())
    behind.rows = [
        Behind(
            page.pk, page.title, languages.tag(page.language),
            languages.name(page.source_language), languages.tag(page.source_language),
            page.source_changed_at,
        )
        for page in behind.rows
    ]  # fmt: skip
    untranslated = Rows.first(translations.lacking_editions())
    untranslated.rows = [
        Untranslated(
            page.pk, page.title, languages.tag(page.language),
            [(languages.tag(code), name) for code, name in translations.lacking_in(page)],
        )
        for page in untranslated.rows
    ]  # fmt: skip
    return behind, untranslated


def reviews_due(today):
    """Published articles whose review is overdue or falls due soon, the most overdue
    first. Only two dates of each are read, so even every article due stays one query."""
    due = (
        Article.objects.exclude(status=Article.Status.DRAFT)
        .review_due_by(today + datetime.timedelta(days=REVIEW_NOTICE_DAYS))
        .annotate(latest=Max("reviews__reviewed_on"))
        .values_list("pk", "title", "review_due_on", "latest")
    )
    # Never reviewed: overdue since the article went up, so first of all.
    rows = sorted(
        (review_due_date(due_on, latest) or datetime.date.min, title, pk)
        for pk, title, due_on, latest in due
    )
    shown = [
        ReviewDue(pk, title, None if day == datetime.date.min else day, day < today)
        for day, title, pk in rows[:SHOWN]
    ]
    return Rows(shown, len(rows) > SHOWN)

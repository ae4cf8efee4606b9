"""The one write path: what must follow every change readers get, whoever made it.

The publish step (articles.publishing.publish), sign-off's scheduling, the admin's delete,
the seed, the benchmark generator and the index rebuild call in here, and nothing else
touches the search index or the page cache; a draft's save changes nothing readers get, so
it never does.
After a page and its parts are written:

- an address readers had while it was live keeps working (a redirect to the new one);
- its own address stops redirecting anywhere else;
- the content-changed time moves on, when the words readers see changed;
- the search index is rebuilt, in the same transaction, so search never disagrees with
  the page;
- once the transaction commits, the cached pages that show the article go stale: its own,
  those linking to it and the lists (every page, if an address moved).
"""

import contextlib
import contextvars
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from articles.caching.generation import (
    all_pages_changed,
    invalidate_article,
    invalidate_pages,
    pages_showing_changed,
)
from articles.models import Article, Publication
from articles.search.index import forget_deleted, refresh_statistics, reindex

# Index rebuilds of many articles read their parts in batches of this many articles.
BATCH = 500
# Set while articles are loaded in bulk (loading_in_bulk): articles_loaded indexes them and
# renews the pages once, at the end, instead of after each one.
_loading = contextvars.ContextVar("loading_in_bulk", default=False)


@contextlib.contextmanager
def loading_in_bulk():
    """Articles written inside this block, then handed to articles_loaded in it: each
    change's index rebuild and cache invalidation wait for that one call."""
    token = _loading.set(True)
    try:
        yield
    finally:
        _loading.reset(token)


@dataclass(frozen=True)
class Before:
    """What readers had before a change: the address, and whether they could see it."""

    slug: str | None = None
    title: str | None = None
    was_live: bool = False
    was_home_help: bool = False
    # A restore rewrites the text wholesale, whatever its form shows as changed.
    restoring: bool = False
    # The articles it linked to, whose pages linked back to it.
    related: tuple = ()

    @classmethod
    def of(cls, pk, restoring=False):
        article = Article.objects.filter(pk=pk).first() if pk is not None else None
        if article is None:
            return cls(restoring=restoring)
        related = tuple(article.related_articles.values_list("pk", flat=True))
        return cls(
            article.slug, article.title, article.is_live(), article.is_home_help, restoring,
            related,
        )  # fmt: skip


@dataclass(frozen=True)
class Outcome:
    """What an editor should be told about the addresses after a save."""

    # The address readers had, which now sends them to the new one.
    kept_address: str | None = None
    # An article that the saved one's address used to send readers to.
    took_address_from: Article | None = None


def go_live_time(status, publish_at):
    """Publishing with no go-live time means now, in whole seconds as the admin's time box
    shows them, so that saving again changes nothing."""
    if status == Article.Status.PUBLISHED and not publish_at:
        return timezone.now().replace(microsecond=0)
    return publish_at


def article_changed(article, before, content_changed=True):
    """Bring everything that depends on `article` up to date after it was written."""
    kept = None
    if before.was_live and before.slug and before.slug != article.slug:
        article.keep_old_address(before.slug)
        kept = before.slug
    others = Article.objects.exclude(pk=article.pk).filter(language=article.language)
    took_from = others.formerly_at(article.slug).first()
    article.release_address()
    if before.slug is not None and (content_changed or before.restoring):
        article.mark_content_changed()
    refresh_change_notes(article)
    if _loading.get():
        return Outcome(kept, took_from)
    reindex(Article.objects.with_parts().filter(pk=article.pk))
    pages_showing_changed(article.pk, also=before.related)
    if kept or took_from:
        invalidate_pages()  # addresses moved: any page may link to them
    else:
        lists_changed = (before.was_live, before.title, before.was_home_help) != (
            article.is_live(),
            article.title,
            article.is_home_help,
        )
        invalidate_article(article, lists_changed)
    return Outcome(kept, took_from)


def refresh_change_notes(article):
    """Copy the latest public notes of the article's publications onto it, for the page."""
    notes = [
        {"on": publication.published_at.date().isoformat(), "note": publication.note}
        for publication in Publication.objects.gone_live()
        .filter(article=article)
        .exclude(note="")[: Article.CHANGE_NOTES_SHOWN]
    ]
    Article.objects.filter(pk=article.pk).update(change_notes=notes)
    article.change_notes = notes


def schedule_changed(article):
    """A change to `article` now waits for a time, or no longer does: the cached pages
    that show it are stored afresh, to expire at that time."""
    pages_showing_changed(article.pk)
    invalidate_article(article, lists_changed=True)


def article_deleted():
    """After articles were deleted: their pages, and every list that named them, go."""
    forget_deleted()
    all_pages_changed()
    invalidate_pages()


def articles_loaded(articles):
    """After articles were written in bulk (the seed, a fixture, the benchmark generator)
    or to rebuild the index: index them from what they hold, in batches."""
    pks = list(articles.values_list("pk", flat=True))
    with transaction.atomic():
        for start in range(0, len(pks), BATCH):
            reindex(Article.objects.with_parts().filter(pk__in=pks[start : start + BATCH]))
        refresh_statistics()
        all_pages_changed()
    invalidate_pages()
    return len(pks)

"""Approved changes to live articles that wait for a set time.

Readers keep the live rows until the time comes. The first request after it (a reader's,
a search engine's or an editor's; ScheduledChangesMiddleware asks on every request the page
cache does not answer, the article views in their own first query), or the
publish_scheduled command on a timer, gives readers the approved version through the one
publish step, before anything is read. Cached pages and stored renderings that show the
article were stored to expire at that time.
"""

import functools
import logging

from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from articles.models import Article, Publication, WorkingCopy
from articles.publishing import changes, publish
from articles.publishing.drafts import Snapshot, record_version
from articles.times import moment

log = logging.getLogger(__name__)


def next_change(articles, after, next_switch=None):
    """The next time after `after` at which one of `articles` goes live or comes down, or
    `next_switch` (the first approved version of one of them waiting, as
    articles.caching.rendered.read gives it): until then, a page showing them is current."""
    stages = [article.next_stage_change(after) for article in articles]
    return min(filter(None, [*stages, next_switch]), default=None)


def go_live_due(now=None):
    """Put live every approved change whose time has come; how many went live. One that
    fails goes back to its editor rather than failing every request after it."""
    now = now or timezone.now()
    done = 0
    try:
        due = due_articles(now)
    except DatabaseError:  # down or locked: the page says so, or the next request retries
        log.warning("Could not ask for scheduled changes", exc_info=True)
        return 0
    for article_pk in due:
        try:
            done += _go_live(article_pk, now)
        except DatabaseError:
            log.warning("Scheduled change to article %s waits", article_pk, exc_info=True)
        except Exception as error:
            log.exception("Scheduled change to article %s failed", article_pk)
            with transaction.atomic():
                waiting = Publication.objects.waiting().filter(article_id=article_pk)
                for publication in waiting.select_related("article"):
                    _could_not_go_live(publication.article, publication, error)
    return done


@functools.cache
def _due_sql(vendor):
    # Asked on every request the page cache does not answer, so written by hand: the ORM
    # takes longer to build it than the database takes to answer (the rule of
    # Publication.objects.waiting(); a test holds the two to agree).
    table = connection.ops.quote_name(Publication._meta.db_table)
    return f"SELECT article_id FROM {table} WHERE went_live_at IS NULL AND published_at <= %s"


def due_articles(now):
    """The articles with an approved change waiting for a time at or before `now`."""
    with connection.cursor() as cursor:
        cursor.execute(
            _due_sql(connection.vendor), [connection.ops.adapt_datetimefield_value(now)]
        )
        return [article_pk for (article_pk,) in cursor.fetchall()]


def _go_live(article_pk, now):
    with transaction.atomic():
        # The article first, as every other writer locks it, then the claim: of two
        # requests that find it due, only one matches the still-waiting publication.
        page = Article.objects.select_for_update().filter(pk=article_pk).first()
        due = Publication.objects.waiting().filter(article_id=article_pk, published_at__lte=now)
        publication = due.select_related("revision", "published_by").first()
        if page is None or publication is None:
            return 0
        snapshot = publication.revision and Snapshot.of_revision(publication.revision)
        try:
            if not snapshot:
                raise Unavailable("its version is no longer in the history")
            with transaction.atomic():
                publish.go_live(page, publication, snapshot)
        except (Unavailable, publish.CannotGoLive) as problem:
            _could_not_go_live(page, publication, problem)
            return 0
    return 1


class Unavailable(Exception):
    pass


def _could_not_go_live(article, publication, problem):
    """Readers keep the live version; the changes go back to their editor with the reason."""
    log.warning("Scheduled change to article %s could not go live: %s", article.pk, problem)
    reason = (
        f"The change approved to go live at {moment(publication.published_at)} could not be "
        f"applied ({problem}). Readers still see the live version."
    )
    WorkingCopy.objects.filter(article=article).update(
        state=WorkingCopy.State.SENT_BACK,
        review_comment=reason,
        sent_back_by=None,
        sent_back_at=timezone.now(),
    )
    publication.delete()
    record_version(article, None, f"Not published: {reason}")
    changes.schedule_changed(article)

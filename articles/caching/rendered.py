"""Article pages as rendered from the live version, kept in the database.

The shared page cache may not hold a page (evicted, a new generation, a cold start, many
thousands of articles): the article page and bedside card are then served from their
stored rendering with one query, rather than rebuilt from the article's parts. A rendering
is made on the first request after any change, and is current while the article's
pages_token is the one it was made under (the write path renews it, in the transaction of
the change, for every article whose pages show the changed one), until the next scheduled
change of an article it shows, and for this build of the code and templates only. Only
pages asked for at the site's own origin are stored (articles.caching.variants), one per
page: what a client sends can never add a row.
"""

import functools
import hashlib
import json
import logging
from datetime import UTC

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpResponse
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from articles import languages
from articles.caching.generation import RELEASE
from articles.caching.variants import at_site_origin
from articles.models import Article, Edition, Publication, RenderedPage
from articles.querysets import live_condition

log = logging.getLogger(__name__)


def _build():
    """What a stored page was rendered by, beyond the release: the app's code and the
    collected static files' names. Pages stay in the database across deploys, and only
    the serving processes read them, so they may ask for more than the page cache does."""
    digest = hashlib.sha256(RELEASE.encode())
    sources = [
        *sorted((settings.BASE_DIR / "articles").rglob("*.py")),
        settings.STATIC_ROOT / "staticfiles.json",
    ]
    for source in sources:
        if source.is_file():
            digest.update(source.read_bytes())
    return digest.hexdigest()[:32]


BUILD = _build()


def _origin(request):
    """The origin a stored rendering of the request's page is kept under, or None: a
    rendering for another spelling of the host is neither read nor kept (at_site_origin),
    and `r.origin = NULL` matches no row."""
    return settings.SITE_ORIGIN if at_site_origin(request) else None


# Columns the page never shows: left unread (deferred) on every request.
UNREAD = {"search_document", "search_headings", "search_vector"}


@functools.cache
def _read_sql(vendor):
    """The article page's first query, written by hand: the ORM takes longer to build it
    (about 2 ms) than the database takes to answer it. The live article at a slug (the
    rule of ArticleQuerySet.published(); a test holds the two to agree), with
    - stored_body, stored_type, stored_tags, stored_until: its current stored page for this
      view, if any;
    - switch_due: whether an approved change of any article waits for a time already past
      (ScheduledChangesMiddleware leaves this question to the article views);
    - next_switch: the first approved change of it, of an article it links to or of one
      of its editions, waiting for a later time (the page is current until then);
    - edition_list: its live editions in other languages, "id:language:slug" each, space
      between (articles.editions);
    - newest_review_kind: the review its newest publication recorded, if any;
    - source_article_id, source_pinned_at, source_newest_id, source_newest_at: for a
      translation, its source, when the version it translates went live, and the
      source's newest publication and when it went live (the page says so when that is
      not the one it translates)."""
    quote = connection.ops.quote_name
    pages = quote(RenderedPage._meta.db_table)
    articles = quote(Article._meta.db_table)
    waiting = quote(Publication._meta.db_table)
    links = quote(Article.related_articles.through._meta.db_table)
    columns = ", ".join(
        f"a.{quote(field.column)}"
        for field in Article._meta.concrete_fields
        if field.name not in UNREAD
    )
    edition = "CAST(e.id AS TEXT) || ':' || e.language || ':' || e.slug"
    joined = (
        f"string_agg({edition}, ' ')"
        if vendor == "postgresql"
        else f"group_concat({edition}, ' ')"
    )
    source = f"(SELECT s.article_id FROM {waiting} s WHERE s.id = a.translated_from_id)"
    newest = (
        f"(SELECT p.{{column}} FROM {waiting} p WHERE p.went_live_at IS NOT NULL "
        f"AND p.article_id = {source} ORDER BY p.went_live_at DESC, p.id DESC LIMIT 1)"
    )
    return f"""
        SELECT {columns},
               r.body AS stored_body, r.content_type AS stored_type, r.tags AS stored_tags,
               r.expires_at AS stored_until,
               EXISTS (SELECT 1 FROM {waiting} p
                       WHERE p.went_live_at IS NULL AND p.published_at <= %s) AS switch_due,
               (SELECT MIN(p.published_at) FROM {waiting} p
                WHERE p.went_live_at IS NULL AND p.published_at > %s
                  AND (p.article_id IN (
                       SELECT l.to_article_id FROM {links} l WHERE l.from_article_id = a.id)
                       OR EXISTS (SELECT 1 FROM {articles} e WHERE e.id = p.article_id
                                  AND e.translation_key = a.translation_key))
               ) AS next_switch,
               (SELECT {joined} FROM {articles} e
                WHERE e.translation_key = a.translation_key AND e.id <> a.id
                  AND {live_condition("e", None)[0]}) AS edition_list,
               (SELECT p.review_kind FROM {waiting} p WHERE p.article_id = a.id
                AND p.went_live_at IS NOT NULL ORDER BY p.went_live_at DESC, p.id DESC
                LIMIT 1) AS newest_review_kind,
               {source} AS source_article_id,
               (SELECT s.went_live_at FROM {waiting} s WHERE s.id = a.translated_from_id)
                   AS source_pinned_at,
               {newest.format(column="id")} AS source_newest_id,
               {newest.format(column="went_live_at")} AS source_newest_at
        FROM {articles} a
        LEFT JOIN {pages} r ON r.article_id = a.id AND r.pages_token = a.pages_token
             AND r.view_name = %s AND r.origin = %s AND r.release = %s
             AND (r.expires_at IS NULL OR r.expires_at > %s)
        WHERE a.slug = %s AND a.language = %s AND {live_condition("a", None)[0]}
    """


def read(request, slug, now=None):
    """The live article at `slug` in the reader's language, as _read_sql describes it, or
    None."""
    now = now or timezone.now()
    at = connection.ops.adapt_datetimefield_value(now)
    params = [at, at, *live_condition("e", at)[1], request.resolver_match.view_name,
              _origin(request), BUILD, at, slug, languages.current(),
              *live_condition("a", at)[1]]  # fmt: skip
    # Article.rows: the query keeps to pages itself (live_condition), and the pages-only
    # manager would build its filter on every request for nothing.
    article = next(iter(Article.rows.raw(_read_sql(connection.vendor), params)), None)
    if article is not None:
        if isinstance(article.stored_tags, str):
            article.stored_tags = json.loads(article.stored_tags)
        article.next_switch = _moment(article.next_switch)
        article.stored_until = _moment(article.stored_until)
        article.source_newest_at = _moment(article.source_newest_at)
        article.source_pinned_at = _moment(article.source_pinned_at)
        article.edition_list = [
            Edition(int(pk), language, slug)
            for pk, language, slug in (
                one.split(":") for one in (article.edition_list or "").split()
            )
        ]
    return article


def _moment(value):
    """A time the raw query gave: SQLite gives its text, or a naive datetime (in UTC)."""
    if isinstance(value, str):
        value = parse_datetime(value)
    if value is not None and timezone.is_naive(value):
        value = value.replace(tzinfo=UTC)
    return value


def stored_response(article):
    """The stored page of an article `read` gave, or None."""
    if article.stored_body is None:
        return None
    return HttpResponse(bytes(article.stored_body), content_type=article.stored_type)


def keep(request, article, response, rendered_at):
    """Store `response`, rendered from `article` as read after `rendered_at`.

    No lock is needed: the rendering carries the token read with the article's row, before
    its parts, and a change committed since then renewed the token, so a rendering of rows
    that were being replaced never matches."""
    origin = _origin(request)
    if origin is None:
        return
    tags = sorted(request.page_tags)
    try:
        RenderedPage.objects.bulk_create(
            [
                RenderedPage(
                    article=article,
                    view_name=request.resolver_match.view_name,
                    origin=origin,
                    release=BUILD,
                    pages_token=article.pages_token,
                    expires_at=request.page_next_change,
                    tags=tags,
                    content_type=response["Content-Type"],
                    body=response.content,
                    rendered_at=rendered_at,
                )
            ],
            update_conflicts=True,
            # Whatever made the page's last rendering (another release, origin or token),
            # this one replaces it.
            unique_fields=["article", "view_name"],
            update_fields=[
                "origin", "release", "pages_token", "expires_at", "tags", "content_type", "body",
                "rendered_at",
            ],
        )  # fmt: skip
    except DatabaseError:  # the page is served all the same; the next request tries again
        log.warning("Could not store the rendered page", exc_info=True)

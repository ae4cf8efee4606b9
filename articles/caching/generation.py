"""Content generations and tags: every cached page carries the generation it was rendered
in, and the versions of the tags it depends on (an article, or the lists of articles).
And the articles' pages tokens, which say whether a stored rendering is still current.

Only the write path (articles.publishing.changes) starts a generation, moves a tag on or
renews a token.
"""

import hashlib
import logging
import os
import time
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from articles.caching.tags import LISTING, MEMBERSHIP, article_tag, editions_tag
from articles.helplines import help_lines
from articles.models import Article

log = logging.getLogger(__name__)


def _release():
    """A fingerprint of what shapes every page besides the content: the templates, the
    interface's translations, the site settings (the help lines and the content's licence
    among them) and, where the deploy sets it,
    CRAMPS_RELEASE. A new release starts afresh.
    (Every process that edits or serves must agree on it, so it leaves out what one host
    may lack, such as collected static files.)"""
    digest = hashlib.sha256(os.environ.get("CRAMPS_RELEASE", "").encode())
    # The templates and the interface's words in each language.
    for shaping in [
        *sorted((settings.BASE_DIR / "templates").rglob("*.html")),
        *sorted((settings.BASE_DIR / "locale").rglob("*.mo")),
    ]:
        digest.update(shaping.read_bytes())
    lines = [sorted(help_lines(code).items()) for code, _ in settings.LANGUAGES]
    # The terms of reuse every API answer carries.
    terms = [settings.CONTENT_LICENCE_NAME, settings.CONTENT_LICENCE_URL,
             settings.CONTENT_PUBLISHER]  # fmt: skip
    digest.update(f"{settings.SITE_NAME}|{lines}|{terms}".encode())
    return digest.hexdigest()[:16]


RELEASE = _release()
GENERATION_KEY = f"pages:generation:{RELEASE}"
TAG_KEY = f"pages:tag:{RELEASE}:{{}}"


def pages_showing_changed(pk, also=()):
    """Make stale the stored renderings of every page that shows article `pk`: its own in
    this transaction, and those of the articles that link to it (or did, `also`) and of
    its editions in other languages (their language links, a translation's notice) once
    it commits. Not in it: the writer holds its own article's row, and renewing a linked
    article's row too would deadlock with a writer of that one doing the same."""
    Article.objects.filter(pk=pk).update(pages_token=uuid.uuid4())
    editions = Article.objects.filter(
        translation_key__in=Article.objects.filter(pk=pk).values("translation_key")
    )
    linking = {
        *Article.objects.filter(related_articles=pk).values_list("pk", flat=True),
        *editions.values_list("pk", flat=True),
        *also,
    }
    linking.discard(pk)
    if linking:
        transaction.on_commit(
            lambda: Article.objects.filter(pk__in=linking).update(pages_token=uuid.uuid4())
        )


def all_pages_changed():
    """In this transaction, make every stored rendering stale."""
    Article.objects.update(pages_token=uuid.uuid4())


def invalidate_pages():
    """Make every cached page stale, once the current transaction has committed."""
    transaction.on_commit(_new_generation)


def _new_generation():
    try:
        cache.set(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
    except Exception:  # the cache is down: nothing is served from it either
        log.warning("Could not start a new page-cache generation", exc_info=True)


def invalidate_article(article, lists_changed):
    """Make stale, once the transaction has committed, only the pages that show `article`:
    its own, those linking to it, its editions' in other languages, the sitemaps and the
    feed, and the home page that lists it; every home page when which articles it lists,
    or their order, changed."""
    tags = [
        article_tag(article.pk), editions_tag(article.translation_key), LISTING,
        *([MEMBERSHIP] if lists_changed else []),
    ]  # fmt: skip
    transaction.on_commit(lambda: _move_tags_on(tags))


def _move_tags_on(tags):
    # The time of the change, so that a page rendered around it is not stored as current.
    try:
        cache.set_many({TAG_KEY.format(tag): f"{time.time():.6f}" for tag in tags}, timeout=None)
    except Exception:
        log.warning("Could not move page-cache tags on", exc_info=True)


def tag_versions(tags):
    """The current version of each tag: the time it last moved on, or None if the cache
    holds none (never moved, or evicted: a page stored with None is never current)."""
    found = cache.get_many([TAG_KEY.format(tag) for tag in tags])
    return {tag: found.get(TAG_KEY.format(tag)) for tag in tags}


def generation_and_versions(tags):
    """The current generation, and tag_versions(tags), in one read of the cache."""
    keys = {tag: TAG_KEY.format(tag) for tag in tags}
    found = cache.get_many([GENERATION_KEY, *keys.values()])
    return found.get(GENERATION_KEY), {tag: found.get(key) for tag, key in keys.items()}


def current_tag_versions(tags):
    """The versions to store a page with: a tag the cache lacks gets one first, so that
    its eviction later reads as a change, never as the version the page was stored with."""
    versions = tag_versions(tags)
    missing = [tag for tag, version in versions.items() if version is None]
    if missing:
        for tag in missing:
            cache.add(TAG_KEY.format(tag), "0", timeout=None)
        versions = tag_versions(tags)
    return versions

"""A shared cache of reader pages, answered before any other middleware runs.

Every entry carries the content generation it was rendered in and the versions of the tags
it shows (an article, the lists of articles). A change moves on the tags of the pages it
touches, or starts a new generation when it may touch any (articles.caching.generation),
so every worker on every host stops serving the old pages at once; scheduled go-live and
take-down times bound how long an entry may live.

Each worker also keeps the pages it served last in memory. A hit then costs one read from
the shared cache (the generation and the page's tags together), and no copy of the page
crosses it.
"""

import hashlib
import logging
import time
import uuid
from collections import OrderedDict

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import parse_http_date_safe

from articles.caching.generation import (
    GENERATION_KEY,
    current_tag_versions,
    generation_and_versions,
    tag_versions,
)
from articles.caching.tags import LIST_TAGS, LISTING, articles_in
from articles.caching.variants import (
    accepted_codings,
    accepts_gzip,
    is_stored_variant,
    page_address,
)
from articles.models import Article

log = logging.getLogger(__name__)


# Headers that belong to one response, not to the page; everything else (the security
# headers of the middleware inside this one included) is replayed as it was sent.
UNSTORED_HEADERS = {"set-cookie", "date", "content-length"}


def page_key(request, gzip):
    """The one key of the request's page (articles.caching.variants), or None."""
    address = page_address(request)
    if address is None:
        return None
    digest = hashlib.sha256(f"{settings.SITE_ORIGIN}{address}".encode()).hexdigest()
    return f"page:{'gzip' if gzip else ''}:{digest}"


def read_accept_encoding(request):
    """Whether the reader accepts gzip. The rest of the stack (GZipMiddleware, WhiteNoise)
    looks for the word gzip in Accept-Encoding, weights unread: it is left holding only the
    codings the reader accepts, so that the page this middleware stores under a plain key
    is plain."""
    header = request.META.get("HTTP_ACCEPT_ENCODING")
    if header is None:
        return False
    codings = accepted_codings(header)
    request.META["HTTP_ACCEPT_ENCODING"] = ", ".join(codings)
    return accepts_gzip(codings)


def is_shareable(request, response):
    """Only a public page, the same for every reader, may be stored."""
    return (
        request.method == "GET"
        and is_stored_variant(request)
        and response.status_code == 200
        and not response.streaming
        and not response.cookies
        and "public" in response.get("Cache-Control", "")
        and "cookie" not in response.get("Vary", "").lower()
    )


def seconds_to_keep(rendered_at, tags=(LISTING,), upcoming=None, known=False):
    """Until the first go-live, take-down or switch to an approved version, after the page
    was rendered, of an article it shows (of any, for lists), at most PAGE_CACHE_SECONDS;
    zero or less means the page is already out of date. A view that knows that time
    (`known`, `upcoming`) saves asking the database."""
    keep = settings.PAGE_CACHE_SECONDS
    if not known:
        articles = Article.objects.all()
        if not LIST_TAGS & set(tags):
            articles = articles.filter(pk__in=articles_in(tags))
        upcoming = articles.next_scheduled_change(rendered_at)
    if upcoming is not None:
        keep = min(keep, int((upcoming - timezone.now()).total_seconds()))
    return keep


# Hosts' clocks may differ by this much; a tag moved on this soon before a page was rendered
# may not be in it.
CLOCK_SKEW_SECONDS = 2
# Pages this worker holds in memory:
# key -> (generation, expires at, headers, body, {tag: version}).
LOCAL_PAGES = 200


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.local = OrderedDict()

    def __call__(self, request):
        gzip = read_accept_encoding(request)
        if not settings.PAGE_CACHE_SECONDS or request.method != "GET":
            return self.get_response(request)
        key = page_key(request, gzip)
        if key is None:
            return self.status(self.get_response(request), "MISS")
        try:
            generation, entry = self.lookup(key)
        except Exception:  # a cache outage must never take the site down
            log.warning("Page cache unavailable; serving from the database", exc_info=True)
            return self.get_response(request)
        if entry is not None:
            return self.replay(request, entry)
        # Before rendering: a page that straddles a go-live time must not outlive it.
        rendered_at = timezone.now()
        response = self.get_response(request)
        if is_shareable(request, response):
            # Pages that say nothing of what they show (lists, sitemaps, the feed) depend
            # on the lists of articles.
            tags = getattr(request, "page_tags", None) or {LISTING}
            self.store(request, key, generation, response, rendered_at, tags, gzip)
        return self.status(response, "MISS")

    def lookup(self, key):
        """(the current generation, the page's current entry or None). A page this worker
        holds costs one read of the shared cache (its generation and tags at once), and no
        copy of the page crosses it."""
        entry = self.local.get(key)
        if entry is not None and entry[1] > time.time():
            generation, versions = generation_and_versions(entry[4])
            if generation == entry[0] and versions == entry[4] and None not in versions.values():
                return generation, entry
        else:
            generation = cache.get(GENERATION_KEY)
        entry = cache.get(key) if generation else None
        if (
            entry
            and entry[0] == generation
            and len(entry) == 5
            and None not in entry[4].values()
            and tag_versions(entry[4]) == entry[4]
        ):
            self.remember(key, entry)
            return generation, entry
        return generation, None

    def status(self, response, status):
        if settings.PAGE_CACHE_STATUS_HEADER:
            response["X-Cache"] = status
        return response

    def remember(self, key, entry):
        self.local[key] = entry
        self.local.move_to_end(key)
        while len(self.local) > LOCAL_PAGES:
            self.local.popitem(last=False)

    def replay(self, request, entry):
        headers, body = entry[2], entry[3]
        # Most pages send no Last-Modified: only a page that does is read for it.
        modified = headers.get("Last-Modified")
        response = get_conditional_response(
            request,
            etag=headers.get("ETag"),
            last_modified=parse_http_date_safe(modified) if modified else None,
            response=HttpResponse(body, headers=headers),
        )
        # Browsers keep it no longer than this entry has left (its next go-live).
        patch_cache_control(response, max_age=max(int(entry[1] - time.time()), 0))
        return self.status(response, "HIT")

    def store(self, request, key, generation, response, rendered_at, tags, gzip):
        if response.has_header("Content-Encoding") and not gzip:
            return  # an encoded page is never the plain copy
        try:
            if generation is None:
                # First page after a restart or eviction: start a generation, and store
                # pages from the next request on (this one may predate a newer edit).
                cache.add(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
                return
            versions = current_tag_versions(tags)
            if None in versions.values():
                return  # the cache could not keep a tag
            started = rendered_at.timestamp() - CLOCK_SKEW_SECONDS
            if any(float(version) > started for version in versions.values()):
                return  # something it shows changed while it was rendered
            keep = seconds_to_keep(
                rendered_at,
                tags,
                getattr(request, "page_next_change", None),
                known=hasattr(request, "page_next_change"),
            )
            if keep <= 0:
                return
            patch_cache_control(response, max_age=keep)
            headers = {
                name: value
                for name, value in response.items()
                if name.lower() not in UNSTORED_HEADERS
            }
            entry = (generation, time.time() + keep, headers, response.content, versions)
            cache.set(key, entry, timeout=keep)
            self.remember(key, entry)
        except Exception:
            log.warning("Could not store a page in the cache", exc_info=True)

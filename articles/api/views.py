"""The API's endpoints (django-ninja: the OpenAPI 3.1 document, validation of what callers
send and the rate limit come with it).

An article's document is made the way its page is (articles.views.ArticleDetailView): the
page's first query reads it with its stored rendering, and it is kept in the page cache
under the same tags, so a publication makes both stale at once, with no rule of its own.
"""

import datetime
import functools
import json
from typing import Annotated

from django.conf import settings
from django.db.models import OuterRef, Q, Subquery
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control
from django.utils.http import http_date, urlencode
from django.views.decorators.http import require_safe
from ninja import NinjaAPI, Query
from ninja.decorators import decorate_view
from ninja.errors import HttpError
from ninja.throttling import AnonRateThrottle
from pydantic import AfterValidator, AwareDatetime

from articles import languages
from articles.accounts.addresses import client_ip, limit_key
from articles.api.schemas import ArticleDocument, ArticleList, Language, Problem
from articles.models import Article, Publication
from articles.seo import syndication
from articles.urls import public
from articles.views import ArticleDetailView

PAGE_SIZE = 100
# Longer query strings are refused before any work (every parameter fits well within it).
MAX_QUERY_STRING = 256
# A change saved while a list was read may carry a time just before it: the list's asOf
# is this much earlier, so that a caller who passes it back never misses one.
OVERLAP = datetime.timedelta(minutes=1)
JSON_LD = "application/ld+json; charset=utf-8"
ARTICLE_ANSWERS = {200: ArticleDocument, 301: None, 304: None, 400: Problem, 404: Problem,
                   429: Problem}  # fmt: skip


class PerAddress(AnonRateThrottle):
    """Counts per reader's address as the site's other limits do (a proxy's own entry in
    X-Forwarded-For, an IPv6 /64), not as django-ninja reads the header."""

    def get_ident(self, request):
        return limit_key(client_ip(request))


class ContentAPI(NinjaAPI):
    def get_openapi_schema(self, **kwargs):
        """The article's answer is JSON-LD: its media type says so."""
        schema = super().get_openapi_schema(**kwargs)
        for path, operations in schema["paths"].items():
            if path.startswith(f"{self.root_path()}articles/"):
                content = operations["get"]["responses"][200]["content"]
                content["application/ld+json"] = content.pop("application/json")
        return schema

    def root_path(self):
        return reverse("api:api-root")


api = ContentAPI(
    title=f"{settings.SITE_NAME} content API",
    version="1",
    description=(
        "Read-only: the live articles, as schema.org JSON-LD. Free to use under the licence "
        "each answer names; no key. How to use it: /api/."
    ),
    urls_namespace="api",
    docs_url=None,
    # The OpenAPI document: cached as the pages are, and for reading only.
    docs_decorator=lambda view: public(require_safe(view)),
    # None when the setting is empty: for a deployment whose proxy limits instead.
    throttle=[PerAddress(settings.API_RATE_LIMIT)] if settings.API_RATE_LIMIT else [],
)


def taking(*known):
    """Answer 400, before any other work, to a query string that is too long, repeats a
    parameter or names one the endpoint does not take (`known`): a caller's typo is told,
    never silently ignored."""

    def decorator(run):
        @functools.wraps(run)
        def checked(request, *args, **kwargs):
            problem = _query_problem(request, known)
            if problem:
                return api.create_response(request, {"detail": problem}, status=400)
            return run(request, *args, **kwargs)

        return checked

    return decorator


def _query_problem(request, known):
    if len(request.META.get("QUERY_STRING", "")) > MAX_QUERY_STRING:
        return f"The query string is longer than {MAX_QUERY_STRING} characters."
    unknown = sorted(set(request.GET) - set(known))
    if unknown:
        takes = f"this takes {', '.join(known)}" if known else "this takes none"
        return f"Unknown parameter {', '.join(unknown)}; {takes}."
    repeated = sorted(name for name, values in request.GET.lists() if len(values) > 1)
    if repeated:
        return f"Give {', '.join(repeated)} once."
    return None


def _in_range(moment):
    """An aware time that converts to UTC: far ends of the calendar with an offset do not
    (SQLite would fail on them)."""
    if moment.tzinfo is None:
        raise ValueError("Give the time with its offset, such as Z or +01:00.")
    try:
        return moment.astimezone(datetime.UTC)
    except OverflowError:
        raise ValueError("The time is out of range.") from None


Moment = Annotated[AwareDatetime, AfterValidator(_in_range)]


@api.get(
    "/",
    response={200: ArticleList, 400: Problem, 422: Problem, 429: Problem},
    url_name="articles",
    summary="The live articles",
    description=(
        "Every live article, in every language unless `language` is given, oldest change "
        "first, 100 at a time: `next` gives the rest. With `updated_since` (an ISO 8601 time "
        "with its offset, such as the last answer's `asOf`), only the articles changed since "
        "then, and the pages withdrawn since then."
    ),
)
@decorate_view(taking("language", "updated_since", "after"))
def list_articles(
    request,
    response: HttpResponse,
    language: Language | None = None,
    updated_since: Moment | None = None,
    after: str | None = Query(None, max_length=64, description="From the last answer's next."),
):
    now = timezone.now()
    articles = (
        Article.objects.published(now)
        .with_last_modified()
        .select_related("translated_from__article")
        .prefetch_related("reviews")
        .order_by("last_modified", "pk")
    )
    if language:
        articles = articles.filter(language=language)
    if updated_since:
        articles = articles.filter(last_modified__gt=updated_since)
    count = articles.count()
    if after:
        # Pages follow the order, not an offset: an article that changes while a caller
        # reads the pages moves to the end, and no other is skipped for it.
        changed, pk = _position(after)
        articles = articles.filter(
            Q(last_modified__gt=changed) | Q(last_modified=changed, pk__gt=pk)
        )
    shown = list(articles[: PAGE_SIZE + 1])
    absolute = request.build_absolute_uri
    patch_cache_control(response, public=True, max_age=settings.PUBLIC_CACHE_SECONDS)
    return {
        "count": count,
        "next": _next_url(request, shown[PAGE_SIZE - 1]) if len(shown) > PAGE_SIZE else None,
        "asOf": _moment(now - OVERLAP),
        "items": [_summary(article, absolute) for article in shown[:PAGE_SIZE]],
        "withdrawn": (
            _withdrawn(updated_since, language, now, absolute)
            if updated_since and not after
            else []
        ),
        "licence": _licence(absolute),
    }


def _moment(when):
    """An ISO 8601 time in UTC, written with Z, which survives a URL typed by hand."""
    return when.astimezone(datetime.UTC).isoformat().replace("+00:00", "Z")


def _next_url(request, last):
    query = {**request.GET.dict(), "after": f"{_moment(last.last_modified)}_{last.pk}"}
    return request.build_absolute_uri(f"{request.path}?{urlencode(query)}")


def _position(after):
    """(time, pk) from a next link's `after`; a 422 for anything else."""
    moment, _, pk = after.rpartition("_")
    try:
        return _in_range(datetime.datetime.fromisoformat(moment)), int(pk)
    except ValueError:
        raise HttpError(422, "after: use the value the last answer's next gave.") from None


def _summary(article, absolute):
    review = article.last_review()
    pinned = article.translated_from
    translation_of = None
    if pinned is not None:
        source = pinned.article
        translation_of = {
            "api": syndication.api_url(absolute, source) if source.is_live() else None,
            "version": pinned.pk,
        }
    return {
        "identifier": article.pk,
        "name": article.title,
        "description": article.summary,
        "language": article.language,
        "inLanguage": languages.tag(article.language),
        "url": absolute(article.get_absolute_url()),
        "api": syndication.api_url(absolute, article),
        "datePublished": article.publish_at and article.publish_at.isoformat(),
        # Read with the list (ArticleQuerySet.with_last_modified), by the method's name.
        "dateModified": article.last_modified.isoformat(),
        "lastReviewed": review and review.reviewed_on.isoformat(),
        "nextReview": review and article.next_review_due().isoformat(),
        "translationOf": translation_of,
    }


def _withdrawn(since, language, now, absolute):
    """Pages readers had that are gone since `since`: taken down, or past their take-down
    time."""
    gone = (
        Article.objects.exclude(pk__in=Article.objects.published(now).values("pk"))
        .filter(publications__went_live_at__isnull=False)
        .filter(Q(updated_at__gt=since) | Q(unpublish_at__gt=since, unpublish_at__lte=now))
        .distinct()
        .order_by("pk")
    )
    if language:
        gone = gone.filter(language=language)
    return [
        {"language": article.language, "url": absolute(article.get_absolute_url())}
        for article in gone
    ]


def _licence(absolute):
    terms = syndication.reuse_terms(absolute)
    return {
        "publisher": settings.CONTENT_PUBLISHER,
        **{name: terms[name] for name in ("license", "creditText", "acquireLicensePage")},
    }


@api.get(
    "/articles/{language}/{slug}/",
    response=ARTICLE_ANSWERS,
    url_name="article",
    by_alias=True,
    summary="One live article, as schema.org JSON-LD",
    description=(
        "The page as a MedicalWebPage: its parts tagged with their health aspect, the care "
        "cards whole with the numbers to call, every piece of advice with its evidence and "
        "sources, its reviews, what changed, its translations and the licence. Send the "
        "ETag back as If-None-Match to be told 304 while it has not changed."
    ),
)
@decorate_view(taking())
def article(request, language: str, slug: str):
    if language not in dict(settings.LANGUAGES) or len(slug) > 100:
        raise Http404
    with translation.override(language):
        return public(ArticleDocumentView.as_view())(request, slug=slug)


class ArticleDocumentView(ArticleDetailView):
    """The article page's view, answering with the JSON-LD document instead of HTML."""

    def moved(self, article):
        return reverse("api:article", kwargs={"language": article.language, "slug": article.slug})

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        if response.status_code == 200:
            response["Last-Modified"] = http_date(self.object.last_modified().timestamp())
            response["Content-Language"] = languages.tag(self.object.language)
        return response

    def render_to_response(self, context, **response_kwargs):
        article, editions = self.object, self.editions
        document = syndication.article_document(
            article,
            self.request.build_absolute_uri,
            editions=editions,
            translation_of=context["translation_of"],
            versions=_versions([article.pk, *(edition.pk for edition in editions)]),
        )
        body = json.dumps(document, ensure_ascii=False, separators=(",", ":"))
        return HttpResponse(body, content_type=JSON_LD)


def _versions(pks):
    """{article pk: (its newest publication, the source publication it translates)}."""
    newest = Publication.objects.filter(article=OuterRef("pk")).newest_first()
    rows = Article.objects.filter(pk__in=pks).annotate(version=Subquery(newest.values("pk")[:1]))
    return {pk: (version, pinned) for pk, version, pinned in
            rows.values_list("pk", "version", "translated_from_id")}  # fmt: skip


@require_safe
def guide(request):
    """The page for developers: what the API gives, how to use it, and an example."""
    return render(
        request,
        "api_guide.html",
        {
            "page_title": "Content API for other services",
            "page_description": "Our articles, free to reuse, as schema.org JSON-LD.",
            "api_root": request.build_absolute_uri(reverse("api:api-root")),
            "openapi": request.build_absolute_uri(reverse("api:openapi-json")),
            "rate_limit": settings.API_RATE_LIMIT,
            "page_size": PAGE_SIZE,
            "licence_name": settings.CONTENT_LICENCE_NAME,
            "licence_url": settings.CONTENT_LICENCE_URL,
            "publisher": settings.CONTENT_PUBLISHER,
            "terms": syndication.TERMS,
        },
    )

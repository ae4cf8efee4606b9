import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import prefetch_related_objects
from django.http import (
    Http404,
    HttpResponse,
    HttpResponsePermanentRedirect,
    HttpResponseServerError,
)
from django.shortcuts import render
from django.template.loader import render_to_string
from django.template.response import SimpleTemplateResponse
from django.urls import reverse, translate_url
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control
from django.utils.http import urlencode
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, ListView, TemplateView
from django.views.static import serve as static_serve

from articles import languages, search
from articles.accounts.addresses import client_ip, limit_key
from articles.caching import rendered
from articles.caching.tags import MEMBERSHIP, article_tag, editions_tag
from articles.helplines import help_lines
from articles.models import Article, Edition
from articles.numbers import whole_number
from articles.publishing import schedule
from articles.search import log as search_log
from articles.search import parts, suggest

# "Checked" only as far as is true: by the editors against the sources each page lists.
SITE_DESCRIPTION = _(
    "Plain information about calf cramps at night: what to do during one, when to get "
    "help and why they happen, checked by our editors against the sources they cite."
)


class PageMetaMixin:
    """The title and description a page gives browsers, search engines and link previews."""

    page_title = ""
    page_description = SITE_DESCRIPTION

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "page_title": self.page_title,
            "page_description": self.page_description,
        }


class ArticleListView(PageMetaMixin, ListView):
    template_name = "articles/article_list.html"
    context_object_name = "articles"
    paginate_by = 20
    page_title = _("Calf cramps at night: causes, relief and when to get help")

    def get_queryset(self):
        return Article.objects.published().in_language().with_contents().in_home_order()

    def paginate_queryset(self, queryset, page_size):
        # Django's ListView reads the number with int(), which takes any script's digits.
        page = self.request.GET.get(self.page_kwarg)
        if page is not None and whole_number(page) is None:
            raise Http404("No such page.")
        return super().paginate_queryset(queryset, page_size)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["home_help"] = (
            Article.objects.published().in_language().with_quick_help_parts().home_help()
        )
        page = context["page_obj"]
        # This page of the list shows these articles, in an order: only their changes, or
        # a change of which articles are listed, make the cached page stale.
        shown = [*page.object_list, *([context["home_help"]] if context["home_help"] else [])]
        self.request.page_tags = {MEMBERSHIP, *(article_tag(article.pk) for article in shown)}
        context.update(same_page_in_every_language(self.request))
        if page.number > 1:
            # Each page of the list is its own page for search engines.
            context["page_title"] = gettext("%(title)s (page %(number)s)") % {
                "title": self.page_title,
                "number": page.number,
            }
            context["page_canonical_url"] = self.request.build_absolute_uri(
                f"{self.request.path}?page={page.number}"
            )
        return context


class ArticleDetailView(DetailView):
    template_name = "articles/article_detail.html"
    context_object_name = "article"
    # Readers get the page's stored rendering while it is current (articles.caching.
    # rendered); only without one is the page built from the article's parts.
    stored_pages = True
    # Its first query also asks whether a scheduled change is due (ScheduledChangesMiddleware).
    checks_schedule = True

    def get_queryset(self):
        return Article.objects.published().with_parts()

    def get_object(self, queryset=None):
        if not self.stored_pages:
            return super().get_object(queryset)
        article = rendered.read(self.request, self.kwargs["slug"])
        # A change due now may give this address its article, or change it: read again
        # after it, whoever put it live.
        due = article.switch_due if article else schedule.due_articles(timezone.now())
        if due:
            schedule.go_live_due()
            article = rendered.read(self.request, self.kwargs["slug"])
        if article is None:
            raise Http404
        if article.stored_body is None:
            prefetch_related_objects([article], *Article.objects.page_lookups())
        return article

    def get_context_data(self, **kwargs):
        article = self.object
        related = list(article.related_articles.all())
        # The page shows this article and links to its related ones: only their changes
        # (and the lists') make the cached page stale, and it lasts until the next of
        # them goes live, comes down or changes to an approved version.
        editions, translation_of = _editions_and_source(article)
        self.editions = editions  # for a view that answers otherwise (articles.api)
        # Any edition's change may change its language links, or a translation's notice
        # (a new edition, a source's newer version): the editions' tag, and next_switch.
        shown = [article, *related, *editions]
        self.request.page_tags = {
            editions_tag(article.translation_key),
            *(article_tag(one.pk) for one in shown),
        }
        self.request.page_next_change = schedule.next_change(
            [article, *related], self.started, getattr(article, "next_switch", None)
        )
        return {
            "page_title": article.title,
            "page_description": article.summary,
            "og_type": "article",
            "editions": [self._edition(one) for one in editions],
            "alternates": self._alternates(article, editions),
            "translation_of": translation_of,
            **super().get_context_data(**kwargs),
        }

    def _edition(self, edition):
        return {
            "language": edition.language,
            "tag": edition.tag,
            "name": edition.name,
            "url": self.request.build_absolute_uri(edition.url),
        }

    def _alternates(self, article, editions):
        """hreflang links: every edition, this one included, and the default language's
        as x-default; none for an article in one language."""
        if not editions:
            return []
        every = {
            one.language: self._edition(one)["url"] for one in [Edition.of(article), *editions]
        }
        return [{"tag": tag, "url": url} for tag, url in languages.hreflang_links(every)]

    def moved(self, article):
        """The same page (article or bedside card) at the article's current address."""
        return reverse(self.request.resolver_match.view_name, args=[article.slug])

    def get(self, request, *args, **kwargs):
        self.started = timezone.now()
        try:
            self.object = self.get_object()
        except Http404:
            moved = Article.objects.published().in_language().formerly_at(kwargs["slug"]).first()
            if moved is None:
                raise
            return HttpResponsePermanentRedirect(self.moved(moved))
        if self.stored_pages and (stored := rendered.stored_response(self.object)):
            request.page_tags = set(self.object.stored_tags)
            request.page_next_change = self.object.stored_until
            return until_it_changes(stored, request.page_next_change)
        response = self.render_to_response(self.get_context_data(object=self.object))
        if self.stored_pages:
            if isinstance(response, SimpleTemplateResponse):  # the API's is already bytes
                response.render()
            rendered.keep(request, self.object, response, self.started)
        return until_it_changes(response, request.page_next_change)


def same_page_in_every_language(request):
    """For a page every language has at its own address (the home page, the diary,
    search): the switcher's links to the others, and the head's hreflang links."""
    every = {
        code: request.build_absolute_uri(translate_url(request.get_full_path(), code))
        for code, _ in settings.LANGUAGES
    }
    return {
        "editions": [
            {"tag": languages.tag(code), "name": languages.name(code), "url": url}
            for code, url in every.items()
            if code != languages.current()
        ],
        "alternates": [{"tag": tag, "url": url} for tag, url in languages.hreflang_links(every)],
    }


@dataclass(frozen=True)
class TranslationOf:
    """What a translation's page says of its source: which version it translates (when
    that went live), where the source is (None if readers no longer have it), and, if the
    source has changed since, when (the page's notice)."""

    source: Edition | None
    translates: datetime.datetime
    updated_at: datetime.datetime | None


def _editions_and_source(article):
    """The article's live editions in other languages, and for a translation what it
    translates (else None): from the page's first query when it read them (rendered.read),
    else asked for (the admin's preview)."""
    if hasattr(article, "edition_list"):
        editions = article.edition_list
        if article.translated_from_id is None:
            return editions, None
        source = next((one for one in editions if one.pk == article.source_article_id), None)
        stale = article.source_newest_id != article.translated_from_id
        return editions, TranslationOf(
            source, article.source_pinned_at, article.source_newest_at if stale else None
        )
    editions = [Edition.of(one) for one in article.editions()]
    pinned = article.translated_from
    if pinned is None:
        return editions, None
    newer = article.source_news()
    live = Edition.of(pinned.article) if pinned.article.is_live() else None
    return editions, TranslationOf(live, pinned.went_live_at, newer and newer.went_live_at)


def until_it_changes(response, next_change):
    """Browsers and proxies keep the page no longer than until it changes (a go-live or a
    scheduled version); the URL's own max-age applies otherwise (the smaller one wins)."""
    if next_change is not None:
        seconds = int((next_change - timezone.now()).total_seconds())
        patch_cache_control(response, max_age=max(seconds, 0))
    return response


class ArticlePreviewView(ArticleDetailView):
    """The reader page of any article or draft, published or not, for the admin's preview:
    the same view code, so whatever readers get, the preview shows. The admin checks rights
    and adds the banner (extra_context) and the headers that keep it private."""

    stored_pages = False

    def get_queryset(self):
        return Article.rows.with_parts()


class BedsideCardView(PageMetaMixin, ArticleDetailView):
    template_name = "articles/bedside_card.html"
    page_title = _("During a night cramp: steps to keep by your bed")
    page_description = _(
        "A one-page card to print: what to do during a calf cramp at night, and when to "
        "call for help."
    )

    def get_object(self, queryset=None):
        article = super().get_object(queryset)
        # A card needs steps chosen for it (a stored card was rendered with them).
        if article.stored_body is None and not article.quick_help_steps():
            raise Http404
        return article


class DiaryView(PageMetaMixin, TemplateView):
    template_name = "articles/diary.html"
    page_title = _("Cramp diary to print and take to your doctor")
    page_description = _(
        "A printable diary of night cramps: when they happen, how long they last, what "
        "helped, and questions to ask your doctor."
    )
    extra_context = {"rows": range(10)}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), **same_page_in_every_language(self.request)}


def search_results(request):
    query = request.GET.get("q", "")[: search.MAX_QUERY_LENGTH]
    # "Search instead for …": the reader's own words, as typed, uncorrected.
    as_typed = request.GET.get("as_typed") == "1"
    results = search.search(query)
    if request.method == "GET":  # only readers' searches are counted
        reader = limit_key(client_ip(request))
        search_log.record(query, found=bool(results), reader=reader)
    # Nothing, or only articles with some of the words: the nearest spelling that finds
    # articles with every word, shown at once (no second tap at 3 a.m.).
    corrected, corrected_results = (
        (None, None)
        if not query.strip() or (results and results.every_word)
        else suggest.correction(query)
    )
    showing_corrected = corrected is not None and not as_typed
    shown = corrected_results if showing_corrected else results
    # The parts of the first results that answer it, and a red flag's card, whole.
    answers = parts.answer(shown)
    # Results are in the page's language only; for none, where the words are found.
    elsewhere = [] if shown or not query.strip() else _found_elsewhere(query)
    response = render(
        request,
        "articles/search_results.html",
        {
            "query": query,
            "results": shown,
            "red_flag": answers.red_flag,
            "red_flag_article": answers.found_in,
            "elsewhere": elsewhere,
            **same_page_in_every_language(request),
            "corrected": corrected if showing_corrected else None,
            "suggestion": corrected if not showing_corrected else None,
            "page_title": (
                gettext("Search results for “%(query)s”") % {"query": query}
                if query
                else pgettext("search page", "Search")
            ),
            "page_description": gettext("Search the pages about calf cramps at night."),
        },
    )
    # Results pages are endless and thin: keep them out of search engines.
    response["X-Robots-Tag"] = "noindex"
    return response


def _found_elsewhere(query):
    """The languages a search finds articles in, with the address of its results there."""
    found = []
    for code, count in search.found_elsewhere(query).items():
        with translation.override(code):
            url = f"{reverse('articles:search')}?{urlencode({'q': query})}"
        found.append({"name": languages.name(code), "tag": languages.tag(code), "url": url,
                      "count": count})  # fmt: skip
    return found


def robots_txt(request):
    sitemap = request.build_absolute_uri(reverse("sitemap"))
    lines = [
        "User-agent: *",
        f"Disallow: {reverse('admin:index')}",
        f"Disallow: {reverse('articles:search')}",
        f"Disallow: {reverse('markdownx_markdownify').rsplit('/', 2)[0]}/",
        f"Sitemap: {sitemap}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


def serve_upload(request, name, ext):
    """An image an editor uploaded; only the formats the upload view writes."""
    if ext not in ("jpg", "png"):
        raise Http404
    path = f"{settings.MARKDOWNX_MEDIA_PATH}{name}.{ext}"
    return static_serve(request, path, document_root=settings.MEDIA_ROOT)


def page_not_found(request, exception):
    context = {"page_title": gettext("Page not found"), "page_description": SITE_DESCRIPTION}
    return render(request, "404.html", context, status=404)


def server_error(request):
    # Nothing that could fail again: no context processors, no static files, no database.
    context = {"HELP": help_lines(), "PAGE_LANGUAGE": languages.tag(languages.current())}
    body = render_to_string("500.html", context)
    return HttpResponseServerError(body)

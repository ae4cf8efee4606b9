"""Readers' pages with no signal: the service worker, the page it shows for a page never
saved, and the manifest that lets the bedside card sit on a home screen.

A hand-written worker (templates/offline/sw.js) rather than Workbox: what it does is one
rule (network first, the saved copy only offline, marked with its dates) in about two
hundred lines, and Workbox would ship several files of library code to every phone for it
and a build step to the project.
"""

import hashlib
import json

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import get_template
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_safe
from django.views.generic import TemplateView

from articles import languages
from articles.caching.generation import RELEASE
from articles.caching.rendered import BUILD
from articles.caching.tags import MEMBERSHIP, article_tag
from articles.helplines import help_lines
from articles.models import Article

# How many pages a reader opened stay saved on their device, the newest kept.
KEEP_PAGES = 10
# A saved copy older than this says it may be out of date (as does one past its review).
STALE_DAYS = 30
ICONS = (("img/icon-192.png", "192x192"), ("img/icon-512.png", "512x512"))


def _home_help_by_language():
    """{language: the article whose help box the home page shows}, in one query."""
    articles = Article.objects.published().filter(is_home_help=True).order_by("language", "pk")
    found = {}
    for article in articles:
        found.setdefault(article.language, article)
    return found


def _in_language(code, name, **kwargs):
    with translation.override(code):
        return reverse(name, kwargs=kwargs)


@require_safe
def service_worker(request):
    """The worker, at the site's root so that it may answer for every page; versioned with
    the release, the static files and its own code, so that a deploy's worker saves the
    site's parts afresh and keeps only the pages the reader saved."""
    home_help = _home_help_by_language()
    offline_pages = {}
    shell = [static("css/site.css"), static("js/offline.js"), static("js/print.js"),
             static("img/favicon.svg"), *(static(path) for path, _ in ICONS)]  # fmt: skip
    for code, _ in settings.LANGUAGES:
        prefix = "" if code == settings.LANGUAGE_CODE else f"/{code}"
        offline_pages[prefix] = _in_language(code, "articles:offline")
        shell.append(offline_pages[prefix])
        if code in home_help:
            shell.append(_in_language(code, "articles:bedside_card", slug=home_help[code].slug))
    worker = get_template("offline/sw.js")
    # The worker's own code changes its version too, not only the pages and static files.
    code = hashlib.sha256(worker.template.source.encode()).hexdigest()[:8]
    help = help_lines(settings.LANGUAGE_CODE)
    # The page's own words for the emergency line (includes/offline_note.html's).
    call = translation.gettext(
        'In an emergency, call <a href="%(emergency_tel)s">%(emergency)s</a>.'
    ) % {"emergency_tel": escape(help["emergency_tel"]), "emergency": escape(help["emergency"])}
    last_resort = format_html(
        '<!doctype html><html lang="{}"><meta charset="utf-8"><meta name="viewport" '
        'content="width=device-width, initial-scale=1"><title>{}</title><h1>{}</h1><p>{}</p>',
        languages.tag(settings.LANGUAGE_CODE), settings.SITE_NAME,
        translation.gettext("No connection"), mark_safe(call),
    )  # fmt: skip
    context = {
        "version": f"{RELEASE}-{BUILD[:8]}-{code}",
        "shell_urls": json.dumps(shell),
        "offline_pages": json.dumps(offline_pages),
        "last_resort": json.dumps(str(last_resort)),
        "keep": KEEP_PAGES,
        "stale_days": STALE_DAYS,
    }
    body = worker.render(context)
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    # Browsers look for a new worker on every visit; nothing in between may keep an old one.
    response["Cache-Control"] = "no-cache"
    return response


class OfflineView(TemplateView):
    """What a reader gets offline for a page this device never saved: what to do during a
    cramp, the urgent and emergency cards, the emergency number and the pages it has."""

    template_name = "articles/offline.html"

    def get_context_data(self, **kwargs):
        article = (
            Article.objects.published()
            .in_language()
            .with_quick_help_parts()
            .prefetch_related("reviews")
            .home_help()
        )
        self.request.page_tags = {MEMBERSHIP, *([article_tag(article.pk)] if article else [])}
        return {
            **super().get_context_data(**kwargs),
            "article": article,
            "page_title": translation.gettext("No connection"),
            "page_description": translation.gettext(
                "What to do during a calf cramp at night, and when to call for help, on a "
                "device with no connection."
            ),
        }


@require_safe
def manifest(request):
    """The web app manifest, in the page's language: the site's name and icons, and the
    bedside card of the home page's help article as the page a home-screen icon opens."""
    article = Article.objects.published().in_language().home_help()
    start = (
        reverse("articles:bedside_card", kwargs={"slug": article.slug})
        if article
        else reverse("articles:index")
    )
    if article:
        request.page_tags = {MEMBERSHIP, article_tag(article.pk)}
    data = {
        "name": settings.SITE_NAME,
        "short_name": settings.SITE_NAME,
        "lang": languages.tag(languages.current()),
        "start_url": start,
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#005eb8",
        # Each icon as it is and, with the moon inside the middle 80 %, to crop to a shape.
        "icons": [
            {"src": static(path), "sizes": sizes, "type": "image/png", "purpose": purpose}
            for path, sizes in ICONS
            for purpose in ("any", "maskable")
        ],
    }
    return HttpResponse(json.dumps(data, ensure_ascii=False),
                        content_type="application/manifest+json")  # fmt: skip

"""Readers' answers to "Is this page useful?" and their problem reports, and the pages after.

The form on the article page posts here without a CSRF token or cookie (see guard.py). The
pages a reader sees here say nothing about them and set no cookie; the form and thank-you
pages are the same for everyone, so they are cached like the article.
"""

import datetime

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.formats import number_format
from django.utils.functional import lazy
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe

from articles.caching.tags import article_tag
from articles.feedback.guard import refusal
from articles.models import Article, Feedback, Publication
from articles.models.feedback import TEXT_MAX_LENGTH

PRUNED_KEY = "feedback:pruned"


def shown_limit():
    """The most a report may say, as the page's language writes it: 1,000 or 1 000."""
    return number_format(TEXT_MAX_LENGTH, force_grouping=True)


def keep_it_under():
    return ngettext(
        "Please keep it under %(count)s character.",
        "Please keep it under %(count)s characters.",
        TEXT_MAX_LENGTH,
    ) % {"count": shown_limit()}


class ProblemForm(forms.Form):
    text = forms.CharField(
        label=_("What was wrong or missing?"),
        max_length=TEXT_MAX_LENGTH,  # the template draws the box, with its hint and error
        error_messages={
            "required": _("Tell us what was wrong or missing, in a few words."),
            # Made when shown, in the language of the page.
            "max_length": lazy(keep_it_under, str)(),
        },
    )


def live_article(slug):
    return get_object_or_404(Article.objects.published().in_language(), slug=slug)


@csrf_exempt  # the page is cached and cookie-free: guard.refusal checks the POST instead
def feedback(request, slug):
    """GET: the problem form. POST: an answer (Yes or No) or a problem report."""
    article = live_article(slug)
    if request.method == "POST":
        refused = refusal(request)
        if refused:
            return refused_page(request, article, refused)
        answer = request.POST.get("useful")
        if answer in ("yes", "no"):
            kind = Feedback.Kind.USEFUL if answer == "yes" else Feedback.Kind.NOT_USEFUL
            keep(article, kind)
            if answer == "yes":
                return redirect("articles:feedback_thanks", slug=article.slug)
            # Asked what was wrong, on the same form anyone can open from the page.
            return redirect(reverse("articles:feedback", args=[article.slug]) + "?answer=no")
        form = ProblemForm(request.POST)
        if form.is_valid():
            keep(article, Feedback.Kind.PROBLEM, form.cleaned_data["text"])
            return redirect("articles:feedback_thanks", slug=article.slug)
        response = form_page(request, article, form, status=400)
        add_never_cache_headers(response)
        return response
    if request.method not in ("GET", "HEAD"):
        return refused_page(request, article, None, status=405)
    return shared(request, article, form_page(request, article, ProblemForm()))


def form_page(request, article, form, status=200):
    context = {
        "article": article,
        "form": form,
        "after_no": request.GET.get("answer") == "no",
        "text_max_length": TEXT_MAX_LENGTH,
        "text_max_length_shown": shown_limit(),
        "page_title": gettext("Report a problem: %(title)s") % {"title": article.title},
        "page_description": gettext("Tell us what was wrong or missing on the page “%(title)s”.")
        % {"title": article.title},
        "urgent": article.callouts.filter(level="urgent").first(),
    }
    return render(request, "articles/feedback_form.html", context, status=status)


@require_safe
def thanks(request, slug):
    article = live_article(slug)
    context = {
        "article": article,
        "page_title": gettext("Thank you"),
        "page_description": gettext("Thank you for telling us what you think of this page."),
    }
    return shared(request, article, render(request, "articles/feedback_thanks.html", context))


def shared(request, article, response):
    """The same page for every reader: cached like the article, and stale when it is."""
    request.page_tags = {article_tag(article.pk)}
    patch_cache_control(response, public=True, max_age=settings.PUBLIC_CACHE_SECONDS)
    return response


def refused_page(request, article, refused, status=None):
    context = {
        "article": article,
        "refusal": refused,
        "page_title": refused.title if refused else gettext("This page only takes feedback"),
        "page_description": gettext("Your feedback was not sent."),
    }
    response = render(
        request, "articles/feedback_refused.html", context, status=status or refused.status
    )
    if refused and refused.retry_after:
        response["Retry-After"] = str(refused.retry_after)
    add_never_cache_headers(response)
    return response


def keep(article, kind, text=""):
    """Store one reader's feedback: the article, the version live now, what they said and
    the day. Nothing about who sent it."""
    if cache.add(f"{PRUNED_KEY}:{timezone.localdate()}", True, timeout=24 * 3600):
        forget_old()
    Feedback.objects.create(
        article=article,
        publication=Publication.objects.gone_live().filter(article=article).first(),
        kind=kind,
        text=text,
    )


def forget_old(today=None):
    """Feedback older than the site keeps it (settings.FEEDBACK_RETENTION_DAYS) is deleted."""
    today = today or timezone.localdate()
    cutoff = today - datetime.timedelta(days=settings.FEEDBACK_RETENTION_DAYS)
    return Feedback.objects.filter(received_on__lt=cutoff).delete()[0]

"""Whole-article history in the admin: every version, comparisons, restores and recovery.

django-reversion keeps the versions (the page's publications and every save of its draft,
filed under the page). Nothing here writes a page: restoring a version, or recovering a
deleted article, fills the article's draft, which then goes through sign-off like any
other change.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from reversion.models import Version
from reversion_compare.admin import CompareVersionAdmin

from articles.models import Article
from articles.numbers import whole_number
from articles.publishing import signoff
from articles.publishing.compare import compare
from articles.publishing.drafts import Snapshot, copy_into, open_draft, start_article
from articles.publishing.publish import lock
from articles.times import moment


class ArticleHistoryAdmin(CompareVersionAdmin):
    """django-reversion's history list, with comparisons, restores and recovery that only
    ever write a draft."""

    # A draft's saves are kept by sign-off (signoff.record_edit), filed under the page; the
    # revision reversion's views open around a save would file them under the draft.
    def add_view(self, request, form_url="", extra_context=None):
        return admin.ModelAdmin.add_view(self, request, form_url, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        return admin.ModelAdmin.change_view(self, request, object_id, form_url, extra_context)

    def version_or_404(self, page, version_id):
        """A version in `page`'s own history (never a part's, nor another article's)."""
        version = Version.objects.get_for_object(page).filter(pk=whole_number(version_id)).first()
        if version is None:
            raise Http404("No such version of this article.")
        return version

    def compare_view(self, request, object_id, extra_context=None):
        page = self.page_or_404(request, object_id)
        first = self.version_or_404(page, request.GET.get("version_id1", ""))
        second = self.version_or_404(page, request.GET.get("version_id2", ""))
        if first.pk > second.pk:
            first, second = second, first
        first, second = signoff.as_it_reads_now([first, second])
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": f"Compare two versions: {page}",
            "article": page,
            "first": first,
            "second": second,
            "diff": compare(
                Snapshot.of_revision(first.revision), Snapshot.of_revision(second.revision)
            ),
        }
        return TemplateResponse(request, "admin/articles/article/compare.html", context)

    def revision_view(self, request, object_id, version_id, extra_context=None):
        """An earlier version, compared with the article's draft (or its page), and a
        button that makes it the article's unpublished changes."""
        page = self.page_or_404(request, object_id)
        (version,) = signoff.as_it_reads_now([self.version_or_404(page, version_id)])
        if not self.has_change_permission(request, page):
            raise PermissionDenied
        if request.method not in ("GET", "HEAD", "POST"):
            return HttpResponseNotAllowed(["GET", "HEAD", "POST"])
        snapshot = Snapshot.of_revision(version.revision)
        if snapshot is None:
            raise Http404("This version can no longer be read.")
        if request.method == "POST":
            when = moment(version.revision.date_created)
            with transaction.atomic():
                lock(page)
                draft = copy_into(open_draft(page), snapshot)
                signoff.record_edit(page, draft, request.user, f"Restored the version of {when}")
            self.message_user(
                request,
                "The earlier version is now the article's unpublished changes. Readers keep "
                "the live version until the changes are approved.",
            )
            return redirect("admin:articles_article_change", page.pk)
        current = signoff.draft_of(page) if signoff.has_changes(page) else page
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": f"Restore an earlier version: {page}",
            "article": page,
            "version": version,
            "compared_with_draft": current is not page,
            "sign_off": self.sign_off_context(request, page, on_sign_off_page=True),
            "diff": compare(Snapshot.of_rows(current), snapshot),
        }
        return TemplateResponse(request, "admin/articles/article/restore.html", context)

    def recover_view(self, request, version_id, extra_context=None):
        """A deleted article comes back as a new article's draft, for sign-off like any
        other (only an article never published can be deleted)."""
        if not (self.has_add_permission(request) and self.has_change_permission(request)):
            raise PermissionDenied
        version = (
            Version.objects.get_deleted(self.model).filter(pk=whole_number(version_id)).first()
        )
        snapshot = version and Snapshot.of_revision(version.revision)
        if snapshot is None:
            raise Http404("Only a deleted article can be recovered here.")
        if request.method == "POST":
            with transaction.atomic():
                # Readers never had it: a draft article, whatever the version says.
                snapshot.article.status = Article.Status.DRAFT
                if Article.objects.filter(
                    slug=snapshot.article.slug, language=snapshot.article.language
                ).exists():
                    self.message_user(
                        request,
                        f"Another article now has the web address “{snapshot.article.slug}”. "
                        "Nothing was recovered.",
                        messages.ERROR,
                    )
                    return redirect("admin:articles_article_recoverlist")
                edition = snapshot.article
                if Article.objects.filter(
                    translation_key=edition.translation_key, language=edition.language
                ).exists():
                    self.message_user(
                        request,
                        f"This article has a {edition.get_language_display()} edition again "
                        "since it was deleted. Nothing was recovered.",
                        messages.ERROR,
                    )
                    return redirect("admin:articles_article_recoverlist")
                draft = Article(title=snapshot.article.title)
                page = start_article(draft, snapshot)
                signoff.record_edit(page, draft, request.user, "Recovered after deletion")
            self.message_user(request, "Recovered as a draft: readers cannot see it.")
            return redirect("admin:articles_article_change", page.pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": f"Recover “{version.object_repr}”",
            "version": version,
            "diff": compare(None, snapshot),
            "recoverlist_url": reverse("admin:articles_article_recoverlist"),
        }
        return TemplateResponse(request, "admin/articles/article/recover.html", context)

    def history_view(self, request, object_id, extra_context=None):
        self.page_or_404(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def _get_action_list(self, request, object_id, extra_context=None):
        # Each row as it reads now: an approval for later is not yet "Published".
        actions = super()._get_action_list(request, object_id, extra_context)
        versions = signoff.as_it_reads_now(action["version"] for action in actions)
        for action, version in zip(actions, versions, strict=True):
            action["revision"] = version.revision
        return actions

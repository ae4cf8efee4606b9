"""Whole-article history in the admin: comments, comparisons of parts, safe restores."""

import reversion
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect
from django.template.loader import render_to_string
from reversion.models import Version
from reversion_compare.admin import CompareVersionAdmin

from articles.history.diff import UNCOMPARED_FIELDS, changed_fields, field_diff
from articles.models import PART_MODELS, Review, SlugRedirect
from articles.publishing import changes

# Old addresses are not content: a restore leaves them as they are, but comparisons ask.
reversion.register(SlugRedirect)


class ArticleHistoryAdmin(CompareVersionAdmin):
    """django-reversion's history, restore and compare views, fitted to articles."""

    compare_exclude = sorted(UNCOMPARED_FIELDS)
    # reversion-compare's own templates name the app by its label: "Articles", twice.
    compare_template = "reversion/articles/article/compare.html"
    compare_raw_template = "reversion/articles/article/compare_raw.html"

    def log_addition(self, request, obj, message):
        entry = super().log_addition(request, obj, message)
        self._comment_revision(request)
        return entry

    def log_change(self, request, obj, message):
        entry = super().log_change(request, obj, message)
        self._comment_revision(request)
        return entry

    def _comment_revision(self, request):
        # VersionAdmin comments a revision with the admin's change message; the editor's
        # own words say more.
        comment = request.POST.get("revision_comment", "").strip()
        if comment and reversion.is_active():
            reversion.set_comment(comment)

    def article_or_404(self, request, object_id):
        """The article of an admin URL; a malformed or unknown id is a 404, never a 500.

        Someone without any right on articles gets a 403 first, whatever the id, so that
        these pages never tell them which articles exist.
        """
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        article = self.get_object(request, unquote(object_id))
        if article is None:
            raise Http404("No such article.")
        return article

    def compare_view(self, request, object_id, extra_context=None):
        # django-reversion-compare checks only that the user is staff.
        if not self.has_view_or_change_permission(
            request, self.article_or_404(request, object_id)
        ):
            raise PermissionDenied
        return super().compare_view(request, object_id, extra_context)

    def compare_ManyToOneRel(self, obj_compare):
        """A part list's changes, with the changed fields of each changed part shown."""
        change_info = obj_compare.get_m2o_change_info()
        changed_parts = [
            (
                new,
                list(
                    changed_fields(new.content_type.model_class(), old.field_dict, new.field_dict)
                ),
            )
            for old, new in change_info["changed_items"]
        ]
        return render_to_string(
            "admin/articles/article/compare_parts.html",
            {"change_info": change_info, "changed_parts": changed_parts},
        )

    def fallback_compare(self, obj_compare):
        """Text word by word, in context; any other value in words, before and after."""
        return field_diff(obj_compare.field, obj_compare.value1, obj_compare.value2)

    # reversion-compare's own versions of these show a future time as "time since that
    # date: 0 minutes", True and False, and a choice's stored value, not its label.
    compare_TextField = compare_CharField = fallback_compare
    compare_DateTimeField = compare_BooleanField = fallback_compare

    def recover_view(self, request, version_id, extra_context=None):
        # reversion's recover page writes back any version it is given, live articles and
        # single parts included, around every rule of revision_view below. Here it recovers
        # only what it is named for: the last version of a deleted article (always a draft,
        # as published articles cannot be deleted).
        if not (self.has_add_permission(request) and self.has_change_permission(request)):
            raise PermissionDenied
        version = Version.objects.get_deleted(self.model).filter(pk=version_id).first()
        if version is None:
            raise Http404("Only a deleted article can be recovered here.")
        clinical = [
            part
            for part in version.revision.version_set.get_for_model(Review)
            if part.field_dict.get("kind") == Review.Kind.CLINICAL
        ]
        if clinical and not request.user.has_perm("articles.record_clinical_review"):
            self.message_user(
                request,
                "This article had clinical reviews, and only members of the Clinical "
                "reviewers group can bring those back. Nothing was recovered.",
                messages.ERROR,
            )
            return redirect("admin:articles_article_recoverlist")
        # A deleted article was a draft: readers had nothing at any address.
        request.article_before = changes.Before(restoring=True)
        return super().recover_view(request, version_id, extra_context)

    def revision_view(self, request, object_id, version_id, extra_context=None):
        article = self.article_or_404(request, object_id)
        # Only a version of this article itself: reversion would accept any version whose
        # object id matches, a part of another article included.
        versions = Version.objects.get_for_object(article)
        if (
            not (str(version_id).isascii() and str(version_id).isdigit())
            or not versions.filter(pk=int(version_id)).exists()
        ):
            raise Http404("No such revision of this article.")
        # Publishing from a restored form needs the right to publish, whatever the restored
        # version says the status was (ArticleAdminForm).
        request.status_before = article.status
        token = article.edit_token
        clinical_before = clinical_reviews(article)
        # The restore rewrites the rows before the admin's save sees them: the write path
        # needs what readers had before it.
        request.article_before = changes.Before.of(article.pk, restoring=True)
        # A restore writes each part back one row at a time; park today's rows first so
        # that two never hold one position, and keep that only if the restore is saved.
        with transaction.atomic():
            for part in PART_MODELS:
                part.objects.filter(article_id=article.pk).park()
            response = super().revision_view(request, object_id, version_id, extra_context)
            restored = type(article).objects.filter(pk=article.pk).first()
            # Only a saved form gives the article a new edit token; a version that could
            # not be written back (a slug now taken, say) redirects without one.
            if not (request.method == "POST" and restored and restored.edit_token != token):
                transaction.set_rollback(True)
                return response
            if clinical_reviews(restored) != clinical_before and not request.user.has_perm(
                "articles.record_clinical_review"
            ):
                # Restoring would add or remove a clinical review: not an editor's call.
                transaction.set_rollback(True)
                self.message_user(
                    request,
                    "This version has different clinical reviews, and only members of the "
                    "Clinical reviewers group can change those. Nothing was restored.",
                    messages.ERROR,
                )
                return redirect("admin:articles_article_history", article.pk)
        return response


def clinical_reviews(article):
    return sorted(
        article.reviews.filter(kind=Review.Kind.CLINICAL).values_list(
            "reviewed_on", "reviewer_name", "reviewer_role", "note"
        )
    )

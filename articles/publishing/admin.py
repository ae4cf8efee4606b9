"""Sign-off in the admin: the change page edits the article's draft, never its page; the
sign-off page shows a reviewer the whole difference from the live version and approves
exactly what it showed. Mixed into ArticleAdmin."""

import contextlib

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import OuterRef, Subquery
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from articles.accounts.roles import (
    is_clinician,
    may_approve_own_changes,
    may_publish,
    needs_clinical_approval,
)
from articles.models import Article, Publication, Review, Stage, WorkingCopy
from articles.numbers import WholeNumberIds, whole_number
from articles.publishing import signoff, translations
from articles.publishing.compare import compare
from articles.publishing.drafts import Snapshot, open_draft, page_versions, start_article
from articles.publishing.forms import ApproveForm, SendBackForm
from articles.publishing.publish import CannotGoLive, lock
from articles.times import moment


def last_role(user):
    """The role `user` gave with their latest review, to offer again."""
    review = Review.objects.filter(reviewer=user).exclude(reviewer_role="").first()
    return review.reviewer_role if review else ""


class SignOffAdmin(WholeNumberIds, admin.ModelAdmin):
    """The change page edits the article's draft; readers keep the page until approval."""

    def get_queryset(self, request):
        # For the list's "Unpublished changes" column.
        waiting = Publication.objects.waiting().filter(article=OuterRef("pk"))
        return (
            super()
            .get_queryset(request)
            .select_related("working_copy")
            .annotate(goes_live_at=Subquery(waiting.values("published_at")[:1]))
        )

    def unpublished_changes(self, article):
        """Where a listed article's unpublished changes stand, if it has any."""
        if article.goes_live_at:
            return f"Approved, goes live at {moment(article.goes_live_at)}"
        copy = getattr(article, "working_copy", None)
        return "" if copy is None else copy.get_state_display()

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("review-queue/", wrap(self.queue_view), name="articles_article_queue"),
            path("<path:object_id>/sign-off/", wrap(self.sign_off_view),
                 name="articles_article_signoff"),
            path("<path:object_id>/translate/", wrap(self.translate_view),
                 name="articles_article_translate"),
            path("<path:object_id>/translation/source-changes/", wrap(self.source_changes_view),
                 name="articles_article_source_changes"),
            path("<path:object_id>/translation/side-by-side/", wrap(self.side_by_side_view),
                 name="articles_article_side_by_side"),
            *super().get_urls(),
        ]  # fmt: skip

    def page_or_404(self, request, object_id):
        """The article (its page) of an admin URL; a malformed or unknown id is a 404, never
        a 500. Someone without any right on articles gets a 403 first, whatever the id, so
        that these pages never tell them which articles exist."""
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        page = Article.objects.filter(pk=whole_number(unquote(str(object_id)))).first()
        if page is None:
            raise Http404("No such article.")
        return page

    def translate_view(self, request, object_id):
        """Start a translation in one step: a new article in another language whose draft
        holds this one's live version (articles.publishing.translations)."""
        page = self.page_or_404(request, object_id)
        if not self.has_add_permission(request):
            raise PermissionDenied
        if request.method not in ("GET", "HEAD", "POST"):
            return HttpResponseNotAllowed(["GET", "POST"])
        problem = None
        if request.method == "POST":
            try:
                with transaction.atomic():
                    translation = translations.start_translation(
                        page, request.POST.get("language", ""), request.user
                    )
            except translations.CannotTranslate as refusal:
                problem = str(refusal)
            except IntegrityError:  # another editor started the same one meanwhile
                problem = "This translation was started by someone else just now."
            else:
                self.message_user(
                    request,
                    f"The {translation.get_language_display()} translation was started: "
                    "translate its draft, then send it for sign-off. Readers cannot see it yet.",
                )
                return redirect("admin:articles_article_change", translation.pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": f"Translate “{page}”",
            "article": page,
            "change_url": reverse("admin:articles_article_change", args=[page.pk]),
            "languages": translations.missing_languages(page),
            "pinned": translations.newest_publication(page),
            "problem": problem,
        }
        return TemplateResponse(request, "admin/articles/article/translate.html", context)

    def translation_or_404(self, request, object_id):
        """The page of a translation and the Translation, for whoever may change it."""
        page = self.page_or_404(request, object_id)
        if not self.has_change_permission(request, page):
            raise PermissionDenied
        translation = translations.translation_of(page)
        if translation is None:
            raise Http404("This article is not a translation.")
        return page, translation

    def translation_context(self, request, page, translation, title):
        return {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": f"{title}: {page}",
            "article": page,
            "translation": translation,
        }

    def source_changes_view(self, request, object_id):
        """What changed in the source since the version a translation was made from: what
        its translator has to carry over."""
        page, translation = self.translation_or_404(request, object_id)
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET", "HEAD"])
        context = {
            **self.translation_context(request, page, translation, "What changed in its source"),
            "diff": translations.source_changes(translation),
        }
        return TemplateResponse(request, "admin/articles/article/source_changes.html", context)

    def side_by_side_view(self, request, object_id):
        """The source's live version next to the translation's working version."""
        page, translation = self.translation_or_404(request, object_id)
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET", "HEAD"])
        context = {
            **self.translation_context(request, page, translation, "Side by side"),
            "shown": translations.side_by_side(translation, page),
        }
        return TemplateResponse(request, "admin/articles/article/side_by_side.html", context)

    def get_object(self, request, object_id, from_field=None):
        page = super().get_object(request, object_id, from_field)
        match = request.resolver_match
        if page is None or match is None or match.url_name != "articles_article_change":
            return page
        if not self.has_change_permission(request, page):
            return page  # shown read-only: nothing to draft
        if request.method == "POST":
            # Held until the admin's transaction ends: every writer of the article takes
            # this lock first, so the form's check for a newer save cannot be overtaken.
            lock(page)
        return open_draft(page)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        page = Article.objects.filter(pk=whole_number(unquote(str(object_id)))).first()
        context = {**(extra_context or {})}
        if page is not None:
            context["sign_off"] = self.sign_off_context(request, page)
            context["translation"] = translations.translation_of(page)
        return super().change_view(request, object_id, form_url, context)

    def add_view(self, request, form_url="", extra_context=None):
        context = {
            **(extra_context or {}),
            "sign_off": {"may_save_and_publish": may_save_and_publish(request.user)},
        }
        return super().add_view(request, form_url, context)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.draft_of_id:
            # The form edits the draft; its links (history, delete, preview) are the page's.
            context["original"] = obj.draft_of
        return super().render_change_form(request, context, add, change, form_url, obj)

    def save_model(self, request, obj, form, change):
        if change:
            obj.save()
        else:
            start_article(obj)  # a new article is a page readers cannot see, and its draft

    def log_addition(self, request, obj, message):
        return super().log_addition(request, obj.draft_of or obj, message)

    def log_change(self, request, obj, message):
        return super().log_change(request, obj.draft_of or obj, message)

    def response_add(self, request, obj, post_url_continue=None):
        with self.own_message_only(request):
            return super().response_add(request, obj.draft_of, post_url_continue)

    def response_change(self, request, obj):
        with self.own_message_only(request):
            return super().response_change(request, obj.draft_of or obj)

    @contextlib.contextmanager
    def own_message_only(self, request):
        """Leave out the admin's "was changed successfully" where after_save said what
        became of the save: it would suggest readers have the change."""
        request.leave_out_messages = getattr(request, "told_what_became_of_the_save", False)
        try:
            yield
        finally:
            request.leave_out_messages = False

    def message_user(self, request, message, *args, **kwargs):
        if not getattr(request, "leave_out_messages", False):
            super().message_user(request, message, *args, **kwargs)

    def tell(self, request, message, level=messages.INFO):
        """Say what became of a save (in place of the admin's own success message)."""
        self.message_user(request, message, level)
        request.told_what_became_of_the_save = True

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        draft = form.instance
        self.after_save(request, draft.draft_of, draft, form.cleaned_data)

    def after_save(self, request, page, draft, sent):
        """The draft and its parts were saved: keep it in the history, then submit or
        publish it if asked (`sent`: the form's cleaned values)."""
        user = request.user
        signoff.record_edit(page, draft, user, sent.get("revision_comment", ""))
        if "_publish" in request.POST and may_publish(user):
            problem = self.approve(
                request, page, f"draft:{draft.edit_token}",
                " ".join(sent.get("publication_note", "").split()), None,
                sent.get("reviewer_role", ""),
            )  # fmt: skip
            if problem:
                self.tell(request, f"Saved, but not published: {problem}", messages.ERROR)
            else:
                self.tell(request, "Published: readers now see this version.")
            return
        if "_submit" in request.POST:
            signoff.submit(page, user)
            self.tell(request, "Submitted for clinical review.")
            return
        if page.status == Article.Status.PUBLISHED:
            if may_publish(user):
                next_step = "Publish them when they are ready."
            else:
                next_step = "Submit them for clinical review when they are ready."
            self.tell(
                request,
                "Saved as unpublished changes: readers still see the live version. " + next_step,
            )

    def approve(self, request, page, reviewed, note, go_live_at, reviewer_role):
        """Approve, or say in a sentence why nothing was published."""
        try:
            publication = signoff.approve(
                page, request.user, reviewed, note, go_live_at, reviewer_role
            )
        except signoff.OwnChanges:
            return (
                "you made some of these changes, and on this site a second person approves "
                "every change. Submit them for review."
            )
        except CannotGoLive as problem:
            return f"{problem}."
        page.refresh_from_db()
        # The admin's log names who changed the article last, as a stale form says.
        self.log_change(request, page, "Approved for readers")
        addresses = getattr(publication, "addresses", None)
        if addresses and addresses.kept_address:
            old_url = reverse("articles:article_detail", args=[addresses.kept_address])
            self.message_user(request, f"The old address {old_url} now sends readers here.")
        if addresses and addresses.took_address_from:
            self.message_user(
                request,
                f"{page.get_absolute_url()} used to send readers to "
                f"“{addresses.took_address_from}”; it now shows this article instead.",
                messages.WARNING,
            )
        return None

    def sign_off_context(self, request, page, on_sign_off_page=False):
        copy = signoff.working_copy(page)
        user = request.user
        live_publication = Publication.objects.gone_live().filter(article=page).first()
        waiting = Publication.objects.waiting().filter(article=page).first()
        has_changes = copy is not None
        submitted = has_changes and copy.state == WorkingCopy.State.SUBMITTED
        publishes = may_publish(user)
        own = signoff.made_changes(user, copy)
        approves_own = signoff.may_approve(user, copy)
        return {
            "article": page,
            "stage": page.stage(),
            "is_published": page.status == Article.Status.PUBLISHED,
            "copy": copy,
            "has_changes": has_changes,
            "submitted": submitted,
            "live_publication": live_publication,
            "waiting": waiting,
            "may_publish": publishes,
            "may_save_and_publish": may_save_and_publish(user),
            # A reviewer approves what was submitted, or what they changed themselves if
            # the site allows that.
            "may_approve": has_changes
            and copy.state != WorkingCopy.State.SCHEDULED
            and approves_own
            and (submitted or own),
            "own_changes_need_another": publishes and own and not approves_own,
            "may_submit": has_changes
            and not submitted
            and copy.state != WorkingCopy.State.SCHEDULED
            and (not publishes or not approves_own),
            "needs_clinical_approval": needs_clinical_approval(),
            "on_sign_off_page": on_sign_off_page,
        }

    def content_problems(self, article):
        """What the editing checks find in an article's rows (the admin that edits the
        content supplies them: this layer knows nothing of them)."""
        return []

    def reader_feedback(self, request, page):
        """What readers said since the last publication (supplied by ArticleAdmin)."""
        return None

    def sign_off_view(self, request, object_id):
        page = self.page_or_404(request, object_id)
        if not self.has_change_permission(request, page):
            raise PermissionDenied
        user = request.user
        if "_discard" in request.POST and "confirm" not in request.POST:
            return self.discard_confirmation(request, page)
        clinical = reviews_clinically(user)
        sent = request.POST if request.method == "POST" else None
        approve_form = ApproveForm(sent if "_approve" in request.POST else None, clinical=clinical)
        send_back_form = SendBackForm(sent if "_send_back" in request.POST else None)
        if request.method == "POST":
            with transaction.atomic():
                done = self.sign_off_step(request, page, approve_form, send_back_form)
            if done:
                return redirect("admin:articles_article_signoff", page.pk)
        page.refresh_from_db()
        with transaction.atomic():
            # Under the page's lock, as every save of the draft is: the version shown,
            # its checks and the marker the approval carries are one and the same.
            lock(page)
            draft = signoff.draft_of(page) if signoff.has_changes(page) else None
            marker = f"draft:{draft.edit_token}" if draft else "nothing"
            ever_live = (
                page.status == Article.Status.PUBLISHED
                or Publication.objects.gone_live().filter(article=page).exists()
            )
            diff = draft and compare(
                Snapshot.of_rows(page) if ever_live else None, Snapshot.of_rows(draft)
            )
            checks = self.content_problems(draft) if draft else []
        if not approve_form.is_bound:
            approve_form.initial = {"reviewed": marker, "reviewer_role": last_role(user)}
        elif approve_form.errors:
            # Shown again for the version on this page, whatever the refused form carried.
            approve_form.data = approve_form.data.copy()
            approve_form.data["reviewed"] = marker
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": f"Sign-off: {page}",
            "content_checks": checks,
            "diff": diff,
            "sign_off": self.sign_off_context(request, page, on_sign_off_page=True),
            "reader_feedback": self.reader_feedback(request, page),
            "approve_form": approve_form,
            "send_back_form": send_back_form,
            "history": signoff.as_it_reads_now(page_versions(page)[:20]),
        }
        return TemplateResponse(request, "admin/articles/article/sign_off.html", context)

    def discard_confirmation(self, request, page):
        """Discarding asks first, as Django's delete does: the button's POST shows this
        question, and only its answer (with `confirm`) discards."""
        state = self.sign_off_context(request, page, on_sign_off_page=True)
        if not state["has_changes"] and not (state["waiting"] and state["may_publish"]):
            self.message_user(request, "There are no unpublished changes.", messages.ERROR)
            return redirect("admin:articles_article_signoff", page.pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": f"Discard the unpublished changes: {page}",
            "sign_off": state,
            "confirm_discard": True,
        }
        return TemplateResponse(request, "admin/articles/article/sign_off.html", context)

    def sign_off_step(self, request, page, approve_form, send_back_form):
        """One sign-off button; True when done (the page redirects), False to show the
        forms again with their errors."""
        state = self.sign_off_context(request, page)
        user = request.user
        if "_discard" in request.POST:
            if not state["has_changes"] and not (state["waiting"] and state["may_publish"]):
                self.message_user(request, "There are no unpublished changes.", messages.ERROR)
                return True
            signoff.discard(page, user)
            self.message_user(request, "The unpublished changes were discarded.")
            return True
        if "_submit" in request.POST:
            if not state["may_submit"]:
                self.message_user(request, "There is nothing to submit.", messages.ERROR)
                return True
            signoff.submit(page, user)
            self.message_user(request, "Submitted for clinical review.")
            return True
        if not may_publish(user):
            raise PermissionDenied
        if "_approve" in request.POST:
            return self.approve_step(request, page, approve_form, state)
        if "_cancel_scheduled" in request.POST:
            if signoff.cancel_scheduled(page, user):
                self.message_user(
                    request,
                    "The scheduled change was cancelled: readers keep the live version, and "
                    "the changes wait for review again.",
                )
            else:
                self.message_user(request, "No change was waiting to go live.", messages.ERROR)
            return True
        if "_send_back" in request.POST and send_back_form.is_valid():
            if not state["submitted"]:
                self.message_user(request, "Nothing was submitted.", messages.ERROR)
                return True
            signoff.send_back(page, user, send_back_form.cleaned_data["comment"])
            self.message_user(request, "Sent back to the editor with your comments.")
            return True
        return False

    def approve_step(self, request, page, approve_form, state):
        if not approve_form.is_valid():
            return False
        if not state["may_approve"]:
            self.message_user(
                request,
                "Nothing was published: there are no submitted changes you may approve.",
                messages.ERROR,
            )
            return True
        cleaned = approve_form.cleaned_data
        try:
            problem = self.approve(
                request, page, cleaned["reviewed"], cleaned["note"],
                cleaned.get("go_live_at"), cleaned.get("reviewer_role", ""),
            )  # fmt: skip
        except signoff.ChangedSinceReview:
            refused = (
                "Nothing was published: the changes were edited or published after this page "
                "showed them."
            )
            if not self.sign_off_context(request, page)["may_approve"]:
                self.message_user(request, refused, messages.ERROR)
                return True
            # The form stays, with the reviewer's note, to approve what waits now once
            # they have read it.
            approve_form.add_error(None, f"{refused} Read what is waiting now, below, then "
                                   "approve again.")  # fmt: skip
            return False
        if problem:
            approve_form.add_error(None, f"Nothing was published: {problem}")
            return False
        page.refresh_from_db()
        waiting = Publication.objects.waiting().filter(article=page).first()
        if waiting is not None:
            self.message_user(
                request,
                f"Approved, goes live at {moment(waiting.published_at)}. Until then "
                "readers see the live version.",
            )
        elif page.stage() == Stage.SCHEDULED:
            self.message_user(
                request,
                f"Approved, goes live at {moment(page.publish_at)}. Until then "
                "readers cannot see it.",
            )
        else:
            self.message_user(request, "Approved and published: readers see it now.")
        return True

    def queue_view(self, request):
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET", "HEAD"])
        copies = (
            WorkingCopy.objects.filter(state=WorkingCopy.State.SUBMITTED)
            .select_related("article", "submitted_by")
            .order_by("submitted_at")
        )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Waiting for clinical review",
            "copies": copies,
        }
        return TemplateResponse(request, "admin/articles/article/review_queue.html", context)


def reviews_clinically(user):
    """Whether `user`'s approval is a clinical review (see signoff.review_of)."""
    return needs_clinical_approval() and is_clinician(user)


def may_save_and_publish(user):
    """ "Save and publish" approves one's own change: offered only where that is allowed."""
    return may_publish(user) and may_approve_own_changes()

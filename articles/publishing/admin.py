"""Sign-off in the admin: working copies of published articles, the review queue, and the
approve and send-back steps. Mixed into ArticleAdmin."""

from contextlib import contextmanager

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from reversion.models import Version

from articles.models import Article, Publication, Stage, WorkingCopy
from articles.publishing import changes, signoff

NOTE_HELP = "Optional, shown on the page: a short public note such as “Added advice on statins”."


class ApproveForm(forms.Form):
    reviewed = forms.CharField(widget=forms.HiddenInput, max_length=100)
    # A box of its own lines: Enter in it adds a line, never approves.
    note = forms.CharField(
        label="What changed, for readers",
        max_length=200,
        required=False,
        help_text=NOTE_HELP,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    # Said outright: a date box left half filled is sent empty, and must not mean "now".
    when = forms.ChoiceField(
        label="Readers get it",
        choices=[("now", "Now"), ("later", "At the date and time below")],
        initial="now",
        widget=forms.RadioSelect,
    )
    go_live_at = forms.DateTimeField(
        label="Go live at",
        required=False,
        help_text=f"Date and time ({settings.TIME_ZONE} time). Until then readers keep "
        "seeing the live version, if there is one.",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )

    def clean_note(self):
        return " ".join(self.cleaned_data["note"].split())

    def clean_go_live_at(self):
        go_live_at = self.cleaned_data["go_live_at"]
        if go_live_at and go_live_at < timezone.now():
            raise forms.ValidationError("Choose a time in the future, or choose Now.")
        return go_live_at

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("when") == "now":
            cleaned["go_live_at"] = None
        elif not cleaned.get("go_live_at") and "go_live_at" not in self.errors:
            self.add_error("go_live_at", "Enter the whole date and time, or choose Now.")
        return cleaned


class SendBackForm(forms.Form):
    comment = forms.CharField(
        label="What needs changing",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="The editor sees this on the article's page.",
    )


class SignOffAdmin(admin.ModelAdmin):
    """The change page of a published article edits its working copy, never the live rows."""

    def get_queryset(self, request):
        # For the list's "Unpublished changes" column.
        waiting = Publication.objects.waiting().filter(article=OuterRef("pk"))
        return (
            super()
            .get_queryset(request)
            .select_related("working_copy")
            .annotate(goes_live_at=Subquery(waiting.values("published_at")[:1]))
        )

    @admin.display(description="unpublished changes")
    def unpublished_changes(self, article):
        if article.goes_live_at:
            when = timezone.localtime(article.goes_live_at)
            return f"Approved: goes live {when:%d %b %Y, %H:%M}"
        copy = getattr(article, "working_copy", None)
        if copy is None or (copy.revision_id is None and copy.state == WorkingCopy.State.EDITING):
            return "—"
        return copy.get_state_display()

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("review-queue/", wrap(self.queue_view), name="articles_article_queue"),
            path("<path:object_id>/sign-off/", wrap(self.sign_off_view),
                 name="articles_article_signoff"),
            *super().get_urls(),
        ]  # fmt: skip

    @contextmanager
    def working_copy_applied(self, article):
        """The article's rows hold its working copy inside this block, and are rolled back
        after it: what is read or rendered inside sees the copy, readers never do."""
        with transaction.atomic():
            try:
                yield signoff.apply_working_copy(article)
            finally:
                transaction.set_rollback(True)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # Around VersionAdmin's change_view, so that its revision of a save is complete
        # before a working copy is taken from it.
        article = Article.objects.filter(pk=_pk(object_id)).first()
        context = {**(extra_context or {})}
        if article is not None:
            context["sign_off"] = self.sign_off_context(request, article)
        show_form = lambda: super(SignOffAdmin, self).change_view(  # noqa: E731
            request, object_id, form_url, context
        )
        if article is not None and signoff.keeps_live_version(article):
            try:
                return self.edit_working_copy(request, article, show_form)
            except signoff.CopyConflict as conflict:
                self.message_user(request, conflict_message(conflict), messages.ERROR)
                return redirect("admin:articles_article_signoff", article.pk)
        response = show_form()
        self.after_draft_save(request, response)
        return response

    def add_view(self, request, form_url="", extra_context=None):
        context = {
            **(extra_context or {}),
            "sign_off": {"may_publish": signoff.may_publish(request.user)},
        }
        response = super().add_view(request, form_url, context)
        self.after_draft_save(request, response)
        return response

    def after_draft_save(self, request, response):
        """A new article or a draft: its rows are its working copy."""
        saved = getattr(request, "saved_article", None)
        if saved is None or not _saved(request, response):
            return
        if signoff.keeps_live_version(saved):
            # Published from its form, which only those who may publish can do.
            signoff.record_publication(saved, request.user, _note(request), saved_revision=True)
        elif "_publish" in request.POST and signoff.may_publish(request.user):
            signoff.publish(saved, request.user, _note(request))
            self.message_user(request, "Published: readers now see it.")
        else:
            signoff.note_draft_edit(saved, request.user)
            if "_submit" in request.POST:
                signoff.submit(saved, request.user)
                self.message_user(request, "Submitted for clinical review.")

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        request.saved_article = form.instance

    def edit_working_copy(self, request, live, show_form, restoring=False):
        """Run the admin's change form (or a restore) on the working copy of a published
        article. A save by someone who may publish, with "Save and publish", goes to
        readers; any other save becomes the working copy, and readers see no change."""
        publishing = "_publish" in request.POST and signoff.may_publish(request.user)
        captured = None
        with transaction.atomic():
            live = Article.objects.select_for_update().get(pk=live.pk)
            # The write path compares with what readers had, not with the working copy.
            request.article_before = changes.Before.of(live.pk, restoring=restoring)
            # An inner block that is rolled back, unless publishing: an atomic block rather
            # than a bare savepoint, so that what the save queued for after commit (the
            # page cache's tags) goes with it.
            with transaction.atomic():
                if not restoring:
                    signoff.apply_working_copy(live)
                applied_token = _token(live)
                response = show_form()
                if hasattr(response, "render"):
                    response.render()  # while the working copy is in the rows
                saved = (
                    request.method == "POST"
                    and response.status_code == 302
                    and _token(live) not in (live.edit_token, applied_token)
                )
                if saved and publishing:
                    signoff.record_publication(
                        live, request.user, _note(request), saved_revision=True
                    )
                    self.message_user(request, "Published: readers now see this version.")
                    return response
                if saved:
                    captured = signoff.CapturedRevision.newest(live)
                transaction.set_rollback(True)
            if captured:
                signoff.keep_as_working_copy(live, captured, request.user)
                if "_submit" in request.POST:
                    signoff.submit(live, request.user)
                    next_step = "They are now waiting for clinical review."
                elif signoff.may_publish(request.user):
                    next_step = "Publish them when they are ready."
                else:
                    next_step = "Submit them for clinical review when they are ready."
                self.message_user(
                    request,
                    "Saved as unpublished changes: readers still see the live version. "
                    + next_step,
                    messages.INFO,
                )
        return response

    def revision_view(self, request, object_id, version_id, extra_context=None):
        # Restoring an old revision of a published article makes a working copy, which
        # goes through sign-off like any other change.
        live = Article.objects.filter(pk=_pk(object_id)).first()
        run = super().revision_view
        if live is not None:
            # Says what saving this version does to the changes waiting now.
            # (As on the sign-off page: the form below is the old version, not the copy.)
            extra_context = {
                **(extra_context or {}),
                "sign_off": self.sign_off_context(request, live, on_sign_off_page=True),
            }
        if live is None or not signoff.keeps_live_version(live):
            return run(request, object_id, version_id, extra_context)
        return self.edit_working_copy(
            request, live, lambda: run(request, object_id, version_id, extra_context), True
        )

    def sign_off_context(self, request, article, on_sign_off_page=False):
        copy = signoff.working_copy(article)
        live_publication = Publication.objects.gone_live().filter(article=article).first()
        waiting = Publication.objects.waiting().filter(article=article).first()
        is_published = signoff.keeps_live_version(article)
        has_changes = bool(copy and copy.revision_id)
        submitted = bool(copy and copy.state == WorkingCopy.State.SUBMITTED)
        may_publish = signoff.may_publish(request.user)
        # Something to give readers: a working copy, or a draft.
        to_publish = has_changes or not is_published
        return {
            "article": article,
            "stage": article.stage(),
            "is_published": is_published,
            "copy": copy,
            "has_changes": has_changes,
            "submitted": submitted,
            "live_publication": live_publication,
            "waiting": waiting,
            "may_publish": may_publish,
            # A reviewer approves what was submitted, or what they changed themselves.
            "may_approve": may_publish
            and to_publish
            and (submitted or (copy is not None and copy.updated_by_id == request.user.pk)),
            "may_submit": not may_publish and to_publish and not submitted,
            "needs_clinical_approval": signoff.needs_clinical_approval(),
            "compare_url": compare_url(article, live_publication, copy),
            "on_sign_off_page": on_sign_off_page,
        }

    def sign_off_view(self, request, object_id):
        article = self.article_or_404(request, object_id)
        if not self.has_change_permission(request, article):
            raise PermissionDenied
        approve_form = ApproveForm(
            request.POST if "_approve" in request.POST else None,
            initial={"reviewed": signoff.review_marker(article)},
        )
        send_back_form = SendBackForm(request.POST if "_send_back" in request.POST else None)
        if request.method == "POST":
            with transaction.atomic():
                done = self.sign_off_step(request, article, approve_form, send_back_form)
            if done:
                return redirect("admin:articles_article_signoff", article.pk)
        sign_off = self.sign_off_context(request, article, on_sign_off_page=True)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": f"Sign-off: {article}",
            "content_checks": self.checks_before_publishing(article, sign_off),
            "sign_off": sign_off,
            "approve_form": approve_form,
            "send_back_form": send_back_form,
            "history": Version.objects.get_for_object(article).select_related("revision__user")[
                :20
            ],
        }
        return TemplateResponse(request, "admin/articles/article/sign_off.html", context)

    def content_problems(self, article):
        """What the editing checks find in the article's rows (the admin that edits the
        content supplies them: this layer knows nothing of them)."""
        return []

    def checks_before_publishing(self, article, sign_off):
        if not (sign_off["has_changes"] or not sign_off["is_published"]):
            return []
        try:
            with self.working_copy_applied(article):
                return self.content_problems(article)
        except signoff.CopyConflict:
            return []  # the page says so in its status

    def sign_off_step(self, request, article, approve_form, send_back_form):
        state = self.sign_off_context(request, article)
        if "_discard" in request.POST:
            if not state["has_changes"]:
                self.message_user(request, "There are no unpublished changes.", messages.ERROR)
                return True
            signoff.discard(article, request.user)
            self.message_user(request, "The unpublished changes were discarded.")
            return True
        if "_submit" in request.POST:
            if not state["may_submit"]:
                self.message_user(request, "There is nothing to submit.", messages.ERROR)
                return True
            signoff.submit(article, request.user)
            self.message_user(request, "Submitted for clinical review.")
            return True
        if not signoff.may_publish(request.user):
            raise PermissionDenied
        if "_approve" in request.POST and approve_form.is_valid():
            reviewed = approve_form.cleaned_data["reviewed"]
            if reviewed == "nothing" or not state["may_approve"]:
                self.message_user(
                    request,
                    "Nothing was published: there are no submitted changes to approve.",
                    messages.ERROR,
                )
                return True
            go_live_at = approve_form.cleaned_data.get("go_live_at")
            try:
                publication = signoff.publish(
                    article, request.user, approve_form.cleaned_data["note"], go_live_at, reviewed
                )
            except signoff.CopyConflict as conflict:
                self.message_user(request, conflict_message(conflict), messages.ERROR)
                return True
            except ValueError as problem:
                approve_form.add_error("go_live_at", str(problem))
                return False
            except signoff.ChangedSinceReview:
                refused = (
                    "Nothing was published: the changes were edited or published after you "
                    "opened this page."
                )
                if not self.sign_off_context(request, article)["may_approve"]:
                    self.message_user(request, refused, messages.ERROR)
                    return True
                # The form stays, with the reviewer's note, to approve what waits now once
                # they have looked at it.
                approve_form.data = approve_form.data.copy()
                approve_form.data["reviewed"] = signoff.review_marker(article)
                approve_form.add_error(
                    None, f"{refused} Preview and compare what is waiting now, then approve again."
                )
                return False
            article.refresh_from_db()
            if publication.went_live_at is None:
                when = timezone.localtime(publication.published_at)
                self.message_user(
                    request,
                    f"Approved: the changes go live at {when:%H:%M on %d %B %Y}. Until then "
                    "readers see the live version.",
                )
            elif article.stage() == Stage.SCHEDULED:
                when = timezone.localtime(article.publish_at)
                self.message_user(request, f"Approved: it goes live at {when:%H:%M on %d %B %Y}.")
            else:
                self.message_user(request, "Approved and published: readers see it now.")
            return True
        if "_cancel_scheduled" in request.POST:
            if signoff.cancel_scheduled(article, request.user):
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
            signoff.send_back(article, request.user, send_back_form.cleaned_data["comment"])
            self.message_user(request, "Sent back to the editor with your comments.")
            return True
        return False

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


def conflict_message(conflict):
    return (
        "The unpublished changes can no longer be applied to this article "
        f"({conflict}). Discard them on this page, then make the changes again."
    )


def compare_url(article, live_publication, copy):
    """The history's word-by-word comparison of the live version with the working copy."""
    if not (live_publication and live_publication.revision_id and copy and copy.revision_id):
        return None
    versions = Version.objects.get_for_object(article)
    live = versions.filter(revision_id=live_publication.revision_id).first()
    working = versions.filter(revision_id=copy.revision_id).first()
    if not (live and working):
        return None
    url = reverse("admin:articles_article_compare", args=[article.pk])
    return f"{url}?version_id1={live.pk}&version_id2={working.pk}"


def _pk(object_id):
    value = unquote(str(object_id))
    return int(value) if value.isascii() and value.isdigit() else None


def _token(article):
    """The edit token in the rows now: only a saved form gives the article a new one."""
    return Article.objects.filter(pk=article.pk).values_list("edit_token", flat=True).first()


def _saved(request, response):
    return request.method == "POST" and response.status_code == 302


def _note(request):
    return request.POST.get("publication_note", "").strip()[:200]

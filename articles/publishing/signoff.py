"""Sign-off: an article's changes wait in its draft until someone who may publish approves
exactly the version they were shown; every step is kept in the article's history.

The steps: an editor saves the draft (record_edit) and submits it; a reviewer sends it
back, or approves it to go live now or at a set time; anyone may discard it. Approving
ends in the one publish step (articles.publishing.publish.go_live).
"""

import copy as copying

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from articles.accounts.roles import (
    is_clinician,
    may_approve_own_changes,
    may_publish,
    needs_clinical_approval,
)
from articles.models import Article, Publication, Stage, WorkingCopy
from articles.publishing import changes
from articles.publishing.drafts import Snapshot, record_version, reset_draft
from articles.publishing.publish import go_live, lock
from articles.times import moment


class ChangedSinceReview(Exception):
    """The draft changed (or was published) after the reviewer was shown it."""


class OwnChanges(Exception):
    """The approver made some of these changes, and the site asks for a second person."""


def working_copy(page):
    return WorkingCopy.objects.filter(article=page).first()


def draft_of(page):
    return Article.rows.filter(draft_of=page).first()


def has_changes(page):
    """Whether the draft holds changes someone saved (a draft is also made, unchanged, as
    soon as the change page opens)."""
    return WorkingCopy.objects.filter(article=page).exists()


def made_changes(user, copy):
    return copy is not None and copy.edited_by.filter(pk=user.pk).exists()


def may_approve(user, copy):
    """Whether `user` may approve the changes `copy` tracks: someone who may publish, and,
    unless the site allows it, not one of the people who made them."""
    if copy is None or not may_publish(user):
        return False
    return may_approve_own_changes() or not made_changes(user, copy)


def record_edit(page, draft, user, comment=""):
    """An editor saved the draft: its changes are being edited again (out of the review
    queue, and no longer what was approved), and the history keeps the version."""
    copy, _ = WorkingCopy.objects.update_or_create(
        article=page,
        defaults={
            "state": WorkingCopy.State.EDITING,
            "updated_at": timezone.now(),
            "updated_by": user,
        },
    )
    copy.edited_by.add(user)
    record_version(page, user, comment or "Saved as unpublished changes", source=draft)
    return copy


def submit(page, user):
    copy = WorkingCopy.objects.select_for_update().get(article=page)
    copy.state = WorkingCopy.State.SUBMITTED
    copy.submitted_at = timezone.now()
    copy.submitted_by = user
    copy.review_comment = ""
    copy.save()
    record_version(page, user, "Submitted for clinical review", source=draft_of(page))
    return copy


def send_back(page, user, comment):
    copy = WorkingCopy.objects.select_for_update().get(article=page)
    copy.state = WorkingCopy.State.SENT_BACK
    copy.review_comment = comment
    copy.sent_back_by = user
    copy.sent_back_at = timezone.now()
    copy.save()
    record_version(page, user, f"Sent back: {comment}", source=draft_of(page))
    return copy


def review_marker(page):
    """What a reviewer is shown, and so approves: the draft's edit token, renewed by every
    save of it. The sign-off page carries it, and approve() refuses anything else."""
    draft = draft_of(page)
    if draft is None or not has_changes(page):
        return "nothing"
    return f"draft:{draft.edit_token}"


def approve(page, user, reviewed, note="", go_live_at=None, reviewer_role=""):
    """Give readers the draft the reviewer was shown (`reviewed`, a review_marker), now or
    at `go_live_at`; the approval is recorded as a review. Raises ChangedSinceReview if
    the draft is not that version any more, OwnChanges if the approver may not approve it."""
    with transaction.atomic():
        page = lock(page)
        draft = Article.rows.select_for_update().filter(draft_of=page).first()
        copy = working_copy(page)
        if draft is None or copy is None or reviewed != f"draft:{draft.edit_token}":
            raise ChangedSinceReview
        if not may_approve(user, copy):
            raise OwnChanges
        publication = Publication(
            article=page,
            published_by=user,
            note=note,
            approved_token=draft.edit_token,
            **review_of(user, reviewer_role),
        )
        # A newer approval replaces a change that was waiting for its time.
        if Publication.objects.waiting().filter(article=page).delete()[0]:
            changes.schedule_changed(page)
        if page.status == Article.Status.PUBLISHED and go_live_at and go_live_at > timezone.now():
            return _schedule(page, draft, copy, publication, go_live_at)
        return go_live(page, publication, Snapshot.of_rows(draft), go_live_at)


def review_of(user, reviewer_role):
    """The review an approval by `user` is: clinical from a clinician under the clinical
    policy, editorial otherwise."""
    if needs_clinical_approval() and is_clinician(user):
        return {"review_kind": Publication.ReviewKind.CLINICAL, "reviewer_role": reviewer_role}
    return {"review_kind": Publication.ReviewKind.EDITORIAL, "reviewer_role": reviewer_role}


def _schedule(page, draft, copy, publication, go_live_at):
    """Approve the draft of a live article to go live at `go_live_at`: the approved version
    is kept in the history, and readers keep the live version until that time comes
    (articles.publishing.schedule)."""
    comment = f"Approved, goes live at {moment(go_live_at)}"
    publication.revision = record_version(page, publication.published_by, comment, source=draft)
    publication.published_at = go_live_at
    publication.went_live_at = None
    publication.save()
    copy.state = WorkingCopy.State.SCHEDULED
    copy.review_comment = ""
    copy.save()
    # Pages that show the article were stored to last past that time: store them afresh,
    # to expire when it comes.
    changes.schedule_changed(page)
    return publication


def cancel_scheduled(page, user):
    """Keep the live version: the approved change goes back to waiting for review."""
    if not Publication.objects.waiting().filter(article=page).delete()[0]:
        return False
    WorkingCopy.objects.filter(article=page, state=WorkingCopy.State.SCHEDULED).update(
        state=WorkingCopy.State.SUBMITTED
    )
    record_version(page, user, "Scheduled change cancelled")
    changes.schedule_changed(page)
    return True


def discard(page, user):
    """Drop the draft's changes and, for someone who may publish, any approved change
    waiting for its time (an editor cannot undo a reviewer's approval): readers keep the
    live version. The versions stay in the history."""
    record_version(page, user, "Unpublished changes discarded")
    WorkingCopy.objects.filter(article=page).delete()
    waiting = Publication.objects.waiting().filter(article=page)
    if may_publish(user) and waiting.delete()[0]:
        changes.schedule_changed(page)
    reset_draft(page)


def as_it_reads_now(versions, now=None):
    """`versions` of a page's history, each revision as the history shows it at `now`: a
    new article approved to go live later is recorded as "Published" when approved (the
    one publish step, go_live, writes its page then; nothing runs at its time), so until
    its publication's time comes it reads "Approved, goes live at …", and after it
    "Published at …". The others are unchanged; nothing is saved."""
    now = now or timezone.now()
    versions = list(versions)
    goes_live = dict(
        Publication.objects.gone_live()
        .filter(
            revision__in=[version.revision_id for version in versions],
            published_at__gt=F("approved_at"),
        )
        .values_list("revision_id", "published_at")
    )
    for version in versions:
        when, comment = goes_live.get(version.revision_id), version.revision.comment
        if when is None or not comment.startswith("Published"):
            continue
        said = "Approved, goes live at" if when > now else "Published at"
        version.revision = copying.copy(version.revision)
        version.revision.comment = f"{said} {moment(when)}{comment.removeprefix('Published')}"
    return versions


def preview_banner(page, now=None):
    """What the admin's preview of `page` (its changes, if there are any) says above it."""
    stage = page.stage(now)
    copy = working_copy(page)
    if copy is not None and copy.state == WorkingCopy.State.SCHEDULED:
        waiting = Publication.objects.waiting().filter(article=page).first()
        if waiting is not None:
            return (
                f"Preview of changes approved to go live at {moment(waiting.published_at)}. "
                "Readers still see the live version until then."
            )
    if stage == Stage.SCHEDULED:
        when = moment(page.publish_at)
        if copy is not None:
            return (
                "Preview of changes not yet approved. Readers get the approved version at "
                f"{when}, without these changes."
            )
        return f"Preview. Approved, goes live at {when}: readers cannot see it until then."
    if stage == Stage.LIVE:
        if copy is not None:
            return "Preview of changes not yet approved. Readers still see the live version."
        return "Preview of the live version: this is what readers see."
    if stage == Stage.TAKEN_DOWN:
        return "Preview. Readers cannot see this article: it was taken down."
    return "Preview. Readers cannot see this article yet."

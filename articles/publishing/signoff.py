"""Sign-off: a published article's changes wait as a working copy until someone who may
publish approves them; every publication is recorded.

The working copy of a published article is a django-reversion revision. The admin's change
page applies it to the rows inside a transaction that it then rolls back, so editors work
on their copy with the admin they know while readers keep the live rows.
"""

import uuid

import reversion
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from reversion.errors import RevertError
from reversion.models import Revision, Version

from articles.models import PART_MODELS, Article, Publication, WorkingCopy
from articles.publishing import changes
from articles.querysets import MAX_POSITION


def needs_clinical_approval():
    return settings.SIGN_OFF_POLICY == "clinical"


def may_publish(user):
    """Whether `user` may give readers a change: approve, publish or schedule it."""
    if user.has_perm("articles.publish_article"):
        return True
    return not needs_clinical_approval() and user.has_perm("articles.change_article")


def keeps_live_version(article):
    """A published article's rows are what readers get: edits wait as a working copy."""
    return article.status == Article.Status.PUBLISHED


def working_copy(article):
    return WorkingCopy.objects.filter(article=article).select_related("revision").first()


class CopyConflict(Exception):
    """The working copy can no longer be written over the live rows (say, its address has
    since been taken by another article). It can be discarded from the sign-off page."""


def apply_working_copy(article):
    """Write the working copy's revision over the article's rows. Callers roll this back
    (to show or edit the copy) or keep it (to publish the copy)."""
    copy = working_copy(article)
    if copy is None or copy.revision is None:
        return copy
    apply_revision(article, copy.revision)
    return copy


def apply_revision(article, revision):
    """Write a revision of the article, with its parts, over its rows."""
    # Parts are written back one row at a time: park today's rows so no two share a place.
    for part in PART_MODELS:
        part.objects.filter(article_id=article.pk).park()
    try:
        with transaction.atomic():
            revision.revert(delete=True)
            # Foreign keys are checked at commit: a link to an article deleted since would
            # fail the whole transaction there, not here. (Parts point at the article
            # itself, which exists; the links are the table that can go wrong.)
            connection.check_constraints([Article.related_articles.through._meta.db_table])
    except (RevertError, IntegrityError) as error:
        raise CopyConflict(str(error)) from error


def discard(article, user):
    """Drop the working copy, and, for someone who may publish, any approved change
    waiting for its time (an editor cannot undo a reviewer's approval): readers keep the
    live version. The revisions stay in the history."""
    WorkingCopy.objects.filter(article=article).delete()
    waiting = Publication.objects.waiting().filter(article=article)
    if may_publish(user) and waiting.delete()[0]:
        changes.schedule_changed(article)
    record_event(article, user, "Unpublished changes discarded")


class CapturedRevision:
    """The newest revision of an article, read into memory so it outlives a rollback."""

    def __init__(self, revision, log_entries=()):
        self.revision = {
            "date_created": revision.date_created,
            "user_id": revision.user_id,
            "comment": revision.comment,
        }
        self.versions = list(
            revision.version_set.values(
                "object_id", "content_type_id", "db", "format", "serialized_data", "object_repr"
            )
        )
        self.log_entries = list(log_entries)

    @classmethod
    def newest(cls, article):
        """The article's newest revision, with the admin's log of that save."""
        revision = Version.objects.get_for_object(article).select_related("revision")[0].revision
        log = LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Article),
            object_id=str(article.pk),
            action_time__gte=revision.date_created,
        ).values(
            "action_time", "user_id", "content_type_id", "object_id", "object_repr",
            "action_flag", "change_message",
        )  # fmt: skip
        return cls(revision, log)

    def reserve_new_ids(self):
        """Parts first added in the copy got their ids from inserts that were rolled back,
        and a database may hand those ids out again (SQLite does): publishing the copy
        would then overwrite another article's part. Writing each such row once and
        deleting it keeps its id taken, on any database."""
        for version in self.versions:
            for stored in serializers.deserialize("json", version["serialized_data"]):
                model = type(stored.object)
                if model is Article or model.objects.filter(pk=stored.object.pk).exists():
                    continue
                placeholder = stored.object
                if hasattr(placeholder, "position"):  # clear of every real position
                    placeholder.position = MAX_POSITION * 2 + placeholder.pk % MAX_POSITION
                placeholder.save(force_insert=True)
                model.objects.filter(pk=placeholder.pk).delete()

    def save(self):
        revision = Revision.objects.create(**self.revision)
        Version.objects.bulk_create(
            Version(revision=revision, **version) for version in self.versions
        )
        LogEntry.objects.bulk_create(LogEntry(**entry) for entry in self.log_entries)
        return revision


def keep_as_working_copy(article, captured, user):
    """Store what an editor saved as the article's working copy; readers see no change.
    Editing a submitted copy takes it back out of the review queue."""
    captured.reserve_new_ids()
    revision = captured.save()
    WorkingCopy.objects.update_or_create(
        article=article,
        defaults={
            "revision": revision,
            "state": WorkingCopy.State.EDITING,
            "updated_at": timezone.now(),
            "updated_by": user,
        },
    )


def note_draft_edit(article, user):
    """A draft's rows are its working copy: an edit takes it back out of the review queue."""
    WorkingCopy.objects.filter(article=article).update(
        state=WorkingCopy.State.EDITING, updated_at=timezone.now(), updated_by=user
    )


def submit(article, user):
    copy, _ = WorkingCopy.objects.get_or_create(article=article)
    copy.state = WorkingCopy.State.SUBMITTED
    copy.submitted_at = timezone.now()
    copy.submitted_by = user
    copy.review_comment = ""
    copy.save()
    _record_working_copy(copy, user, "Submitted for clinical review")
    return copy


def send_back(article, user, comment):
    copy = WorkingCopy.objects.select_for_update().get(article=article)
    copy.state = WorkingCopy.State.SENT_BACK
    copy.review_comment = comment
    copy.sent_back_by = user
    copy.sent_back_at = timezone.now()
    copy.save()
    _record_working_copy(copy, user, f"Sent back: {comment}")
    return copy


class ChangedSinceReview(Exception):
    """The working copy changed (or was published) after the reviewer opened it."""


def review_marker(article):
    """What a reviewer approves: the working copy's revision, or a draft's edit token.
    The sign-off page carries it, and publish() refuses anything else."""
    copy = working_copy(article)
    if copy is not None and copy.revision_id:
        return f"revision:{copy.revision_id}"
    if keeps_live_version(article):
        return "nothing"  # published, with no changes waiting
    return f"draft:{article.edit_token}"


def _claim(article, reviewed):
    """Take what the reviewer saw for publishing, by a write that only matches while it is
    unchanged: a second approval, or one after an edit, then matches nothing. (A write,
    not a read, so that SQLite, which has no row locks, is as safe as PostgreSQL.)"""
    kind, _, value = reviewed.partition(":")
    if kind == "revision" and value.isascii() and value.isdigit():
        waiting = WorkingCopy.objects.filter(article=article, revision_id=int(value))
        return waiting.update(updated_at=timezone.now()) == 1
    if kind == "draft":
        draft = Article.objects.filter(
            pk=article.pk, status=Article.Status.DRAFT, edit_token=value
        )
        return draft.update(edit_token=uuid.uuid4()) == 1
    return False


def publish(article, user, note="", go_live_at=None, reviewed=None):
    """Give readers the article's working copy (or, for a draft, its rows), now or at
    `go_live_at`. Records the publication. A live article keeps its live version until
    then; a draft goes live by its go-live time.

    With `reviewed` (a review_marker), refuses with ChangedSinceReview unless that is still
    what waits: two approvals, or an approval and an edit, never publish unseen changes.
    """
    with transaction.atomic():
        article = Article.objects.select_for_update().get(pk=article.pk)
        if reviewed is not None and not _claim(article, reviewed):
            raise ChangedSinceReview
        if keeps_live_version(article) and go_live_at and go_live_at > timezone.now():
            return _schedule(article, user, note, go_live_at)
        before = changes.Before.of(article.pk)
        if keeps_live_version(article):
            # A published article: its working copy, with its own status and dates (a copy
            # may take the article down, or keep its go-live time), becomes the version.
            apply_working_copy(article)
            article.refresh_from_db()
        else:
            # A draft: its rows are the copy; it goes live now or at the chosen time.
            article.status = Article.Status.PUBLISHED
            article.publish_at = changes.go_live_time(article.status, go_live_at)
            if article.unpublish_at and article.unpublish_at <= article.publish_at:
                raise ValueError("Its take-down time comes before it would go live.")
            article.save(update_fields=["status", "publish_at", "updated_at"])
        publication = record_publication(article, user, note)
        changes.article_changed(article, before, content_changed=True)
    return publication


def record_publication(article, user, note="", saved_revision=False):
    """Record that readers now get the article as it stands in the rows; its working copy
    has become the live version. After a save from the admin, its revision is the one
    published (`saved_revision`); otherwise a revision is recorded here."""
    if saved_revision:
        revision = Version.objects.get_for_object(article).first().revision
    else:
        revision = record_event(article, user, f"Published{': ' + note if note else ''}")
    WorkingCopy.objects.filter(article=article).delete()
    # A newer approval replaces a change that was waiting for its time.
    if Publication.objects.waiting().filter(article=article).delete()[0]:
        changes.schedule_changed(article)
    publication = Publication.objects.create(
        article=article, revision=revision, published_by=user, note=note
    )
    changes.refresh_change_notes(article)
    return publication


def _schedule(article, user, note, go_live_at):
    """Approve the working copy of a live article to go live at `go_live_at`: readers keep
    the live version until the first request after that time puts this one live
    (articles.publishing.schedule). The copy stays, marked approved; an edit to it after
    this is not part of what was approved."""
    copy = working_copy(article)
    when = timezone.localtime(go_live_at)
    copy.state = WorkingCopy.State.SCHEDULED
    copy.review_comment = ""
    copy.save()
    _record_working_copy(copy, user, f"Approved to go live at {when:%H:%M on %d %B %Y}")
    Publication.objects.waiting().filter(article=article).delete()
    publication = Publication.objects.create(
        article=article,
        revision=copy.revision,
        published_at=go_live_at,
        went_live_at=None,
        published_by=user,
        note=note,
    )
    # Pages that show the article were stored to last past that time: store them afresh,
    # to expire when it comes.
    changes.schedule_changed(article)
    return publication


def cancel_scheduled(article, user):
    """Keep the live version: the approved change goes back to waiting for review."""
    if not Publication.objects.waiting().filter(article=article).delete()[0]:
        return False
    WorkingCopy.objects.filter(article=article, state=WorkingCopy.State.SCHEDULED).update(
        state=WorkingCopy.State.SUBMITTED
    )
    record_event(article, user, "Scheduled change cancelled")
    changes.schedule_changed(article)
    return True


def record_scheduled_publication(article, publication):
    """The history's entry for an approved change that went live at its time."""
    note = f": {publication.note}" if publication.note else ""
    record_event(article, publication.published_by, f"Went live as approved{note}")


def record_launch(article, revision):
    """The launch content, loaded by the seed: published by nobody in particular."""
    return Publication.objects.create(article=article, revision=revision)


def record_event(article, user, comment):
    """A revision of the article as it now stands in the database, for its history."""
    with reversion.create_revision():
        reversion.add_to_revision(article)  # with its parts: the admin registers them to follow
        if user is not None:
            reversion.set_user(user)
        reversion.set_comment(comment)
    return Version.objects.get_for_object(article).first().revision


def _record_working_copy(copy, user, comment):
    """A step of sign-off in the article's history, as a revision holding the working copy:
    a copy of its revision for a published article, the rows for a draft."""
    if copy.revision is None:
        record_event(copy.article, user, comment)
        return
    step = CapturedRevision(copy.revision)
    step.revision = {"date_created": timezone.now(), "user_id": user.pk, "comment": comment}
    revision = step.save()
    copy.revision = revision
    copy.save(update_fields=["revision"])

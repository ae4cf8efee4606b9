"""The one step that gives readers a version of an article.

Approving now, a scheduled change going live, "Save and publish" and the launch seed all
end here, and nothing else writes a page's rows (a restore or a recovery from the history
only fills the draft, which then needs approving). It copies the version onto the page,
records the publication and the review that approving it was, and runs the write path
(addresses, search, page cache).
"""

from django.db import transaction
from django.utils import timezone

from articles.models import Article, Publication, Review, WorkingCopy
from articles.publishing import changes
from articles.publishing.drafts import copy_into, record_version, reset_draft


class CannotGoLive(Exception):
    """The version would break a rule pages keep; its message says which, to an editor."""


def _refusal(page, version, go_live_at):
    """Why `version` cannot become `page` now, if it cannot (the database would refuse the
    first two; these say so in words)."""
    # Addresses and the home page's box are each language's own.
    others = Article.objects.exclude(pk=page.pk).filter(language=page.language)
    taken = others.filter(slug=version.slug).first()
    if taken is not None:
        return f"{taken.get_absolute_url()} is the address of “{taken}”"
    if version.is_home_help and others.filter(is_home_help=True).exists():
        return "another article already shows its box on the home page"
    if page.status != Article.Status.PUBLISHED:
        starts = go_live_at or timezone.now()
        if version.unpublish_at and version.unpublish_at <= starts:
            return "its take-down time comes before it would go live"
    return None


def lock(page):
    """The page's row, locked until the transaction ends: every writer of an article takes
    this lock first, so two publications or an approval and an edit cannot interleave."""
    return Article.objects.select_for_update().get(pk=page.pk)


def go_live(page, publication, snapshot=None, go_live_at=None, revision=None):
    """Give readers `snapshot` (or, without one, the page's rows as they stand, for the
    seed) as `page`, recording `publication` (its approver, note and review; saved here)
    with `revision`, or a new one, as the version readers got.

    A published page takes the version's own status and dates, so a version may take it
    down; a page readers cannot see goes live now, or at `go_live_at`. Runs inside the
    caller's transaction, which holds lock(page). The publication comes back with
    `addresses`, what the write path did to addresses (changes.Outcome).
    """
    before = changes.Before.of(page.pk)
    if snapshot is not None:
        refusal = _refusal(page, snapshot.article, go_live_at)
        if refusal:
            raise CannotGoLive(refusal)
        dates = {}
        if page.status != Article.Status.PUBLISHED:
            publish_at = go_live_at or timezone.now().replace(microsecond=0)
            dates = {"status": Article.Status.PUBLISHED, "publish_at": publish_at}
            # Readers get a new page at its go-live time, not at the approval.
            publication.published_at = max(publish_at, publication.approved_at)
        with transaction.atomic():
            copy_into(page, snapshot, **dates)
    now = timezone.now()
    note = f": {publication.note}" if publication.note else ""
    scheduled = publication.went_live_at is None and publication.pk is not None
    comment = "Went live as approved" if scheduled else "Published"
    publication.revision = revision or record_version(
        page, publication.published_by, comment + note
    )
    publication.went_live_at = now
    publication.save()
    if publication.review_kind:
        user = publication.published_by
        Review.objects.create(
            article=page,
            reviewed_on=timezone.localdate(publication.approved_at),
            kind=publication.review_kind,
            reviewer_name=(user.get_full_name() or user.get_username()) if user else "",
            reviewer_role=publication.reviewer_role,
            reviewer=user,
            note="Approved this version for readers.",
        )
    _finish_draft(page, publication)
    # The seed's launch leaves the fixtures' dates: nothing readers see changed.
    changed = snapshot is not None or bool(publication.review_kind)
    publication.addresses = changes.article_changed(page, before, content_changed=changed)
    return publication


def _finish_draft(page, publication):
    """The draft holds no changes once what it holds is live: when it is the version
    approved, or was never changed. A draft edited after the approval keeps its changes."""
    draft = Article.rows.filter(draft_of=page).first()
    if draft is None:
        return
    changed_since = WorkingCopy.objects.filter(article=page).exists() and (
        draft.edit_token != publication.approved_token
    )
    if not changed_since:
        WorkingCopy.objects.filter(article=page).delete()
        reset_draft(page)


def record_launch(page, revision=None, note=""):
    """The launch content, loaded by the seed: published by nobody in particular, as
    `revision` if the seed recorded one, with `note` for readers if any."""
    with transaction.atomic():
        return go_live(lock(page), Publication(article=page, note=note), revision=revision)

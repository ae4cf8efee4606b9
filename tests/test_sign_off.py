"""Sign-off: readers keep the live version while editors change its draft, and only
someone who may publish gives readers a change. Through the real admin, as each role."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Publication, Section, WorkingCopy
from articles.search import search
from tests.accounts import member_of, signed_in
from tests.admin_forms import (
    add_row,
    approve,
    article_versions,
    change_form_data,
    change_url,
    inline_prefix,
    save_through_admin,
    sign_off_url,
    unrendered,
)
from tests.constants import SEED_SLUG
from tests.factories import ArticleFactory
from tests.transactions import (
    held_at_save,
    run_in_thread,
    wait_until_another_transaction_waits_for_a_lock,
)

pytestmark = pytest.mark.django_db

NEW_TEXT = "Wombats stretch their calves slowly."
# Discard, as confirmed on the page its button leads to.
DISCARD = {"_discard": "1", "confirm": "yes"}


def edit(client, article, publish=False, **extra):
    """Save the article's first section with NEW_TEXT, as the role's "Save" button does."""
    page = unrendered(client, change_url(article))
    data = change_form_data(page, publish=publish)
    data[f"{inline_prefix(page, Section)}-0-body"] = NEW_TEXT
    data.update(extra)
    return client.post(change_url(article), data)


def reader_page(client, article):
    return client.get(f"/articles/{article.slug}/").content.decode()


def test_an_editors_save_keeps_readers_on_the_live_version(client, editor, seed_article):
    assert edit(editor, seed_article).status_code == 302

    # Readers: page, bedside card and search all still give the live version.
    assert NEW_TEXT not in reader_page(client, seed_article)
    assert not search("wombats")
    assert NEW_TEXT not in seed_article.sections.values_list("body", flat=True)
    # Editors: the change page and the preview show the unpublished changes, and say so.
    page = editor.get(change_url(seed_article)).content.decode()
    assert NEW_TEXT in page and "Unpublished changes" in page
    preview = reverse("admin:articles_article_preview", args=[seed_article.pk])
    assert NEW_TEXT in editor.get(preview).content.decode()
    # The same save again carries on from the copy, not from the live version.
    assert edit(editor, seed_article).status_code == 302
    assert WorkingCopy.objects.get(article=seed_article).state == WorkingCopy.State.EDITING


def test_the_sign_off_page_shows_the_changes_word_by_word(editor, clinical_reviewer, seed_article):
    edit(editor, seed_article)

    page = editor.get(change_url(seed_article)).content.decode()
    assert f'{sign_off_url(seed_article)}#changes"' in page
    sign_off = clinical_reviewer.get(sign_off_url(seed_article)).content.decode()
    changes = sign_off[sign_off.index('id="changes"') :]

    assert "<ins>" in changes and "Wombats" in changes


def test_submit_send_back_fix_and_approve(client, editor, clinical_reviewer, seed_article):
    edit(editor, seed_article, _submit="Save and submit for clinical review")
    assert WorkingCopy.objects.get(article=seed_article).state == WorkingCopy.State.SUBMITTED
    queue = clinical_reviewer.get(reverse("admin:articles_article_queue")).content.decode()
    assert seed_article.title in queue

    # Editors cannot approve; reviewers send it back with a comment the editor sees.
    assert approve(editor, seed_article).status_code == 403
    sent_back = clinical_reviewer.post(
        sign_off_url(seed_article), {"_send_back": "1", "comment": "Check the dose wording."}
    )
    assert sent_back.status_code == 302
    page = editor.get(change_url(seed_article)).content.decode()
    assert "Check the dose wording." in page and "Comments from clinical_reviewers" in page
    changes = editor.get(reverse("admin:articles_article_changelist")).content.decode()
    assert "Sent back with comments" in changes
    assert (
        seed_article.title
        not in clinical_reviewer.get(reverse("admin:articles_article_queue")).content.decode()
    )

    # Fixed and submitted again, then approved with a note for readers.
    edit(editor, seed_article, _submit="Save and submit for clinical review")
    assert (
        approve(clinical_reviewer, seed_article, note="Clearer advice on stretching").status_code
        == 302
    )

    page = reader_page(client, seed_article)
    assert NEW_TEXT in page
    assert "Clearer advice on stretching" in page
    assert search("wombats")
    publication = Publication.objects.get(article=seed_article, published_by__isnull=False)
    assert publication.published_by.groups.filter(name="Clinical reviewers").exists()
    assert not WorkingCopy.objects.filter(article=seed_article).exists()
    # Every step is in the article's history.
    comments = [v.revision.comment for v in article_versions(seed_article)]
    assert any(c.startswith("Published") for c in comments)
    assert "Sent back: Check the dose wording." in comments
    assert "Submitted for clinical review" in comments


def test_a_new_article_is_approved_for_a_time_and_goes_live_then(
    client, editor, clinical_reviewer, db
):
    add = reverse("admin:articles_article_add")
    data = change_form_data(unrendered(editor, add), publish=False) | {
        "title": "Numbat cramps",
        "slug": "numbat-cramps",
        "summary": "What a numbat should know about cramps in the calf at night, in short.",
        "status": Article.Status.PUBLISHED,
    }
    refused = editor.post(add, data)
    assert refused.status_code == 200
    assert "A clinical reviewer approves an article" in refused.content.decode()

    data["status"] = Article.Status.DRAFT
    assert editor.post(add, data | {"_submit": "1"}).status_code == 302
    article = Article.objects.get(slug="numbat-cramps")
    go_live = timezone.localtime() + datetime.timedelta(hours=2)
    response = approve(clinical_reviewer, article, go_live_at=go_live.strftime("%Y-%m-%dT%H:%M"))
    assert response.status_code == 302

    article.refresh_from_db()
    assert client.get("/articles/numbat-cramps/").status_code == 404
    later = timezone.now() + datetime.timedelta(hours=3)
    assert Article.objects.published(later).filter(pk=article.pk).exists()


def test_restoring_a_version_makes_unpublished_changes(
    client, editor, clinical_reviewer, seed_article
):
    save_through_admin(clinical_reviewer, seed_article)
    [*_, first] = article_versions(seed_article)
    edit(clinical_reviewer, seed_article, publish=True)
    assert NEW_TEXT in reader_page(client, seed_article)

    url = reverse("admin:articles_article_revision", args=[seed_article.pk, first.pk])
    assert editor.get(url).status_code == 200
    assert editor.post(url).status_code == 302

    assert NEW_TEXT in reader_page(client, seed_article)  # readers keep what was approved
    assert WorkingCopy.objects.get(article=seed_article).state == WorkingCopy.State.EDITING
    draft = Article.rows.get(draft_of=seed_article)
    assert NEW_TEXT not in draft.sections.values_list("body", flat=True)


def test_when_editors_may_publish_their_save_and_publish_is_recorded(
    client, seed_article, settings
):
    settings.SIGN_OFF_POLICY = "editors"
    editor = member_of("Editors")  # who may publish signs in in two steps

    assert edit(editor, seed_article, publish=True).status_code == 302

    assert NEW_TEXT in reader_page(client, seed_article)
    assert Publication.objects.filter(article=seed_article, published_by__isnull=False).exists()


def test_under_clinical_sign_off_an_editors_publish_button_only_saves(
    client, editor, seed_article
):
    assert edit(editor, seed_article, publish=True).status_code == 302

    assert NEW_TEXT not in reader_page(client, seed_article)
    assert not Publication.objects.filter(article=seed_article, published_by__isnull=False)


def test_a_superusers_publication_is_recorded_like_anyones(client, admin_client, seed_article):
    assert (
        edit(admin_client, seed_article, publish=True, publication_note="Typo").status_code == 302
    )

    publication = Publication.objects.filter(article=seed_article).first()
    assert publication.published_by.is_superuser and publication.note == "Typo"
    assert "Typo" in reader_page(client, seed_article)


def test_the_seed_records_its_launch_publications(db):
    from django.core.management import call_command

    call_command("seed_if_empty", verbosity=0)

    launch = Article.objects.get(slug=SEED_SLUG, language="en-gb")
    # The first edit as launched on 26 November, then the corrected page readers get.
    assert Publication.objects.filter(article=launch, revision__isnull=False).count() == 2


def publisher(django_user_model, username):
    """One who may publish. A superuser: these tests flush the database, and with it the
    groups the data migrations made; their plain "Save" keeps unpublished changes like anyone's."""
    user = django_user_model.objects.create_superuser(username, password="x" * 20)
    return signed_in(user)


@pytest.mark.django_db(transaction=True)
def test_two_approvals_at_once_publish_the_changes_once(client, seed_article, django_user_model):
    edit(publisher(django_user_model, "ed"), seed_article, _submit="1")
    first, second = (publisher(django_user_model, name) for name in ("ria", "rob"))
    pages = [
        clinical_reviewer.get(sign_off_url(seed_article)) for clinical_reviewer in (first, second)
    ]
    results = {}

    with held_at_save(Article, "first") as (held, release):
        one = run_in_thread("first", results, lambda: approve(first, seed_article, page=pages[0]))
        assert held.wait(timeout=30)
        two = run_in_thread(
            "second", results, lambda: approve(second, seed_article, page=pages[1])
        )
        blocked = wait_until_another_transaction_waits_for_a_lock()
        assert two.is_alive(), "the second approval finished while the first was open"
        release.set()
        one.join(timeout=30)
        two.join(timeout=30)

    assert results["first"].status_code == results["second"].status_code == 302
    assert (
        Publication.objects.filter(article=seed_article, published_by__isnull=False).count() == 1
    )
    assert NEW_TEXT in reader_page(client, seed_article)
    assert not WorkingCopy.objects.filter(article=seed_article).exists()
    assert blocked


@pytest.mark.django_db(transaction=True)
def test_an_edit_during_an_approval_is_never_published_unseen_nor_lost(
    client, seed_article, django_user_model
):
    editor = publisher(django_user_model, "ed")
    edit(editor, seed_article, _submit="1")
    clinical_reviewer = publisher(django_user_model, "ria")
    reviewed_page = clinical_reviewer.get(sign_off_url(seed_article))
    page = editor.get(change_url(seed_article))
    later = change_form_data(page, publish=False)
    later[f"{inline_prefix(page, Section)}-0-body"] = "A later edit nobody has reviewed."
    results = {}

    with held_at_save(Article, "editor") as (held, release):
        saving = run_in_thread(
            "editor", results, lambda: editor.post(change_url(seed_article), later)
        )
        assert held.wait(timeout=30)
        approving = run_in_thread(
            "clinical_reviewer",
            results,
            lambda: approve(clinical_reviewer, seed_article, page=reviewed_page),
        )
        wait_until_another_transaction_waits_for_a_lock()
        release.set()
        saving.join(timeout=30)
        approving.join(timeout=30)

    assert results["editor"].status_code == 302
    # Answered, with nothing published: the later edit was not submitted, so nothing
    # waits for approval and the reviewer is told so.
    assert results["clinical_reviewer"].status_code == 302
    told = clinical_reviewer.get(sign_off_url(seed_article)).content.decode()
    assert "Nothing was published" in told
    # The approval was of the earlier copy: refused, so readers keep the live version...
    assert not Publication.objects.filter(article=seed_article, published_by__isnull=False)
    page = reader_page(client, seed_article)
    assert NEW_TEXT not in page and "A later edit" not in page
    # ... and the later edit waits, whole, for its own review.
    copy = editor.get(change_url(seed_article)).content.decode()
    assert "A later edit nobody has reviewed." in copy


def test_a_reviewer_approves_only_what_was_submitted(
    client, editor, clinical_reviewer, seed_article
):
    edit(editor, seed_article)  # saved, not submitted

    page = clinical_reviewer.get(sign_off_url(seed_article))
    assert "Approve and publish" not in page.content.decode()
    assert approve(clinical_reviewer, seed_article, page=page).status_code == 302

    assert NEW_TEXT not in reader_page(client, seed_article)


def test_nothing_to_submit_is_refused(editor, seed_article):
    # No changes wait: there is nothing to submit.
    editor.post(sign_off_url(seed_article), {"_submit": "1"})
    assert not WorkingCopy.objects.filter(state=WorkingCopy.State.SUBMITTED).exists()


def test_an_approval_for_later_says_when_readers_will_see_it(editor, clinical_reviewer, db):
    draft = ArticleFactory(status=Article.Status.DRAFT, publish_at=None, title="Later one")
    edit(editor, draft, _submit="1")
    go_live = timezone.localtime() + datetime.timedelta(days=1)

    approve(clinical_reviewer, draft, go_live_at=go_live.strftime("%Y-%m-%dT%H:%M"))

    page = clinical_reviewer.get(sign_off_url(draft)).content.decode()
    assert "Approved, goes live at" in page and "Live version" not in page


def test_restoring_a_published_version_never_publishes_a_taken_down_article(
    client, editor, seed_article
):
    # A version saved while it was published, then the article taken down.
    edit(editor, seed_article)
    [saved, *_] = article_versions(seed_article)
    Article.objects.filter(pk=seed_article.pk).update(status=Article.Status.DRAFT)
    url = reverse("admin:articles_article_revision", args=[seed_article.pk, saved.pk])

    assert editor.post(url).status_code == 302

    assert client.get(f"/articles/{SEED_SLUG}/").status_code == 404
    assert not Publication.objects.filter(article=seed_article, published_by__isnull=False)
    # A version of a part (of any article) is not a version of the article.
    part = saved.revision.version_set.exclude(object_id=str(seed_article.pk)).first()
    url = reverse("admin:articles_article_revision", args=[seed_article.pk, part.pk])
    assert editor.get(url).status_code == 404


def test_a_part_added_in_a_draft_never_overwrites_another_articles_part(
    editor, clinical_reviewer, seed_article
):
    def add_section(data, page):
        add_row(data, page, Section, heading="A section only in the copy", body=NEW_TEXT)

    save_through_admin(editor, seed_article, add_section)
    draft = ArticleFactory(status=Article.Status.DRAFT, publish_at=None)
    theirs = Section.objects.create(article=draft, position=1, body="The draft's own text.")
    editor.post(sign_off_url(seed_article), {"_submit": "1"})

    assert approve(clinical_reviewer, seed_article).status_code == 302

    theirs.refresh_from_db()
    assert theirs.article_id == draft.pk and theirs.body == "The draft's own text."
    assert seed_article.sections.filter(heading="A section only in the copy").exists()


def test_changes_to_an_address_taken_since_are_refused_and_can_be_discarded(
    client, editor, clinical_reviewer, seed_article
):
    edit(editor, seed_article, slug="taken-later", _submit="1")
    other = ArticleFactory(slug="taken-later")  # another article takes the address meanwhile

    refused = approve(clinical_reviewer, seed_article)

    assert refused.status_code == 200
    assert "Nothing was published: /articles/taken-later/ is the address of" in (
        refused.content.decode()
    )
    assert client.get("/articles/taken-later/").content.decode().count(other.title)
    assert editor.post(sign_off_url(seed_article), DISCARD).status_code == 302
    assert not WorkingCopy.objects.filter(article=seed_article).exists()
    assert editor.get(change_url(seed_article)).status_code == 200


@pytest.mark.django_db(transaction=True)
def test_send_back_in_its_own_transaction(seed_article, django_user_model):
    editor, clinical_reviewer = (publisher(django_user_model, name) for name in ("ed", "ria"))
    assert edit(editor, seed_article, _submit="1").status_code == 302
    assert WorkingCopy.objects.get(article=seed_article).state == WorkingCopy.State.SUBMITTED

    response = clinical_reviewer.post(
        sign_off_url(seed_article), {"_send_back": "1", "comment": "No."}
    )

    assert response.status_code == 302
    assert WorkingCopy.objects.get(article=seed_article).state == WorkingCopy.State.SENT_BACK


def test_save_and_publish_on_a_draft_publishes_it_for_those_who_may(client, clinical_reviewer, db):
    draft = ArticleFactory(status=Article.Status.DRAFT, publish_at=None, slug="ready-draft")
    page = unrendered(clinical_reviewer, change_url(draft))
    data = change_form_data(page, publish=False) | {"_publish": "Save and publish"}

    assert clinical_reviewer.post(change_url(draft), data).status_code == 302

    assert client.get("/articles/ready-draft/").status_code == 200
    assert Publication.objects.filter(article=draft, published_by__isnull=False).exists()


def test_a_refused_approval_keeps_the_reviewers_note_to_approve_what_waits_now(
    client, editor, clinical_reviewer, seed_article
):
    edit(editor, seed_article, _submit="1")
    opened = clinical_reviewer.get(sign_off_url(seed_article))
    queue = clinical_reviewer.get(reverse("admin:articles_article_changelist")).content.decode()
    assert "Waiting for clinical review" in queue
    edit(editor, seed_article, _submit="1")  # changed again after the reviewer opened it

    refused = approve(clinical_reviewer, seed_article, page=opened, note="Clearer stretches")

    assert refused.status_code == 200
    page = refused.content.decode()
    assert "Nothing was published" in page and "Clearer stretches</textarea>" in page
    assert NEW_TEXT not in reader_page(client, seed_article)
    # Approving the form as it came back publishes what waits now, with the note.
    assert (
        approve(
            clinical_reviewer, seed_article, page=refused, note="Clearer stretches"
        ).status_code
        == 302
    )
    assert "Clearer stretches" in reader_page(client, seed_article)


def test_the_restore_page_says_what_saving_an_old_version_does(
    editor, clinical_reviewer, seed_article
):
    save_through_admin(clinical_reviewer, seed_article)
    [*_, first] = article_versions(seed_article)
    edit(editor, seed_article, _submit="1")
    url = reverse("admin:articles_article_revision", args=[seed_article.pk, first.pk])

    page = editor.get(url).content.decode()

    assert "Press the save button below" not in page
    assert "in place of the unpublished changes waiting now" in page
    assert "Readers keep the live version until the changes are approved." in page

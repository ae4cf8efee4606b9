"""The findings of issue 22, replayed: each path that let readers get something no one
qualified approved, or told them of a review that never happened, and what now happens."""

import datetime

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db.models import ProtectedError
from django.urls import reverse
from django.utils import timezone

from articles.accounts.roles import needs_second_factor
from articles.models import (
    Article,
    Cause,
    PreventionTip,
    Publication,
    ReliefTechnique,
    Review,
    Source,
    WorkingCopy,
)
from tests.accounts import member_of, sign_in_again
from tests.admin_forms import (
    add_row,
    approve,
    change_form_data,
    change_url,
    go_live_boxes,
    inline_prefix,
    save_through_admin,
    sign_off_url,
    unrendered,
)
from tests.constants import SEED_SLUG
from tests.factories import ArticleFactory
from tests.pages import page_text
from tests.processes import settings_in_a_fresh_process

pytestmark = pytest.mark.django_db

NEW_TIP = "Wombats stretch before they sleep."
NEW_SUMMARY = "Night cramps explained again, in words a reviewer has not approved yet."


def submitting(**values):
    """A change for save_through_admin: these values, saved and submitted for review (not
    "Save and publish", whoever saves)."""

    def change(data, page):
        data.pop("_publish", None)
        data.update(values, _submit="1")

    return change


def changes_shown(client, article):
    page = client.get(sign_off_url(article)).content.decode()
    return page[page.index('id="changes"') :]


def test_the_sign_off_page_shows_every_kind_of_part_change(
    editor, clinical_reviewer, seed_article
):
    def add_source(data, page):
        add_row(data, page, Source, title="Wombat sleep", publisher="Wombat Institute",
                url="https://wombats.example.org/sleep", accessed_on="2026-12-01")  # fmt: skip
        data[f"{inline_prefix(page, Source)}-0-title"] = "A renamed source"

    def add_tip_remove_cause_move_step(data, page):
        number = Source.objects.filter(article__draft_of=seed_article).count()
        add_row(data, page, PreventionTip, body=NEW_TIP, evidence="may_help",
                backed_by=str(number))  # fmt: skip
        data[f"{inline_prefix(page, Cause)}-0-DELETE"] = "on"
        steps = inline_prefix(page, ReliefTechnique)
        first, second = data[f"{steps}-0-position"], data[f"{steps}-1-position"]
        data[f"{steps}-0-position"], data[f"{steps}-1-position"] = second, first

    for change in (add_source, add_tip_remove_cause_move_step):
        page = unrendered(editor, change_url(seed_article))
        data = change_form_data(page, publish=False)
        change(data, page)
        assert editor.post(change_url(seed_article), data).status_code == 302

    shown = changes_shown(clinical_reviewer, seed_article)

    assert NEW_TIP in shown and "Wombat sleep" in shown and "May help" in shown
    assert "A renamed source" in shown
    assert "Removed" in shown and seed_article.causes.first().name in shown
    assert "Moved from position 1 to 2" in shown


def test_a_take_down_then_delete_and_recover_never_gives_readers_unapproved_text(
    client, editor, clinical_reviewer, seed_article
):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        save_through_admin(editor, seed_article, submitting(status=Article.Status.DRAFT))
        later = timezone.localtime() + datetime.timedelta(hours=1)
        approve(clinical_reviewer, seed_article, go_live_at=later.strftime("%Y-%m-%dT%H:%M"))
        # The editor goes on after the approval, and submits a version marked published.
        save_through_admin(editor, seed_article, submitting(
            summary="Unapproved words that no reviewer has seen, submitted after the approval.",
            status=Article.Status.PUBLISHED,
        ))  # fmt: skip
        clock.shift(datetime.timedelta(hours=2))
        assert client.get(f"/articles/{SEED_SLUG}/").status_code == 404  # taken down, as approved
        kept = set(Publication.objects.values_list("pk", flat=True))
        # Two idle hours ended the editor's session (STAFF_SESSION_IDLE): they sign in again.
        sign_in_again(editor)

        delete = reverse("admin:articles_article_delete", args=[seed_article.pk])
        editor.post(delete, {"post": "yes"})
        recover_list = editor.get(reverse("admin:articles_article_recoverlist"))

    assert Article.objects.filter(pk=seed_article.pk).exists()
    assert not recover_list.context["deleted"]
    assert set(Publication.objects.values_list("pk", flat=True)) == kept
    assert client.get(f"/articles/{SEED_SLUG}/").status_code == 404
    # The unapproved version waits for review, whole.
    assert WorkingCopy.objects.get(article=seed_article).state == WorkingCopy.State.SUBMITTED
    assert Article.rows.get(draft_of=seed_article).summary.startswith("Unapproved words")


def test_publication_records_cannot_be_deleted_with_their_article(seed_article):
    Publication.objects.create(article=seed_article)

    with pytest.raises(ProtectedError):
        Article.objects.filter(pk=seed_article.pk).delete()


def test_everyone_who_may_publish_or_change_rights_signs_in_in_two_steps(settings, db):
    users = get_user_model().objects
    publisher = users.create_user("publisher", is_staff=True)
    publisher.user_permissions.add(Permission.objects.get(codename="publish_article"))
    accounts = users.create_user("accounts", is_staff=True)
    accounts.user_permissions.add(Permission.objects.get(codename="change_user"))
    editor = member_of("Editors")

    assert needs_second_factor(users.get(pk=publisher.pk))
    assert needs_second_factor(users.get(pk=accounts.pk))
    settings.SIGN_OFF_POLICY = "editors"  # now every editor may publish
    response = editor.get(reverse("admin:articles_article_changelist"))
    assert response.status_code == 302 and response["Location"].endswith("/two-step-sign-in/")


def test_an_editor_without_the_right_to_publish_keeps_a_password_sign_in(editor):
    assert editor.get(reverse("admin:articles_article_changelist")).status_code == 200


def test_a_new_draft_at_a_live_articles_old_address_leaves_its_redirect_until_approved(
    client, admin_client, editor, clinical_reviewer, seed_article
):
    save_through_admin(admin_client, seed_article, lambda data, page: data.update(slug="moved"))
    assert client.get(f"/articles/{SEED_SLUG}/")["Location"] == "/articles/moved/"
    add = reverse("admin:articles_article_add")
    data = change_form_data(unrendered(editor, add), publish=False) | {
        "title": "Numbat cramps",
        "slug": SEED_SLUG,
        "summary": "What a numbat should know about cramps in the calf at night, in short.",
        "_submit": "1",
    }

    assert editor.post(add, data).status_code == 302

    assert client.get(f"/articles/{SEED_SLUG}/")["Location"] == "/articles/moved/"
    numbat = Article.objects.get(title="Numbat cramps")
    assert approve(clinical_reviewer, numbat).status_code == 302
    assert "Numbat cramps" in page_text(client.get(f"/articles/{SEED_SLUG}/"))


@pytest.mark.parametrize("crafted", ["revision:²", "draft:", "draft:not-a-token", "x" * 100])
def test_a_crafted_approval_is_an_answer_not_an_error_and_publishes_nothing(
    editor, clinical_reviewer, seed_article, crafted
):
    save_through_admin(editor, seed_article, submitting())
    data = {"_approve": "1", "reviewed": crafted, "reviewer_role": "GP", "when": "now"}

    response = clinical_reviewer.post(sign_off_url(seed_article), data)

    assert response.status_code == 200 and "Nothing was published" in response.content.decode()
    assert not Publication.objects.filter(article=seed_article, published_by__isnull=False)


@pytest.mark.parametrize(
    "name", ["change", "signoff", "preview", "history", "delete", "revision", "compare"]
)
def test_an_article_id_in_other_digits_is_answered_as_an_unknown_one(admin_client, name):
    def answer(article_id):
        args = [article_id, "1"] if name == "revision" else [article_id]
        return admin_client.get(reverse(f"admin:articles_article_{name}", args=args))

    odd, unknown = answer("²"), answer("999999")

    assert odd.status_code == unknown.status_code
    assert odd.status_code in (302, 404)


def test_a_clinical_reviewers_approval_is_the_review_readers_are_told_of(
    client, editor, clinical_reviewer, seed_article
):
    assert "not yet been reviewed by a clinician" in page_text(
        client.get("/articles/night-calf-cramps/")
    )
    save_through_admin(editor, seed_article, submitting())

    approve(clinical_reviewer, seed_article, role="Consultant neurologist")

    review = Review.objects.get(article=seed_article, kind=Review.Kind.CLINICAL)
    assert review.reviewed_on == timezone.localdate()
    text = page_text(client.get(f"/articles/{SEED_SLUG}/"))
    assert (
        "Reviewed by clinical_reviewers, Consultant neurologist, on "
        f"{review.reviewed_on.day} {review.reviewed_on:%B %Y}." in text
    )
    assert "not yet been reviewed by a clinician" not in text


def test_a_superusers_approval_is_an_editorial_review_not_a_clinical_one(
    client, admin_client, editor, seed_article
):
    save_through_admin(editor, seed_article, submitting())

    approve(admin_client, seed_article)

    reviews_before = 2  # the seed's: the first edit's and the corrections'
    assert Review.objects.filter(article=seed_article, kind=Review.Kind.EDITORIAL).count() == (
        reviews_before + 1
    )
    assert "not yet been reviewed by a clinician" in page_text(
        client.get(f"/articles/{SEED_SLUG}/")
    )


def test_by_default_a_reviewer_cannot_approve_their_own_changes(
    client, settings, clinical_reviewer, seed_article, django_user_model
):
    settings.SIGN_OFF_SELF_APPROVAL = False
    page = clinical_reviewer.get(change_url(seed_article)).content.decode()
    assert 'name="_publish"' not in page
    save_through_admin(clinical_reviewer, seed_article, submitting(
        summary="A reviewer's own change, which a second person must approve first."
    ))  # fmt: skip

    refused = approve(clinical_reviewer, seed_article)

    assert "second person" not in client.get(f"/articles/{SEED_SLUG}/").content.decode()
    assert refused.status_code == 302
    assert not Publication.objects.filter(article=seed_article, published_by__isnull=False)
    other = member_of("Clinical reviewers", username="second_reviewer")  # not its editor
    assert approve(other, seed_article).status_code == 302
    assert "a second person must approve" in client.get(f"/articles/{SEED_SLUG}/").content.decode()


@pytest.mark.parametrize(("policy", "allowed"), [("clinical", False), ("editors", True)])
def test_self_approval_is_off_by_default_under_the_clinical_policy(policy, allowed):
    found = settings_in_a_fresh_process(
        "SIGN_OFF_SELF_APPROVAL", CRAMPS_SIGN_OFF=policy, DJANGO_DEBUG="true"
    )
    assert found["SIGN_OFF_SELF_APPROVAL"] is allowed


def test_a_draft_ticking_the_home_page_box_taken_since_is_refused_in_words(
    editor, clinical_reviewer, seed_article
):
    Article.objects.filter(pk=seed_article.pk).update(is_home_help=False)
    other = ArticleFactory()
    save_through_admin(editor, other, submitting(is_home_help="on"))
    # The launch article takes the box back meanwhile.
    Article.objects.filter(pk=seed_article.pk).update(is_home_help=True)

    refused = approve(clinical_reviewer, other)

    assert refused.status_code == 200
    assert "another article already shows its box on the home page" in refused.content.decode()
    assert not Publication.objects.filter(article=other, published_by__isnull=False)


@pytest.mark.parametrize("days", [3, -3], ids=["ahead", "past"])
def test_a_typed_go_live_time_with_now_chosen_publishes_nothing(
    client, editor, clinical_reviewer, seed_article, days
):
    save_through_admin(editor, seed_article, submitting(summary=NEW_SUMMARY))
    page = clinical_reviewer.get(sign_off_url(seed_article))
    # A time gone by, left in the boxes from a refused try, is named for what it is too.
    later = timezone.localtime() + datetime.timedelta(days=days)
    data = {
        "_approve": "1", "when": "now", **go_live_boxes(later.strftime("%Y-%m-%dT%H:%M")),
        "reviewed": page.context["approve_form"]["reviewed"].value(), "reviewer_role": "GP",
    }  # fmt: skip

    refused = clinical_reviewer.post(sign_off_url(seed_article), data)

    assert refused.status_code == 200 and "but chose Now" in refused.content.decode()
    assert "Choose a time in the future" not in refused.content.decode()
    assert NEW_SUMMARY not in client.get(f"/articles/{SEED_SLUG}/").content.decode()

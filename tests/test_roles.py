"""The Editors and Clinical reviewers groups, each permission proved both ways."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Review, Section
from tests.admin_forms import approve, change_form_data, change_url, inline_prefix, unrendered
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def test_the_groups_exist_after_migrating():
    assert set(Group.objects.values_list("name", flat=True)) >= {"Editors", "Clinical reviewers"}


def test_editors_can_create_and_change_articles(editor):
    response = editor.post(
        reverse("admin:articles_article_add"),
        {
            "title": "New page", "slug": "new-page",
            "summary": "A summary long enough for search engines to show it in full.",
            "status": Article.Status.DRAFT, "position": 100,
            **{f"{p}-{k}": 0 for p in ("sections", "causes", "relief_techniques",
               "prevention_tips", "callouts", "sources")
               for k in ("TOTAL_FORMS", "INITIAL_FORMS")},
        },
    )  # fmt: skip

    assert response.status_code == 302
    assert Article.objects.filter(slug="new-page").exists()


def test_editors_can_see_history(editor, seed_article):
    url = reverse("admin:articles_article_history", args=[seed_article.pk])

    assert editor.get(url).status_code == 200


@pytest.mark.parametrize("name", ["auth_user_changelist", "auth_group_changelist"])
def test_editors_cannot_manage_users(editor, name):
    assert editor.get(reverse(f"admin:{name}")).status_code == 403


def test_editors_cannot_delete_a_published_article(editor, seed_article):
    url = reverse("admin:articles_article_delete", args=[seed_article.pk])

    response = editor.post(url, {"post": "yes"}, follow=True)

    assert "A published article cannot be deleted, nor one readers were ever given" in (
        response.content.decode()
    )
    assert Article.objects.filter(pk=seed_article.pk).exists()


def test_bulk_delete_cannot_remove_a_published_article(editor, seed_article):
    editor.post(
        reverse("admin:articles_article_changelist"),
        {"action": "delete_selected", "_selected_action": [seed_article.pk], "post": "yes"},
    )

    assert Article.objects.filter(pk=seed_article.pk).exists()


def test_editors_can_delete_a_draft(editor):
    draft = ArticleFactory(status=Article.Status.DRAFT, publish_at=None)
    url = reverse("admin:articles_article_delete", args=[draft.pk])

    assert editor.post(url, {"post": "yes"}).status_code == 302
    assert not Article.objects.filter(pk=draft.pk).exists()


NEW_TEXT = "Wombats stretch their calves slowly."
NOT_CLINICALLY_REVIEWED = "This page has not yet been reviewed by a clinician."


def submit_a_change(editor, article, text=NEW_TEXT):
    """An editor changes the article's first section and submits it for clinical review."""
    page = unrendered(editor, change_url(article))
    data = change_form_data(page, publish=False)
    data[f"{inline_prefix(page, Section)}-0-body"] = text
    data["_submit"] = "Save and submit for clinical review"
    assert editor.post(change_url(article), data).status_code == 302


def reader_page(client, article):
    return client.get(article.get_absolute_url()).content.decode()


def name_the_clinician(first_name, last_name):
    get_user_model().objects.filter(username="clinical_reviewers").update(
        first_name=first_name, last_name=last_name
    )


def on_today():
    today = timezone.localdate()
    return f"on {today.day} {today:%B %Y}."


def test_the_change_page_has_no_way_to_write_a_review(editor, seed_article):
    page = editor.get(change_url(seed_article))

    assert Review not in {inline.formset.model for inline in page.context["inline_admin_formsets"]}


def test_under_clinical_sign_off_an_editor_cannot_approve_and_records_no_review(
    client, editor, seed_article
):
    submit_a_change(editor, seed_article)

    assert approve(editor, seed_article).status_code == 403

    assert set(seed_article.reviews.values_list("kind", flat=True)) == {Review.Kind.EDITORIAL}
    page = reader_page(client, seed_article)
    assert NEW_TEXT not in page
    assert NOT_CLINICALLY_REVIEWED in page


def test_a_clinical_reviewers_approval_records_a_clinical_review_with_their_name_and_role(
    client, editor, clinical_reviewer, seed_article
):
    name_the_clinician("Dana", "Reyes")
    submit_a_change(editor, seed_article)
    assert NOT_CLINICALLY_REVIEWED in reader_page(client, seed_article)

    approved = approve(clinical_reviewer, seed_article, role="Consultant neurologist")

    assert approved.status_code == 302

    review = seed_article.reviews.get(kind=Review.Kind.CLINICAL)
    assert (review.reviewer_name, review.reviewer_role) == ("Dana Reyes", "Consultant neurologist")
    assert review.reviewer.username == "clinical_reviewers"
    page = reader_page(client, seed_article)
    assert NEW_TEXT in page
    assert f"Reviewed by Dana Reyes, Consultant neurologist, {on_today()}" in page
    assert NOT_CLINICALLY_REVIEWED not in page


def test_a_clinical_reviewer_gives_their_role_to_approve(
    client, editor, clinical_reviewer, seed_article
):
    submit_a_change(editor, seed_article)

    refused = approve(clinical_reviewer, seed_article, role="")

    assert refused.status_code == 200
    assert refused.context["approve_form"].errors["reviewer_role"]
    assert not seed_article.reviews.filter(kind=Review.Kind.CLINICAL).exists()
    assert NEW_TEXT not in reader_page(client, seed_article)


def test_a_superusers_approval_is_an_editorial_review_not_a_clinical_one(
    client, admin_client, editor, seed_article
):
    submit_a_change(editor, seed_article)

    assert approve(admin_client, seed_article).status_code == 302

    review = seed_article.reviews.exclude(reviewer=None).get()
    assert (review.kind, review.reviewer_name) == (Review.Kind.EDITORIAL, "admin")
    assert not seed_article.reviews.filter(kind=Review.Kind.CLINICAL).exists()
    page = reader_page(client, seed_article)
    assert NEW_TEXT in page
    assert NOT_CLINICALLY_REVIEWED in page


def test_later_changes_leave_a_clinical_review_as_the_clinician_gave_it(
    client, editor, clinical_reviewer, admin_client, seed_article
):
    name_the_clinician("Dana", "Reyes")
    submit_a_change(editor, seed_article)
    approve(clinical_reviewer, seed_article)
    submit_a_change(editor, seed_article, text="Otters stretch their calves slowly.")

    assert approve(admin_client, seed_article).status_code == 302

    review = seed_article.reviews.get(kind=Review.Kind.CLINICAL)
    assert (review.reviewer_name, review.reviewer_role) == ("Dana Reyes", "Consultant neurologist")
    page = reader_page(client, seed_article)
    assert "Otters stretch their calves slowly." in page
    assert f"Reviewed by Dana Reyes, Consultant neurologist, {on_today()}" in page

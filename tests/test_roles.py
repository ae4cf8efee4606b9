"""The Editors and Clinical reviewers groups, each permission proved both ways."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from articles.models import Article, Review
from tests.admin_forms import approve, change_form_data, inline_prefix, sign_off_url
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
            "status": Article.Status.DRAFT,
            **{f"{p}-{k}": 0 for p in ("sections", "causes", "relief_techniques",
               "prevention_tips", "callouts", "reviews", "sources")
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


def add_review(client, article, kind):
    url = reverse("admin:articles_article_change", args=[article.pk])
    page = client.get(url)
    data = change_form_data(page)
    prefix = inline_prefix(page, Review)
    row = int(data[f"{prefix}-TOTAL_FORMS"])
    data |= {
        f"{prefix}-TOTAL_FORMS": row + 1,
        f"{prefix}-{row}-reviewed_on": datetime.date(2026, 11, 20),
        f"{prefix}-{row}-kind": kind,
        f"{prefix}-{row}-reviewer_name": "Dr Example Person",
        f"{prefix}-{row}-reviewer_role": "General practitioner",
    }
    return client.post(url, data)


def test_editors_cannot_record_a_clinical_review(editor, seed_article):
    response = add_review(editor, seed_article, Review.Kind.CLINICAL)

    assert response.status_code == 200
    assert "Only members of the Clinical reviewers group" in response.content.decode()
    assert not seed_article.reviews.filter(kind=Review.Kind.CLINICAL).exists()


def test_an_editors_review_waits_for_sign_off_before_readers_see_it(
    editor, clinical_reviewer, seed_article
):
    assert add_review(editor, seed_article, Review.Kind.EDITORIAL).status_code == 302
    assert seed_article.reviews.count() == 1  # readers' version is unchanged
    assert editor.post(sign_off_url(seed_article), {"_submit": "1"}).status_code == 302

    assert approve(clinical_reviewer, seed_article).status_code == 302

    assert seed_article.reviews.count() == 2


def test_clinical_reviewers_can_record_a_clinical_review(clinical_reviewer, seed_article):
    assert add_review(clinical_reviewer, seed_article, Review.Kind.CLINICAL).status_code == 302
    assert seed_article.reviews.filter(kind=Review.Kind.CLINICAL).count() == 1


def test_editors_cannot_change_a_clinical_review(editor, clinical_reviewer, seed_article):
    add_review(clinical_reviewer, seed_article, Review.Kind.CLINICAL)
    url = reverse("admin:articles_article_change", args=[seed_article.pk])
    page = editor.get(url)
    data = change_form_data(page)
    prefix = inline_prefix(page, Review)
    clinical_row = next(
        i
        for i in range(int(data[f"{prefix}-TOTAL_FORMS"]))
        if data[f"{prefix}-{i}-kind"] == Review.Kind.CLINICAL
    )
    data[f"{prefix}-{clinical_row}-reviewer_name"] = "Someone else"

    response = editor.post(url, data)

    assert response.status_code == 200
    assert seed_article.reviews.get(kind=Review.Kind.CLINICAL).reviewer_name == (
        "Dr Example Person"
    )

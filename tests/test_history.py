import re

import pytest
from django.urls import reverse
from reversion.models import Version

from articles.models import Article, PreventionTip, Section
from tests.admin_forms import (
    article_versions,
    change_form_data,
    inline_prefix,
    restore,
    save_through_admin,
)

pytestmark = pytest.mark.django_db


def test_every_save_records_the_whole_article_with_who_and_a_comment(admin_client, seed_article):
    def edit(data, page):
        data["revision_comment"] = "Simpler wording in the first section"
        data[f"{inline_prefix(page, Section)}-0-body"] = "New wording."

    save_through_admin(admin_client, seed_article, edit)

    [version] = article_versions(seed_article)
    revision = version.revision
    assert revision.user.username == "admin"
    assert revision.get_comment() == "Simpler wording in the first section"
    stored = {v.content_type.model for v in revision.version_set.all()}
    assert stored >= {
        "article", "section", "cause", "relieftechnique", "preventiontip", "callout", "review",
        "source",
    }  # fmt: skip
    assert (
        revision.version_set.filter(content_type__model="section").count()
        == seed_article.sections.count()
    )


def test_history_page_lists_revisions_and_offers_a_comparison(admin_client, seed_article):
    for comment in ("First edit", "Second edit"):
        save_through_admin(
            admin_client, seed_article, lambda d, p, c=comment: d.update(revision_comment=c)
        )

    url = reverse("admin:articles_article_history", args=[seed_article.pk])
    body = admin_client.get(url).content.decode()

    assert "First edit" in body and "Second edit" in body
    assert 'name="version_id1"' in body and 'name="version_id2"' in body


def test_two_revisions_compare_side_by_side_parts_included(admin_client, seed_article):
    save_through_admin(admin_client, seed_article, lambda d, p: None)

    def edit(data, page):
        data["title"] = "A clearer title"
        data[f"{inline_prefix(page, Section)}-0-body"] = "Rewritten section text."

    save_through_admin(admin_client, seed_article, edit)
    older, newer = sorted(v.pk for v in article_versions(seed_article))

    response = admin_client.get(
        reverse("admin:articles_article_compare", args=[seed_article.pk]),
        {"version_id1": older, "version_id2": newer},
    )

    text = re.sub(r"<[^>]+>", "", response.content.decode())
    assert response.status_code == 200
    assert "A clearer title" in text
    assert "Rewritten section text" in text
    assert "edit token" not in text


def test_restoring_an_earlier_revision_brings_back_its_parts(admin_client, seed_article):
    save_through_admin(admin_client, seed_article, lambda d, p: None)
    [original] = article_versions(seed_article)
    tips_before = list(seed_article.prevention_tips.values_list("body", flat=True))

    def damage(data, page):
        tips = inline_prefix(page, PreventionTip)
        data[f"{tips}-0-DELETE"] = "on"
        data[f"{tips}-1-position"], data[f"{tips}-2-position"] = 3, 2
        data[f"{inline_prefix(page, Section)}-0-body"] = "Damaged text."
        data["title"] = "Damaged title"

    save_through_admin(admin_client, seed_article, damage)

    restore(admin_client, seed_article, original)

    seed_article.refresh_from_db()
    assert seed_article.title == "Night-time calf cramps: causes, what to do and when to get help"
    assert list(seed_article.prevention_tips.values_list("body", flat=True)) == tips_before
    assert "Damaged text." not in seed_article.sections.values_list("body", flat=True)


def test_looking_at_an_old_revision_changes_nothing(admin_client, seed_article):
    save_through_admin(admin_client, seed_article, lambda d, p: None)
    [original] = article_versions(seed_article)
    save_through_admin(admin_client, seed_article, lambda d, p: d.update(title="Newer title"))

    url = reverse("admin:articles_article_revision", args=[seed_article.pk, original.pk])
    page = admin_client.get(url)

    assert "Night-time calf cramps: causes" in page.content.decode()
    assert Article.objects.get(pk=seed_article.pk).title == "Newer title"
    assert seed_article.prevention_tips.first().position == 1


def test_a_deleted_draft_can_be_recovered(admin_client):
    from tests.factories import ArticleFactory

    draft = ArticleFactory(status=Article.Status.DRAFT, publish_at=None, title="Lost draft")
    save_through_admin(admin_client, draft, lambda d, p: None)
    delete_url = reverse("admin:articles_article_delete", args=[draft.pk])
    assert admin_client.post(delete_url, {"post": "yes"}).status_code == 302

    [version] = Version.objects.get_deleted(Article)
    recover_url = reverse("admin:articles_article_recover", args=[version.pk])
    page = admin_client.get(recover_url)
    assert admin_client.post(recover_url, change_form_data(page)).status_code == 302

    assert Article.objects.filter(title="Lost draft").exists()


def test_comparing_needs_rights_on_articles(client, django_user_model, seed_article):
    client.force_login(django_user_model.objects.create_user("temp", is_staff=True))

    response = client.get(
        reverse("admin:articles_article_compare", args=[seed_article.pk]),
        {"version_id1": 1, "version_id2": 2},
    )

    assert response.status_code == 403


def test_word_diff_marks_whole_words_in_context():
    from articles.publishing.diff import word_diff

    html = str(word_diff("after instrumental studies.", "after scans and other tests."))

    assert "after <del>instrumental studies.</del><ins>scans and other tests.</ins>" in html


def test_word_diff_escapes_text():
    from articles.publishing.diff import word_diff

    assert "<script>" not in str(word_diff("a", "<script>alert(1)</script>"))


@pytest.mark.parametrize("view", ["history/compare/", "history/1/", "preview/", "delete/"])
def test_a_malformed_article_id_is_a_404(admin_client, view):
    assert admin_client.get(f"/admin/articles/article/abc/{view}").status_code == 404


def test_restoring_keeps_the_address_readers_had(admin_client, client, seed_article):
    save_through_admin(admin_client, seed_article, lambda d, p: None)
    [original] = article_versions(seed_article)
    save_through_admin(admin_client, seed_article, lambda d, p: d.update(slug="renamed"))

    restore(admin_client, seed_article, original)

    assert client.get("/articles/night-calf-cramps/").status_code == 200
    assert client.get("/articles/renamed/")["Location"] == "/articles/night-calf-cramps/"


def test_an_editor_cannot_restore_away_a_clinical_review(admin_client, seed_article, db):
    from django.contrib.auth.models import Group
    from django.test import Client

    from articles.models import Review
    from tests.constants import PROXIED_HTTPS
    from tests.factories import ReviewFactory

    save_through_admin(admin_client, seed_article, lambda d, p: None)
    [before_review] = article_versions(seed_article)
    ReviewFactory(article=seed_article, kind=Review.Kind.CLINICAL, reviewer_role="GP")
    save_through_admin(admin_client, seed_article, lambda d, p: None)
    from django.contrib.auth import get_user_model

    editor = get_user_model().objects.create_user("ed", password="x" * 20, is_staff=True)
    editor.groups.add(Group.objects.get(name="Editors"))
    client = Client(headers=PROXIED_HTTPS)
    client.force_login(editor)
    url = reverse("admin:articles_article_revision", args=[seed_article.pk, before_review.pk])

    response = client.post(url, change_form_data(client.get(url)), follow=True)

    assert "only members of the Clinical reviewers group" in response.content.decode()
    assert seed_article.reviews.filter(kind=Review.Kind.CLINICAL).count() == 1

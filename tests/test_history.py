import re

import pytest
from django.apps import apps
from django.urls import reverse
from reversion.models import Revision, Version

from articles.models import Article, PreventionTip, Review, Section
from tests.accounts import member_of
from tests.admin_forms import (
    approve,
    article_versions,
    inline_prefix,
    restore,
    save_through_admin,
)
from tests.factories import ArticleFactory, ReviewFactory

pytestmark = pytest.mark.django_db

SEED_TITLE = "Night-time calf cramps: causes, what to do and when to get help"


def revision_url(article, version):
    return reverse("admin:articles_article_revision", args=[article.pk, version.pk])


def draft_of(page):
    return Article.rows.get(draft_of=page)


def page_rows(page):
    """The page's own row, parts and reviews: what readers are shown."""
    parts = ("sections", "causes", "relief_techniques", "prevention_tips", "callouts",
             "reviews", "sources")  # fmt: skip
    return {
        "article": Article.objects.filter(pk=page.pk).values().get(),
        **{name: list(getattr(page, name).order_by("pk").values()) for name in parts},
    }


def every_row():
    """Every row of the articles app and of the history, drafts included."""
    models = [*apps.get_app_config("articles").get_models(), Revision, Version]
    return {model.__name__: list(model._base_manager.order_by("pk").values()) for model in models}


def test_every_save_records_the_whole_article_with_who_and_a_comment(admin_client, seed_article):
    comment = "Simpler wording in the first section"

    def edit(data, page):
        data["revision_comment"] = comment
        data[f"{inline_prefix(page, Section)}-0-body"] = "New wording."

    save_through_admin(admin_client, seed_article, edit)

    revision = article_versions(seed_article).get(revision__comment=comment).revision
    assert revision.user.username == "admin"
    stored = {v.content_type.model for v in revision.version_set.all()}
    assert stored >= {
        "article", "section", "cause", "relieftechnique", "preventiontip", "callout", "source",
    }  # fmt: skip
    sections = revision.version_set.filter(content_type__model="section")
    assert sections.count() == seed_article.sections.count()
    assert "New wording." in [section.field_dict["body"] for section in sections]


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
    older, *_, newer = sorted(v.pk for v in article_versions(seed_article))

    response = admin_client.get(
        reverse("admin:articles_article_compare", args=[seed_article.pk]),
        {"version_id1": older, "version_id2": newer},
    )

    text = re.sub(r"<[^>]+>", "", response.content.decode())
    assert response.status_code == 200
    assert "A clearer title" in text
    assert "Rewritten section text" in text
    assert "edit token" not in text


def damage(data, page):
    """Delete the first prevention tip, swap the next two, reword a section and the title."""
    tips = inline_prefix(page, PreventionTip)
    data[f"{tips}-0-DELETE"] = "on"
    data[f"{tips}-1-position"], data[f"{tips}-2-position"] = 3, 2
    data[f"{inline_prefix(page, Section)}-0-body"] = "Damaged text."
    data["title"] = "Damaged title"


def test_restoring_an_earlier_version_brings_its_parts_back_into_the_unpublished_changes(
    admin_client, seed_article
):
    save_through_admin(admin_client, seed_article)
    [*_, original] = article_versions(seed_article)
    tips_before = list(seed_article.prevention_tips.values_list("body", flat=True))
    save_through_admin(admin_client, seed_article, damage)

    restore(admin_client, seed_article, original)

    draft = draft_of(seed_article)
    assert draft.title == SEED_TITLE
    assert list(draft.prevention_tips.values_list("body", flat=True)) == tips_before
    assert "Damaged text." not in draft.sections.values_list("body", flat=True)


def test_readers_get_a_restored_version_once_it_is_approved(client, admin_client, seed_article):
    save_through_admin(admin_client, seed_article)
    [*_, original] = article_versions(seed_article)
    tips_before = list(seed_article.prevention_tips.values_list("body", flat=True))
    save_through_admin(admin_client, seed_article, damage)
    restore(admin_client, seed_article, original)

    assert approve(admin_client, seed_article).status_code == 302

    seed_article.refresh_from_db()
    assert seed_article.title == SEED_TITLE
    assert list(seed_article.prevention_tips.values_list("body", flat=True)) == tips_before
    assert "Damaged text." not in seed_article.sections.values_list("body", flat=True)
    assert SEED_TITLE in client.get(seed_article.get_absolute_url()).content.decode()


def test_restoring_leaves_the_live_page_as_it_was(admin_client, seed_article):
    save_through_admin(admin_client, seed_article)
    [*_, original] = article_versions(seed_article)
    save_through_admin(admin_client, seed_article, damage)
    live = page_rows(seed_article)

    restore(member_of("Editors"), seed_article, original)

    assert page_rows(seed_article) == live


def test_looking_at_an_old_version_changes_nothing(admin_client, seed_article):
    save_through_admin(admin_client, seed_article)
    [*_, original] = article_versions(seed_article)
    save_through_admin(admin_client, seed_article, lambda d, p: d.update(title="Newer title"))
    rows = every_row()

    page = admin_client.get(revision_url(seed_article, original))

    assert "Night-time calf cramps: causes" in page.content.decode()
    assert every_row() == rows


def deleted_draft(admin_client, title):
    """The recover page's address for an article that was never published, now deleted."""
    draft = ArticleFactory(status=Article.Status.DRAFT, publish_at=None, title=title)
    save_through_admin(admin_client, draft)
    delete_url = reverse("admin:articles_article_delete", args=[draft.pk])
    assert admin_client.post(delete_url, {"post": "yes"}).status_code == 302
    [version] = Version.objects.get_deleted(Article)
    return reverse("admin:articles_article_recover", args=[version.pk])


def test_a_deleted_draft_can_be_recovered(admin_client):
    recover_url = deleted_draft(admin_client, "Lost draft")

    assert admin_client.get(recover_url).status_code == 200
    assert admin_client.post(recover_url).status_code == 302

    recovered = Article.objects.get(title="Lost draft")
    assert draft_of(recovered).title == "Lost draft"


def test_looking_at_a_deleted_article_recovers_nothing(admin_client):
    recover_url = deleted_draft(admin_client, "Lost draft")
    rows = every_row()

    page = admin_client.get(recover_url)

    assert "Lost draft" in page.content.decode()
    assert every_row() == rows


def test_comparing_needs_rights_on_articles(client, django_user_model, seed_article):
    client.force_login(django_user_model.objects.create_user("temp", is_staff=True))

    response = client.get(
        reverse("admin:articles_article_compare", args=[seed_article.pk]),
        {"version_id1": 1, "version_id2": 2},
    )

    assert response.status_code == 403


def test_word_diff_marks_whole_words_in_context_and_says_so_to_screen_readers():
    from articles.publishing.diff import ADDED, REMOVED, word_diff

    html = str(word_diff("after instrumental studies.", "after scans and other tests."))

    removed, added = (
        REMOVED.format("instrumental studies."),
        ADDED.format("scans and other tests."),
    )
    assert f"after {removed}{added}" in html
    assert "[removed: </span>instrumental studies." in html


def test_word_diff_escapes_text():
    from articles.publishing.diff import word_diff

    assert "<script>" not in str(word_diff("a", "<script>alert(1)</script>"))


@pytest.mark.parametrize("view", ["history/compare/", "history/1/", "preview/", "delete/"])
def test_a_malformed_article_id_is_a_404(admin_client, view):
    assert admin_client.get(f"/admin/articles/article/abc/{view}").status_code == 404


def test_an_approved_restore_of_an_earlier_address_keeps_the_later_one_working(
    admin_client, client, seed_article
):
    save_through_admin(admin_client, seed_article)
    [*_, original] = article_versions(seed_article)
    save_through_admin(admin_client, seed_article, lambda d, p: d.update(slug="renamed"))
    restore(admin_client, seed_article, original)

    assert approve(admin_client, seed_article).status_code == 302

    assert client.get("/articles/night-calf-cramps/").status_code == 200
    assert client.get("/articles/renamed/")["Location"] == "/articles/night-calf-cramps/"


def test_restoring_a_version_from_before_a_clinical_review_keeps_the_review(seed_article):
    editor = member_of("Editors")
    save_through_admin(editor, seed_article)
    [*_, before_review] = article_versions(seed_article)
    ReviewFactory(article=seed_article, kind=Review.Kind.CLINICAL, reviewer_role="GP")
    reviews = list(seed_article.reviews.values())

    restore(editor, seed_article, before_review)

    assert list(seed_article.reviews.values()) == reviews
    assert not Review.objects.filter(article__draft_of=seed_article).exists()


def test_a_deleted_translation_comes_back_in_its_language_unless_it_has_been_replaced(
    admin_client,
):
    source = ArticleFactory(title="Calf cramps", slug="calf-cramps")
    russian = ArticleFactory(
        status=Article.Status.DRAFT, publish_at=None, title="Судороги", slug="sudorogi",
        language="ru", translation_key=source.translation_key,
    )  # fmt: skip
    save_through_admin(admin_client, russian)
    delete_url = reverse("admin:articles_article_delete", args=[russian.pk])
    assert admin_client.post(delete_url, {"post": "yes"}).status_code == 302
    [version] = Version.objects.get_deleted(Article)
    recover_url = reverse("admin:articles_article_recover", args=[version.pk])
    replacement = ArticleFactory(
        slug="novaya", language="ru", translation_key=source.translation_key
    )

    assert admin_client.post(recover_url).status_code == 302  # said, not a 500
    assert not Article.objects.filter(title="Судороги").exists()

    replacement.delete()
    assert admin_client.post(recover_url).status_code == 302
    assert Article.objects.get(title="Судороги").language == "ru"

import pytest
from django.urls import reverse

from articles.models import Article
from tests.admin_forms import approve, change_form_data, unrendered
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def rename(client, article, slug):
    url = reverse("admin:articles_article_change", args=[article.pk])
    data = change_form_data(unrendered(client, url)) | {"slug": slug}
    assert client.post(url, data).status_code == 302


def test_old_address_of_a_published_article_redirects_for_good(admin_client, client):
    article = ArticleFactory(slug="leg-cramps")

    rename(admin_client, article, "night-leg-cramps")

    response = client.get("/articles/leg-cramps/")
    assert response.status_code == 301
    assert response["Location"] == "/articles/night-leg-cramps/"
    assert client.get("/articles/night-leg-cramps/").status_code == 200


def test_every_earlier_address_leads_to_the_current_one(admin_client, client):
    article = ArticleFactory(slug="first")
    rename(admin_client, article, "second")
    rename(admin_client, article, "third")

    for old in ("/articles/first/", "/articles/second/"):
        assert client.get(old)["Location"] == "/articles/third/"


def test_moving_back_to_an_old_address_drops_its_redirect(admin_client, client):
    article = ArticleFactory(slug="first")
    rename(admin_client, article, "second")
    rename(admin_client, article, "first")

    assert client.get("/articles/first/").status_code == 200
    assert client.get("/articles/second/")["Location"] == "/articles/first/"


def test_renaming_a_draft_leaves_no_redirect(admin_client, client):
    draft = ArticleFactory(slug="draft-name", status=Article.Status.DRAFT, publish_at=None)
    rename(admin_client, draft, "better-name")

    url = reverse("admin:articles_article_change", args=[draft.pk])
    published = change_form_data(unrendered(admin_client, url)) | {
        "status": Article.Status.PUBLISHED,
        "_publish": "Save and publish",
    }
    assert admin_client.post(url, published).status_code == 302

    assert client.get("/articles/better-name/").status_code == 200
    assert client.get("/articles/draft-name/").status_code == 404


def test_an_unpublished_new_address_leaves_readers_on_the_live_one(admin_client, client):
    article = ArticleFactory(slug="live-name")
    url = reverse("admin:articles_article_change", args=[article.pk])
    data = change_form_data(unrendered(admin_client, url), publish=False) | {"slug": "new-name"}

    assert admin_client.post(url, data).status_code == 302

    assert client.get("/articles/live-name/").status_code == 200
    assert client.get("/articles/new-name/").status_code == 404
    assert approve(admin_client, article).status_code == 302
    assert client.get("/articles/live-name/")["Location"] == "/articles/new-name/"
    assert client.get("/articles/new-name/").status_code == 200


def test_an_old_address_of_an_article_taken_offline_is_a_404(admin_client, client):
    article = ArticleFactory(slug="old")
    rename(admin_client, article, "new")
    Article.objects.filter(pk=article.pk).update(status=Article.Status.DRAFT)

    assert client.get("/articles/old/").status_code == 404


def test_the_editor_is_told_about_redirects_made_and_taken_over(admin_client):
    first = ArticleFactory(slug="first")
    url = reverse("admin:articles_article_change", args=[first.pk])
    data = change_form_data(unrendered(admin_client, url)) | {"slug": "second"}
    made = admin_client.post(url, data, follow=True).content.decode()
    other = ArticleFactory(slug="other", title="Other article")
    other_url = reverse("admin:articles_article_change", args=[other.pk])
    data = change_form_data(unrendered(admin_client, other_url)) | {"slug": "first"}
    taken = admin_client.post(other_url, data, follow=True).content.decode()

    assert "The old address /articles/first/ now sends readers here." in made
    assert "/articles/first/ used to send readers to" in taken


def test_an_old_bedside_card_address_leads_to_the_new_card(admin_client, client):
    from tests.factories import ReliefTechniqueFactory

    article = ArticleFactory(slug="old-name")
    ReliefTechniqueFactory(article=article, is_quick_help=True)
    rename(admin_client, article, "new-name")

    response = client.get("/articles/old-name/bedside-card/")

    assert response["Location"] == "/articles/new-name/bedside-card/"

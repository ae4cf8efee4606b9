"""HTTP as caches and crawlers need it: validators, 304s, cache lifetimes, no cookies."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def reader_paths(article):
    return [
        reverse("articles:index"),
        article.get_absolute_url(),
        reverse("articles:bedside_card", args=[article.slug]),
        reverse("articles:diary"),
        reverse("articles:search") + "?q=cramp",
        reverse("articles:feed"),
        reverse("sitemap"),
        reverse("robots_txt"),
    ]


def test_reader_pages_set_no_cookies_and_may_be_kept_briefly(client, seed_article):
    for path in reader_paths(seed_article):
        response = client.get(path)
        assert response.status_code == 200, path
        assert not response.cookies, path
        assert "Set-Cookie" not in response, path
        cache_control = response["Cache-Control"]
        assert "public" in cache_control and "max-age=300" in cache_control, path
        assert "Vary" not in response or "Cookie" not in response["Vary"], path


def test_conditional_get_answers_304(client, seed_article):
    hits = 0
    paths = reader_paths(seed_article)
    for path in paths:
        first = client.get(path)
        assert first.has_header("ETag"), path
        again = client.get(path, headers={"If-None-Match": first["ETag"]})
        hits += again.status_code == 304
        assert again.content == b""
    assert hits == len(paths)


def test_a_changed_page_is_sent_again(client, admin_client, seed_article):
    from tests.admin_forms import save_through_admin

    first = client.get(seed_article.get_absolute_url())
    save_through_admin(
        admin_client, seed_article, lambda data, page: data.update(title="A new title")
    )

    again = client.get(seed_article.get_absolute_url(), headers={"If-None-Match": first["ETag"]})

    assert again.status_code == 200


def test_admin_and_previews_are_never_stored(admin_client, seed_article):
    for url in (
        reverse("admin:index"),
        reverse("admin:articles_article_change", args=[seed_article.pk]),
        reverse("admin:articles_article_preview", args=[seed_article.pk]),
    ):
        cache_control = admin_client.get(url)["Cache-Control"]
        assert "private" in cache_control and "no-store" in cache_control, url


def test_unknown_addresses_are_real_404s(client, db):
    for path in ("/nothing-here/", "/articles/", "/articles/UPPER/", "/articles/x/y/"):
        assert client.get(path).status_code == 404, path


def test_one_canonical_form_for_trailing_slashes(client, seed_article):
    response = client.get("/articles/night-calf-cramps")

    assert response.status_code == 301
    assert response["Location"] == "/articles/night-calf-cramps/"

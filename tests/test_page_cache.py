"""The shared page cache, in this process; tests/test_production.py runs it under gunicorn."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from articles.caching.pages import seconds_to_keep
from articles.models import Article, Section
from tests.admin_forms import change_form_data, inline_prefix, save_through_admin
from tests.factories import ArticleFactory, ReliefTechniqueFactory
from tests.pages import warm

pytestmark = pytest.mark.django_db


def test_reader_pages_are_served_from_the_cache(client, seed_article):
    for url in (reverse("articles:index"), reverse("articles:index") + "?page=1",
                seed_article.get_absolute_url(), reverse("sitemap")):  # fmt: skip
        fresh = client.get(url)
        cached = warm(client, url)
        assert cached.content == fresh.content
        assert cached["Content-Type"] == fresh["Content-Type"]
        assert cached["ETag"] == fresh["ETag"]


def test_a_cached_page_answers_a_conditional_get_with_304(client, seed_article):
    url = seed_article.get_absolute_url()
    etag = warm(client, url)["ETag"]

    response = client.get(url, headers={"If-None-Match": etag})

    assert response.status_code == 304
    assert response["X-Cache"] == "HIT"


def test_gzip_and_plain_readers_get_their_own_copy(client, seed_article):
    url = seed_article.get_absolute_url()
    gzip = {"Accept-Encoding": "gzip"}
    warm(client, url)
    for _ in range(3):
        zipped = client.get(url, headers=gzip)

    assert zipped["Content-Encoding"] == "gzip"
    assert "Content-Encoding" not in client.get(url)


def test_an_editors_save_makes_every_affected_page_fresh_at_once(
    admin_client, client, seed_article, django_capture_on_commit_callbacks
):
    article_url, home = seed_article.get_absolute_url(), reverse("articles:index")
    for url in (article_url, home):
        warm(client, url)
    change = reverse("admin:articles_article_change", args=[seed_article.pk])
    page = admin_client.get(change)
    data = change_form_data(page)
    data[f"{inline_prefix(page, Section)}-0-heading"] = "A heading nobody has seen"

    # The new generation starts when the save commits.
    with django_capture_on_commit_callbacks(execute=True):
        assert admin_client.post(change, data).status_code == 302

    for url in (article_url, home):
        response = client.get(url)
        assert response["X-Cache"] == "MISS"
        assert "A heading nobody has seen" in response.content.decode()


def test_unpublishing_takes_the_page_down_at_once(
    admin_client, client, seed_article, django_capture_on_commit_callbacks
):
    warm(client, seed_article.get_absolute_url())
    change = reverse("admin:articles_article_change", args=[seed_article.pk])
    data = change_form_data(admin_client.get(change)) | {"status": Article.Status.DRAFT}

    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(change, data)

    assert client.get(seed_article.get_absolute_url()).status_code == 404


def test_no_page_outlives_the_next_scheduled_go_live():
    now = timezone.now()
    ArticleFactory(publish_at=now + datetime.timedelta(seconds=90))

    assert 0 < seconds_to_keep(now) <= 90


def test_a_scheduled_article_appears_when_its_time_comes(client, settings):
    now = timezone.now()
    ArticleFactory(title="Already live")
    soon = ArticleFactory(title="Goes live soon", publish_at=now + datetime.timedelta(seconds=2))
    warm(client, reverse("articles:index"))

    # Its time comes: the stored page expires with it, however long PAGE_CACHE_SECONDS is.
    Article.objects.filter(pk=soon.pk).update(publish_at=now - datetime.timedelta(seconds=1))

    with time_machine.travel(now + datetime.timedelta(seconds=2.1), tick=False):
        assert "Goes live soon" in client.get(reverse("articles:index")).content.decode()


def test_pages_for_staff_and_private_pages_are_never_stored(admin_client, client, seed_article):
    preview = reverse("admin:articles_article_preview", args=[seed_article.pk])
    for _ in range(3):
        response = admin_client.get(preview)
        assert response["X-Cache"] == "MISS"
    assert client.get(preview).status_code == 302


def test_responses_that_set_a_cookie_are_not_stored(client, db):
    login = reverse("admin:login")
    for _ in range(3):
        assert client.get(login)["X-Cache"] == "MISS"


def test_not_found_pages_are_not_stored(client, db):
    for _ in range(3):
        response = client.get("/articles/no-such-article/")
        assert response.status_code == 404 and response["X-Cache"] == "MISS"


def test_a_dead_cache_server_leaves_the_site_serving(client, seed_article, settings):
    from tests.servers import free_port

    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.25},
        }
    }

    response = client.get(seed_article.get_absolute_url())

    assert response.status_code == 200
    assert seed_article.title in response.content.decode()


def test_a_cached_page_carries_the_security_headers_it_was_built_with(client, seed_article):
    fresh = client.get(seed_article.get_absolute_url())
    cached = warm(client, seed_article.get_absolute_url())

    for header in ("Content-Security-Policy", "Strict-Transport-Security",
                   "Cross-Origin-Resource-Policy", "X-Content-Type-Options", "Referrer-Policy",
                   "Cross-Origin-Opener-Policy", "X-Frame-Options"):  # fmt: skip
        assert cached[header] == fresh[header], header
    assert not cached.cookies


def test_plain_http_is_still_redirected_when_the_page_is_cached(seed_article):
    from django.test import Client

    from tests.constants import PROXIED_HTTPS

    warm(Client(headers=PROXIED_HTTPS), seed_article.get_absolute_url())

    response = Client(headers={"Host": "testserver"}).get(seed_article.get_absolute_url())

    assert response.status_code == 301
    assert response["Location"].startswith("https://")


@pytest.mark.parametrize(
    "query", ["/search/?q=cramp", "/?utm_source=x", "/articles/night-calf-cramps/?v=1"]
)
def test_searches_and_stray_query_strings_never_fill_the_cache(client, seed_article, query):
    for _ in range(3):
        assert client.get(query)["X-Cache"] == "MISS"


def test_a_publication_makes_stale_only_the_pages_that_show_the_article(
    admin_client, client, django_capture_on_commit_callbacks
):
    published = ArticleFactory(title="Changes now")
    ReliefTechniqueFactory(article=published, is_quick_help=True)  # it has a bedside card
    linking = ArticleFactory(title="Links to it")
    linking.related_articles.add(published)
    unrelated = ArticleFactory(title="Stays cached")
    pages = {
        "its page": published.get_absolute_url(),
        "its bedside card": reverse("articles:bedside_card", args=[published.slug]),
        "a page linking to it": linking.get_absolute_url(),
        "the home page": reverse("articles:index"),
        "the sitemap": "/sitemap.xml",
        "the feed": reverse("articles:feed"),
        "an unrelated page": unrelated.get_absolute_url(),
    }
    for url in pages.values():
        assert warm(client, url).status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        save_through_admin(admin_client, published, lambda d, p: d.update(title="Changed"))

    served = {name: client.get(url)["X-Cache"] for name, url in pages.items()}
    assert served == {
        "its page": "MISS",
        "its bedside card": "MISS",
        "a page linking to it": "MISS",
        "the home page": "MISS",
        "the sitemap": "MISS",
        "the feed": "MISS",
        "an unrelated page": "HIT",
    }


def test_saving_unpublished_changes_makes_nothing_stale(
    client, seed_article, django_capture_on_commit_callbacks
):
    from tests.accounts import member_of

    editor = member_of("Editors")
    url = seed_article.get_absolute_url()
    warm(client, url)

    with django_capture_on_commit_callbacks(execute=True):
        save_through_admin(editor, seed_article, lambda d, p: d.update(title="Unapproved title"))

    assert client.get(url)["X-Cache"] == "HIT"


def test_a_scheduled_switch_bounds_only_the_pages_that_show_it():
    now = timezone.now()
    soon = ArticleFactory(publish_at=now + datetime.timedelta(seconds=90))
    linking, unrelated = ArticleFactory(), ArticleFactory()
    linking.related_articles.add(soon)

    assert 0 < seconds_to_keep(now, {f"article:{soon.pk}"}) <= 90
    assert 0 < seconds_to_keep(now, {f"article:{linking.pk}", f"article:{soon.pk}"}) <= 90
    assert seconds_to_keep(now, {f"article:{unrelated.pk}"}) > 90
    assert 0 < seconds_to_keep(now) <= 90  # lists show every article


def test_a_change_of_words_leaves_home_pages_that_do_not_list_the_article_cached(
    admin_client, client, django_capture_on_commit_callbacks
):
    articles = [ArticleFactory(title=f"Article {n:02d}") for n in range(25)]
    first_page, second_page = reverse("articles:index"), reverse("articles:index") + "?page=2"
    for url in (first_page, second_page):
        warm(client, url)

    with django_capture_on_commit_callbacks(execute=True):
        save_through_admin(
            admin_client, articles[0], lambda d, p: d.update(summary="A new summary " * 5)
        )

    assert client.get(first_page)["X-Cache"] == "MISS"  # it lists that article
    assert client.get(second_page)["X-Cache"] == "HIT"

    # A new title can change the order, and with it every page of the list.
    with django_capture_on_commit_callbacks(execute=True):
        save_through_admin(admin_client, articles[0], lambda d, p: d.update(title="Zzz last"))

    assert client.get(second_page)["X-Cache"] == "MISS"

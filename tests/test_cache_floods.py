"""The caches cannot be flooded: a client that varies what it sends (query-string spellings,
Host spellings, Accept-Encoding) adds no entry to the page cache and no stored rendering,
and stored renderings of other builds, origins or tokens do not stay."""

import uuid
from pathlib import Path

import pytest
import redis
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.caching.rendered import BUILD
from articles.models import Article, RenderedPage
from tests.constants import FORWARDED_HTTPS
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

REDIS_URL = "redis://127.0.0.1:6379/13"


@pytest.fixture(params=["files", "redis"])
def entries(request, settings):
    """How many entries the page cache holds, in the backend the test runs on."""
    if request.param == "files":
        folder = Path(settings.CACHES["default"]["LOCATION"])
        yield lambda: len(list(folder.glob("*.djcache")))
        return
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "cramps",
        }
    }
    cache.clear()
    with redis.Redis.from_url(REDIS_URL) as server:
        yield server.dbsize
    cache.clear()


def served_from_the_cache(client, url, **headers):
    """The response, and whether it was answered without a query to the database."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, headers=headers)
    assert response.status_code == 200, url
    return response, not queries


def warm(client, url):
    for _ in range(3):
        if served_from_the_cache(client, url)[1]:
            return
    raise AssertionError(f"{url} never came from the cache")


def query_spellings(path, count):
    """Query strings that Django reads as no query, or as page 2 alone."""
    for n in range(count):
        yield (
            f"{path}?{'&' * n}",
            f"{path}?page=2{'&' * n}",
            f"{path}?{'&' * n}page=2",
            f"{path}?pa%67e=2{'&' * n}",
        )[n % 4]


def test_query_string_spellings_of_a_page_share_its_one_entry(client, entries):
    ArticleFactory.create_batch(25)  # two pages of the list
    home = reverse("articles:index")
    for url in (home, f"{home}?page=2"):
        warm(client, url)
    stored = entries()

    answers = [served_from_the_cache(client, url) for url in query_spellings(home, 100)]

    assert entries() == stored
    assert all(hit for _, hit in answers)


def test_host_spellings_add_no_stored_page_and_no_cache_entry(client, seed_article, entries):
    url = seed_article.get_absolute_url()
    warm(client, url)
    stored = entries()

    for port in range(30001, 30101):
        response = client.get(url, headers={**FORWARDED_HTTPS, "Host": f"testserver:{port}"})
        assert response.status_code == 200
        # Rendered for the address it was asked at, so never stored for another.
        assert f"https://testserver:{port}/articles/" in response.content.decode()

    assert RenderedPage.objects.count() == 1
    assert entries() == stored
    canonical, hit = served_from_the_cache(client, url)
    assert hit and b"https://testserver:" not in canonical.content


def test_stored_renderings_stay_one_per_page_across_builds_edits_and_origins(client, settings):
    settings.PAGE_CACHE_SECONDS = 0  # every request reaches the stored renderings
    urls = [article.get_absolute_url() for article in ArticleFactory.create_batch(10)]

    def render_all(**headers):
        for url in urls:
            assert client.get(url, headers=headers).status_code == 200

    render_all()
    RenderedPage.objects.update(release="the build before")
    render_all()
    for article in Article.objects.all():  # an edit of each: every rendering is stale
        Article.objects.filter(pk=article.pk).update(pages_token=uuid.uuid4())
    render_all()
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "cramps.example"]
    settings.SITE_ORIGIN = "https://cramps.example"  # the site moves
    render_all(**FORWARDED_HTTPS, Host="cramps.example")

    assert RenderedPage.objects.count() == len(urls)
    assert set(RenderedPage.objects.values_list("release", "origin")) == {
        (BUILD, "https://cramps.example")
    }


@pytest.mark.parametrize(
    "refusal", ["gzip;q=0", "gzip; q=0.000, identity", "x-gzip;Q=0", "br, gzip;q=0 ,deflate"]
)
def test_a_reader_who_refuses_gzip_never_gets_it(client, seed_article, refusal):
    url = seed_article.get_absolute_url()
    for _ in range(3):  # the gzip copy is stored
        assert client.get(url, headers={"Accept-Encoding": "gzip"})["Content-Encoding"] == "gzip"

    for _ in range(3):
        assert "Content-Encoding" not in client.get(url, headers={"Accept-Encoding": refusal})
    for _ in range(3):
        assert "Content-Encoding" not in client.get(url)  # nor was it stored as the plain copy


def test_responses_do_not_say_what_is_cached(client, seed_article, settings):
    settings.PAGE_CACHE_STATUS_HEADER = False  # the production default
    url = seed_article.get_absolute_url()
    warm(client, url)

    response, hit = served_from_the_cache(client, url)

    assert hit and "X-Cache" not in response
    assert "X-Cache" not in client.get(reverse("admin:login"))


@pytest.mark.parametrize(
    ("header", "codings"),
    [
        ("gzip, deflate, br", ["gzip", "deflate", "br"]),
        ("GZIP;q=0.001", ["gzip"]),
        ("gzip;q=1.000, br;q=0", ["gzip"]),
        # Not weights at all: refused, never guessed.
        ("gzip;q=1.5, br;q=nan, deflate;q=, zstd;q=0.0001", []),
        (",, ;q=1, *", ["*"]),
        ("g" * 300_000 + "zip;" + "q=0;" * 50_000, []),
    ],
)
def test_accept_encoding_is_read_with_its_weights(header, codings):
    from articles.caching.variants import accepted_codings

    assert accepted_codings(header) == codings


def test_the_sites_origin_is_the_first_host_unless_set():
    from tests.processes import settings_in_a_fresh_process

    secret = {"DJANGO_SECRET_KEY": "x" * 50}
    derived = settings_in_a_fresh_process(
        "SITE_ORIGIN", DJANGO_ALLOWED_HOSTS=".Cramps.example.org,10.0.0.11", **secret
    )
    given = settings_in_a_fresh_process(
        "SITE_ORIGIN", DJANGO_SITE_ORIGIN="HTTPS://Cramps.example.org:443/", **secret
    )

    assert derived == given == {"SITE_ORIGIN": "https://cramps.example.org"}

"""The site under gunicorn, as deployed: shared cache across workers, faults, reloads.

Each test starts real gunicorn processes against this test's database (committed data,
so the tests are transactional) and real or deliberately unreachable services.
"""

import os
import signal
import threading
import time

import pytest
from django.urls import reverse

from articles.models import Section
from tests import servers
from tests.accounts import signed_in
from tests.admin_forms import change_form_data, inline_prefix, unrendered

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

REDIS_TEST_URL = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/15")


def file_cache(settings, directory):
    """Point this process at the cache the servers use, as another host would."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(directory),
        }
    }
    return {"DJANGO_CACHE_DIR": str(directory)}


def redis_cache(settings):
    from django.core.cache import cache

    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_TEST_URL,
            "KEY_PREFIX": "cramps",
        }
    }
    cache.clear()
    return {"REDIS_URL": REDIS_TEST_URL}


def edit_first_section(article, text):
    """An editor's save through the admin of this process: another host, same data."""
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_superuser("editor", "e@example.org", "x" * 20)
    editor = signed_in(user)
    url = reverse("admin:articles_article_change", args=[article.pk])
    page = unrendered(editor, url)
    data = change_form_data(page)
    data[f"{inline_prefix(page, Section)}-0-body"] = text
    assert editor.post(url, data).status_code == 302


def read_many(url, times=24):
    return [servers.fetch(url) for _ in range(times)]


@pytest.mark.parametrize("backend", ["files", "redis"])
def test_an_edit_is_seen_by_every_worker_at_once(settings, tmp_path, launch_content, backend):
    env = file_cache(settings, tmp_path / "cache") if backend == "files" else redis_cache(settings)
    article = launch_content[0]
    with servers.gunicorn(tmp_path / "static", workers=4, **env) as base:
        url = base + article.get_absolute_url()
        assert servers.until_cached(url)
        warmed = read_many(url)
        assert [h["X-Cache"] for _, h, _ in warmed].count("HIT") >= 20

        edit_first_section(article, "Freshly edited wording for every worker.")

        after = read_many(url)
    assert all(status == 200 for status, _, _ in after)
    assert all(b"Freshly edited wording for every worker." in body for _, _, body in after)


def test_a_down_database_serves_cached_pages_and_a_plain_503_otherwise(
    settings, tmp_path, launch_content
):
    env = file_cache(settings, tmp_path / "cache")
    cached, uncached = (article.get_absolute_url() for article in launch_content)
    # Behind the proxy every server sees the site's one host name.
    site = {"Host": "localhost"}
    with servers.gunicorn(tmp_path / "static", **env) as base:
        assert servers.until_cached(base + cached, site)
    # A second server, same cache, and a database address where nothing listens.
    nowhere = f"postgres://postgres@127.0.0.1:{servers.free_port()}/cramps"
    with servers.gunicorn(tmp_path / "static2", DATABASE_URL=nowhere, **env) as base:
        served = servers.fetch(base + cached, site)
        refused = servers.fetch(base + uncached, site)
        ready = servers.fetch(base + reverse("readyz"))
        alive = servers.fetch(base + reverse("healthz"))

    assert served[0] == 200 and served[1]["X-Cache"] == "HIT"
    status, headers, body = refused
    assert status == 503
    assert headers["Retry-After"] == "30"
    assert b"Traceback" not in body and b"try again in a minute" in body
    assert ready[0] == 503 and alive[0] == 200


def test_a_down_redis_leaves_the_site_serving_from_the_database(tmp_path, launch_content):
    nowhere = f"redis://127.0.0.1:{servers.free_port()}/0"
    with servers.gunicorn(tmp_path / "static", REDIS_URL=nowhere) as base:
        page = servers.fetch(base + launch_content[0].get_absolute_url())
        ready = servers.fetch(base + reverse("readyz"))

    assert page[0] == 200 and launch_content[0].title.encode() in page[2]
    assert ready[0] == 200 and b'"degraded"' in ready[2]


def test_health_endpoints_answer_when_all_is_well(settings, tmp_path, launch_content):
    env = file_cache(settings, tmp_path / "cache")
    with servers.gunicorn(tmp_path / "static", **env) as base:
        ready = servers.fetch(base + reverse("readyz"))
        alive = servers.fetch(base + reverse("healthz"))

    assert ready[0] == 200 and b'"database": true' in ready[2] and b'"cache": true' in ready[2]
    assert alive[0] == 200


def test_a_graceful_reload_keeps_serving(settings, tmp_path, launch_content):
    env = file_cache(settings, tmp_path / "cache")
    results, stop = [], threading.Event()
    with servers.gunicorn(tmp_path / "static", **env) as base:
        url = base + launch_content[0].get_absolute_url()

        def keep_reading():
            while not stop.is_set():
                try:
                    results.append(servers.fetch(url)[0])
                except OSError as error:
                    results.append(repr(error))

        readers = [threading.Thread(target=keep_reading) for _ in range(4)]
        for reader in readers:
            reader.start()
        while len(results) < 50:
            time.sleep(0.05)
        os.kill(servers.last_gunicorn_pid(), signal.SIGHUP)
        seen = len(results)
        while len(results) < seen + 200:
            time.sleep(0.05)
        stop.set()
        for reader in readers:
            reader.join()

    assert len(results) >= 250
    assert set(results) == {200}


def test_a_very_long_search_gets_the_results_page_cut_politely(settings, tmp_path, launch_content):
    env = file_cache(settings, tmp_path / "cache")
    query = "cramp " * 1200  # 7,200 characters: past gunicorn's default request line
    with servers.gunicorn(tmp_path / "static", **env) as base:
        status, _, body = servers.fetch(
            f"{base}{reverse('articles:search')}?q={query.replace(' ', '+')}"
        )

    assert status == 200
    assert b"result" in body and b"URI Too Long" not in body

import os

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from articles.models import Article
from tests.browsing import CHROMIUM, CHROMIUM_ARGS, DESKTOP, editor_account, signed_in_as
from tests.constants import FORWARDED_HTTPS, PROXIED_HTTPS, SEED_SLUG

# Modules whose tests do not depend on which database runs under them: pages in a browser,
# headers, settings, static files, text, forms and permissions through the ORM, nginx (which
# brings its own PostgreSQL). They run once. Every other module, new ones included, is
# marked `database` and runs again on PostgreSQL in CI (`make test-database`): raw SQL,
# full-text search, locks and transactions, constraints, migrations, dumps, the cache's
# stored pages, production servers. A test in a module here that depends on the database
# itself carries @pytest.mark.database.
RUN_ONCE = {
    "test_access", "test_admin", "test_admin_rough_edges", "test_admin_wording", "test_audit",
    "test_browser", "test_browser_admin", "test_browser_dashboard", "test_browser_errors",
    "test_change_page", "test_compare", "test_crawl", "test_deploy", "test_editor_views",
    "test_editorial", "test_evidence", "test_http", "test_image_uploads",
    "test_interface_language", "test_launch_content", "test_markdown", "test_numbers",
    "test_offline",
    "test_reviews", "test_roles", "test_security", "test_seo",
    "test_settings", "test_static", "test_translated_content", "test_urls", "test_views",
}  # fmt: skip


# Modules whose tests share a server, a Redis database or a module-wide fixture: each runs
# whole in one test process (make test runs two, pytest-xdist's --dist loadgroup).
ONE_PROCESS = {"test_cache_floods", "test_deploy", "test_production"}


def pytest_collection_modifyitems(items):
    for item in items:
        module = item.module.__name__.rpartition(".")[2]
        if module not in RUN_ONCE:
            item.add_marker(pytest.mark.database)
        if module in ONE_PROCESS:
            item.add_marker(pytest.mark.xdist_group(module))


@pytest.fixture(autouse=True)
def _test_storage_and_cache(settings, tmp_path):
    # Manifest storage needs collectstatic first; uploads go to a throwaway folder.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STATIC_ROOT.mkdir()
    # A page cache of its own for each test, so no page outlives the data it came from.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path / "cache"),
        }
    }


@pytest.fixture
def client():
    return Client(headers=PROXIED_HTTPS)


@pytest.fixture
def admin_client(admin_user):
    from tests.accounts import signed_in

    return signed_in(admin_user)


@pytest.fixture
def editor_client(django_user_model):
    """A staff user with every permission on the articles app, but not a superuser."""
    from django.contrib.auth.models import Permission

    editor = django_user_model.objects.create_user(
        "editor", "editor@example.org", "a-long-editor-password", is_staff=True
    )
    editor.user_permissions.set(Permission.objects.filter(content_type__app_label="articles"))
    from tests.accounts import signed_in

    return signed_in(editor)


@pytest.fixture
def seed_article(db):
    call_command("loaddata", SEED_SLUG, verbosity=0)
    call_command("rebuild_search_index", verbosity=0)
    return Article.objects.get(slug=SEED_SLUG)


@pytest.fixture
def launch_content(db):
    """Both launch articles, as `make run` loads them into an empty database (their
    Russian editions too, left out of the list: `translations` gives them)."""
    call_command("seed_if_empty", verbosity=0)
    return list(Article.objects.filter(language=settings.LANGUAGE_CODE).order_by("pk"))


@pytest.fixture
def translations(launch_content):
    """The launch articles' editions in other languages, as the seed loads them."""
    return list(Article.objects.exclude(language=settings.LANGUAGE_CODE).order_by("pk"))


@pytest.fixture
def editor(db):
    """A signed-in member of the Editors group."""
    from tests.accounts import member_of

    return member_of("Editors")


@pytest.fixture
def clinical_reviewer(db):
    """A signed-in member of the Clinical reviewers group, past two-step sign-in."""
    from tests.accounts import member_of

    return member_of("Clinical reviewers")


# The browser tests' (tests/browsing.py): one Chromium for each test process.
@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        message = (
            f"Chromium not found at {CHROMIUM}: install Debian's package "
            "(apt-get install chromium) or set CHROMIUM_PATH to run the browser tests."
        )
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    # Playwright's sync API runs an event loop; the ORM calls in these tests are still sync.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def open_page(browser, live_server):
    """Opens a path of the live site in a fresh page with the given viewport and scheme."""
    contexts = []

    def open_page(path, viewport=DESKTOP, color_scheme="light", javascript=True):
        context = browser.new_context(
            viewport=viewport,
            color_scheme=color_scheme,
            java_script_enabled=javascript,
            extra_http_headers=FORWARDED_HTTPS,
        )
        contexts.append(context)
        page = context.new_page()
        page.goto(live_server.url + path)
        return page

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def editor_page(browser, live_server, launch_content, settings):
    """The article's change page in the admin, signed in as an editor (who may not publish)."""
    # The test server speaks plain http behind a pretend proxy: its forms post from there.
    settings.CSRF_TRUSTED_ORIGINS = [live_server.url]
    user = editor_account()
    context = browser.new_context(viewport=DESKTOP, extra_http_headers=FORWARDED_HTTPS)
    signed_in_as(context, live_server, user)
    page = context.new_page()
    article = launch_content[0]
    page.goto(live_server.url + reverse("admin:articles_article_change", args=[article.pk]))
    assert page.locator("#id_lead").count() == 1, page.url
    yield page, article
    context.close()

"""Readers' pages with no signal: the service worker, in Chromium offline as Playwright
makes it; and what it is made from (the worker script, the manifest, the offline page)."""

import datetime
import json
import time
import uuid

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse
from django.utils import timezone, translation
from PIL import Image
from pytest_django.live_server_helper import LiveServer

from articles.models import Article, Review, Section
from articles.offline import views as offline
from tests.admin_forms import change_form_data, inline_prefix
from tests.browsing import PHONE, axe_violations

SW = "/sw.js"


# -- What the worker is made from -----------------------------------------------------------


@pytest.mark.django_db
def test_the_worker_is_served_from_the_root_never_kept_and_names_what_it_saves(
    client, launch_content
):
    response = client.get(SW)
    script = response.content.decode()

    assert response.status_code == 200
    assert response["Content-Type"] == "text/javascript; charset=utf-8"
    assert response["Cache-Control"] == "no-cache"
    assert not response.cookies
    home_help = next(a for a in launch_content if a.is_home_help)
    for code in ("en-gb", "ru"):
        with translation.override(code):
            assert json.dumps(reverse("articles:offline")) in script
    assert json.dumps(reverse("articles:bedside_card", args=[home_help.slug])) in script
    assert client.post(SW).status_code == 405


@pytest.mark.django_db
def test_a_new_release_is_a_new_worker(client, db, monkeypatch):
    first = client.get(SW).content
    monkeypatch.setattr(offline, "RELEASE", "another-release")

    assert client.get(SW).content != first


@pytest.mark.django_db
def test_the_manifest_opens_the_bedside_card_with_the_sites_icons(client, launch_content):
    home_help = next(a for a in launch_content if a.is_home_help)
    for code in ("en-gb", "ru"):
        with translation.override(code):
            response = client.get(reverse("articles:manifest"))
            bedside = reverse("articles:bedside_card", args=[home_help.slug])
        manifest = json.loads(response.content)

        assert response["Content-Type"] == "application/manifest+json"
        assert manifest["name"] == "Night Cramps" and manifest["display"] == "standalone"
        assert manifest["start_url"] == bedside
        for icon in manifest["icons"]:
            width, height = map(int, icon["sizes"].split("x"))
            path = finders.find(icon["src"].removeprefix("/static/"))
            with Image.open(path) as image:
                assert image.size == (width, height)
        assert {icon["purpose"] for icon in manifest["icons"]} == {"any", "maskable"}


@pytest.mark.django_db
def test_every_reader_page_offers_the_worker_and_the_note_a_saved_copy_opens_with(
    client, launch_content
):
    for url in ("/", launch_content[0].get_absolute_url(), "/ru/", reverse("articles:offline")):
        body = client.get(url).content.decode()
        assert f'data-worker="{SW}"' in body
        assert '<template id="offline-note">' in body
        assert 'rel="manifest"' in body
    article = client.get(launch_content[0].get_absolute_url()).content.decode()
    review = launch_content[0].last_review()
    assert f'data-last-reviewed="{review.reviewed_on:%Y-%m-%d}"' in article


# -- In the browser -------------------------------------------------------------------------

browser_test = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def site(settings, transactional_db):
    """A server of its own that answers plain http without sending it to https: the
    worker's own requests carry none of the proxy headers the other browser tests add, and
    a worker refuses a script behind a redirect. Its middleware is built as it starts, so
    it reads the setting."""
    settings.SECURE_SSL_REDIRECT = False
    server = LiveServer("localhost:0")
    yield server.url
    server.stop()


@pytest.fixture
def reader(browser, site, launch_content):
    """A phone's browser that has opened the article once, with the worker in control."""
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    article = launch_content[0]
    page.goto(site + article.get_absolute_url())
    wait_until(page, "() => navigator.serviceWorker.controller !== null")
    wait_until_saved(page, article.get_absolute_url())
    yield context, page, article, site
    context.close()


def wait_until(page, function, arg=None, seconds=20):
    """Until `function` (JavaScript) is true in the page. Polled with evaluate: the page's
    CSP forbids the eval that wait_for_function's string predicates need."""
    deadline = time.monotonic() + seconds
    while not page.evaluate(function, arg):
        assert time.monotonic() < deadline, function
        time.sleep(0.1)


def wait_until_saved(page, path):
    wait_until(
        page,
        """async (path) => {
            for (const name of await caches.keys()) {
                if (await (await caches.open(name)).match(path)) return true;
            }
            return false;
        }""",
        path,
    )


def note(page):
    return page.locator(".offline-note")


def browser_today(page):
    """Today as the browser writes it (its clock and zone, not the server's)."""
    return page.evaluate(
        """() => new Date().toLocaleDateString(
            "en-GB", { day: "numeric", month: "long", year: "numeric" })"""
    )


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_after_one_visit_the_article_the_bedside_card_and_the_cards_work_offline(reader):
    context, page, article, site = reader
    today = browser_today(page)
    context.set_offline(True)

    response = page.goto(site + article.get_absolute_url())
    assert page.locator("h1").inner_text() == article.title
    saved = note(page).inner_text()
    assert "You are offline." in saved and f"saved on this device on {today}" in saved
    # The page's own security headers come with the saved copy.
    assert "script-src 'self'" in response.headers["content-security-policy"]
    review = article.last_review().reviewed_on
    assert f"last reviewed on {review.day} {review:%B %Y}" in saved
    assert "out of date" not in saved

    # Saved when the worker started, though never opened.
    page.goto(site + reverse("articles:bedside_card", args=[article.slug]))
    assert page.locator("h1").inner_text() == "During a night cramp"
    assert page.locator(".care-card--emergency").count() == 1
    card = note(page).inner_text()
    assert f"saved on this device on {today}" in card and "not saved" not in card

    # A page never saved: what to do, the cards, the number, and what this phone has.
    page.goto(site + reverse("articles:diary"))
    assert page.locator("h1").inner_text() == "No connection"
    assert page.locator(".care-card--emergency, .care-card--urgent").count() == 2
    assert page.locator('a[href="tel:999"]').count() >= 2
    fallback = note(page).inner_text()
    assert "That page is not saved on this device." in fallback
    assert page.locator(f'.offline-note a[href="{article.get_absolute_url()}"]').count() == 1
    assert axe_violations(page) == []

    # In Russian, the Russian offline page, with its note in Russian.
    page.goto(site + "/ru/diary/")
    assert page.locator("h1").inner_text() == "Нет соединения"
    assert "Вы не в сети." in note(page).inner_text()


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_publication_replaces_the_saved_copy_on_the_next_visit(reader, admin_user):
    from tests.accounts import signed_in

    context, page, article, site = reader
    editor = signed_in(admin_user)
    change = reverse("admin:articles_article_change", args=[article.pk])
    form = editor.get(change)
    data = change_form_data(form)
    data[f"{inline_prefix(form, Section)}-0-body"] = "Koalas stretch their calves at night."
    assert editor.post(change, data).status_code == 302

    page.goto(site + article.get_absolute_url())  # online: the network's page, saved again
    wait_until(
        page,
        "async (path) => (await (await caches.match(path)).text()).includes('Koalas')",
        article.get_absolute_url(),
    )
    context.set_offline(True)
    page.reload()

    assert "You are offline." in note(page).inner_text()
    assert "Koalas stretch their calves at night." in page.content()


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_page_taken_down_is_no_longer_read_offline(reader):
    context, page, article, site = reader
    Article.objects.filter(pk=article.pk).update(
        status=Article.Status.DRAFT, pages_token=uuid.uuid4()
    )

    assert page.goto(site + article.get_absolute_url()).status == 404
    wait_until(page, "async (path) => !(await caches.match(path))", article.get_absolute_url())
    context.set_offline(True)
    page.reload()

    assert page.locator("h1").inner_text() == "No connection"


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_an_old_copy_or_one_past_its_review_says_it_may_be_out_of_date(reader):
    context, page, article, site = reader
    path = article.get_absolute_url()
    # A copy saved 31 days ago: its saved time, as the worker wrote it, moved back.
    page.evaluate(
        """async ([path, when]) => {
            for (const name of await caches.keys()) {
                const cache = await caches.open(name);
                const saved = await cache.match(path);
                if (!saved) continue;
                const headers = new Headers(saved.headers);
                headers.set("X-Saved-At", when);
                await cache.put(path, new Response(await saved.text(), { headers }));
            }
        }""",
        [path, (timezone.now() - datetime.timedelta(days=31)).isoformat()],
    )
    context.set_offline(True)
    page.reload()
    assert "It may be out of date" in note(page).inner_text()
    assert note(page).locator(".offline-note__stale").is_visible()

    # A fresh copy of a page whose review date has passed says so too.
    context.set_offline(False)
    long_ago = timezone.localdate() - datetime.timedelta(days=4 * 365)
    Review.objects.filter(article=article).update(reviewed_on=long_ago)
    Article.objects.filter(pk=article.pk).update(pages_token=uuid.uuid4())
    page.goto(site + path)
    due = article.next_review_due().isoformat()
    assert due < timezone.localdate().isoformat()
    wait_until(
        page,
        """async ([path, due]) => {
            const saved = await caches.match(path);
            return saved && (await saved.text()).includes(`data-next-review="${due}"`);
        }""",
        [path, due],
    )
    context.set_offline(True)
    page.reload()
    assert "It may be out of date" in note(page).inner_text()


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_new_release_replaces_the_worker_and_drops_the_old_copies(reader, monkeypatch):
    page = reader[1]
    before = page.evaluate("caches.keys()")
    monkeypatch.setattr(offline, "RELEASE", "the-next-release")

    page.evaluate("navigator.serviceWorker.getRegistration().then((r) => r.update())")
    wait_until(page, "async (old) => !(await caches.keys()).some((name) => old.includes(name))",
               before)  # fmt: skip

    after = page.evaluate("caches.keys()")
    assert after and all("the-next-release" in name for name in after)

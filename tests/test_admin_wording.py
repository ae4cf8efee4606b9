"""What the admin says to editors: comparisons, times, names, menus and the first account."""

import datetime
import re
import subprocess
import sys
from html import unescape
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, ReliefTechnique
from tests import servers
from tests.admin_forms import (
    article_versions,
    change_form_data,
    change_url,
    inline_prefix,
    unrendered,
)
from tests.constants import PROXIED_HTTPS
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def text_of(response):
    """The page's words, each element apart, as a reader or a screen reader meets them."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def breadcrumbs(response):
    """The steps of the trail at the top of an admin page."""
    trail = response.content.decode().split('<div class="breadcrumbs">')[1].split("</div>")[0]
    words = unescape(re.sub(r"<[^>]+>", "", trail))
    return [" ".join(step.split()) for step in words.split("\u203a")]


def save(client, article, **changes):
    data = change_form_data(unrendered(client, change_url(article))) | changes
    assert client.post(change_url(article), data).status_code == 302


def compare_first_and_last(client, article):
    versions = sorted(version.pk for version in article_versions(article))
    return client.get(
        reverse("admin:articles_article_compare", args=[article.pk]),
        {"version_id1": versions[0], "version_id2": versions[-1]},
    )


def go_live_fields(moment):
    local = timezone.localtime(moment)
    return {"publish_at_0": local.strftime("%Y-%m-%d"), "publish_at_1": local.strftime("%H:%M")}


def test_a_status_change_compares_as_two_labelled_choices(admin_client):
    draft = ArticleFactory(status=Article.Status.DRAFT, publish_at=None)
    save(admin_client, draft)
    save(admin_client, draft, status=Article.Status.PUBLISHED)

    text = text_of(compare_first_and_last(admin_client, draft))

    assert (
        "Before [removed: Draft: only editors can see it ] "
        "After [added: Published: anyone can read it ]"
    ) in text


def test_a_future_go_live_time_compares_as_in_so_many_hours(admin_client):
    draft = ArticleFactory(status=Article.Status.DRAFT, publish_at=None)
    save(admin_client, draft)
    go_live = timezone.now() + datetime.timedelta(hours=3, minutes=10)
    save(admin_client, draft, status=Article.Status.PUBLISHED, **go_live_fields(go_live))

    text = text_of(compare_first_and_last(admin_client, draft))

    assert "Before [removed: Not set ] After [added: " in text
    assert re.search(r"\(in 3 hours, (9|10) minutes\)", text)
    assert "time since" not in text and "0 minutes" not in text


def test_a_past_go_live_time_compares_as_so_long_ago(admin_client):
    article = ArticleFactory(publish_at=timezone.now() - datetime.timedelta(days=2))
    save(admin_client, article)
    save(admin_client, article, **go_live_fields(timezone.now() - datetime.timedelta(days=5)))

    text = text_of(compare_first_and_last(admin_client, article))

    assert re.search(
        r"Before \[removed: \d+ \w+ \d{4}, \d\d:\d\d (GMT|BST) \(2 days ago\) \]", text
    )
    assert re.search(r"After \[added: \d+ \w+ \d{4}, \d\d:\d\d (GMT|BST) \(5 days ago\) \]", text)


def test_a_part_changed_from_ticked_to_not_reads_yes_then_no(admin_client, seed_article):
    save(admin_client, seed_article)
    page = unrendered(admin_client, change_url(seed_article))
    data = change_form_data(page)
    # An unticked box is absent from what a browser sends.
    del data[f"{inline_prefix(page, ReliefTechnique)}-0-is_step"]
    assert admin_client.post(change_url(seed_article), data).status_code == 302

    text = text_of(compare_first_and_last(admin_client, seed_article))

    assert "Numbered step Before [removed: Yes ] After [added: No ]" in text


def test_the_compare_page_names_the_app_then_the_article(admin_client, seed_article):
    save(admin_client, seed_article)
    save(admin_client, seed_article, title="A clearer title")

    assert breadcrumbs(compare_first_and_last(admin_client, seed_article)) == [
        "Home", "Content", "Articles", "A clearer title", "History", "Compare two versions",
    ]  # fmt: skip


def test_the_article_pages_read_home_content_articles(admin_client, seed_article):
    for url in (
        reverse("admin:articles_article_changelist"),
        change_url(seed_article),
        reverse("admin:articles_article_history", args=[seed_article.pk]),
    ):
        assert breadcrumbs(admin_client.get(url))[:3] == ["Home", "Content", "Articles"], url


def app_names(page, section):
    """The app groups' names, top to bottom, in one part of an admin page."""
    part = page.split(section)[1].split("</nav>" if "sidebar" in section else "</main>")[0]
    return re.findall(r'<caption>\s*<a [^>]*class="section"[^>]*>([^<]+)</a>', part)


def test_the_menu_puts_content_first_and_sign_in_records_last(admin_client):
    index = admin_client.get(reverse("admin:index")).content.decode()
    change_list = admin_client.get(reverse("admin:axes_accessattempt_changelist"))

    expected = [
        "Content",
        "Authentication and Authorization",
        "Sign-in security",
        "Two-step sign-in",
    ]
    assert app_names(index, 'id="content-main"') == expected
    assert app_names(change_list.content.decode(), 'id="nav-sidebar"') == expected
    assert breadcrumbs(change_list) == ["Home", "Sign-in security", "Access attempts"]


def test_an_editor_sees_only_content_in_the_menu(editor):
    index = editor.get(reverse("admin:index")).content.decode()

    assert app_names(index, 'id="content-main"') == ["Content"]


ACCOUNT = {
    "DJANGO_SUPERUSER_USERNAME": "sam",
    "DJANGO_SUPERUSER_EMAIL": "sam@example.org",
    "DJANGO_SUPERUSER_PASSWORD": "calm-blue-kettle-sings-at-dawn",
}


def make_editor(static_root, **account):
    """`make editor` on the test database, past its install and .env steps."""
    # The suite's settings, so that the password is hashed the way this process checks it.
    env = servers.production_env(static_root, DJANGO_SETTINGS_MODULE="tests.settings", **account)
    return subprocess.run(
        ["make", "--no-print-directory", "-o", "install", "-o", ".env", "editor", "WITH_ENV=",
         f"BIN={Path(sys.executable).parent}"],
        cwd=servers.PROJECT, env=env, stdin=subprocess.DEVNULL, check=True, timeout=120,
        capture_output=True, text=True,
    )  # fmt: skip


@pytest.mark.django_db(transaction=True)
def test_make_editor_asks_nothing_when_the_environment_names_the_account(tmp_path):
    make_editor(tmp_path, **ACCOUNT)

    user = get_user_model().objects.get(username="sam")
    assert user.email == "sam@example.org" and user.is_superuser and user.is_staff

    client = Client(headers=PROXIED_HTTPS)
    signed_in = client.post(
        reverse("admin:login"),
        {"username": "sam", "password": ACCOUNT["DJANGO_SUPERUSER_PASSWORD"], "next": "/admin/"},
    )
    assert signed_in.status_code == 302
    # A superuser's first sign-in goes on to setting up an authenticator app.
    assert client.get(reverse("admin:index"))["Location"] == reverse("admin:two_factor")
    assert "Set up two-step sign-in" in text_of(client.get(reverse("admin:two_factor")))


@pytest.mark.django_db(transaction=True)
def test_make_editor_asks_when_any_of_the_three_is_missing(tmp_path):
    without_email = {k: v for k, v in ACCOUNT.items() if k != "DJANGO_SUPERUSER_EMAIL"}

    run = make_editor(tmp_path, **without_email)

    # Asking needs a terminal: createsuperuser says so and creates no one.
    assert "not running in a TTY" in run.stdout + run.stderr
    assert not get_user_model().objects.filter(username="sam").exists()

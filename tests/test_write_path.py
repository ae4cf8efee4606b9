"""Every writer of articles leaves the same trace, because each goes through the one write
path (articles.publishing.changes): search finds the new words, every cached page is stale,
and an address readers had keeps working. In the admin the path runs when a version goes
live ("Save and publish", or approval), never on a save of unpublished changes."""

import pytest
from django.core.management import call_command
from django.urls import reverse
from reversion.models import Version

from articles.models import Article
from articles.search import search
from tests.admin_forms import (
    approve,
    article_versions,
    change_form_data,
    change_url,
    save_through_admin,
    unrendered,
)
from tests.constants import SEED_SLUG
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def trace(client, django_capture_on_commit_callbacks):
    """Run a writer with the home page cached; then check what it left behind."""

    def run(writer, finds, redirects=None):
        home = reverse("articles:index")
        # The first request starts a generation, the second stores, the third is a hit.
        assert [client.get(home)["X-Cache"] for _ in range(3)][-1] == "HIT"
        with django_capture_on_commit_callbacks(execute=True):
            writer()
        # Search finds the new words.
        assert search(finds), f"search does not find {finds!r}"
        # Every cached page went stale.
        assert client.get(home)["X-Cache"] == "MISS"
        # The address readers had sends them on.
        if redirects:
            old, new = redirects
            response = client.get(f"/articles/{old}/")
            assert response.status_code == 301
            assert response["Location"] == f"/articles/{new}/"

    return run


def test_saving_in_the_admin(trace, admin_client, seed_article):
    def rename(data, page):
        data.update(title="Quokka cramps at night", slug="quokka-cramps")

    trace(
        lambda: save_through_admin(admin_client, seed_article, rename),
        finds="quokka",
        redirects=(SEED_SLUG, "quokka-cramps"),
    )


def test_adding_in_the_admin(trace, admin_client, db):
    add = reverse("admin:articles_article_add")

    def add_article():
        data = change_form_data(unrendered(admin_client, add))
        data.update(
            title="Wombat cramps",
            slug="wombat-cramps",
            summary="What a wombat should know about cramps in the calf at night, in brief.",
            status=Article.Status.PUBLISHED,
            _publish="Save and publish",
        )
        assert admin_client.post(add, data).status_code == 302

    trace(add_article, finds="wombat")


def restore_into_draft(client, article, version):
    """Restore `version` from the history page: it becomes the article's unpublished changes."""
    url = reverse("admin:articles_article_revision", args=[article.pk, version.pk])
    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 302


def approve_now(client, article):
    response = approve(client, article)
    assert response.status_code == 302, response.content.decode()[:2000]


def test_restoring_from_history(trace, admin_client, seed_article):
    save_through_admin(
        admin_client, seed_article, lambda d, p: d.update(title="Numbat cramps", slug="numbat")
    )
    [numbat, *_] = article_versions(seed_article)
    save_through_admin(
        admin_client, seed_article, lambda d, p: d.update(title="Later title", slug="later")
    )

    def restore_and_publish():
        restore_into_draft(admin_client, seed_article, numbat)
        # Restored as unpublished changes: readers and search keep the live version.
        assert admin_client.get("/articles/later/").status_code == 200
        assert not search("numbat")
        approve_now(admin_client, seed_article)

    trace(restore_and_publish, finds="numbat", redirects=("later", "numbat"))


def test_recovering_a_deleted_article(trace, admin_client, db):
    draft = ArticleFactory(status=Article.Status.DRAFT, publish_at=None, title="Lost bilby")
    save_through_admin(admin_client, draft)
    delete = reverse("admin:articles_article_delete", args=[draft.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 302
    [version] = Version.objects.get_deleted(Article)
    recover = reverse("admin:articles_article_recover", args=[version.pk])

    def recover_and_publish():
        assert admin_client.get(recover).status_code == 200
        recovered = admin_client.post(recover)
        assert recovered.status_code == 302
        page = Article.objects.get(title="Lost bilby")
        assert recovered["Location"] == change_url(page)
        approve_now(admin_client, page)

    trace(recover_and_publish, finds="bilby")


def test_seeding_an_empty_database(trace, db):
    trace(lambda: call_command("seed_if_empty", verbosity=0), finds="neurologist")


def test_generating_benchmark_articles(trace, db):
    trace(lambda: call_command("generate_articles", 2, verbosity=0), finds="generated")


def test_rebuilding_the_index_after_a_fixture_load(trace, db):
    call_command("loaddata", SEED_SLUG, verbosity=0)
    assert not Article.objects.filter(search_document__icontains="neurologist").exists()

    trace(lambda: call_command("rebuild_search_index", verbosity=0), finds="neurologist")

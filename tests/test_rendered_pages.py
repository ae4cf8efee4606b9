"""Article pages the page cache does not hold are served from their stored rendering, which
is never stale: any change to what a page shows, a scheduled time or a new release makes
the next request render it afresh."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.http import HttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import resolve, reverse
from django.utils import timezone

from articles.caching import rendered
from articles.models import Article, RenderedPage, Section
from tests.admin_forms import change_form_data, inline_prefix, save_through_admin
from tests.constants import PROXIED_HTTPS
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_page_cache(settings):
    # What is measured here is the work behind a page, with no page cache in front.
    settings.PAGE_CACHE_SECONDS = 0


def served(client, url):
    """The page, and how many queries it took."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode(), len(captured)


def linked_from_a_stored_page(client, article, title):
    """A live article `article` links to, and the address of `article`'s stored page."""
    other = ArticleFactory(title=title)
    article.related_articles.add(other)
    other.related_articles.add(article)  # links go both ways between pages
    url = article.get_absolute_url()
    assert title in served(client, url)[0]
    return other, url


def test_a_stored_page_is_the_rendered_page_served_with_one_query(client, seed_article):
    for url in (
        seed_article.get_absolute_url(),
        f"{seed_article.get_absolute_url()}bedside-card/",
    ):
        first, rendering = served(client, url)
        again, stored = served(client, url)

        assert again == first
        assert stored == 1 < rendering
    assert RenderedPage.objects.filter(article=seed_article).count() == 2


def test_unpublished_changes_leave_the_stored_page_and_a_publication_replaces_it(
    client, editor, clinical_reviewer, seed_article
):
    url = seed_article.get_absolute_url()
    served(client, url)
    page = editor.get(reverse("admin:articles_article_change", args=[seed_article.pk]))
    data = change_form_data(page, publish=False)
    data[f"{inline_prefix(page, Section)}-0-body"] = "Koalas point their toes upwards."
    editor.post(reverse("admin:articles_article_change", args=[seed_article.pk]), data)

    text, queries = served(client, url)
    assert "Koalas" not in text and queries == 1  # still the stored live version

    page = clinical_reviewer.get(reverse("admin:articles_article_change", args=[seed_article.pk]))
    data = change_form_data(page, publish=True)
    data[f"{inline_prefix(page, Section)}-0-body"] = "Koalas point their toes upwards."
    clinical_reviewer.post(reverse("admin:articles_article_change", args=[seed_article.pk]), data)

    text, queries = served(client, url)
    assert "Koalas" in text and queries > 1
    assert served(client, url) == (text, 1)


def test_a_related_articles_new_title_reaches_the_pages_that_link_to_it(
    client, admin_client, seed_article, django_capture_on_commit_callbacks
):
    other, url = linked_from_a_stored_page(client, seed_article, "Leg cramps in pregnancy")

    with django_capture_on_commit_callbacks(execute=True):  # linked pages: after commit
        save_through_admin(
            admin_client, other, lambda data, page: data.update(title="Leg cramps when pregnant")
        )

    text, queries = served(client, url)
    assert "Leg cramps when pregnant" in text and queries > 1


def test_a_stored_page_lasts_until_a_related_article_goes_live(client, seed_article):
    soon = timezone.now() + datetime.timedelta(seconds=2)
    other = ArticleFactory(title="Cramps and statins", publish_at=soon)
    seed_article.related_articles.add(other)
    url = seed_article.get_absolute_url()

    assert "Cramps and statins" not in served(client, url)[0]
    assert RenderedPage.objects.get(article=seed_article).expires_at == soon
    with time_machine.travel(soon + datetime.timedelta(seconds=0.1), tick=False):
        text, queries = served(client, url)
    assert "Cramps and statins" in text and queries > 1


def test_only_the_sites_own_origin_and_release_have_a_stored_page(client, seed_article, settings):
    settings.ALLOWED_HOSTS = ["testserver", "cramps.example"]
    url = seed_article.get_absolute_url()
    served(client, url)
    for _ in range(2):
        with CaptureQueriesContext(connection) as queries:
            other_host = client.get(url, headers={**PROXIED_HTTPS, "Host": "cramps.example"})
        # Its links name the host it was asked at: it is rendered afresh, and never stored.
        assert "https://cramps.example/articles/" in other_host.content.decode()
        assert len(queries) > 1

    assert list(RenderedPage.objects.values_list("origin", flat=True)) == ["https://testserver"]
    # A page stored by another release (other templates or code) is rendered afresh.
    RenderedPage.objects.update(release="earlier")
    assert served(client, url)[1] > 1


def test_a_page_rendered_while_the_article_changed_is_never_served(
    client, admin_client, rf, seed_article
):
    """A request read the article, then an editor's change committed before it stored its
    page: the page it stores is of the old rows, under the old token."""
    url = seed_article.get_absolute_url()
    first, _ = served(client, url)
    RenderedPage.objects.all().delete()
    read_before = Article.objects.get(pk=seed_article.pk)
    save_through_admin(
        admin_client, seed_article, lambda data, page: data.update(title="A title after the read")
    )

    request = rf.get(url, headers=PROXIED_HTTPS)
    request.resolver_match = resolve(url)
    request.page_tags, request.page_next_change = {f"article:{seed_article.pk}"}, None
    rendered.keep(request, read_before, HttpResponse(first), timezone.now())
    assert RenderedPage.objects.filter(article=seed_article).exists()

    assert "A title after the read" in served(client, url)[0]


def test_the_preview_never_uses_or_stores_a_rendering(admin_client, seed_article):
    preview = reverse("admin:articles_article_preview", args=[seed_article.pk])

    assert admin_client.get(preview).status_code == 200
    assert not RenderedPage.objects.exists()


def test_taking_down_a_related_article_removes_its_link_from_stored_pages(
    client, admin_client, seed_article, django_capture_on_commit_callbacks
):
    other, url = linked_from_a_stored_page(client, seed_article, "Restless legs at night")

    with django_capture_on_commit_callbacks(execute=True):
        save_through_admin(admin_client, other, lambda data, page: data.update(status="draft"))
        delete = reverse("admin:articles_article_delete", args=[other.pk])
        assert admin_client.post(delete, {"post": "yes"}).status_code == 302

    text, queries = served(client, url)
    assert "Restless legs at night" not in text and queries > 1


def test_unlinking_an_article_renders_the_page_it_linked_to_afresh(
    client, admin_client, seed_article, django_capture_on_commit_callbacks
):
    other, _ = linked_from_a_stored_page(client, seed_article, "Restless legs at night")
    # The link goes both ways: the other article's stored page links to this one.
    other_url = other.get_absolute_url()
    assert seed_article.title in served(client, other_url)[0]

    with django_capture_on_commit_callbacks(execute=True):
        save_through_admin(
            admin_client, seed_article, lambda data, page: data.pop("related_articles", None)
        )

    assert seed_article.title not in served(client, other_url)[0]

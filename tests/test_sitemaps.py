import datetime
import xml.etree.ElementTree as ET

import pytest
from django.test import TestCase
from django.urls import reverse

from articles.models import Article, Review, Section
from tests.admin_forms import approve, change_form_data, inline_prefix
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}


def sitemap_urls(client):
    """Every <url> element of every sitemap file the index lists."""
    index = client.get(reverse("sitemap"))
    assert index.status_code == 200
    for location in ET.fromstring(index.content).iterfind("s:sitemap/s:loc", NS):
        assert location.text.startswith("https://testserver/sitemap-")
        response = client.get(location.text.removeprefix("https://testserver"))
        assert response.status_code == 200
        yield from ET.fromstring(response.content).iterfind("s:url", NS)


def sitemap_entries(client):
    """Every address in the sitemaps, with its lastmod."""
    entries = {}
    for url in sitemap_urls(client):
        lastmod = url.find("s:lastmod", NS)
        entries[url.find("s:loc", NS).text] = None if lastmod is None else lastmod.text
    return entries


def test_lists_published_articles_and_pages_by_absolute_url(client, launch_content):
    entries = sitemap_entries(client)

    assert set(entries) == {
        "https://testserver/",
        "https://testserver/diary/",
        "https://testserver/articles/night-calf-cramps/",
        "https://testserver/articles/cramp-or-something-else/",
        "https://testserver/ru/",
        "https://testserver/ru/diary/",
        "https://testserver/ru/articles/night-calf-cramps/",
        "https://testserver/ru/articles/cramp-or-something-else/",
    }
    assert entries["https://testserver/articles/night-calf-cramps/"] == "2026-12-07"


def test_every_edition_lists_the_others_and_they_list_it(client, translations):
    alternates = {
        url.find("s:loc", NS).text: {
            link.get("hreflang"): link.get("href") for link in url.iterfind("x:link", NS)
        }
        for url in sitemap_urls(client)
    }

    for address, links in alternates.items():
        # Itself, the other language, and the English page as the default.
        assert set(links) == {"en-GB", "ru", "x-default"}, address
        assert address in links.values()
        assert links["x-default"] == links["en-GB"]
        for other in links.values():
            assert alternates[other] == links  # each edition names the same set
    assert alternates["https://testserver/ru/articles/night-calf-cramps/"]["en-GB"] == (
        "https://testserver/articles/night-calf-cramps/"
    )


def test_drafts_and_scheduled_articles_are_absent(client):
    from datetime import timedelta

    from django.utils import timezone

    ArticleFactory(slug="draft", status=Article.Status.DRAFT, publish_at=None)
    ArticleFactory(slug="later", publish_at=timezone.now() + timedelta(days=1))

    assert not [loc for loc in sitemap_entries(client) if "/articles/" in loc]


def save(admin_client, article, change=lambda data, page: None, publish=True):
    """Save the change page: with "Save and publish" (so that the save reaches readers), or
    with plain "Save" (`publish=False`), which keeps it as unpublished changes."""
    url = reverse("admin:articles_article_change", args=[article.pk])
    page = admin_client.get(url)
    data = change_form_data(page, publish=publish)
    change(data, page)
    # The save's commit starts a new page-cache generation; run that as a commit would.
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert admin_client.post(url, data).status_code == 302


@pytest.fixture
def seed_article(seed_article):
    """The seed, last changed long ago, so that the sitemap's day-precision lastmod can move."""
    long_ago = datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC)
    Article.objects.filter(pk=seed_article.pk).update(
        content_changed_at=long_ago, publish_at=long_ago
    )
    return seed_article


def lastmod(client, article):
    return sitemap_entries(client)[f"https://testserver{article.get_absolute_url()}"]


def new_words(data, page):
    data[f"{inline_prefix(page, Section)}-0-body"] = "Clearer words."


def test_lastmod_stays_put_when_a_save_changes_nothing_readers_see(
    admin_client, client, seed_article
):
    before = lastmod(client, seed_article)

    save(admin_client, seed_article, new_words, publish=False)

    assert lastmod(client, seed_article) == before


def test_lastmod_moves_when_the_words_change(admin_client, client, seed_article):
    before = lastmod(client, seed_article)

    save(admin_client, seed_article, new_words)

    assert lastmod(client, seed_article) > before


def test_lastmod_moves_when_a_review_is_recorded(client, clinical_reviewer, seed_article):
    before = lastmod(client, seed_article)
    save(clinical_reviewer, seed_article, publish=False)

    # Approval by a clinical reviewer records a clinical review, shown on the page.
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert approve(clinical_reviewer, seed_article).status_code == 302

    assert seed_article.reviews.filter(kind=Review.Kind.CLINICAL).exists()
    assert lastmod(client, seed_article) > before


def test_lastmod_stays_put_when_only_the_publishing_dates_change(
    admin_client, client, seed_article
):
    before = lastmod(client, seed_article)

    def new_dates(data, page):
        data.update(review_due_on="2028-01-01", publish_at_0="2026-01-01")

    save(admin_client, seed_article, new_dates, publish=False)

    assert Article.rows.get(draft_of=seed_article).review_due_on == datetime.date(2028, 1, 1)
    assert lastmod(client, seed_article) == before


def test_large_sites_get_sitemap_files_of_a_thousand(client):
    from articles.seo.sitemaps import ArticleSitemap

    index = client.get(reverse("sitemap")).content.decode()

    assert ArticleSitemap.limit == 1000
    assert "https://testserver/sitemap-articles.xml" in index
    assert "https://testserver/sitemap-pages.xml" in index


def test_going_live_counts_as_a_change(client):
    from django.utils import timezone

    edited_long_ago = datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC)
    article = ArticleFactory(content_changed_at=edited_long_ago, publish_at=timezone.now())

    assert lastmod(client, article) == timezone.now().date().isoformat()

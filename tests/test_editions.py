"""Editions in other languages: each a page of its own at its language's address, linked
to the others (hreflang, the switcher), and a translation pinned to the version of its
source it translates, with a notice for readers once the source has moved on. On both
databases."""

import datetime
import re

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext

from articles.models import Article, Publication, Review, SlugRedirect
from articles.publishing.drafts import Snapshot, open_draft
from articles.publishing.publish import go_live, lock, record_launch
from tests.admin_forms import change_form_data, unrendered
from tests.factories import ArticleFactory, SectionFactory, indexed
from tests.test_queries import QUERY_BUDGET

pytestmark = pytest.mark.django_db


@pytest.fixture
def english():
    article = ArticleFactory(title="Calf cramps at night", slug="calf-cramps")
    record_launch(article)
    return article


def translate(source, **fields):
    """A Russian edition of `source`, made from its live version, and put live."""
    russian = ArticleFactory(
        title="Ночные судороги в икрах", slug=source.slug, language="ru",
        translation_key=source.translation_key,
        translated_from=Publication.objects.filter(article=source).latest("went_live_at"),
        summary="Что делать при ночной судороге в икре и когда обращаться за помощью.",
        **fields,
    )  # fmt: skip
    record_launch(russian)
    return russian


def catch_up(translation_page):
    """The translator's catching up, signed off: the draft pinned to the source's newest
    publication goes live through the one publish step."""
    draft = open_draft(translation_page)
    draft.translated_from = translation_page.source_news() or draft.translated_from
    draft.save()
    with transaction.atomic():
        go_live(
            lock(translation_page), Publication(article=translation_page),
            snapshot=Snapshot.of_rows(draft),
        )  # fmt: skip


def page(client, url):
    response = client.get(url)
    return response, response.content.decode()


def test_each_edition_is_at_its_own_languages_address(client, english):
    russian = translate(english)

    response, body = page(client, "/articles/calf-cramps/")
    assert "Calf cramps at night" in body and '<html lang="en-GB">' in body
    response, body = page(client, "/ru/articles/calf-cramps/")
    assert "Ночные судороги в икрах" in body and '<html lang="ru">' in body
    assert response["Content-Language"] == "ru"
    assert russian.get_absolute_url() == "/ru/articles/calf-cramps/"
    assert english.get_absolute_url() == "/articles/calf-cramps/"


def test_the_address_alone_says_the_language(client, english):
    translate(english)

    body = client.get("/articles/calf-cramps/", HTTP_ACCEPT_LANGUAGE="ru").content.decode()

    assert "Calf cramps at night" in body
    assert client.get("/articles/calf-cramps/")["Content-Language"] == "en-GB"


def test_an_article_without_an_edition_in_a_language_is_not_at_its_address(client, english):
    assert client.get("/ru/articles/calf-cramps/").status_code == 404
    assert client.get("/de/articles/calf-cramps/").status_code == 404


def test_hreflang_links_point_at_each_other_with_english_as_the_default(client, english):
    translate(english)

    links = {}
    for url in ("/articles/calf-cramps/", "/ru/articles/calf-cramps/"):
        body = page(client, url)[1]
        links[url] = dict(
            re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)"', body)
        )

    expected = {
        "en-GB": "https://testserver/articles/calf-cramps/",
        "ru": "https://testserver/ru/articles/calf-cramps/",
        "x-default": "https://testserver/articles/calf-cramps/",
    }
    assert links["/articles/calf-cramps/"] == expected
    assert links["/ru/articles/calf-cramps/"] == expected


def test_an_article_in_one_language_has_no_language_links(client, english):
    body = page(client, "/articles/calf-cramps/")[1]

    assert 'hreflang="' not in body
    assert 'class="editions"' not in body


def test_each_edition_links_to_the_others_in_their_own_language(client, english):
    translate(english)

    english_page = page(client, "/articles/calf-cramps/")[1]
    russian_page = page(client, "/ru/articles/calf-cramps/")[1]

    assert (
        'href="https://testserver/ru/articles/calf-cramps/" hreflang="ru" lang="ru">Русский'
        in english_page
    )
    assert 'hreflang="en-GB" lang="en-GB">English</a>' in russian_page


def on_the_page(publication):
    """The day `publication` went live, as a Russian page writes it."""
    with translation.override("ru"):
        return formats.date_format(timezone.localtime(publication.went_live_at), "j E Y")


def test_a_translation_says_so_once_its_source_has_a_newer_version(
    client, english, django_capture_on_commit_callbacks
):
    russian = translate(english)
    body = page(client, "/ru/articles/calf-cramps/")[1]
    # Always: the version it translates, with a link to the source.
    note = re.search(r'<div class="translation-note".*?</div>', body, re.S)[0]
    assert on_the_page(russian.translated_from) in note
    assert 'href="/articles/calf-cramps/" hreflang="en-GB">' in note
    assert "stale-notice" not in body

    # A newer version of the English page goes live (and its transaction commits).
    with django_capture_on_commit_callbacks(execute=True):
        record_launch(english)
    body = page(client, "/ru/articles/calf-cramps/")[1]

    newer = Publication.objects.filter(article=english).latest("went_live_at")
    notice = re.search(r'<p class="stale-notice">.*?</p>', body, re.S)[0]
    assert on_the_page(newer) in notice
    assert 'href="/articles/calf-cramps/" hreflang="en-GB" lang="en-GB">' in notice
    assert russian.source_news() == newer

    with django_capture_on_commit_callbacks(execute=True):
        catch_up(russian)

    assert "stale-notice" not in page(client, "/ru/articles/calf-cramps/")[1]
    assert Article.objects.get(pk=russian.pk).source_news() is None


def test_lists_and_search_keep_to_the_readers_language(client, english):
    translate(english)
    ArticleFactory(title="Zebra socks for cramps", slug="english-only")
    indexed(english)
    for article in Article.objects.all():
        indexed(article)

    russian_home = page(client, "/ru/")[1]
    english_home = page(client, "/")[1]
    assert "Ночные судороги в икрах" in russian_home
    assert "Zebra socks" not in russian_home
    assert 'href="/articles/calf-cramps/"' not in russian_home
    assert "Ночные судороги" not in english_home
    with translation.override("ru"):
        search_url = reverse("articles:search")
    assert search_url == "/ru/search/"
    found = page(client, search_url + "?q=судороги")[1]
    assert '<a href="/ru/articles/calf-cramps/">Ночные <mark>судороги</mark>' in found
    assert "/ru/articles/calf-cramps/" not in page(client, "/search/?q=судороги")[1]


def test_one_edition_per_language(english):
    translate(english)

    with pytest.raises(IntegrityError), transaction.atomic():
        ArticleFactory(slug="another", language="ru", translation_key=english.translation_key)


def test_a_translations_draft_keeps_its_language_and_key(english):
    russian = translate(english)

    draft = open_draft(russian)

    assert (draft.language, draft.translation_key) == ("ru", english.translation_key)


def test_a_stale_translations_page_keeps_to_the_query_budget(
    client, english, settings, django_capture_on_commit_callbacks
):
    settings.PAGE_CACHE_SECONDS = 0
    translate(english)
    with django_capture_on_commit_callbacks(execute=True):
        record_launch(english)

    for url in ("/articles/calf-cramps/", "/ru/articles/calf-cramps/"):
        with CaptureQueriesContext(connection) as captured:
            body = client.get(url).content.decode()
        assert len(captured) <= QUERY_BUDGET, (url, len(captured))
    assert "stale-notice" in body


def test_an_editor_starts_a_translation_in_one_step_from_the_live_version(editor, english):
    SectionFactory(article=english, heading="What helps", body="Stretch your calf.")
    record_launch(english)  # the live version now has the section
    url = reverse("admin:articles_article_translate", args=[english.pk])
    assert "Русский" in editor.get(url).content.decode()

    response = editor.post(url, {"language": "ru"})

    russian = Article.objects.get(translation_key=english.translation_key, language="ru")
    assert response["Location"] == reverse("admin:articles_article_change", args=[russian.pk])
    assert not russian.is_live()
    draft = open_draft(russian)
    assert (draft.title, draft.slug, draft.language) == (english.title, english.slug, "ru")
    assert [s.heading for s in draft.sections.all()] == ["What helps"]
    assert draft.translated_from == Publication.objects.filter(article=english).latest(
        "went_live_at"
    )
    assert russian.draft_of_id is None and english.draft_of_id is None


def test_a_translation_is_started_once_per_language_and_only_from_a_live_article(editor, english):
    url = reverse("admin:articles_article_translate", args=[english.pk])
    editor.post(url, {"language": "ru"})

    again = editor.post(url, {"language": "ru"}).content.decode()
    unknown = editor.post(url, {"language": "xx"}).content.decode()
    draft_only = ArticleFactory(status=Article.Status.DRAFT, publish_at=None)
    not_live = editor.post(
        reverse("admin:articles_article_translate", args=[draft_only.pk]), {"language": "ru"}
    ).content.decode()

    assert "already has a Русский edition" in again
    assert "Choose one of the languages offered." in unknown
    assert "Only an article readers have can be translated" in not_live
    assert Article.objects.filter(language="ru").count() == 1


def test_a_translator_saves_the_draft_and_says_when_it_has_caught_up(
    editor, english, client, django_capture_on_commit_callbacks
):
    editor.post(reverse("admin:articles_article_translate", args=[english.pk]), {"language": "ru"})
    russian = Article.objects.get(language="ru")
    change = reverse("admin:articles_article_change", args=[russian.pk])
    page = unrendered(editor, change)
    assert "caught_up" not in str(page.context["adminform"].fieldsets)  # nothing to catch up
    data = change_form_data(page, publish=False)
    data["title"] = "Ночные судороги в икрах"

    # The English edition's address is no obstacle: each language has its own.
    assert editor.post(change, data).status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        catch_up(russian)  # approved and live (nothing to catch up yet)
        record_launch(english)  # then the English page moves on
    assert "stale-notice" in page_of(client, "/ru/articles/calf-cramps/")

    stale = unrendered(editor, change)
    assert "caught_up" in str(stale.context["adminform"].fieldsets)
    data = change_form_data(stale, publish=False)
    data["caught_up"] = "on"
    assert editor.post(change, data).status_code == 302
    assert open_draft(russian).translated_from == english_newest(english)
    with django_capture_on_commit_callbacks(execute=True):
        go_live(
            lock(russian),
            Publication(article=russian),
            snapshot=Snapshot.of_rows(open_draft(russian)),
        )

    assert "stale-notice" not in page_of(client, "/ru/articles/calf-cramps/")


def test_a_translation_links_only_to_articles_in_its_language(editor, english):
    other = ArticleFactory(title="Restless legs", slug="restless-legs")
    record_launch(other)
    english.related_articles.add(other)
    record_launch(english)
    translate(other)  # the related article has a Russian edition

    editor.post(reverse("admin:articles_article_translate", args=[english.pk]), {"language": "ru"})

    draft = open_draft(Article.objects.get(language="ru", slug="calf-cramps"))
    assert [a.language for a in draft.related_articles.all()] == ["ru"]


def english_newest(english):
    return Publication.objects.filter(article=english).latest("went_live_at")


def page_of(client, url):
    return client.get(url).content.decode()


def rename(page, slug):
    """A new address for `page`, signed off and published through the one publish step."""
    draft = open_draft(page)
    draft.slug = slug
    draft.save()
    with transaction.atomic():
        go_live(lock(page), Publication(article=page), snapshot=Snapshot.of_rows(draft))


def test_each_language_keeps_its_own_old_addresses(
    client, english, django_capture_on_commit_callbacks
):
    russian = translate(english)  # at /ru/articles/calf-cramps/, as the English at /articles/…
    with django_capture_on_commit_callbacks(execute=True):
        rename(english, "calf-cramps-at-night")
        rename(russian, "sudorogi")

    assert client.get("/articles/calf-cramps/")["Location"] == "/articles/calf-cramps-at-night/"
    assert client.get("/ru/articles/calf-cramps/")["Location"] == "/ru/articles/sudorogi/"
    assert {(r.language, r.old_slug, r.article_id) for r in SlugRedirect.objects.all()} == {
        ("en-gb", "calf-cramps", english.pk), ("ru", "calf-cramps", russian.pk),
    }  # fmt: skip


def test_a_translation_has_a_review_line_of_its_own(
    client, english, django_user_model, django_capture_on_commit_callbacks
):
    Review.objects.create(
        article=english, reviewed_on=datetime.date(2026, 12, 1), kind=Review.Kind.CLINICAL,
        reviewer_name="Dr Source Reviewer", reviewer_role="GP",
    )  # fmt: skip
    russian = translate(english)
    with translation.override("ru"):
        unchecked = gettext("The translation has not been checked by a clinician.")
    body = page(client, "/ru/articles/calf-cramps/")[1]
    # The source's review is the source's: the translation says it has none of its own.
    assert unchecked in body and "Dr Source Reviewer" not in body

    # A version approved with a clinical review: the line names who checked the translation.
    clinician = django_user_model.objects.create_user(
        "ivanova", first_name="Доктор", last_name="Иванова"
    )
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        go_live(lock(russian), Publication(
            article=russian, published_by=clinician, review_kind=Review.Kind.CLINICAL,
            reviewer_role="врач общей практики",
        ))  # fmt: skip
    body = page(client, "/ru/articles/calf-cramps/")[1]
    assert unchecked not in body
    assert "Доктор Иванова, врач общей практики" in body

    # A later version published without one: that review no longer covers what is read.
    with django_capture_on_commit_callbacks(execute=True):
        record_launch(russian)
    body = page(client, "/ru/articles/calf-cramps/")[1]
    assert unchecked in body and "Доктор Иванова" in body


def test_a_page_read_before_its_translation_went_live_links_to_it_once_it_does(
    client, english, django_capture_on_commit_callbacks
):
    assert 'hreflang="ru"' not in page(client, "/articles/calf-cramps/")[1]  # now cached

    with django_capture_on_commit_callbacks(execute=True):
        translate(english)

    assert 'hreflang="ru"' in page(client, "/articles/calf-cramps/")[1]


@pytest.mark.parametrize(("in_english", "in_russian"), [("/", "/ru/"), ("/diary/", "/ru/diary/")])
def test_pages_every_language_has_name_each_other(client, in_english, in_russian):
    for path, other, tag in [(in_english, in_russian, "ru"), (in_russian, in_english, "en-GB")]:
        body = page(client, path)[1]
        head = body[: body.index("</head>")]
        assert f'hreflang="{tag}" href="https://testserver{other}"' in head
        assert f'hreflang="x-default" href="https://testserver{in_english}"' in head
        switcher = re.search(r'<nav class="editions".*?</nav>', body, re.S)[0]
        assert f'href="https://testserver{other}" hreflang="{tag}"' in switcher

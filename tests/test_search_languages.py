"""Search in each language: the language's own stemming and stop words (PostgreSQL's
configuration for it; on SQLite, its Snowball stemmer at index and query time), its
synonyms and spelling corrections, results only in the reader's language, and a link to
other languages' matches when it has none. On both databases."""

import re

import pytest
from django.utils import translation

from articles.models import SearchWord, Synonym
from articles.search import search
from tests.factories import ArticleFactory, SectionFactory, indexed

pytestmark = pytest.mark.django_db


def found(client, url, query):
    """The result links of a search page, and the page."""
    body = client.get(url, {"q": query}).content.decode()
    results = re.search(r'<ol class="search-results">.*?</ol>', body, re.S)
    return re.findall(r'<h2><a href="([^"#]+)', results[0] if results else ""), body


def russian(**fields):
    article = ArticleFactory(language="ru", **fields)
    SectionFactory(article=article, heading="Что делать", body="Потяните носок на себя.")
    return indexed(article)


def test_russian_searches_find_the_russian_launch_pages(client, translations):
    main, other = (f"/ru/articles/{one.slug}/" for one in translations)
    for query, first in [
        ("судороги в ногах", main),
        ("ночные судороги", main),
        ("свело икру ночью", main),  # forms the page never uses: свело, икру
        ("синдром беспокойных ног", other),
        ("перемежающаяся хромота", other),
    ]:
        links, _ = found(client, "/ru/search/", query)
        assert links and links[0] == first, query
        assert all(link.startswith("/ru/") for link in links), query
    # The Russian pages' words are not found from the English search, nor the reverse.
    assert found(client, "/search/", "судороги")[0] == []
    assert found(client, "/ru/search/", "cramps")[0] == []


def test_a_russian_red_flag_search_shows_its_card_first(client, translations):
    _, body = found(client, "/ru/search/", "боль в груди")

    card = re.search(r'<section class="search-red-flag".*?</section>', body, re.S)[0]
    assert "Немедленно вызовите экстренную помощь, если:" in card
    assert 'href="tel:999"' in card


def test_words_are_stemmed_and_common_words_ignored_as_the_language_has_them(client):
    russian(title="Судорога икроножной мышцы", summary="Когда сводит икру ночью.", slug="s")
    english = indexed(ArticleFactory(title="Calf muscle cramp"))

    # "судорогами": a form of судорога no page has; "и", "при": Russian stop words.
    assert found(client, "/ru/search/", "и при судорогами")[0] == ["/ru/articles/s/"]
    with translation.override("ru"):
        assert [r.article.language for r in search("икроножные мышцы")] == ["ru"]
    assert [r.article for r in search("muscles cramping")] == [english]


def test_the_matched_words_are_marked_as_readers_wrote_them(client):
    russian(title="Ночные судороги в икрах", summary="Что делать при ночной судороге в икре.")

    _, body = found(client, "/ru/search/", "судорога")

    assert "<h2><a" in body
    assert "Ночные <mark>судороги</mark> в икрах</a>" in body
    assert "при ночной <mark>судороге</mark> в икре" in body


def test_synonyms_are_kept_per_language(client):
    russian(title="Спазм мышц ноги", summary="Что делать, если ногу свело.", slug="s")
    indexed(ArticleFactory(title="Leg spasm", summary="When a leg muscle spasms.", slug="e"))
    assert found(client, "/ru/search/", "судорога")[0] == []
    assert found(client, "/search/", "stiffness")[0] == []

    Synonym.objects.create(language="ru", words="судорога, спазм")
    Synonym.objects.create(language="en-gb", words="stiffness, spasm")

    assert found(client, "/ru/search/", "судорога")[0] == ["/ru/articles/s/"]
    assert found(client, "/search/", "stiffness")[0] == ["/articles/e/"]
    # Each language's synonyms stay in it.
    assert found(client, "/ru/search/", "stiffness")[0] == []
    assert found(client, "/search/", "судорога")[0] == []


def test_a_misspelt_search_is_corrected_with_words_of_its_languages_pages(client):
    russian(title="Судорога икроножной мышцы", summary="Когда сводит икру ночью.")
    assert SearchWord.objects.filter(language="ru", word="икроножной").exists()
    assert not SearchWord.objects.filter(language="en-gb", word="икроножной").exists()

    links, body = found(client, "/ru/search/", "икраножной")

    assert len(links) == 1
    assert "<strong>икроножной</strong>" in body
    assert found(client, "/search/", "икраножной")[0] == []


def test_a_search_with_no_results_links_to_other_languages_matches(client):
    russian(title="Судорога икроножной мышцы", summary="Когда сводит икру ночью.")
    indexed(ArticleFactory(title="Calf cramp", summary="What to do when a calf cramps."))

    _, body = found(client, "/search/", "икроножной мышцы")
    elsewhere = re.search(r'<div class="search-elsewhere">.*?</div>', body, re.S)[0]
    assert (
        '<a href="/ru/search/?q=%D0%B8%D0%BA%D1%80%D0%BE%D0%BD%D0%BE%D0%B6%D0%BD%D0%BE%D0%B9+'
        '%D0%BC%D1%8B%D1%88%D1%86%D1%8B" hreflang="ru" lang="ru">Русский</a> (1)'
    ) in elsewhere

    _, body = found(client, "/ru/search/", "calf cramp")
    assert 'href="/search/?q=calf+cramp" hreflang="en-GB" lang="en-GB">English</a> (1)' in body
    # Found here: no link elsewhere.
    assert "search-elsewhere" not in found(client, "/search/", "calf cramp")[1]

"""Readers' own searches through the search page, on whichever database runs the suite:
how often the right article comes first, for a warning sign the right card, and how often
a search that names no warning sign gets a card anyway (a false alarm).

Two sets: tests/data/reader-queries.tsv (150 searches: lay words, questions, typos and
warning signs), written before search was tuned and then tuned against; and
tests/data/reader-queries-held-out.tsv (60), written afterwards by someone who had seen
neither the search code nor the first set, and never tuned against."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data"


def queries(name):
    return [
        line.split("\t")
        for line in (DATA / name).read_text().splitlines()
        if line and not line.startswith("#")
    ]


# Floors: what the search page did on 7 December 2026 on both databases, rounded down. A
# change to search may raise them, never lower them. Before that day's tuning the tuned
# set gave articles 91.1 % (SQLite) and 93.5 % (PostgreSQL), cards 63.0 %.
SETS = {
    # name: (articles first, warning cards first, most false alarms)
    "reader-queries.tsv": (1.0, 0.96, 0),
    "reader-queries-held-out.tsv": (1.0, 0.73, 0),
}


def first_on_the_page(client, query):
    """The address of the first result's article, and the level of a card shown first."""
    body = client.get(reverse("articles:search"), {"q": query}).content.decode()
    card = re.search(r'class="search-red-flag".*?care-card--(\w+)', body, re.S)
    results = body[body.index('class="search-results"') :] if "search-results" in body else ""
    article = re.search(r'href="/articles/([^/"#]+)/', results)
    return (article.group(1) if article else None), (card.group(1) if card else None)


def test_the_sets_have_searches_of_every_kind(launch_content):
    assert len(queries("reader-queries.tsv")) == 150
    assert len(queries("reader-queries-held-out.tsv")) == 60
    for name in SETS:
        assert {kind for kind, _, _ in queries(name)} == {"lay", "question", "typo", "red-flag"}


@pytest.mark.parametrize("name", SETS)
def test_readers_searches_find_the_right_article_and_card_first(client, launch_content, name):
    articles, cards, false_alarms, misses = [], [], [], []
    for kind, query, expected in queries(name):
        article, card = first_on_the_page(client, query)
        if kind == "red-flag":
            cards.append(card == expected)
            got = card
        else:
            articles.append(article == expected)
            if card:
                false_alarms.append((query, card))
            got = article
        if got != expected:
            misses.append((query, got, expected))
    article_share, card_share = sum(articles) / len(articles), sum(cards) / len(cards)
    print(f"{name}: articles top-1 {article_share:.1%} of {len(articles)}, cards first "
          f"{card_share:.1%} of {len(cards)}, false alarms {len(false_alarms)}; "
          f"misses: {misses}; false alarms: {false_alarms}")  # fmt: skip

    article_floor, card_floor, most_false_alarms = SETS[name]
    assert article_share >= article_floor, misses
    assert card_share >= card_floor, misses
    assert len(false_alarms) <= most_false_alarms, false_alarms

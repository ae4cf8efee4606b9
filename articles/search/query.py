"""Reading the index: PostgreSQL full-text search, or a word match on SQLite."""

import re
from dataclasses import dataclass

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
)
from django.db.models import F
from django.utils.html import escape
from django.utils.safestring import mark_safe

from articles.models import Article
from articles.search.database import has_full_text_search

MAX_QUERY_LENGTH = 200
MAX_WORDS = 12
MAX_RESULTS = 50
# Marks around matched words, turned into <mark> only after the passage is escaped.
START, STOP = "\x02", "\x03"
PASSAGE_CHARS = 220


@dataclass
class Result:
    article: Article
    passage: str


def query_words(query):
    """The words of a reader's query; punctuation and anything past the limits are dropped."""
    return re.findall(r"\w+", (query or "")[:MAX_QUERY_LENGTH])[:MAX_WORDS]


def search(query):
    words = query_words(query)
    if not words:
        return []
    if has_full_text_search():
        return _full_text_search(words)
    return _word_search(words)


def _full_text_search(words):
    query = SearchQuery(" ".join(words), search_type="plain", config="english")
    articles = (
        Article.objects.published()
        .filter(search_vector=query)
        .annotate(
            rank=SearchRank(F("search_vector"), query),
            headline=SearchHeadline(
                "search_document",
                query,
                config="english",
                start_sel=START,
                stop_sel=STOP,
                max_words=40,
                min_words=20,
            ),
        )
        .order_by("-rank", "title")[:MAX_RESULTS]
    )
    return [Result(article, marked_passage(article.headline)) for article in articles]


def _word_search(words):
    articles = Article.objects.published()
    for word in words:
        articles = articles.filter(search_document__icontains=word)
    lowered = [word.lower() for word in words]

    def score(article):
        title, document = article.title.lower(), article.search_document.lower()
        return sum(5 * title.count(w) + document.count(w) for w in lowered)

    ranked = sorted(articles, key=lambda article: (-score(article), article.title))
    return [
        Result(article, marked_passage(_passage(article.search_document, lowered)))
        for article in ranked[:MAX_RESULTS]
    ]


def _passage(document, words):
    """A window of the document around the first matched word, with every match marked."""
    lowered = document.lower()
    hits = [lowered.find(word) for word in words if word in lowered]
    start = max(0, min(hits, default=0) - PASSAGE_CHARS // 3)
    window = document[start : start + PASSAGE_CHARS]
    pattern = re.compile("|".join(re.escape(word) for word in words), re.IGNORECASE)
    marked = pattern.sub(lambda match: f"{START}{match.group(0)}{STOP}", window)
    return ("…" if start else "") + marked + ("…" if start + PASSAGE_CHARS < len(document) else "")


def marked_passage(text):
    """Escape a passage, then turn its match marks into <mark> elements."""
    return mark_safe(escape(text or "").replace(START, "<mark>").replace(STOP, "</mark>"))

"""Reading the index: PostgreSQL's full-text search, or SQLite's FTS5, behaving the same:
stemmed words (stretch, stretches, stretching), stop words ignored, title, summary and
headings weighed above the text, whole words marked in the passage. Every search is in the
page's language (languages.current()): its articles, its stemmer and stop words, its
editors' synonyms."""

import functools
import operator
import re
from dataclasses import dataclass
from pathlib import Path

import snowballstemmer
from django.conf import settings
from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
)
from django.db import connection
from django.db.models import F, Value
from django.db.models.functions import Replace
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.safestring import mark_safe

from articles import languages
from articles.models import Article, Synonym
from articles.querysets import live_condition
from articles.search.database import (
    FTS_TABLE,
    STEMMED_BY_SQLITE,
    configuration,
    uses_postgresql,
)

MAX_QUERY_LENGTH = 200
MAX_WORDS = 12
MAX_RESULTS = 20
# Marks around matched words, turned into <mark> only after the passage is escaped.
START, STOP = "\x02", "\x03"
PASSAGE_WORDS = 30
# The index's own columns, long and never shown: left in the database when results are
# read (the passages come from the database's own marking, or from the parts).
INDEX_COLUMNS = ("search_vector", "search_document", "search_headings", "change_notes")
# The passage starts this many words before the first match it marks.
LEAD_IN = 6


@dataclass
class Result:
    article: Article
    # The title with the matched words marked, and a passage from the text (or, if the
    # words are not in it, the summary): HTML, escaped.
    title: str
    passage: str

    @classmethod
    def of(cls, article, title, summary, text):
        passage = text if START in (text or "") or START not in (summary or "") else summary
        return cls(article, marked_passage(title or article.title), marked_passage(passage))


WORD = re.compile(r"\w+")


def words_of(text):
    return WORD.findall(text or "")


def query_words(query):
    """The words of a reader's query; punctuation and anything past the limits are dropped."""
    return words_of((query or "")[:MAX_QUERY_LENGTH])[:MAX_WORDS]


class Results(list):
    """The articles found, best first; every_word: whether each has all the query's words
    (if none has, those with any of them are given); groups: what was looked for
    (query_terms)."""

    every_word = True
    groups = ()


def query_terms(query):
    """What search looks for: a list of groups, each a list of phrases (tuples of words),
    any of which may match. A phrase in the editors' synonyms brings its alternatives
    (those of every synonym it is in), compared stem by stem ("charley horses" is
    "charley horse"); every other word is a group of its own, unless it is too common to
    mean anything ("a", "at", "why": the same list as PostgreSQL's)."""
    # Words with a letter or digit: FTS5 would find nothing for "_", PostgreSQL ignores it.
    words = [word.lower() for word in query_words(query) if any(map(str.isalnum, word))]
    asked = stems(words)
    common = stop_words()
    synonyms = [
        (alternatives, [tuple(stems(phrase)) for phrase in alternatives])
        for alternatives in (
            synonym.alternatives()
            for synonym in Synonym.objects.filter(language=languages.current())
        )
    ]
    groups, at = [], 0
    while at < len(words):
        matches = [
            (len(stemmed), alternatives)
            for alternatives, stemmed_phrases in synonyms
            for stemmed in stemmed_phrases
            if tuple(asked[at : at + len(stemmed)]) == stemmed
        ]
        longest = max((size for size, _ in matches), default=0)
        if longest:
            group = [(tuple(words[at : at + longest]))]
            for size, alternatives in matches:
                group += [p for p in alternatives if size == longest and p not in group]
            groups.append([p for p in group if not common.issuperset(p)])
            at += longest
            continue
        if words[at] not in common:
            groups.append([(words[at],)])
        at += 1
    # A word searched twice is one group ("swollen swollen" names one sign).
    unique = []
    for group in groups:
        if group and group not in unique:
            unique.append(group)
    return unique


def search(query):
    groups = query_terms(query)
    if not groups:
        return Results()
    run = _postgresql_search if uses_postgresql() else _sqlite_search
    found = Results(run(groups, every=True))
    if not found and len(groups) > 1:
        # Failing that, the articles with any of the words.
        found = Results(run(groups, every=False))
        found.every_word = False
    # Best bets: a page whose editors named the search among its phrases comes first,
    # whatever another page's length or repetitions; then the pages whose title and
    # phrases name more of what was asked: a page's length never beats its subject. The
    # index's order stays within each (a stable sort).
    asked = stems(query_words(query))
    wanted = [[tuple(stems(phrase)) for phrase in group] for group in groups]
    found.sort(
        key=lambda result: (
            not is_best_bet(result.article, asked),
            -subject_matches(result.article, wanted),
        )
    )
    found.groups = groups
    return found


def found_elsewhere(query):
    """For a search that finds nothing in the page's language: how many articles it finds
    in each other language, as {language: count}, languages with none left out."""
    counts = {}
    for code, _ in settings.LANGUAGES:
        if code != languages.current():
            with translation.override(code):
                if found := search(query):
                    counts[code] = len(found)
    return counts


def stop_words(language=None):
    """The words too common to search for in `language` (by default the page's): those of
    PostgreSQL's configuration for it."""
    return _stop_words(configuration(language))


@functools.cache
def _stop_words(name):
    return frozenset((Path(__file__).parent / f"{name}.stop").read_text("utf-8").split())


def stem(word, language=None):
    """A word's Snowball stem in `language`, by default the page's (the algorithm of
    PostgreSQL's configuration for it)."""
    return _stem(word.lower(), configuration(language))


def stems(words, language=None):
    name = configuration(language)
    return [_stem(word.lower(), name) for word in words]


@functools.lru_cache(maxsize=100_000)
def _stem(word, name):
    # Remembered: the same words come back on every search, and stemming is pure Python.
    return _stemmer(name).stemWord(word)


@functools.cache
def _stemmer(name):
    return snowballstemmer.stemmer(name)


def is_best_bet(article, asked):
    """Whether one of the article's search phrases stands, word for word, in the search
    (`asked`, as stems)."""
    return any(
        contains(asked, tuple(stems(words_of(line))))
        for line in (article.search_phrases or "").splitlines()
    )


def subject_matches(article, wanted):
    """How much of `wanted` (groups of phrases, as stems) the article says it is about: a
    group in its title counts 2, one only in its search phrases 1 (the title is what
    readers and the index weigh most)."""
    title = tuple(stems(words_of(article.title)))
    phrases = [
        tuple(stems(words_of(line))) for line in (article.search_phrases or "").splitlines()
    ]
    return sum(
        2 if any(contains(title, phrase) for phrase in group)
        else any(contains(name, phrase) for name in phrases for phrase in group)
        for group in wanted
    )  # fmt: skip


def contains(sequence, phrase):
    """Whether the words of `phrase` (a tuple) stand one after another in `sequence` (a
    list or tuple). Called for every part of the first results, for every phrase searched:
    it jumps from one place of the phrase's first word to the next (list.index, in C)."""
    if not phrase:
        return False
    sequence, size, at = list(sequence), len(phrase), -1
    while True:
        try:
            at = sequence.index(phrase[0], at + 1)
        except ValueError:
            return False
        if tuple(sequence[at : at + size]) == phrase:
            return True


def _postgresql_search(groups, every):
    config = configuration()

    def phrase(words):
        return SearchQuery(" ".join(words), search_type="phrase", config=config)

    alternatives = [functools.reduce(operator.or_, map(phrase, group)) for group in groups]
    query = functools.reduce(operator.and_ if every else operator.or_, alternatives)

    def marked(field, **options):
        # Control characters out first: only the headline's own marks may be marks.
        text = functools.reduce(
            lambda value, mark: Replace(value, Value(mark), Value("")), (START, STOP), F(field)
        )
        return SearchHeadline(
            text, query, config=config, start_sel=START, stop_sel=STOP, **options
        )

    passage = {
        "max_words": PASSAGE_WORDS, "min_words": PASSAGE_WORDS // 2,
        "max_fragments": 2, "fragment_delimiter": " … ",
    }  # fmt: skip
    ranked = list(
        Article.objects.published()
        .in_language()
        .filter(search_vector=query)
        .annotate(rank=SearchRank(F("search_vector"), query))
        .order_by("-rank", "title")
        .values_list("pk", flat=True)[:MAX_RESULTS]
    )
    # Marks only for the articles shown, as on SQLite.
    articles = (
        Article.objects.filter(pk__in=ranked)
        .defer(*INDEX_COLUMNS)
        .annotate(
            marked_title=marked("title", highlight_all=True),
            marked_summary=marked("summary", **passage),
            marked_text=marked("search_document", **passage),
        )
    )
    found = {article.pk: article for article in articles}
    return [
        Result.of(a, a.marked_title, a.marked_summary, a.marked_text)
        for a in (found[pk] for pk in ranked if pk in found)
    ]


# SQLite's bm25() weights of the FTS5 columns (title, summary, headings, body): an article
# about the thing ranks above one that mentions it.
COLUMN_WEIGHTS = (10.0, 5.0, 3.0, 1.0)


def _sqlite_search(groups, every):
    # SQLite stems English itself; other languages' rows hold stems (index.indexed_text),
    # so the words searched are stemmed here.
    by_sqlite = languages.current() == STEMMED_BY_SQLITE
    # Each phrase a quoted FTS5 string (its words are \w+ only): whatever a reader types
    # is words, never syntax.
    match = (" AND " if every else " OR ").join(
        "("
        + " OR ".join(f'"{" ".join(words if by_sqlite else stems(words))}"' for words in group)
        + ")"
        for group in groups
    )
    live, params = live_condition("a", connection.ops.adapt_datetimefield_value(timezone.now()))
    weights = ", ".join(map(str, COLUMN_WEIGHTS))
    with connection.cursor() as cursor:
        cursor.execute(
            # CROSS JOIN: SQLite then reads the full-text index first, as it must; left
            # to choose, it may walk every page and match each one against the index.
            f"SELECT a.id FROM {FTS_TABLE} CROSS JOIN {Article._meta.db_table} a "
            f"ON a.id = {FTS_TABLE}.rowid WHERE {FTS_TABLE} MATCH %s AND a.language = %s "
            f"AND {live} "
            f"ORDER BY bm25({FTS_TABLE}, {weights}), a.title LIMIT %s",
            [match, languages.current(), *params, MAX_RESULTS],
        )
        ranked = [pk for (pk,) in cursor.fetchall()]
        if not ranked:
            return []
        if not by_sqlite:
            return _marked_in_python(ranked, groups)
        # Marks only for the articles shown: whole words, in the title, the summary and
        # a passage of the text.
        cursor.execute(
            f"SELECT rowid, highlight({FTS_TABLE}, 0, %s, %s), "
            f"snippet({FTS_TABLE}, 1, %s, %s, '…', %s), "
            f"snippet({FTS_TABLE}, 3, %s, %s, '…', %s) FROM {FTS_TABLE} "
            f"WHERE {FTS_TABLE} MATCH %s AND rowid IN ({', '.join(['%s'] * len(ranked))})",
            [START, STOP, START, STOP, PASSAGE_WORDS, START, STOP, PASSAGE_WORDS, match,
             *ranked],
        )  # fmt: skip
        marked = {pk: texts for pk, *texts in cursor.fetchall()}
    articles = Article.objects.defer(*INDEX_COLUMNS).in_bulk(ranked)
    return [
        Result.of(articles[pk], *marked.get(pk, ("", "", "")))
        for pk in ranked
        if pk in articles  # deleted since the first query
    ]


def _marked_in_python(ranked, groups):
    """The results at `ranked`, their matched words marked here: SQLite would mark the
    stems its index holds, not the words readers read."""
    wanted = {stem(word) for group in groups for phrase in group for word in phrase}
    articles = Article.objects.in_bulk(ranked)
    results = []
    for article in (articles[pk] for pk in ranked if pk in articles):
        text = passage(article.search_document, wanted)
        if STOP not in text:
            text = passage(article.summary, wanted)
        title = passage(article.title, wanted, size=None)
        results.append(Result(article, marked_passage(title), marked_passage(text)))
    return results


def passage(text, wanted_stems, size=PASSAGE_WORDS):
    """About `size` words of `text` from just before its first matched word (all of it if
    `size` is None), the words whose stems are `wanted_stems` between START and STOP
    marks."""
    tokens = (text or "").split()
    cores = [WORD.search(token) for token in tokens]
    name = configuration()  # once, not for each word
    hits = {
        index
        for index, core in enumerate(cores)
        if core and _stem(core.group().lower(), name) in wanted_stems
    }
    start = max(0, min(hits) - LEAD_IN) if hits and size else 0
    size = size or len(tokens)
    shown = []
    for index in range(start, min(len(tokens), start + size)):
        token, core = tokens[index], cores[index]
        if index in hits:
            token = f"{token[: core.start()]}{START}{core.group()}{STOP}{token[core.end() :]}"
        shown.append(token)
    before = "… " if start else ""
    after = " …" if start + size < len(tokens) else ""
    return before + " ".join(shown) + after


def marked_passage(text):
    """Escape a passage, then turn its match marks into <mark> elements."""
    return mark_safe(escape(text or "").replace(START, "<mark>").replace(STOP, "</mark>"))

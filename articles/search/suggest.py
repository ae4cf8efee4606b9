"""“Did you mean …?”: for a query that finds nothing or little, the nearest query, word by
word, made of words that the published articles use.

The words are every word live pages show (kept by the write path as it indexes a page)
and the editors' synonyms, compared with rapidfuzz, a C++ edit-distance library, and
only for a search that found little.
They are kept in the cache for a few minutes, so a new article's words are offered soon
after it goes live.
"""

import bisect

from django.core.cache import cache
from rapidfuzz import fuzz, process

from articles import languages
from articles.models import SearchWord, Synonym
from articles.search.query import query_words, search, stop_words
from articles.search.readers_words import words_in

VOCABULARY_KEY = "search:vocabulary"
VOCABULARY_SECONDS = 300
# How alike (0-100) a word must be to a misspelt one to be offered, and how long a word
# must be before it is corrected at all ("leg" stays "leg").
SIMILARITY = 75
SHORTEST = 4


def vocabulary():
    """The words of the page's language that a misspelt word may be corrected to."""
    language = languages.current()
    key = f"{VOCABULARY_KEY}:{language}"
    words = cache.get(key)
    if words is None:
        found = set(SearchWord.objects.filter(language=language).values_list("word", flat=True))
        found |= words_in(
            Synonym.objects.filter(language=language).values_list("words", flat=True)
        )
        words = sorted(found)
        cache.set(key, words, VOCABULARY_SECONDS)
    return words


def is_known(word, known):
    # The vocabulary is sorted: a binary search, not a set of every word built for each
    # misspelt search.
    at = bisect.bisect_left(known, word)
    return at < len(known) and known[at] == word


def correction(query):
    """A nearby query spelt with the articles' words that finds articles with every one of
    its words, and what it finds; (None, None) if there is none."""
    words = [word.lower() for word in query_words(query)]
    known = vocabulary()
    corrected, common = [], stop_words()
    for word in words:
        settled = word in common or len(word) < SHORTEST or not word.isalpha()
        if settled or is_known(word, known):
            corrected.append(word)
            continue
        match = process.extractOne(word, known, scorer=fuzz.ratio, score_cutoff=SIMILARITY)
        corrected.append(match[0] if match else word)
    if corrected == words:
        return None, None
    offered = " ".join(corrected)
    found = search(offered)
    return (offered, found) if found and found.every_word else (None, None)

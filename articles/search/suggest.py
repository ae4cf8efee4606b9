"""“Did you mean …?”: for a query that finds nothing or little, the nearest query, word by
word, made of words that the published articles use.

The words come from the titles, summaries and headings of live articles and from the
editors' synonyms: the terms readers look for, few enough to compare against on every
such search (rapidfuzz, a C++ edit-distance library). They are kept in the cache for a
few minutes, so a new article's words are offered soon after it goes live.
"""

import itertools

from django.core.cache import cache
from rapidfuzz import fuzz, process

from articles.models import Article, Synonym
from articles.search.query import STOP_WORDS, query_words, search, words_of

VOCABULARY_KEY = "search:vocabulary"
VOCABULARY_SECONDS = 300
# How alike (0-100) a word must be to a misspelt one to be offered, and how long a word
# must be before it is corrected at all ("leg" stays "leg").
SIMILARITY = 75
SHORTEST = 4


def vocabulary():
    words = cache.get(VOCABULARY_KEY)
    if words is None:
        texts = Article.objects.published().values_list("title", "summary", "search_headings")
        synonyms = Synonym.objects.values_list("words", flat=True)
        found = {
            word.lower()
            for text in itertools.chain(itertools.chain.from_iterable(texts), synonyms)
            for word in words_of(text)
            if word.isalpha()
        }
        words = sorted(found)
        cache.set(VOCABULARY_KEY, words, VOCABULARY_SECONDS)
    return words


def correction(query):
    """A nearby query spelt with the articles' words that finds articles with every one of
    its words, and what it finds; (None, None) if there is none."""
    words = [word.lower() for word in query_words(query)]
    known = vocabulary()
    lookup = set(known)
    corrected = []
    for word in words:
        if word in lookup or word in STOP_WORDS or len(word) < SHORTEST or not word.isalpha():
            corrected.append(word)
            continue
        match = process.extractOne(word, known, scorer=fuzz.ratio, score_cutoff=SIMILARITY)
        corrected.append(match[0] if match else word)
    if corrected == words:
        return None, None
    offered = " ".join(corrected)
    found = search(offered)
    return (offered, found) if found and found.every_word else (None, None)

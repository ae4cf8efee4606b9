"""The one place search asks which database runs (PostgreSQL's text search, or SQLite's
FTS5), and which text-search language each of the site's languages is."""

from django.db import connection

from articles import languages

# SQLite's full-text index of the live rows: one row per article, rowid = the article's id.
# Porter stemming, as PostgreSQL's "english" configuration stems (stretch, stretches and
# stretching are one word); diacritics folded. Other languages' rows hold their words'
# Snowball stems (index.indexed_text): Porter leaves words that are not English as they are.
FTS_TABLE = "articles_search"
# Created by migration 0015.
FTS_COLUMNS = ("title", "summary", "headings", "body")

# Each language's PostgreSQL text-search configuration, which is also the name of its
# Snowball stemmer and of its stop-word list here (english.stop, russian.stop: PostgreSQL's).
CONFIGURATIONS = {"en-gb": "english", "ru": "russian"}
# The language SQLite's own tokenizer stems.
STEMMED_BY_SQLITE = "en-gb"


def uses_postgresql():
    return connection.vendor == "postgresql"


def configuration(language=None):
    """The text-search configuration of `language`, by default the page's."""
    return CONFIGURATIONS[language or languages.current()]

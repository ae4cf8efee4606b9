"""The one place search asks which database runs: PostgreSQL's text search, or SQLite's
FTS5."""

from django.db import connection

# SQLite's full-text index of the live rows: one row per article, rowid = the article's id.
# Porter stemming, as PostgreSQL's "english" configuration stems (stretch, stretches and
# stretching are one word); diacritics folded.
FTS_TABLE = "articles_search"
# Created by migration 0015.
FTS_COLUMNS = ("title", "summary", "headings", "body")


def uses_postgresql():
    return connection.vendor == "postgresql"

"""The one place that asks which database runs: PostgreSQL's text search, or SQLite's FTS5."""

from django.db import connection

# SQLite's full-text index of the live rows: one row per article, rowid = the article's id.
# Porter stemming, as PostgreSQL's "english" configuration stems (stretch, stretches and
# stretching are one word); diacritics folded.
FTS_TABLE = "articles_search"
FTS_COLUMNS = ("title", "summary", "headings", "body")
CREATE_FTS_TABLE = (
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5("
    f"{', '.join(FTS_COLUMNS)}, tokenize='porter unicode61 remove_diacritics 2')"
)


def uses_postgresql():
    return connection.vendor == "postgresql"

"""Writing the index: each article's plain text and, on PostgreSQL, its weighted tsvector;
on SQLite, its row of the FTS5 table.

Only the write path (articles.publishing.changes) calls these, after every change readers
get.
"""

from django.contrib.postgres.search import SearchVector
from django.db import connection

from articles.markdown import without_control_characters
from articles.models import Article, SearchWord
from articles.search.database import FTS_COLUMNS, FTS_TABLE, uses_postgresql
from articles.search.readers_words import remember_words

# Title first, then summary, then headings, then everything else on the page.
DOCUMENT_VECTOR = (
    SearchVector("title", weight="A", config="english")
    + SearchVector("summary", weight="B", config="english")
    + SearchVector("search_headings", weight="C", config="english")
    + SearchVector("search_document", weight="D", config="english")
)


def reindex(articles):
    """Rebuild the search index of these articles from the words readers see on them."""
    articles = list(articles)
    if not articles:
        return
    for article in articles:
        article.search_headings, article.search_document = article.searchable_text()
    Article.objects.bulk_update(articles, ["search_headings", "search_document"])
    # What a misspelt search may be corrected to: any word a page shows.
    remember_words(
        SearchWord,
        (text for a in articles for text in (a.title, a.summary, a.search_headings,
                                             a.search_document)),
    )  # fmt: skip
    pks = [article.pk for article in articles]
    if uses_postgresql():
        Article.objects.filter(pk__in=pks).update(search_vector=DOCUMENT_VECTOR)
        return
    # Control characters out, as in the text: the passages' marks are control characters.
    rows = [
        (a.pk, without_control_characters(a.title), without_control_characters(a.summary),
         a.search_headings, a.search_document)
        for a in articles
    ]  # fmt: skip
    placeholders = ", ".join(["%s"] * (len(FTS_COLUMNS) + 1))
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {FTS_TABLE} WHERE rowid IN ({', '.join(['%s'] * len(pks))})", pks
        )
        cursor.executemany(
            f"INSERT INTO {FTS_TABLE} (rowid, {', '.join(FTS_COLUMNS)}) VALUES ({placeholders})",
            rows,
        )


def forget_deleted():
    """Drop the index rows of articles that no longer exist (SQLite's FTS5 table has no
    foreign key to cascade)."""
    if not uses_postgresql():
        with connection.cursor() as cursor:
            cursor.execute(
                f"DELETE FROM {FTS_TABLE} WHERE rowid NOT IN "
                f"(SELECT id FROM {Article._meta.db_table})"
            )


def refresh_statistics():
    """After a bulk load: fresh planner statistics, so PostgreSQL knows the tables are no
    longer tiny and uses the text index; SQLite's FTS5 merges its index segments."""
    with connection.cursor() as cursor:
        if uses_postgresql():
            cursor.execute("ANALYZE")
        else:
            cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('optimize')")

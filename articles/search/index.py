"""Writing the index: each article's plain text and, on PostgreSQL, its weighted tsvector;
on SQLite, its row of the FTS5 table.

Only the write path (articles.publishing.changes) calls these, after every change readers
get.
"""

from django.contrib.postgres.search import SearchVector
from django.db import connection

from articles.markdown import without_control_characters
from articles.models import Article, SearchWord
from articles.search.database import (
    FTS_COLUMNS,
    FTS_TABLE,
    STEMMED_BY_SQLITE,
    configuration,
    uses_postgresql,
)
from articles.search.query import stems, words_of
from articles.search.readers_words import remember_words


def document_vector(language):
    """Title first, then summary, then headings, then everything else on the page, in the
    text-search configuration of the article's language."""
    config = configuration(language)
    return (
        SearchVector("title", weight="A", config=config)
        + SearchVector("summary", weight="B", config=config)
        + SearchVector("search_headings", weight="C", config=config)
        + SearchVector("search_document", weight="D", config=config)
    )


def indexed_text(text, language):
    """What SQLite's index holds of `text`: as it is for the language its tokenizer stems,
    else the Snowball stems of its words, in order."""
    if language == STEMMED_BY_SQLITE:
        return text
    return " ".join(stems(words_of(text), language))


def reindex(articles):
    """Rebuild the search index of these articles from the words readers see on them."""
    articles = list(articles)
    if not articles:
        return
    for article in articles:
        article.search_headings, article.search_document = article.searchable_text()
    Article.objects.bulk_update(articles, ["search_headings", "search_document"])
    by_language = {}
    for article in articles:
        by_language.setdefault(article.language, []).append(article)
    for language, group in by_language.items():
        # What a misspelt search in the language may be corrected to: any word a page shows.
        remember_words(
            SearchWord,
            (text for a in group for text in (a.title, a.summary, a.search_headings,
                                              a.search_document)),
            language,
        )  # fmt: skip
    pks = [article.pk for article in articles]
    if uses_postgresql():
        for language, group in by_language.items():
            Article.objects.filter(pk__in=[a.pk for a in group]).update(
                search_vector=document_vector(language)
            )
        return
    # Control characters out, as in the text: the passages' marks are control characters.
    rows = [
        (a.pk, *(indexed_text(text, a.language) for text in (
            without_control_characters(a.title), without_control_characters(a.summary),
            a.search_headings, a.search_document,
        )))
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

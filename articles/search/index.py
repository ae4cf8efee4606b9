"""Writing the index: each article's plain text and, on PostgreSQL, its weighted tsvector.

Only the write path (articles.publishing) calls these, after every change to an article.
"""

from django.contrib.postgres.search import SearchVector
from django.db import connection

from articles.models import Article
from articles.search.database import has_full_text_search

# Title first, then summary, then everything else on the page.
DOCUMENT_VECTOR = (
    SearchVector("title", weight="A", config="english")
    + SearchVector("summary", weight="B", config="english")
    + SearchVector("search_document", weight="C", config="english")
)


def reindex(articles):
    """Rebuild the search index of these articles from the words readers see on them."""
    articles = list(articles)
    for article in articles:
        article.search_document = article.searchable_text()
    Article.objects.bulk_update(articles, ["search_document"])
    if has_full_text_search():
        pks = [article.pk for article in articles]
        Article.objects.filter(pk__in=pks).update(search_vector=DOCUMENT_VECTOR)


def refresh_statistics():
    """After a bulk load: fresh planner statistics, so PostgreSQL knows the tables are no
    longer tiny and uses the text index."""
    if has_full_text_search():
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

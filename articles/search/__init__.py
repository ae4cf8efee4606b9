"""Search across published articles: the reader's query (query) and the index (index)."""

from articles.search.query import (
    MAX_QUERY_LENGTH,
    Result,
    found_elsewhere,
    query_words,
    search,
)

__all__ = ["MAX_QUERY_LENGTH", "Result", "found_elsewhere", "query_words", "search"]

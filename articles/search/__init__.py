"""Search across published articles: the reader's query (query) and the index (index)."""

from articles.search.query import MAX_QUERY_LENGTH, Result, query_words, search

__all__ = ["MAX_QUERY_LENGTH", "Result", "query_words", "search"]

"""The one place that asks which database runs: PostgreSQL brings full-text search."""

from django.db import connection


def has_full_text_search():
    return connection.vendor == "postgresql"

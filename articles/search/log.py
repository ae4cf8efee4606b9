"""What readers look for, counted per day without anything that could identify them."""

import datetime
import logging
import re

from django.core.cache import cache
from django.db import DatabaseError, connection
from django.db.models import Sum
from django.utils import timezone

from articles.models import SearchCount
from articles.search.query import query_words

# The admin shows the last 30 days; older counts are deleted once a day.
KEPT_DAYS = 30
PRUNED_KEY = "search:counts-pruned"
QUERY_LENGTH = SearchCount._meta.get_field("query").max_length
log = logging.getLogger(__name__)

# Digits and @ may be a phone number, a date of birth or an email address.
PRIVATE = re.compile(r"[\d@]")


def normalised(query):
    """The query as it is counted: its words, lower case, one space apart (lower case may
    lengthen a word, as "İ" does: cut to what the column holds)."""
    return " ".join(word.lower() for word in query_words(query))[:QUERY_LENGTH]


def record(query, found):
    """Count one search for `query`; never one that may hold personal details. One
    statement, whoever counts the same query at the same moment (an upsert, which SQLite
    and PostgreSQL both write this way)."""
    words = normalised(query)
    if not words or PRIVATE.search(query):
        return
    table = connection.ops.quote_name(SearchCount._meta.db_table)
    if cache.add(f"{PRUNED_KEY}:{timezone.localdate()}", True, timeout=24 * 3600):
        forget_old()
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (day, query, searches, found_nothing) "
                "VALUES (%s, %s, 1, %s) ON CONFLICT (day, query) DO UPDATE SET searches = "
                f"{table}.searches + 1, found_nothing = {table}.found_nothing + "
                "excluded.found_nothing",
                [connection.ops.adapt_datefield_value(timezone.localdate()), words,
                 int(not found)],
            )  # fmt: skip
    except DatabaseError:  # a count lost is better than a reader's results
        log.warning("Could not count a search", exc_info=True)


def forget_old():
    """Counts past the days the admin shows are not kept."""
    since = timezone.localdate() - datetime.timedelta(days=KEPT_DAYS - 1)
    SearchCount.objects.filter(day__lt=since).delete()


def _totals(days):
    """Each query's searches and searches that found nothing over the last `days` days."""
    since = timezone.localdate() - datetime.timedelta(days=days - 1)
    return (
        SearchCount.objects.filter(day__gte=since)
        .values("query")
        .annotate(total=Sum("searches"), empty=Sum("found_nothing"))
    )


def unfound(days=KEPT_DAYS, limit=50):
    """The queries that most often found nothing, as (query, searches, found nothing)."""
    return list(_totals(days).filter(empty__gt=0).order_by("-empty", "query")[:limit])


def report(days=KEPT_DAYS, limit=50):
    """(the most searched queries, the most searched that found nothing), as
    (query, searches, found nothing) over the last `days` days."""
    top = _totals(days).order_by("-total", "query")[:limit]
    return list(top), unfound(days, limit)

"""What readers look for, counted per day without anything that could identify them."""

import datetime
import re

from django.db import connection
from django.db.models import Sum
from django.utils import timezone

from articles.models import SearchCount
from articles.search.query import query_words

# The admin shows the last 30 days; older counts are deleted when it does.
KEPT_DAYS = 30
# Digits and @ may be a phone number, a date of birth or an email address.
PRIVATE = re.compile(r"[\d@]")


def normalised(query):
    """The query as it is counted: its words, lower case, one space apart."""
    return " ".join(word.lower() for word in query_words(query))


def record(query, found):
    """Count one search for `query`; never one that may hold personal details. One
    statement, whoever counts the same query at the same moment (an upsert, which SQLite
    and PostgreSQL both write this way)."""
    words = normalised(query)
    if not words or PRIVATE.search(query):
        return
    table = connection.ops.quote_name(SearchCount._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (day, query, searches, found_nothing) VALUES (%s, %s, 1, %s) "
            "ON CONFLICT (day, query) DO UPDATE SET searches = "
            f"{table}.searches + 1, found_nothing = {table}.found_nothing + "
            "excluded.found_nothing",
            [connection.ops.adapt_datefield_value(timezone.localdate()), words, int(not found)],
        )


def report(days=KEPT_DAYS, limit=50):
    """(the most searched queries, the most searched that found nothing), as
    (query, searches, found nothing) over the last `days` days."""
    since = timezone.localdate() - datetime.timedelta(days=days - 1)
    # Older counts are not shown; they are not kept either.
    SearchCount.objects.filter(day__lt=since).delete()
    totals = (
        SearchCount.objects.filter(day__gte=since)
        .values("query")
        .annotate(total=Sum("searches"), empty=Sum("found_nothing"))
    )
    top = totals.order_by("-total", "query")[:limit]
    unfound = totals.filter(empty__gt=0).order_by("-empty", "query")[:limit]
    return list(top), list(unfound)

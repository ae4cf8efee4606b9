"""What readers look for, counted per day without anything that could identify them."""

import datetime
import logging
import unicodedata

from django.core.cache import cache
from django.db import DatabaseError, connection
from django.db.models import F, Sum
from django.utils import timezone

from articles import limits
from articles.models import SearchCount
from articles.search.query import query_words

# The admin shows the last 30 days; older counts are deleted once a day.
KEPT_DAYS = 30
PRUNED_KEY = "search:counts-pruned"
QUERY_LENGTH = SearchCount._meta.get_field("query").max_length
log = logging.getLogger(__name__)

# One reader's searches count this many times a day at most, so that nobody can fill the
# editors' report; and the report keeps this many different queries a day.
COUNTED_PER_READER = 5
QUERIES_A_DAY = 1_000


def may_be_personal(query):
    """Whether `query` has a digit or an @: a phone number, a date of birth or an email
    address may be written in any script's digits, circled or full-width. NFKC makes the
    full-width and small at signs an @ and circled or full-width digits digits; isnumeric
    takes in the rest (fractions, Roman numerals, other scripts' digits)."""
    text = unicodedata.normalize("NFKC", query)
    return "@" in text or any(c.isnumeric() for c in text)


def normalised(query):
    """The query as it is counted: its words, lower case, one space apart (lower case may
    lengthen a word, as "İ" does: cut to what the column holds)."""
    return " ".join(word.lower() for word in query_words(query))[:QUERY_LENGTH]


def record(query, found, reader=None):
    """Count one search for `query` by `reader` (what a per-reader limit counts for their
    address; never stored); never one that may hold personal details, nor more than
    COUNTED_PER_READER of one reader's a day, nor a new query once the day has
    QUERIES_A_DAY. A new query is written as an upsert (SQLite and PostgreSQL both write
    it this way), so two readers counting it at the same moment both count."""
    words = normalised(query)
    if not words or may_be_personal(query):
        return
    if reader is not None and limits.count("searches", reader, 24 * 3600) > COUNTED_PER_READER:
        return
    today = timezone.localdate()
    if cache.add(f"{PRUNED_KEY}:{today}", True, timeout=24 * 3600):
        forget_old()
    counted = SearchCount.objects.filter(day=today)
    try:
        # A query already counted today: one statement. A new one: only under the cap.
        if counted.filter(query=words).update(
            searches=F("searches") + 1, found_nothing=F("found_nothing") + int(not found)
        ):
            return
        if counted.count() >= QUERIES_A_DAY:
            return
        table = connection.ops.quote_name(SearchCount._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (day, query, searches, found_nothing) "
                "VALUES (%s, %s, 1, %s) ON CONFLICT (day, query) DO UPDATE SET searches = "
                f"{table}.searches + 1, found_nothing = {table}.found_nothing + "
                "excluded.found_nothing",
                [connection.ops.adapt_datefield_value(today), words, int(not found)],
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

"""What readers look for, counted per day without anything that could identify them."""

import datetime
import re

from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.utils import timezone

from articles.models import SearchCount
from articles.search.query import query_words

# Counts older than this are deleted: the admin shows the last 30 days.
KEPT_DAYS = 30
# Digits and @ may be a phone number, a date of birth or an email address.
PRIVATE = re.compile(r"[\d@]")


def normalised(query):
    """The query as it is counted: its words, lower case, one space apart."""
    return " ".join(word.lower() for word in query_words(query))


def record(query, found):
    """Count one search for `query`; never one that may hold personal details."""
    words = normalised(query)
    if not words or PRIVATE.search(query):
        return
    today = timezone.localdate()
    counted = {"searches": F("searches") + 1, "found_nothing": F("found_nothing") + int(not found)}
    rows = SearchCount.objects.filter(day=today, query=words)
    if rows.update(**counted):
        return
    try:
        with transaction.atomic():
            SearchCount.objects.create(
                day=today, query=words, searches=1, found_nothing=int(not found)
            )
    except IntegrityError:  # another request counted it first today
        rows.update(**counted)
        return
    SearchCount.objects.filter(day__lt=today - datetime.timedelta(days=KEPT_DAYS)).delete()


def report(days=KEPT_DAYS, limit=50):
    """(the most searched queries, the most searched that found nothing), as
    (query, searches, found nothing) over the last `days` days."""
    since = timezone.localdate() - datetime.timedelta(days=days - 1)
    totals = (
        SearchCount.objects.filter(day__gte=since)
        .values("query")
        .annotate(total=Sum("searches"), empty=Sum("found_nothing"))
    )
    top = totals.order_by("-total", "query")[:limit]
    unfound = totals.filter(empty__gt=0).order_by("-empty", "query")[:limit]
    return list(top), list(unfound)

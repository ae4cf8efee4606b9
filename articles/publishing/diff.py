"""Comparing two versions of an article, for editors: text word by word, any other value
as it was before and after."""

import datetime
import difflib
import re

from django.db import models
from django.utils import timezone
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.timesince import timesince, timeuntil

from articles.times import day, moment

# Marked changes say so to screen readers too: colour and strike-through are not heard.
HIDDEN = '<span class="visually-hidden">{}</span>'
REMOVED = f"<del>{HIDDEN.format('[removed: ')}{{}}{HIDDEN.format(']')}</del>"
ADDED = f"<ins>{HIDDEN.format('[added: ')}{{}}{HIDDEN.format(']')}</ins>"
# Identity and bookkeeping: nothing an editor wrote.
UNCOMPARED_FIELDS = {
    "id", "article", "created_at", "updated_at", "content_changed_at", "edit_token",
    "pages_token", "search_headings",
    "search_document", "search_vector", "change_notes",
}  # fmt: skip


def field_diff(field, old, new):
    """How one field changed: text word by word, any other value before and after."""
    if isinstance(field, models.CharField | models.TextField) and not field.choices:
        return word_diff(old, new)
    # Run together in one diff, "draft" and "published" read as "draftpublished".
    return format_html(
        '<dl class="compare-part"><dt>Before</dt><dd>' + REMOVED + "</dd>"
        "<dt>After</dt><dd>" + ADDED + "</dd></dl>",
        in_words(field, old),
        in_words(field, new),
    )


def in_words(field, value):
    """A stored value in an editor's words: a choice's label, Yes or No, a date and time
    with how far off it is."""
    if value is None or value == "":
        return "Not set"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime.datetime):
        return f"{moment(value)} ({from_now(value)})"
    if isinstance(value, datetime.date):
        return day(value)
    return str(value)


def from_now(moment):
    """A time to come as "in 3 hours", one gone by as "2 days ago"."""
    now = timezone.now()
    if abs(moment - now) < datetime.timedelta(minutes=1):
        return "now"
    if moment > now:
        return f"in {timeuntil(moment, now)}"
    return f"{timesince(moment, now)} ago"


# Matching two sequences costs up to about the cube of their length when words repeat, so
# texts are matched line by line first, then word by word inside the lines that changed;
# past this many pairs of elements the two sides are shown whole instead (a paragraph of
# up to 500 words keeps its word diff).
MAX_PAIRS = 250_000


def word_diff(old, new):
    """The new text with removed words struck through and added words marked."""
    old, new = "" if old is None else str(old), "" if new is None else str(new)
    # Each line keeps its line breaks, and each word the space after it, so that breaks
    # and spaces never match on their own.
    pieces = _diff(re.findall(r"[^\n]+\n*|\n+", old), re.findall(r"[^\n]+\n*|\n+", new), _words)
    return format_html('<div class="word-diff">{}</div>', mark_safe("".join(pieces)))


def _words(old, new):
    return _diff(re.findall(r"\S+\s*|\s+", old), re.findall(r"\S+\s*|\s+", new))


def _diff(old_units, new_units, within=None):
    """Escaped HTML pieces: equal runs as they are, changed runs struck and marked, or
    compared again by `within` where a run of units was replaced by another."""
    if len(old_units) * len(new_units) > MAX_PAIRS:
        opcodes = [("replace", 0, len(old_units), 0, len(new_units))]
        within = None
    else:
        matcher = difflib.SequenceMatcher(a=old_units, b=new_units, autojunk=False)
        opcodes = matcher.get_opcodes()
    pieces = []
    for tag, a_start, a_end, b_start, b_end in opcodes:
        removed = "".join(old_units[a_start:a_end])
        added = "".join(new_units[b_start:b_end])
        if tag == "equal" or removed == added:
            pieces.append(escape(added))
        elif tag == "replace" and within:
            pieces.extend(within(removed, added))
        else:
            if removed:
                pieces.append(REMOVED.format(escape(removed)))
            if added:
                pieces.append(ADDED.format(escape(added)))
    return pieces

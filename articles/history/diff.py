"""Comparing two versions of an article's text, word by word, for editors."""

import difflib
import re

from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

# Bookkeeping fields that change on every save and say nothing to an editor.
UNCOMPARED_FIELDS = {
    "id", "article", "created_at", "updated_at", "content_changed_at", "edit_token",
    "pages_token", "search_headings",
    "search_document", "search_vector", "change_notes",
}  # fmt: skip


def changed_fields(model, old, new):
    for name in new:
        if name not in UNCOMPARED_FIELDS and old.get(name) != new.get(name):
            label = model._meta.get_field(name).verbose_name
            yield label, word_diff(old.get(name, ""), new.get(name, ""))


# Matching two sequences costs up to about the cube of their length when words repeat
# (2,000 words took 79 s), so texts are matched line by line first, then word by word
# inside the lines that changed, and any matching past this many pairs of elements shows
# the two sides whole instead (a paragraph of up to 500 words keeps its word diff): the
# worst case then takes about half a second.
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
                pieces.append(f"<del>{escape(removed)}</del>")
            if added:
                pieces.append(f"<ins>{escape(added)}</ins>")
    return pieces

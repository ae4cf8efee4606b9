"""The whole difference between two versions of an article, for the clinical reviewer.

Built from two Snapshots (see articles.publishing.drafts), so that what a reviewer is shown
is what publishing would copy. Parts are matched by key: a part only in the new version is
added, one only in the old is removed, and one in both may have changed, moved, or both.
"""

import functools
from dataclasses import dataclass, field

from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from markdownx.models import MarkdownxField

from articles.markdown import render_markdown
from articles.models import CITING_MODELS, PART_MODELS, Article, Callout, Source
from articles.publishing.diff import UNCOMPARED_FIELDS, field_diff, in_words

# A part's identity and place: what matches it up and what Move reports, not what it says.
PLACE_FIELDS = {"key", "position"}
# "Callouts" is the model's name; editors know them as care cards.
HEADINGS = {Callout: "Care cards"}


@dataclass
class FieldChange:
    """One field's change, or for an added part one field's value."""

    label: str
    diff: str = ""  # safe HTML: the word diff, the values before and after, or the value
    rendered: str = ""  # safe HTML: the new Markdown as readers will see it
    removed: list = field(default_factory=list)  # sources no longer cited, as "Source 2: …"
    added: list = field(default_factory=list)  # sources newly cited


@dataclass
class Move:
    """A kept part's place before and after; a group is set for parts listed in groups."""

    old_position: int
    new_position: int
    old_group: str = ""
    new_group: str = ""

    @property
    def text(self):
        if self.old_group == self.new_group:
            return f"Moved from position {self.old_position} to {self.new_position}"
        return (
            f"Moved from position {self.old_position} ({self.old_group}) "
            f"to position {self.new_position} ({self.new_group})"
        )


@dataclass
class PartChange:
    """A part added (its fields), removed (its label only), or kept and changed or moved."""

    label: str
    fields: list = field(default_factory=list)
    move: Move | None = None


@dataclass
class GroupChanges:
    """The changes to one type of part, each list in page order."""

    model: type
    heading: str
    added: list = field(default_factory=list)
    removed: list = field(default_factory=list)
    changed: list = field(default_factory=list)  # kept parts that changed, moved or both

    @property
    def is_empty(self):
        return not (self.added or self.removed or self.changed)


@dataclass
class VersionDiff:
    """Everything that differs between two versions of an article."""

    is_new: bool  # no live version: everything is added
    fields: list = field(default_factory=list)
    related_added: list = field(default_factory=list)  # titles
    related_removed: list = field(default_factory=list)
    groups: list = field(default_factory=list)  # only the groups with changes

    @property
    def is_empty(self):
        return not (self.fields or self.related_added or self.related_removed or self.groups)

    def group(self, model):
        return next((group for group in self.groups if group.model is model), None)


def compare(old, new):
    """What differs from Snapshot `old` (None for a new article) to Snapshot `new`."""
    diff = VersionDiff(is_new=old is None)
    diff.fields = _article_fields(old and old.article, new.article)
    diff.related_added, diff.related_removed = _related(old.related if old else [], new.related)
    old_sources, new_sources = _sources(old), _sources(new)
    for model in PART_MODELS:
        group = GroupChanges(model, HEADINGS.get(model, capfirst(model._meta.verbose_name_plural)))
        old_parts = old.parts.get(model, []) if old else []
        new_parts = new.parts.get(model, [])
        old_by_key = {part.key: part for part in old_parts}
        new_keys = {part.key for part in new_parts}
        for part in new_parts:
            before = old_by_key.get(part.key)
            if before is None:
                group.added.append(PartChange(str(part), _added_fields(part, new_sources)))
                continue
            fields = _changed_fields(before, part, old_sources, new_sources)
            move = _move(before, part)
            if fields or move:
                group.changed.append(PartChange(str(part), fields, move))
        group.removed = [PartChange(str(part)) for part in old_parts if part.key not in new_keys]
        if not group.is_empty:
            diff.groups.append(group)
    return diff


def _article_fields(old, new):
    changes = []
    for name in Article.EDITED_FIELDS:
        model_field = Article._meta.get_field(name)
        value = getattr(new, name, None)
        if old is None:
            if not _blank(value):
                changes.append(_value(model_field, value))
            continue
        before = getattr(old, name, None)
        if before != value:
            changes.append(_change(model_field, before, value))
    return changes


def _related(old_pks, new_pks):
    old_pks, new_pks = set(old_pks), set(new_pks)
    titles = dict(Article.objects.filter(pk__in=old_pks ^ new_pks).values_list("pk", "title"))

    def named(pks):
        # A stored version may name a page deleted since.
        return sorted(titles.get(pk, "An article deleted since") for pk in pks)

    return named(new_pks - old_pks), named(old_pks - new_pks)


def _sources(snapshot):
    """A version's sources by pk: each version numbers and identifies its own."""
    return {source.pk: source for source in snapshot.parts.get(Source, [])} if snapshot else {}


def _cited(part, sources):
    """The keys of the sources a claim cites, mapped to those sources (ids of deleted
    sources are skipped, as on the page)."""
    return {sources[pk].key: sources[pk] for pk in part.source_ids if pk in sources}


def _source_name(source):
    return f"Source {source.position}: {source.title}"


def _group_field(model):
    """The field that sorts the parts into groups (Cause's group), from the page order."""
    return next((n for n in model._meta.ordering if n not in ("article", "position")), None)


@functools.cache
def _compared_fields(model):
    skipped = UNCOMPARED_FIELDS | PLACE_FIELDS | {_group_field(model), "source_ids"}
    return [f for f in model._meta.concrete_fields if f.name not in skipped]


def _added_fields(part, sources):
    fields = [
        _value(model_field, getattr(part, model_field.attname))
        for model_field in _compared_fields(type(part))
        if not _blank(getattr(part, model_field.attname))
    ]
    cited = _cited(part, sources) if type(part) in CITING_MODELS else {}
    if cited:
        names = [_source_name(source) for source in _in_list_order(cited)]
        fields.append(FieldChange("Sources", diff=escape(", ".join(names))))
    return fields


def _changed_fields(old, new, old_sources, new_sources):
    fields = []
    for model_field in _compared_fields(type(new)):
        before, after = getattr(old, model_field.attname), getattr(new, model_field.attname)
        if before != after:
            fields.append(_change(model_field, before, after))
    if type(new) in CITING_MODELS:
        before, after = _cited(old, old_sources), _cited(new, new_sources)
        if before.keys() != after.keys():
            fields.append(
                FieldChange(
                    "Sources",
                    removed=[_source_name(s) for s in _in_list_order(before, after.keys())],
                    added=[_source_name(s) for s in _in_list_order(after, before.keys())],
                )
            )
    return fields


def _in_list_order(cited, leaving_out=()):
    return sorted(
        (source for key, source in cited.items() if key not in leaving_out),
        key=lambda source: source.position,
    )


def _move(old, new):
    group = _group_field(type(new))
    if old.position == new.position and (
        group is None or getattr(old, group) == getattr(new, group)
    ):
        return None
    move = Move(old.position, new.position)
    if group:
        model_field = type(new)._meta.get_field(group)
        move.old_group = in_words(model_field, getattr(old, group))
        move.new_group = in_words(model_field, getattr(new, group))
    return move


def _change(model_field, old, new):
    """A changed field: its diff, and for Markdown with an image the new text drawn."""
    label = capfirst(model_field.verbose_name)
    diff = field_diff(model_field, old, new)
    if isinstance(model_field, MarkdownxField) and "![" in (new or ""):
        return FieldChange(label, diff, rendered=mark_safe(render_markdown(new)))
    return FieldChange(label, diff)


def _value(model_field, value):
    """A field of something added: Markdown drawn as readers see it, any other value in
    words."""
    label = capfirst(model_field.verbose_name)
    if isinstance(model_field, MarkdownxField):
        return FieldChange(label, rendered=mark_safe(render_markdown(value)))
    return FieldChange(label, diff=escape(in_words(model_field, value)))


def _blank(value):
    return value is None or value == ""

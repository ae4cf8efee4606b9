"""Drafts and versions: an article's unpublished changes are rows of their own.

Editors never change a page's rows. The admin's change page edits the article's draft, an
Article row whose draft_of is the page, with parts of its own, made by copying the page
the first time it is opened. Only the publish step (articles.publishing.publish) copies a
draft, or a version kept in the history, onto the page.

A Snapshot is one version of an article, read from rows or from a django-reversion
revision, so that a draft, the live page and any version in the history are copied and
compared alike. Parts keep their key in every copy, so a copy updates the same row, and a
comparison tells a moved or changed part from a new one.
"""

import uuid
from dataclasses import dataclass, field

import reversion
from django.core.serializers.base import DeserializationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from reversion.models import Version

from articles.models import PART_MODELS, Article, Publication, Source

# A part row's own bookkeeping, which no copy carries over.
OWN_COLUMNS = {"id", "article_id", "key", "created_at", "updated_at"}


@dataclass
class Snapshot:
    """One version of an article: its fields, related pages and parts, in page order."""

    article: Article
    parts: dict = field(default_factory=dict)  # part model -> parts in page order
    related: list = field(default_factory=list)  # pks of related pages

    @classmethod
    def of_rows(cls, article):
        return cls(
            article,
            {model: list(model.objects.filter(article_id=article.pk)) for model in PART_MODELS},
            list(article.related_articles.values_list("pk", flat=True)),
        )

    @classmethod
    def of_revision(cls, revision):
        """The article a revision holds, built in memory (fields a version lacks, such as
        parts' keys in versions older than keys, take their defaults)."""
        article, related, parts = None, [], {model: [] for model in PART_MODELS}
        for version in revision.version_set.all():
            try:
                stored = version._object_version
            except (DeserializationError, LookupError):  # a model or field gone since
                continue
            kept = stored.object
            if isinstance(kept, Article) and article is None:
                article, related = kept, list(stored.m2m_data.get("related_articles", []))
            elif type(kept) in parts:
                parts[type(kept)].append(kept)
        if article is None:
            return None
        for model, kept in parts.items():
            kept.sort(key=lambda part, model=model: _page_order(model, part))
        return cls(article, parts, related)


def _page_order(model, part):
    return tuple(getattr(part, name) for name in model._meta.ordering if name != "article")


def copied_columns(model):
    return [f.attname for f in model._meta.concrete_fields if f.attname not in OWN_COLUMNS]


def copy_into(target, snapshot, **overrides):
    """Make `target` (a page or a draft, saved here) say what `snapshot` says: the edited
    fields, with `overrides`, its related pages and its parts. Parts are matched by key:
    a kept part's row is updated only if it changed, a new one added, a missing one
    deleted; the sources a claim cites are mapped onto the target's own sources."""
    for name in Article.EDITED_FIELDS:
        setattr(target, name, getattr(snapshot.article, name))
    for name, value in overrides.items():
        setattr(target, name, value)
    target.edit_token = uuid.uuid4()
    target.save()
    own = {target.pk, target.draft_of_id}
    related = set(
        Article.objects.filter(
            pk__in=[pk for pk in snapshot.related if pk not in own]
        ).values_list("pk", flat=True)
    )
    if target.draft_of_id is None:
        link_back(target, related)
    target.related_articles.set(related)
    sources = {}  # the snapshot's source ids -> the target's
    for model in sorted(PART_MODELS, key=lambda model: model is not Source):
        wanted = snapshot.parts.get(model, [])
        rows = model.objects.filter(article_id=target.pk)
        existing = {row.key: row for row in rows}
        # Rows are written back in bulk: park today's so that no two share a position.
        rows.park()
        rows.exclude(key__in=[part.key for part in wanted]).delete()
        columns = copied_columns(model)
        kept, added = [], []
        now = timezone.now()
        for part in wanted:
            row = existing.get(part.key) or model(article_id=target.pk, key=part.key)
            values = {name: getattr(part, name) for name in columns}
            if "source_ids" in values:
                cited = part.source_ids
                values["source_ids"] = sorted(sources[pk] for pk in cited if pk in sources)
            if row.pk is None:
                added.append(row)
            else:
                kept.append(row)
                if any(getattr(row, name) != value for name, value in values.items()):
                    row.updated_at = now
            row.__dict__.update(values)
        # Every kept row is written back, if only to leave its parking place.
        if kept:
            model.objects.bulk_update(kept, [*columns, "updated_at"])
        model.objects.bulk_create(added)
        if model is Source:
            by_key = {row.key: row.pk for row in [*existing.values(), *added]}
            sources = {part.pk: by_key[part.key] for part in wanted}
    return target


def link_back(page, related):
    """Make the pages `page` links to (`related`, pks) link back to it, and those it no
    longer links to stop: related articles go both ways between pages."""
    links = Article.related_articles.through
    back = links.objects.filter(to_article=page, from_article__draft_of=None)
    linking = set(back.values_list("from_article_id", flat=True))
    back.filter(from_article_id__in=linking - related).delete()
    links.objects.bulk_create(
        links(from_article_id=pk, to_article_id=page.pk) for pk in related - linking
    )


def open_draft(page):
    """The page's draft, made the first time it is asked for (see reset_draft)."""
    draft = Article.rows.filter(draft_of=page).first()
    if draft is not None:
        return draft
    try:
        with transaction.atomic():
            return copy_into(Article(draft_of=page, **edition_of(page)), _starting_point(page))
    except IntegrityError:  # another request made it first
        return Article.rows.get(draft_of=page)


def edition_of(page):
    """What a draft shares with its page and never changes: the language edition."""
    return {"language": page.language, "translation_key": page.translation_key}


def reset_draft(page):
    """Make the page's draft hold no changes again (after they went live, or were
    discarded). The draft stays, with its rows, so that a change page still open on it
    is told it is out of date rather than refused for rows that vanished."""
    draft = Article.rows.filter(draft_of=page).first()
    if draft is not None:
        copy_into(draft, _starting_point(page))


def _starting_point(page):
    """What a draft starts from: the approved version waiting for its time, if there is
    one (so that the next change builds on it), or else the page."""
    waiting = Publication.objects.waiting().filter(article=page).select_related("revision")
    waiting = waiting.first()
    source = waiting and waiting.revision and Snapshot.of_revision(waiting.revision)
    return source or Snapshot.of_rows(page)


def start_article(draft, snapshot=None):
    """A new article: its page, which readers cannot see and only publishing fills, and
    `draft` (saved here, from `snapshot` if given) holding its content."""
    source = snapshot.article if snapshot else draft
    page = Article.objects.create(
        title=source.title, slug=source.slug, summary=source.summary,
        status=Article.Status.DRAFT, **edition_of(source),
    )  # fmt: skip
    draft.draft_of = page
    draft.language, draft.translation_key = page.language, page.translation_key
    if snapshot:
        copy_into(draft, snapshot)
    else:
        draft.save()
    return page


def record_version(page, user, comment, source=None):
    """Keep `source` (the page itself, or its draft) as a revision in the page's history."""
    source = source or page
    with reversion.create_revision():
        reversion.add_to_revision(source)  # with its parts: they are registered to follow
        if user is not None:
            reversion.set_user(user)
        reversion.set_comment(comment)
    version = Version.objects.get_for_object(source).first()
    if source.pk != page.pk:
        # A draft's versions are the page's history: file them under the page.
        Version.objects.filter(pk=version.pk).update(object_id=str(page.pk))
    return version.revision


def page_versions(page):
    return Version.objects.get_for_object(page).select_related("revision__user")

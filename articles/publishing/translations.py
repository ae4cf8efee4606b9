"""Translations: an article's edition in another language, started in one step from the
version readers have (its draft a copy of it, then translated, signed off and published
like any change), and pinned to that version so that readers and editors can tell when
the source has moved on: what changed in the source since, the two side by side, and the
lists of translations behind their source or not yet made."""

import functools
import operator
from dataclasses import dataclass, field

from django.conf import settings
from django.db import models
from django.db.models.functions import Coalesce
from django.utils import formats, timezone
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from markdownx.models import MarkdownxField

from articles import languages
from articles.markdown import render_markdown
from articles.models import PART_MODELS, Article, Edition, Publication
from articles.publishing import signoff
from articles.publishing.compare import HEADINGS, VersionDiff, compare
from articles.publishing.drafts import Snapshot, start_article


class CannotTranslate(Exception):
    """Why a translation cannot be started, in words for the editor."""


def newest_publication(page):
    """The version of `page` readers have now (its newest publication gone live)."""
    return Publication.objects.filter(article=page).newest()


def missing_languages(page):
    """The languages `page` has no edition in yet, as (code, name)."""
    have = set(
        Article.objects.filter(translation_key=page.translation_key).values_list(
            "language", flat=True
        )
    )
    return [(code, name) for code, name in settings.LANGUAGES if code not in have]


def start_translation(source, language, user):
    """A new edition of `source` in `language`: a page readers cannot see yet, whose draft
    holds the source's live version for a translator to translate, pinned to it."""
    if language not in dict(settings.LANGUAGES):
        raise CannotTranslate("Choose one of the languages offered.")
    if language not in dict(missing_languages(source)):
        raise CannotTranslate(f"“{source}” already has a {languages.name(language)} edition.")
    pinned = newest_publication(source)
    if pinned is None or not source.is_live():
        raise CannotTranslate(
            "Only an article readers have can be translated: a translation is made from the "
            "version they read."
        )
    if Article.objects.filter(language=language, slug=source.slug).exists():
        raise CannotTranslate(
            f"Another {languages.name(language)} article has the web address "
            f"“{source.slug}”. Change one of the two addresses first."
        )
    snapshot = Snapshot.of_rows(Article.objects.with_parts().get(pk=source.pk))
    # Related articles in the same language only: their editions in it, where they have one.
    snapshot.related = list(
        Article.objects.filter(
            language=language,
            translation_key__in=Article.objects.filter(pk__in=snapshot.related).values(
                "translation_key"
            ),
        ).values_list("pk", flat=True)
    )
    edition = snapshot.article
    edition.language, edition.translated_from = language, pinned
    # Readers get it once it is translated and signed off, like any new article.
    edition.status, edition.publish_at, edition.is_home_help = Article.Status.DRAFT, None, False
    draft = Article(title=edition.title)
    page = start_article(draft, snapshot)
    on = formats.date_format(timezone.localtime(pinned.went_live_at), "j F Y")
    signoff.record_edit(
        page, draft, user, f"Started as a {languages.name(language)} translation of the "
        f"version published on {on}",
    )  # fmt: skip
    return page


@dataclass
class Translation:
    """A translation as its editors see it: its source, the source's publication it
    translates, and the source's newer publication if it has one (it is behind)."""

    source: Article
    pinned: Publication
    news: Publication | None

    @property
    def source_edition(self):
        """The source's language, as Edition gives it (name, tag)."""
        return Edition.of(self.source)


def pinned_row(page):
    """The row whose pin counts for `page`: the page once readers have had it, else its
    draft (a translation readers never had is pinned only there); None for an article
    that is no translation."""
    if page.translated_from_id:
        return page
    draft = signoff.draft_of(page)
    return draft if draft is not None and draft.translated_from_id else None


def translation_of(page):
    """`page` as a translation, or None if it is not one."""
    row = pinned_row(page)
    if row is None:
        return None
    pinned = Publication.objects.select_related("article").get(pk=row.translated_from_id)
    return Translation(pinned.article, pinned, row.source_news())


def source_changes(translation):
    """What the source says now that it did not when the translation was made: the whole
    difference between the two publications (publishing.compare), empty when the
    translation is not behind, None when either version is no longer kept."""
    if translation.news is None:
        return VersionDiff(is_new=False)
    before, after = _version(translation.pinned), _version(translation.news)
    if before is None or after is None:
        return None
    return compare(before, after)


def _version(publication):
    """The version readers were given with `publication`, if its revision is still kept."""
    return publication.revision_id and Snapshot.of_revision(publication.revision)


@dataclass
class Pair:
    """One field in both languages, as readers see it (safe HTML; empty where a side has
    no such part, or leaves the field empty)."""

    label: str
    source: str = ""
    translation: str = ""


@dataclass
class PartPair:
    """One part in both versions, matched by its key: a translation's parts keep the keys
    of the parts they were copied from."""

    label: str
    fields: list
    in_source: bool = True
    in_translation: bool = True


@dataclass
class SideBySide:
    """The source's live version next to the translation's working version."""

    source: Edition
    translation: Edition
    is_draft: bool  # the translation's unpublished changes, not its live version
    fields: list  # the article's own, as Pairs
    groups: list = field(default_factory=list)  # (heading, PartPairs) per type of part


def side_by_side(translation, page):
    """The source's live version next to `page`'s working version (its unpublished changes
    if it has any, else what its readers have), field by field and part by part, in the
    source's page order; a part only the translation has comes last in its group."""
    working = signoff.draft_of(page) if signoff.has_changes(page) else page
    source, copy = Snapshot.of_rows(translation.source), Snapshot.of_rows(working)
    shown = SideBySide(
        Edition.of(translation.source),
        Edition.of(page),
        is_draft=working is not page,
        fields=_pairs(Article, source.article, copy.article, Article.EDITED_FIELDS),
    )
    for model in PART_MODELS:
        theirs = {part.key: part for part in copy.parts.get(model, [])}
        matched = [(part, theirs.pop(part.key, None)) for part in source.parts.get(model, [])]
        matched += [(None, part) for part in theirs.values()]
        if matched:
            heading = HEADINGS.get(model, capfirst(model._meta.verbose_name_plural))
            parts = [
                PartPair(str(ours or translated), _pairs(model, ours, translated),
                         ours is not None, translated is not None)
                for ours, translated in matched
            ]  # fmt: skip
            shown.groups.append((heading, parts))
    return shown


def _pairs(model, source, translation, names=None):
    pairs = []
    for model_field in _text_fields(model, names):
        before = getattr(source, model_field.attname, "") if source else ""
        after = getattr(translation, model_field.attname, "") if translation else ""
        if before or after:
            pairs.append(
                Pair(
                    capfirst(model_field.verbose_name),
                    _as_read(model_field, before),
                    _as_read(model_field, after),
                )
            )
    return pairs


@functools.cache
def _text_fields(model, names=None):
    """The fields of `model` (or those of `names`) whose words readers read: what a
    translator translates."""
    chosen = [model._meta.get_field(name) for name in names] if names else model._meta.fields
    return [
        model_field
        for model_field in chosen
        if isinstance(model_field, models.CharField | models.TextField)
        and not isinstance(model_field, models.SlugField)
        and not model_field.choices
    ]


def _as_read(model_field, value):
    """Markdown drawn as readers see it; other text escaped, its line breaks kept."""
    if not value:
        return ""
    if isinstance(model_field, MarkdownxField):
        return mark_safe(render_markdown(value))
    return format_html_join(mark_safe("<br>"), "{}", ((line,) for line in value.splitlines()))


def stale_translations():
    """Translations behind their source (Article.source_news, for many at once), each
    pinned by pinned_row's rule, with the source's newest publication (newest_source_id),
    its language and when it went live (source_changed_at); longest behind first."""
    draft_pin = Article.rows.filter(draft_of=models.OuterRef("pk")).values("translated_from")
    # PublicationQuerySet.newest: the source's publication readers got last.
    newest = (
        Publication.objects.gone_live()
        .filter(article__publications=models.OuterRef("pin"))
        .order_by("-went_live_at", "-pk")
    )
    return (
        Article.objects.annotate(
            pin=Coalesce(
                "translated_from",
                models.Subquery(draft_pin[:1]),
                output_field=models.BigIntegerField(),
            )
        )
        .filter(pin__isnull=False)
        .annotate(
            newest_source_id=models.Subquery(newest.values("pk")[:1]),
            source_changed_at=models.Subquery(newest.values("went_live_at")[:1]),
            source_language=models.Subquery(newest.values("article__language")[:1]),
        )
        .exclude(newest_source_id=models.F("pin"))
        .order_by("source_changed_at", "title", "pk")
    )


def lacking_editions():
    """Live articles with no edition yet in one or more of the site's languages
    (missing_languages, for many at once); lacking_in names those languages."""
    has = {
        f"has_edition_{index}": models.Exists(
            Article.objects.filter(
                translation_key=models.OuterRef("translation_key"), language=code
            )
        )
        for index, (code, _name) in enumerate(settings.LANGUAGES)
    }
    lacking = functools.reduce(operator.or_, (models.Q(**{name: False}) for name in has))
    return Article.objects.published().annotate(**has).filter(lacking).order_by("title", "pk")


def lacking_in(article):
    """The languages an article of lacking_editions() has no edition in, as (code, name)."""
    return [
        (code, name)
        for index, (code, name) in enumerate(settings.LANGUAGES)
        if not getattr(article, f"has_edition_{index}")
    ]

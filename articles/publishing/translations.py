"""Translations: an article's edition in another language, started in one step from the
version readers have (its draft a copy of it, then translated, signed off and published
like any change), and pinned to that version so that readers and editors can tell when
the source has moved on."""

from django.conf import settings
from django.utils import formats, timezone

from articles import languages
from articles.models import Article, Publication
from articles.publishing import signoff
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

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from articles.models import PART_MODELS, Article, Publication
from articles.publishing import changes
from articles.publishing.drafts import record_version
from articles.publishing.publish import record_launch

# The client's article exactly as supplied: the first revision in its history.
ORIGINAL_FIXTURE = "night-calf-cramps-original"
ORIGINAL_COMMENT = "The client's original text, as supplied"
# The launch articles' first edits, as launched on 26 November 2026: their history, kept so
# that editors can compare the corrected pages with them.
FIRST_EDITS = {
    "night-calf-cramps-first-edit": (
        "A plain-English edit of the client's text: every point kept, medical errors "
        "corrected, relief steps in order of what helps most, each claim labelled with its "
        "evidence and its sources"
    ),
    "cramp-or-something-else-first-edit": "Launch version",
}
# The launch content readers see, in the order it must load (the second links to the first).
SEED_FIXTURES = ["night-calf-cramps", "cramp-or-something-else"]
SEED_COMMENTS = {
    "night-calf-cramps": (
        "Corrected after a clinical-content review: cautions for the readers the advice could "
        "harm (painkillers, statins, fluids, warmth, quinine, supplements, standing up at "
        "night), when to get help near the top, the missing warning signs, evidence labels "
        "and canonical sources"
    ),
    "cramp-or-something-else": (
        "Corrected after a clinical-content review: when to get help first, the missing "
        "warning signs, the same care cards as the main article, and sources"
    ),
}
# What readers are told changed ("What changed" on the page).
SEED_NOTE = "Safety advice updated: when to get help is now near the top, with more warning signs."
# The launch articles' Russian editions (fixtures/translations/ru/), made from the corrected
# English by a translator who is not a clinician: each pinned to the English version it
# translates, and reviewed by nobody until a clinician signs it off.
TRANSLATIONS = {"ru": SEED_FIXTURES}
TRANSLATION_COMMENT = (
    "Translated from the corrected English launch version; not yet checked by a clinician"
)


class Command(BaseCommand):
    help = "Load the launch articles, but only into a database that has no articles yet."

    def handle(self, *args, **options):
        if Article.objects.exists():
            self.stdout.write(
                "Articles already exist; the seed was not loaded, so no edit is lost."
            )
            return
        self.verbosity = options["verbosity"]
        with transaction.atomic(), changes.loading_in_bulk():
            self.load([ORIGINAL_FIXTURE], {"night-calf-cramps": ORIGINAL_COMMENT})
            # Each stage reorganises the text, so the stage before it makes way; load every
            # article of a stage before recording any, so each revision holds its links.
            first_edits = {name.removesuffix("-first-edit"): c for name, c in FIRST_EDITS.items()}
            for slug, revision in self.load(FIRST_EDITS, first_edits).items():
                record_launch(
                    Article.objects.get(slug=slug, language=settings.LANGUAGE_CODE), revision
                )
            for slug, revision in self.load(SEED_FIXTURES, SEED_COMMENTS).items():
                record_launch(
                    Article.objects.get(slug=slug, language=settings.LANGUAGE_CODE),
                    revision, note=SEED_NOTE,
                )  # fmt: skip
            for language, names in TRANSLATIONS.items():
                self.load_translations(language, names)
            changes.articles_loaded(Article.objects.all())

    def load(self, fixtures, comments):
        """Load `fixtures` over the articles' parts, and record each article named in
        `comments` (by address) as a revision with its comment: {address: revision}."""
        for part in PART_MODELS:
            part.objects.filter(article__language=settings.LANGUAGE_CODE).delete()
        call_command("loaddata", *fixtures, verbosity=self.verbosity)
        self.link_both_ways()
        return {slug: self.record_revision(slug, comment) for slug, comment in comments.items()}

    def load_translations(self, language, names):
        """Load the editions in `language` of the articles at `names` (addresses, the same
        as their sources'), each pinned to its source's live version, and put them live."""
        call_command(
            "loaddata", *(f"translations/{language}/{name}" for name in names),
            verbosity=self.verbosity,
        )  # fmt: skip
        self.link_both_ways()
        for name in names:
            source = Article.objects.get(slug=name, language=settings.LANGUAGE_CODE)
            edition = Article.objects.get(slug=name, language=language)
            edition.translation_key = source.translation_key
            edition.translated_from = Publication.objects.filter(article=source).newest()
            edition.save(update_fields=["translation_key", "translated_from"])
            record_launch(edition, record_version(edition, None, TRANSLATION_COMMENT))

    def link_both_ways(self):
        """The fixtures name each link between the launch articles once (the first cannot
        name the second, loaded after it); readers of each get the other."""
        links = Article.related_articles.through
        pairs = set(links.objects.values_list("from_article_id", "to_article_id"))
        links.objects.bulk_create(
            links(from_article_id=to, to_article_id=source)
            for source, to in pairs
            if (to, source) not in pairs
        )

    def record_revision(self, slug, comment):
        """Record the article at `slug`, with all its parts, in its history."""
        article = Article.objects.get(slug=slug, language=settings.LANGUAGE_CODE)
        return record_version(article, None, comment)

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from articles.models import PART_MODELS, Article
from articles.publishing import changes
from articles.publishing.drafts import record_version
from articles.publishing.publish import record_launch

# The client's article exactly as supplied: the first revision in its history.
ORIGINAL_FIXTURE = "night-calf-cramps-original"
ORIGINAL_COMMENT = "The client's original text, as supplied"
# The launch content readers see, in the order it must load (the second links to the first).
SEED_FIXTURES = ["night-calf-cramps", "cramp-or-something-else"]
SEED_COMMENTS = {
    "night-calf-cramps": (
        "A plain-English edit of the client's text: every point kept, medical errors "
        "corrected, relief steps in order of what helps most, each claim labelled with its "
        "evidence and its sources"
    ),
    "cramp-or-something-else": "Launch version",
}


class Command(BaseCommand):
    help = "Load the launch articles, but only into a database that has no articles yet."

    def handle(self, *args, **options):
        if Article.objects.exists():
            self.stdout.write(
                "Articles already exist; the seed was not loaded, so no edit is lost."
            )
            return
        verbosity = options["verbosity"]
        with transaction.atomic():
            call_command("loaddata", ORIGINAL_FIXTURE, verbosity=verbosity)
            self.record_revision("night-calf-cramps", ORIGINAL_COMMENT)
            # The edit reorganises the text into lists, so the original's parts make way.
            for part in PART_MODELS:
                part.objects.all().delete()
            # Load every launch article before recording any, so that each revision holds
            # its links to the others.
            for fixture in SEED_FIXTURES:
                call_command("loaddata", fixture, verbosity=verbosity)
            self.link_both_ways()
            for slug in SEED_FIXTURES:  # each launch fixture is named after its address
                revision = self.record_revision(slug, SEED_COMMENTS[slug])
                record_launch(Article.objects.get(slug=slug), revision)
            changes.articles_loaded(Article.objects.all())

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
        return record_version(Article.objects.get(slug=slug), None, comment)

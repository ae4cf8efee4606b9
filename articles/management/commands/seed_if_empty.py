from django.core.management import call_command
from django.core.management.base import BaseCommand

from articles.models import Article

# The launch content, in the order it must load (the second links to the first).
SEED_FIXTURES = ["night-calf-cramps", "cramp-or-something-else"]


class Command(BaseCommand):
    help = "Load the launch articles, but only into a database that has no articles yet."

    def handle(self, *args, **options):
        if Article.objects.exists():
            self.stdout.write(
                "Articles already exist; the seed was not loaded, so no edit is lost."
            )
            return
        call_command("loaddata", *SEED_FIXTURES, verbosity=options["verbosity"])
        call_command("rebuild_search_index", verbosity=options["verbosity"])

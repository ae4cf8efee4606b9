from django.core.management import call_command
from django.core.management.base import BaseCommand

from articles.models import Article

SEED_FIXTURE = "night-calf-cramps"


class Command(BaseCommand):
    help = "Load the seed article, but only into a database that has no articles yet."

    def handle(self, *args, **options):
        if Article.objects.exists():
            self.stdout.write(
                "Articles already exist; the seed was not loaded, so no edit is lost."
            )
            return
        call_command("loaddata", SEED_FIXTURE, verbosity=options["verbosity"])

from django.core.management.base import BaseCommand

from articles.models import Synonym
from articles.search import readers_words


class Command(BaseCommand):
    help = (
        "Add the lines of articles/search/readers-words.tsv that are not synonyms yet "
        "(editors' rows and changes stay)."
    )

    def handle(self, *args, **options):
        added = readers_words.load(Synonym)
        if options["verbosity"]:
            self.stdout.write(f"Added {added} synonym(s) from {readers_words.FILE.name}.")

from django.core.management.base import BaseCommand

from articles.models import Article
from articles.publishing import changes


class Command(BaseCommand):
    help = "Rebuild every article's search text, for example after loaddata."

    def handle(self, *args, **options):
        count = changes.articles_loaded(Article.objects.all())
        if options["verbosity"]:
            self.stdout.write(f"Rebuilt the search text of {count} article(s).")

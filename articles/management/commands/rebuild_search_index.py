from django.core.management.base import BaseCommand

from articles.models import Article
from articles.page_cache import invalidate_pages
from articles.search import reindex


class Command(BaseCommand):
    help = "Rebuild every article's search text, for example after loaddata."

    def handle(self, *args, **options):
        articles = Article.objects.with_parts()
        reindex(articles)
        invalidate_pages()
        if options["verbosity"]:
            self.stdout.write(f"Rebuilt the search text of {len(articles)} article(s).")

"""Fill the database with made-up published articles, to measure the site at scale.

For benchmarks only (`make bench`): the text is filler, never medical content.
"""

import random

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from articles.models import Article, Callout, Cause, PreventionTip, ReliefTechnique, Section
from articles.publishing import changes

WORDS = (
    "calf", "cramp", "night", "muscle", "stretch", "water", "walk", "rest", "sleep", "leg",
    "foot", "toes", "pain", "ease", "sore", "tight", "knot", "minutes", "doctor", "help",
    "signs", "swelling", "warm", "tired", "shoes", "heat", "cold", "massage",
)  # fmt: skip
BATCH = 500


def sentence(rng, length=12):
    return " ".join(rng.choice(WORDS) for _ in range(length)).capitalize() + "."


class Command(BaseCommand):
    help = "Create COUNT generated published articles (slugs generated-NNNNN) for benchmarks."

    def add_arguments(self, parser):
        parser.add_argument("count", type=int)

    def handle(self, *args, count, **options):
        rng = random.Random(20261126)
        now = timezone.now()
        start = Article.objects.filter(slug__startswith="generated-").count()
        with transaction.atomic():
            for first in range(start, start + count, BATCH):
                numbers = range(first, min(first + BATCH, start + count))
                self._create_batch(rng, now, numbers)
        changes.articles_loaded(Article.objects.filter(slug__startswith="generated-"))
        self.stdout.write(f"Created {count} generated articles.")

    def _create_batch(self, rng, now, numbers):
        articles = Article.objects.bulk_create(
            Article(
                title=f"Generated article {n:05d}: {sentence(rng, 4)[:-1]}",
                slug=f"generated-{n:05d}",
                summary=f"A generated article for load tests, number {n}. {sentence(rng, 8)}",
                lead=sentence(rng),
                status=Article.Status.PUBLISHED,
                publish_at=now,
                condition_name="Generated condition",
            )
            for n in numbers
        )
        parts = {Section: [], Cause: [], ReliefTechnique: [], PreventionTip: [], Callout: []}
        for article in articles:
            texts = [sentence(rng) for _ in range(8)]
            parts[Section] += [
                Section(article=article, position=p, heading=f"Heading {p}", body=texts[p])
                for p in (1, 2, 3)
            ]
            parts[Cause] += [
                Cause(article=article, position=p, name=f"Cause {p}", body=texts[3 + p])
                for p in (1, 2)
            ]
            parts[ReliefTechnique].append(
                ReliefTechnique(article=article, position=1, body=texts[6])
            )
            parts[PreventionTip].append(PreventionTip(article=article, position=1, body=texts[7]))
            parts[Callout].append(
                Callout(article=article, position=1, heading="See a doctor if:", body="- it hurts")
            )
        for model, rows in parts.items():
            model.objects.bulk_create(rows)

import datetime

import factory
from django.utils import timezone

from articles.models import (
    Article,
    Callout,
    Cause,
    PreventionTip,
    ReliefTechnique,
    Review,
    Section,
    Source,
)
from articles.publishing.changes import articles_loaded


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article

    title = factory.Sequence(lambda n: f"Article {n}")
    slug = factory.Sequence(lambda n: f"article-{n}")
    summary = "A short summary of what this article covers, for the home page."
    lead = "An opening paragraph."
    status = Article.Status.PUBLISHED
    publish_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1))


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section

    article = factory.SubFactory(ArticleFactory)
    position = factory.Sequence(lambda n: n + 1)
    heading = factory.Sequence(lambda n: f"Section heading {n}")
    body = "Section text."


class CauseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cause

    article = factory.SubFactory(ArticleFactory)
    group = Cause.Group.EVERYDAY
    position = factory.Sequence(lambda n: n + 1)
    name = factory.Sequence(lambda n: f"Cause {n}")
    body = "What this cause is."


class ReliefTechniqueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReliefTechnique

    article = factory.SubFactory(ArticleFactory)
    position = factory.Sequence(lambda n: n + 1)
    body = "Stretch the muscle."


class PreventionTipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PreventionTip

    article = factory.SubFactory(ArticleFactory)
    position = factory.Sequence(lambda n: n + 1)
    body = "Drink enough water."


class CalloutFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Callout

    article = factory.SubFactory(ArticleFactory)
    position = factory.Sequence(lambda n: n + 1)
    level = Callout.Level.NON_URGENT
    heading = "See a doctor if:"
    body = "- it keeps happening"


class ReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Review

    article = factory.SubFactory(ArticleFactory)
    reviewed_on = datetime.date(2026, 11, 26)
    kind = Review.Kind.EDITORIAL
    reviewer_name = "Editorial team"


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source

    article = factory.SubFactory(ArticleFactory)
    position = factory.Sequence(lambda n: n + 1)
    title = "Leg cramps"
    publisher = "NHS"
    url = "https://www.nhs.uk/conditions/leg-cramps/"
    accessed_on = datetime.date(2026, 11, 26)


def indexed(article):
    """The article, with its search index brought up to date by the write path."""
    articles_loaded(Article.objects.filter(pk=article.pk))
    return article

"""Each reader page runs a fixed, small number of queries however much content there is."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.models import PART_MODELS
from tests.factories import (
    ArticleFactory,
    CalloutFactory,
    CauseFactory,
    PreventionTipFactory,
    ReliefTechniqueFactory,
    ReviewFactory,
    SectionFactory,
    SourceFactory,
    indexed,
)

pytestmark = pytest.mark.django_db

QUERY_BUDGET = 10


def article_with(parts):
    article = ArticleFactory()
    for factory in (SectionFactory, CauseFactory, ReliefTechniqueFactory, PreventionTipFactory,
                    CalloutFactory, SourceFactory):  # fmt: skip
        for _ in range(parts):
            factory(article=article)
    for _ in range(parts):
        ReviewFactory(article=article)
    for _ in range(parts):
        article.related_articles.add(ArticleFactory())
    return indexed(article)


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


@pytest.fixture
def no_page_cache(settings):
    # Measure the work behind a page, not the cache in front of it.
    settings.PAGE_CACHE_SECONDS = 0


def test_the_article_page_costs_the_same_at_any_size(client, no_page_cache):
    small, large = article_with(1), article_with(12)

    counts = [queries(client, article.get_absolute_url()) for article in (small, large)]

    assert counts[0] == counts[1] <= QUERY_BUDGET, counts


# Search also reads the parts of its first results, to lead to the one that answers: one
# query for each kind of part, whatever the number of results.
SEARCH_BUDGET = QUERY_BUDGET + len(PART_MODELS)


@pytest.mark.parametrize(
    ("url", "budget"),
    [(reverse("articles:index"), QUERY_BUDGET),
     (reverse("articles:search") + "?q=section", SEARCH_BUDGET),
     (reverse("sitemap"), QUERY_BUDGET),
     (reverse("sitemap_section", args=["articles"]), QUERY_BUDGET),
     (reverse("articles:feed"), QUERY_BUDGET)],
)  # fmt: skip
def test_listings_cost_the_same_for_any_number_of_articles(client, no_page_cache, url, budget):
    article_with(2)
    client.get(url)  # the day's first search also forgets counts past 30 days
    few = queries(client, url)
    for _ in range(15):
        article_with(2)

    many = queries(client, url)

    assert few == many <= budget, (few, many)


def test_storing_a_page_stays_within_budget_and_a_cached_page_costs_none(client, seed_article):
    url = seed_article.get_absolute_url()
    client.get(url)  # the first page after a restart only starts a cache generation

    assert queries(client, url) <= QUERY_BUDGET  # rendered and stored
    assert queries(client, url) == 0

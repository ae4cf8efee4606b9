"""Search leads to the part of a page that answers, with that part's words; a search for
the signs on an urgent or emergency card gets the card first, whole. On both databases."""

import re

import pytest
from django.urls import reverse

from articles.models import Callout
from tests.pages import page_text

pytestmark = pytest.mark.django_db


def results_page(client, query):
    body = client.get(reverse("articles:search"), {"q": query}).content.decode()
    return body[body.index("<main") :]


def part_links(body):
    return re.findall(r'href="(/articles/[^"#]+/)#([^"]+)"', body)


def test_a_result_leads_to_the_part_that_answers_with_its_words(client, launch_content):
    body = results_page(client, "magnesium")

    first = body[body.index('class="search-results"') :]
    url, anchor = part_links(first)[0]
    tip = launch_content[0].prevention_tips.get(body__contains="magnesium tablets")
    assert (url, anchor) == (launch_content[0].get_absolute_url(), tip.anchor)
    # The passage is the tip's: tablets are unlikely to help.
    passage = page_text(type("Page", (), {"content": first.encode()})())
    assert "<mark>magnesium</mark> tablets are unlikely to help" in first.replace("\n", " ")
    assert passage.index("unlikely to help") < passage.index("Low levels")


def test_an_article_appears_once_with_up_to_three_of_its_parts(client, launch_content):
    body = results_page(client, "stretch")
    results = body[body.index('class="search-results"') :]

    by_article = {}
    for url, _anchor in part_links(results):
        by_article[url] = by_article.get(url, 0) + 1
    assert by_article and all(count <= 3 for count in by_article.values())
    url, anchor = part_links(results)[0]
    technique = launch_content[0].relief_techniques.get(body__startswith="**Stretch your calf")
    assert anchor == technique.anchor


def test_every_part_link_lands_on_an_element_of_the_page(client, launch_content):
    for query in ("stretch", "magnesium", "quinine", "statins", "swollen calf", "restless"):
        for url, anchor in part_links(results_page(client, query)):
            assert f'id="{anchor}"' in client.get(url).content.decode(), (query, anchor)


@pytest.mark.parametrize(
    ("query", "level"),
    [("swollen calf", Callout.Level.URGENT), ("chest pain", Callout.Level.EMERGENCY),
     ("cough blood", Callout.Level.EMERGENCY), ("dark pee", Callout.Level.URGENT),
     # Signs on neighbouring lines, readers' words, and a frightened reader's sentence.
     ("calf swollen and warm", Callout.Level.URGENT), ("red hot calf", Callout.Level.URGENT),
     ("locked jaw", Callout.Level.EMERGENCY),
     ("leg swollen and cant get my breath", Callout.Level.EMERGENCY),
     # Both cards have a swollen leg; the urgent card's sign has every word.
     ("swollen leg pregnant", Callout.Level.URGENT)],
)  # fmt: skip
def test_a_red_flag_search_shows_the_matching_card_first_and_whole(
    client, launch_content, query, level
):
    body = results_page(client, query)

    assert body.index('class="search-red-flag"') < body.index('class="search-results"')
    flag = body[body.index('class="search-red-flag"') : body.index('class="search-results"')]
    card = Callout.objects.get(pk=int(re.search(r'id="care-card-(\d+)"', flag).group(1)))
    assert card.level == level
    assert page_text(type("Card", (), {"content": flag.encode()})()).count("if:") == 1
    for sign in (line for line in card.body.splitlines() if line.startswith("- ")):
        assert sign[2:].strip().split()[-1] in flag  # every sign, not an excerpt
    assert 'href="tel:' in flag


@pytest.mark.parametrize(
    "query",
    ["cramp", "leg cramps", "magnesium", "stretch",
     # A sign word, but not a sign: one word of a card's line, or a cramp in pregnancy.
     "urge to move legs", "sudden pain in calf at night", "why do i get cramps in pregnancy",
     "hot water bottle for cramp"],
)  # fmt: skip
def test_a_search_that_names_no_warning_sign_shows_no_card_first(client, launch_content, query):
    assert 'class="search-red-flag"' not in results_page(client, query)

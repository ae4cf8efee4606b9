import gc
import runpy
import sys

import pytest
from django.urls import reverse
from textstat.backend.utils import get_cmudict

from articles.editing.checks import care_card_problems
from articles.editing.writing import reading_age
from articles.models import Callout
from tests.admin_forms import change_form_data, inline_prefix, unrendered
from tests.factories import CalloutFactory
from tests.servers import PROJECT

PLAIN = (
    "Cramps hurt. They often come at night. Stretch your leg. Pull your toes up. "
    "Walk about a bit. The pain goes in a few minutes."
)
HARD = (
    "Nocturnal gastrocnemius myoclonia, consequent upon multifactorial electrolytic "
    "disequilibrium and circulatory insufficiency, necessitates comprehensive investigation "
    "incorporating electrophysiological and haematological instrumentation."
)


def test_plain_words_read_younger_than_clinical_jargon():
    assert reading_age(PLAIN) <= 9
    assert reading_age(HARD) > 14


def test_very_short_text_has_no_reading_age():
    assert reading_age("Drink water.") is None


def test_gunicorn_reads_the_pronunciation_dictionary_before_forking_workers():
    """Workers are forked from the master with it, so no editor waits for it on a worker's
    first change page: the reading age then finds it already read. It is frozen out of the
    garbage collector, which would otherwise walk it in every worker."""
    config = runpy.run_path(str(PROJECT / "gunicorn.conf.py"))
    forget_textstat()  # as in a master that has read nothing yet
    gc.unfreeze()
    gc.collect()
    before = len(gc.get_objects())
    try:
        config["on_starting"](server=None)
        frozen = gc.get_freeze_count() - before
    finally:
        gc.unfreeze()
    assert get_cmudict.cache_info().currsize == get_cmudict.cache_info().misses == 1
    assert frozen > len(get_cmudict("en_US"))  # the dictionary's words, and more
    assert reading_age(HARD) > 14
    assert get_cmudict.cache_info().misses == 1


def forget_textstat():
    """Empty every cache textstat keeps, its dictionary among them."""
    for name, module in list(sys.modules.items()):
        if name.startswith("textstat"):
            for value in vars(module).values():
                if callable(getattr(value, "cache_clear", None)):
                    value.cache_clear()


@pytest.mark.django_db
def test_the_editor_preview_shows_the_reading_age(editor_client):
    plain = editor_client.post(reverse("markdownx_markdownify"), {"content": PLAIN})
    hard = editor_client.post(reverse("markdownx_markdownify"), {"content": HARD})

    assert b"Reading age about" in plain.content and b"aim: 9 to 14" in plain.content
    assert b"Try shorter sentences" in hard.content
    assert b"Try shorter sentences" not in plain.content


@pytest.mark.django_db
def test_a_card_heading_must_end_with_if():
    card = CalloutFactory(heading="When to worry")

    assert "should be an action ending in “if:”" in care_card_problems([card])[0]


@pytest.mark.django_db
def test_an_emergency_card_must_not_hold_a_link():
    card = CalloutFactory(
        level=Callout.Level.EMERGENCY, heading="Call now if:", body="[Read more](/x/)"
    )

    assert "has a link" in care_card_problems([card])[0]


@pytest.mark.django_db
def test_one_card_per_level():
    first = CalloutFactory(heading="See a GP if:")
    second = CalloutFactory(article=first.article, heading="Also see a GP if:")

    [problem] = care_card_problems([first, second])
    assert "There are 2 non-urgent cards" in problem


@pytest.mark.django_db
def test_the_seed_article_breaks_no_care_card_rule(seed_article):
    assert care_card_problems(seed_article.callouts.all()) == []


@pytest.mark.django_db
def test_the_admin_warns_about_card_rules_but_still_saves(admin_client, seed_article):
    url = reverse("admin:articles_article_change", args=[seed_article.pk])
    page = unrendered(admin_client, url)
    data = change_form_data(page)
    data[f"{inline_prefix(page, Callout)}-2-body"] = "- [a link](https://example.org)"

    response = admin_client.post(url, data, follow=True)

    assert "has a link" in response.content.decode()
    assert "example.org" in seed_article.callouts.get(level=Callout.Level.EMERGENCY).body

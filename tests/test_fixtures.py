import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from reversion.models import Version

from articles.management.commands.seed_if_empty import (
    FIRST_EDITS,
    ORIGINAL_COMMENT,
    ORIGINAL_FIXTURE,
    SEED_COMMENTS,
    SEED_FIXTURES,
)
from articles.models import (
    PART_MODELS,
    Article,
    Callout,
    Evidence,
    PreventionTip,
    Publication,
    ReliefTechnique,
    Review,
    Section,
)
from tests.admin_forms import approve

pytestmark = pytest.mark.django_db

FIXTURES = sorted(
    path.stem for directory in settings.FIXTURE_DIRS for path in Path(directory).glob("*.json")
)
MODELS = [Article, Review, *PART_MODELS]


def counts():
    return {model.__name__: model.objects.count() for model in MODELS}


def test_every_fixture_is_launch_content_or_its_history():
    assert sorted([*SEED_FIXTURES, *FIRST_EDITS, ORIGINAL_FIXTURE]) == FIXTURES


def test_the_launch_fixtures_load_in_order_and_link_up(launch_content):
    first, second = launch_content

    assert [a.slug for a in launch_content] == ["night-calf-cramps", "cramp-or-something-else"]
    assert list(first.related_articles.all()) == [second]
    assert all(article.is_live() for article in launch_content)


def test_loading_the_launch_fixtures_twice_changes_nothing(launch_content):
    before = counts()

    call_command("loaddata", *SEED_FIXTURES, verbosity=0)

    assert counts() == before


def test_second_article_has_the_three_care_cards(launch_content):
    second = launch_content[1]

    levels = [callout.level for callout in second.callouts.all()]
    assert levels == [Callout.Level.NON_URGENT, Callout.Level.URGENT, Callout.Level.EMERGENCY]
    assert second.last_clinical_review() is None


def test_seed_article_is_published_at_its_address(seed_article):
    assert seed_article.is_live()
    assert seed_article.get_absolute_url() == "/articles/night-calf-cramps/"
    assert 50 <= len(seed_article.summary) <= 160


def test_seed_holds_what_the_content_brief_asks_for(seed_article):
    assert len(seed_article.everyday_causes()) >= 6
    assert len(seed_article.disease_causes()) >= 6
    # The client's five "emergency ways" (rubbing and massage as one), the needle, and two
    # more: what helps as numbered steps, the unproven apart.
    assert seed_article.relief_techniques.count() == 8
    assert len(seed_article.relief_steps()) == 4
    assert seed_article.prevention_tips.count() == 11  # the client's eight, and three more
    [pin] = [t for t in seed_article.unproven_relief_techniques() if "needle" in t.body]
    assert "pin or needle" in pin.body and "infection or bleeding" in pin.caution
    assert pin.evidence == Evidence.NOT_ADVISED
    [floor] = [t for t in seed_article.unproven_relief_techniques() if "cold floor" in t.body]
    assert "wet" not in floor.body.lower()  # a cold floor, dry
    assert "Stretch your calf" in seed_article.relief_steps()[0].body  # what helps most first
    supplements = seed_article.prevention_tips.get(body__contains="Vitamin and mineral pills")
    assert "B6" in supplements.caution and "potassium" in supplements.caution
    levels = [callout.level for callout in seed_article.callouts.all()]
    assert levels == [Callout.Level.NON_URGENT, Callout.Level.URGENT, Callout.Level.EMERGENCY]
    assert all(callout.heading.endswith("if:") for callout in seed_article.callouts.all())
    assert seed_article.callouts.get(level=Callout.Level.NON_URGENT).title == (
        "When to see a neurologist"
    )
    assert "](" not in seed_article.callouts.get(level=Callout.Level.EMERGENCY).body
    assert seed_article.sources.count() >= 10
    claims = [*seed_article.causes.all(), *seed_article.relief_techniques.all(),
              *seed_article.prevention_tips.all(), *seed_article.callouts.all()]  # fmt: skip
    unproven = {Evidence.NO_GOOD_EVIDENCE, Evidence.NOT_ADVISED}
    assert all(
        claim.source_ids for claim in claims if getattr(claim, "evidence", "") not in unproven
    ), "every claim cites a source, but for advice no study supports"
    advice = [*seed_article.relief_techniques.all(), *seed_article.prevention_tips.all()]
    assert all(item.evidence for item in advice), "every piece of advice is labelled"
    assert [t.pk for t in seed_article.quick_help_steps()] == [
        t.pk for t in seed_article.relief_steps()[:3]
    ]


def test_seed_records_only_an_editorial_review(seed_article):
    kinds = [review.kind for review in seed_article.reviews.all()]
    assert kinds == [Review.Kind.EDITORIAL, Review.Kind.EDITORIAL]
    assert seed_article.last_clinical_review() is None


def test_launch_content_never_recommends_quinine(launch_content):
    advice = [*ReliefTechnique.objects.all(), *PreventionTip.objects.all()]
    assert not [item for item in advice if "quinine" in item.body.lower()]
    [mention] = Section.objects.filter(body__icontains="quinine")
    assert "no longer prescribe them routinely" in mention.body


def test_seed_if_empty_loads_into_an_empty_database_and_makes_it_searchable():
    call_command("seed_if_empty", verbosity=0)

    article = Article.objects.get(slug="night-calf-cramps", language="en-gb")
    assert "idiopathic" in article.search_document


def test_the_seed_loads_each_launch_articles_russian_edition_pinned_to_its_source(
    launch_content, translations
):
    assert [(one.slug, one.language) for one in translations] == [
        ("night-calf-cramps", "ru"), ("cramp-or-something-else", "ru"),
    ]  # fmt: skip
    for source, edition in zip(launch_content, translations, strict=True):
        assert edition.translation_key == source.translation_key
        # The version readers of the English page have: the translation is not stale.
        assert edition.translated_from == Publication.objects.filter(article=source).newest()
        assert edition.is_live() and edition.source_news() is None
        # Nobody has checked it: no review of any kind is recorded for it.
        assert not edition.reviews.exists()
        assert "судорог" in edition.search_document
    first, second = translations
    assert list(first.related_articles.all()) == [second]


def test_seed_if_empty_never_overwrites_an_editors_work(seed_article):
    seed_article.title = "Edited by an editor"
    seed_article.save()
    seed_article.sections.first().delete()
    before = counts()

    call_command("seed_if_empty", verbosity=0)

    seed_article.refresh_from_db()
    assert seed_article.title == "Edited by an editor"
    assert counts() == before


def words(text):
    # Line breaks, indents and blank lines are layout; the words and numbers are the text.
    return re.findall(r"\w+", text)


def test_the_launch_article_keeps_the_clients_text_whole_as_its_first_revision(launch_content):
    client_text = (Path(__file__).parent / "data" / "night-calf-cramps.txt").read_text()
    versions = Version.objects.get_for_object(launch_content[0]).order_by("pk")

    first, latest = versions[0], versions.last()
    assert first.revision.comment == ORIGINAL_COMMENT
    assert latest.revision.comment == SEED_COMMENTS["night-calf-cramps"]
    assert len(versions) == 3  # the client's text, the first edit, the clinical fixes
    article = first.field_dict
    sections = sorted(
        (v.field_dict for v in first.revision.version_set.get_for_model(Section)),
        key=lambda section: section["position"],
    )
    original = [article["title"], article["lead"]]
    for section in sections:
        original += [section["heading"], section["body"]]
    assert words("\n".join(original)) == words(client_text)


def test_restoring_the_clients_original_leaves_the_other_article_whole(
    admin_client, launch_content
):
    first, second = launch_content
    sections_of_second = list(second.sections.values_list("pk", "heading"))
    original = Version.objects.get_for_object(first).order_by("pk").first()
    url = reverse("admin:articles_article_revision", args=[first.pk, original.pk])
    assert admin_client.post(url).status_code == 302

    assert approve(admin_client, first).status_code == 302

    first.refresh_from_db()
    assert first.title == "Cramps of calf muscles at night - causes, treatment"
    assert first.sections.first().heading == "How does the gastrocnemius muscle cramp in a dream?"
    assert list(second.sections.values_list("pk", "heading")) == sections_of_second


def test_the_supplement_caution_names_who_must_ask_a_doctor_first(seed_article):
    caution = seed_article.prevention_tips.get(body__contains="Vitamin and mineral pills").caution

    for words in ("vitamin B6", "numbness", "kidney or heart disease", "blood pressure"):
        assert words in caution

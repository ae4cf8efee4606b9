"""The Russian launch content (fixtures/translations/ru/), made from the corrected English
by a translator who is not a clinician, and loaded by the seed: what a translation must keep
of its source, checked part by part against the English fixtures, so that no warning
sign, number or caution is lost in translation."""

import json
import re
from pathlib import Path

import pytest
from django.conf import settings

FIXTURES = Path(settings.FIXTURE_DIRS[0])
NAMES = ["night-calf-cramps", "cramp-or-something-else"]
OFFSET = 1000
# Readers see these; sources keep their English titles (the pages they name are English).
TEXT_FIELDS = {
    "title", "summary", "lead", "condition_name", "symptoms", "quick_help_warning",
    "heading", "body", "name", "caution", "condition",
}  # fmt: skip
# Written anew in the language, not translated: the phrases its readers search for.
WRITTEN_ANEW = {"search_phrases"}
NUMBER = re.compile(r"\d+(?:[.,]\d+)?")
ENGLISH_RUN = re.compile(r"(?:\b[A-Za-z]{2,}\b[ ,]+){4}")


def pairs(name):
    english = json.loads((FIXTURES / f"{name}.json").read_text())
    russian = json.loads((FIXTURES / "translations" / "ru" / f"{name}.json").read_text())
    by_pk = {(o["model"], o["pk"]): o for o in russian}
    for source in english:
        if source["model"] == "articles.review":
            continue  # never translated: a translation's review is its own
        yield source, by_pk.get((source["model"], source["pk"] + OFFSET))


@pytest.mark.parametrize("name", NAMES)
def test_every_part_of_the_english_has_its_translation(name):
    russian = json.loads((FIXTURES / "translations" / "ru" / f"{name}.json").read_text())
    found = list(pairs(name))

    assert all(translation is not None for _, translation in found)
    assert len(russian) == len(found)
    assert not any(o["model"] == "articles.review" for o in russian)
    article = next(o for o in russian if o["model"] == "articles.article")
    assert article["fields"]["language"] == "ru"


@pytest.mark.parametrize("name", NAMES)
def test_a_translation_keeps_every_number_sign_and_link_of_its_source(name):
    for source, translation in pairs(name):
        for field, english in source["fields"].items():
            russian = translation["fields"][field]
            if field in WRITTEN_ANEW:
                continue
            if field not in TEXT_FIELDS or source["model"] == "articles.source":
                if field not in ("article", "related_articles", "source_ids"):
                    assert russian == english, (source["model"], source["pk"], field)
                continue
            where = (source["model"], source["pk"], field)
            # Doses, ages, times, phone numbers.
            assert sorted(NUMBER.findall(english or "")) == sorted(
                NUMBER.findall(russian or "")
            ), where
            # One sign per line, each list item and each bold name kept.
            lines = (english or "").splitlines(), (russian or "").splitlines()
            assert [line.startswith("- ") for line in lines[0]] == [
                line.startswith("- ") for line in lines[1]
            ], where
            assert (english or "").count("**") == (russian or "").count("**"), where
            assert not ENGLISH_RUN.search(russian or ""), where


@pytest.mark.parametrize("name", NAMES)
def test_a_translation_points_at_its_own_parts_and_pages(name):
    for source, translation in pairs(name):
        fields = source["fields"]
        if "article" in fields:
            assert translation["fields"]["article"] == fields["article"] + OFFSET
        if "source_ids" in fields:
            assert translation["fields"]["source_ids"] == [
                pk + OFFSET for pk in fields["source_ids"]
            ]
        for link in re.findall(r"\]\((/[^)]*)\)", json.dumps(translation["fields"])):
            assert link.startswith("/ru/"), link

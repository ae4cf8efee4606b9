"""Readers' words: the vocabulary file loaded as synonyms editors see and change, compared
stem by stem; and the words of every live page, which misspelt searches are corrected to.
On both databases."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from articles.models import SearchWord, Synonym
from articles.search import readers_words, search
from articles.search.query import query_terms
from articles.search.suggest import correction
from tests.factories import ArticleFactory, indexed

pytestmark = pytest.mark.django_db

ENTRIES = readers_words.entries()


def test_every_line_of_the_file_is_a_synonym_with_its_source(db):
    kept = dict(Synonym.objects.values_list("words", "note"))

    assert len(ENTRIES) >= 30
    for words, source in ENTRIES:
        assert kept[words] == source


def test_every_line_is_a_synonym_an_editor_could_have_saved(db):
    sources = [source for _, source in ENTRIES]
    assert len(set(sources)) == len(sources)  # a line is known by its words or its source
    for words, source in ENTRIES:
        Synonym(words=words, note=source).full_clean(
            validate_unique=False, validate_constraints=False
        )
        assert source  # every entry says where it comes from


def test_editors_see_and_change_the_vocabulary(editor, db):
    changed = Synonym.objects.get(words=ENTRIES[0][0])
    listing = reverse("admin:articles_synonym_changelist")
    assert "MedlinePlus" in editor.get(listing).content.decode()
    assert "nocturnal" in editor.get(listing + "?q=nocturnal").content.decode()

    url = reverse("admin:articles_synonym_change", args=[changed.pk])
    response = editor.post(
        url, {"words": "cramp, spasm", "language": "en-gb", "note": changed.note}
    )

    assert response.status_code == 302
    changed.refresh_from_db()
    assert changed.words == "cramp, spasm"


def test_loading_again_adds_only_new_lines_and_keeps_editors_changes(db, tmp_path):
    edited = Synonym.objects.get(words=ENTRIES[1][0])
    edited.words = "night, nocturnal"
    edited.save()
    Synonym.objects.filter(words=ENTRIES[2][0]).delete()
    grown = tmp_path / "words.tsv"
    grown.write_text(
        readers_words.FILE.read_text() + "calf, calves, lower leg\tGeneral English: a test line\n"
    )
    before = Synonym.objects.count()

    added = readers_words.load(Synonym, grown)

    # The new line and the deleted one come in; the edited line stays as the editor left it.
    assert added == 2
    assert Synonym.objects.count() == before + 2
    assert Synonym.objects.get(pk=edited.pk).words == "night, nocturnal"
    assert readers_words.load(Synonym, grown) == 0


def test_the_command_says_what_it_added(db):
    Synonym.objects.filter(words=ENTRIES[0][0]).delete()
    out = io.StringIO()

    call_command("load_readers_words", stdout=out)

    assert "Added 1 synonym(s) from readers-words.tsv." in out.getvalue()


@pytest.mark.parametrize(
    ("typed", "means"),
    [("charley horses", ("cramp",)), ("nocturnal", ("night",)),
     ("short of breath", ("hard", "to", "breathe")),
     ("peripheral arterial disease", ("claudication",)),
     ("peripheral arterial disease", ("narrowed", "leg", "arteries"))],
)  # fmt: skip
def test_a_readers_words_bring_the_pages_words_whatever_their_ending(db, typed, means):
    (group,) = query_terms(typed)

    assert group[0] == tuple(typed.split())  # the reader's own words first
    assert means in group


@pytest.mark.parametrize(
    ("query", "title"),
    [("nocturnal leg cramps", "Leg cramps at night"), ("relieve a cramp", "Easing a cramp"),
     ("lockjaw", "Tetanus"), ("dark urine", "Dark pee and muscle pain")],
)  # fmt: skip
def test_lay_and_medical_words_find_the_pages_own(query, title):
    indexed(ArticleFactory(title="Leg cramps at night", lead="What to do."))
    indexed(ArticleFactory(title="Easing a cramp", lead="Stretch the calf."))
    indexed(ArticleFactory(title="Tetanus", lead="A stiff jaw after a wound."))
    indexed(ArticleFactory(title="Dark pee and muscle pain", lead="Call your GP."))

    assert [r.article.title for r in search(query)][:1] == [title]


def test_the_words_of_a_page_are_kept_when_it_is_indexed(db):
    indexed(ArticleFactory(title="Quinine", lead="Doctors rarely prescribe quinine now."))

    kept = set(SearchWord.objects.values_list("word", flat=True))

    assert {"quinine", "doctors", "rarely", "prescribe"} <= kept


@pytest.mark.parametrize(
    ("typed", "meant"),
    [("quinnine", "quinine"), ("magnesuim", "magnesium"), ("streching", "stretching"),
     ("masage", "massage")],
)  # fmt: skip
def test_a_word_only_in_a_pages_text_corrects_a_misspelling(client, launch_content, typed, meant):
    offered, found = correction(typed)

    assert offered == meant
    assert found[0].article == launch_content[0]
    page = client.get(reverse("articles:search"), {"q": typed}).content.decode()
    assert f"for “<strong>{meant}</strong>”" in page

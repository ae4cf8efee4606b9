import datetime

import pytest
from django.urls import reverse
from factory.django import DjangoModelFactory

from articles.models import PART_MODELS, Article, SearchCount, Synonym
from articles.search import MAX_QUERY_LENGTH, query_words, search
from tests import factories
from tests.factories import ArticleFactory, CauseFactory, SectionFactory, indexed

pytestmark = pytest.mark.django_db


def titles(query):
    return [result.article.title for result in search(query)]


def test_finds_words_from_every_part_of_an_article():
    article = ArticleFactory(title="Leg pain")
    SectionFactory(article=article, body="Stretching eases the muscle.")
    CauseFactory(article=article, name="Dehydration", body="Drink water through the day.")
    indexed(article)

    for query in ("stretching", "dehydration", "water", "leg pain"):
        assert titles(query) == ["Leg pain"], query


def test_every_word_must_match_in_any_order():
    both = indexed(ArticleFactory(title="Both", lead="Magnesium and potassium matter."))
    indexed(ArticleFactory(title="One", lead="Magnesium only here."))

    assert titles("potassium magnesium") == [both.title]


def test_drafts_and_scheduled_articles_are_never_found():
    indexed(
        ArticleFactory(title="Secret", lead="zebra", status=Article.Status.DRAFT, publish_at=None)
    )

    assert titles("zebra") == []


def test_title_matches_rank_first():
    indexed(ArticleFactory(title="Other page", lead="Cramps cramps cramps are mentioned here."))
    indexed(ArticleFactory(title="Cramps explained", lead="About cramps."))

    assert titles("cramps")[0] == "Cramps explained"


def test_an_editors_search_phrase_ranks_its_page_above_one_that_repeats_the_words(db):
    repeats = "Nocturnal leg cramps differ from restless legs. " * 6
    indexed(ArticleFactory(title="Comparing leg problems", lead=repeats))
    indexed(
        ArticleFactory(
            title="Calf cramps at night",
            lead="What to do when a calf cramps at night.",
            search_phrases="nocturnal leg cramps\ncharley horse",
        )
    )

    assert titles("nocturnal leg cramps")[0] == "Calf cramps at night"
    assert titles("charley horse")[0] == "Calf cramps at night"


def test_a_page_whose_title_names_the_question_beats_a_longer_page_with_every_word(db):
    # The longer page has every word, several times; the shorter names two in its title.
    indexed(
        ArticleFactory(
            title="Telling leg problems apart",
            summary="Sudden pain in the calf at night: a cramp, a clot or something else?",
            lead="A sudden pain in the calf at night can be a cramp or a clot. " * 5,
        )
    )
    indexed(ArticleFactory(title="Calf cramps at night", lead="A sudden pain that eases."))

    assert titles("sudden pain in calf at night")[0] == "Calf cramps at night"


def test_search_phrases_are_not_shown_to_readers(client, db):
    article = indexed(ArticleFactory(search_phrases="wombat gallop"))

    assert "wombat" not in client.get(article.get_absolute_url()).content.decode()
    assert titles("wombat gallop") == [article.title]


def test_the_matching_passage_is_shown_with_the_words_marked(seed_article):
    [result] = search("idiopathic")

    assert "<mark>" in result.passage
    assert "idiopathic" in result.passage.lower()


def test_passages_are_escaped(db):
    indexed(ArticleFactory(title="Odd", lead="Use `<script>alert(1)</script>` never, zebra."))

    [result] = search("zebra")

    assert "<script>" not in result.passage


@pytest.mark.parametrize(
    "query",
    [
        "",
        "   ",
        "!!!",
        "' OR 1=1 --",
        "<script>alert(1)</script>",
        "%_%",
        "a" * 5000,
        "cramp " * 500,
        "\x00\x01",
        "🦵 cramp",
        "&amp; | ! :* ()",
    ],
)
def test_any_query_gets_a_normal_page(client, seed_article, query):
    response = client.get(reverse("articles:search"), {"q": query})

    assert response.status_code == 200
    assert "<script>alert" not in response.content.decode()


def test_query_words_are_bounded():
    assert len(query_words("word " * 100)) == 12
    assert query_words("x" * (MAX_QUERY_LENGTH + 10)) == ["x" * MAX_QUERY_LENGTH]


def test_results_page_is_kept_out_of_search_engines(client, seed_article):
    response = client.get(reverse("articles:search"), {"q": "cramp"})

    assert response["X-Robots-Tag"] == "noindex"
    assert '<meta name="robots" content="noindex">' in response.content.decode()


def test_results_page_lists_matches_with_links(client, seed_article):
    body = client.get(reverse("articles:search"), {"q": "neurologist"}).content.decode()

    assert "1 result for “neurologist”" in body
    assert seed_article.get_absolute_url() in body


def test_no_results_says_what_to_try(client, seed_article):
    body = client.get(reverse("articles:search"), {"q": "xylophone"}).content.decode()

    assert "No results for “xylophone”" in body


def test_search_is_offered_on_every_page(client, seed_article):
    for url in (reverse("articles:index"), seed_article.get_absolute_url()):
        assert 'role="search"' in client.get(url).content.decode()


def test_an_admin_edit_is_found_at_once(admin_client, client, seed_article):
    from articles.models import Section
    from tests.admin_forms import change_form_data, inline_prefix, unrendered

    url = reverse("admin:articles_article_change", args=[seed_article.pk])
    page = unrendered(admin_client, url)
    data = change_form_data(page)
    data[f"{inline_prefix(page, Section)}-0-body"] = "A word nobody used before: quokka."
    admin_client.post(url, data)

    assert titles("quokka") == [seed_article.title]


PART_FACTORIES = {
    factory._meta.model: factory
    for factory in vars(factories).values()
    if isinstance(factory, type) and issubclass(factory, DjangoModelFactory)
}


@pytest.mark.parametrize(
    ("model", "field"),
    [(model, field) for model in PART_MODELS for field in model.searchable_fields],
    ids=lambda value: getattr(value, "__name__", value),
)
def test_every_part_type_declares_the_words_search_finds(model, field):
    article = ArticleFactory()
    PART_FACTORIES[model](article=article, **{field: "Xylophonic"})
    indexed(article)

    assert [result.article for result in search("xylophonic")] == [article]


def test_word_endings_match_and_common_words_are_ignored():
    article = ArticleFactory(title="Easing a cramp")
    SectionFactory(article=article, body="Stretching helps. Treatment at home comes first.")
    indexed(article)

    for query in ("stretch", "stretches", "stretched", "STRETCHING"):
        assert titles(query) == ["Easing a cramp"], query
    assert titles("a") == titles("at the") == []
    [result] = search("at treatment")
    # Whole words only: "at" is not a word search looks for, nor marked inside another.
    assert "<mark>Treatment</mark>" in result.passage
    assert "<mark>at</mark>" not in result.passage.lower()


def test_a_passage_never_runs_a_heading_into_the_text():
    article = ArticleFactory(title="Why it happens")
    SectionFactory(article=article, heading="Tired muscles", body="Fatigue after a long walk.")
    indexed(article)

    [result] = search("fatigue")

    assert "Tired muscles" not in result.passage
    assert "<mark>Fatigue</mark>" in result.passage


def test_headings_weigh_more_than_text():
    heading = ArticleFactory(title="One")
    SectionFactory(article=heading, heading="Magnesium", body="About minerals.")
    mention = ArticleFactory(title="Two")
    SectionFactory(article=mention, heading="Minerals", body="Some take magnesium daily.")
    indexed(heading), indexed(mention)

    assert titles("magnesium") == ["One", "Two"]


def test_an_editors_synonym_finds_readers_words_at_once(editor, db):
    indexed(ArticleFactory(title="Diuretics and cramps", lead="Diuretics can cause cramps."))
    assert titles("fluid pills") == []

    add = reverse("admin:articles_synonym_add")
    response = editor.post(
        add, {"words": "fluid pills, diuretics", "language": "en-gb", "note": ""}
    )

    assert response.status_code == 302
    assert titles("fluid pills") == ["Diuretics and cramps"]


def test_a_synonym_needs_two_different_phrases(editor, db):
    add = reverse("admin:articles_synonym_add")
    kept = Synonym.objects.count()  # the launch list
    for words in ("diuretics", "diuretics, Diuretics", ", ,", "a b c d e f, g"):
        response = editor.post(add, {"words": words, "language": "en-gb", "note": ""})
        assert response.status_code == 200, words
    assert Synonym.objects.count() == kept


def test_when_no_article_has_every_word_those_with_some_are_offered():
    indexed(ArticleFactory(title="Vitamins", lead="Vitamin tablets rarely help cramps."))

    assert titles("vitamin gummies") == ["Vitamins"]


def test_searches_are_counted_per_day_without_personal_details(client, seed_article):
    for query in ("Cramp at night", "cramp  at NIGHT!", "wombat socks", "call 07700 900123",
                  "me@example.org", "born 1960"):  # fmt: skip
        assert client.get(reverse("articles:search"), {"q": query}).status_code == 200

    counts = {c.query: (c.searches, c.found_nothing) for c in SearchCount.objects.all()}

    assert counts == {"cramp at night": (2, 0), "wombat socks": (1, 1)}
    response = client.get(reverse("articles:search"), {"q": "cramp"})
    assert not response.cookies  # searching sets no cookie
    assert "X-Cache" not in response or response["X-Cache"] == "MISS"


def test_editors_see_what_readers_searched_for_and_can_add_a_synonym(editor, client, db):
    for query in ("wombat socks", "wombat socks", "cramp"):
        client.get(reverse("articles:search"), {"q": query})

    page = editor.get(reverse("admin:articles_synonym_searches")).content.decode()

    assert "wombat socks" in page
    add = reverse("admin:articles_synonym_add") + "?words=wombat%20socks%2C%20"
    assert add in page
    assert 'value="wombat socks, "' in editor.get(add).content.decode()


@pytest.mark.parametrize(
    ("typed", "meant"),
    [("cramsp at night", "cramp at night"), ("restles legs", "restless legs"),
     ("claudicaton", "claudication"), ("charlie horse", "charley horse")],
)  # fmt: skip
def test_a_misspelt_query_shows_the_corrected_results_at_once(
    client, launch_content, typed, meant
):
    page = client.get(reverse("articles:search"), {"q": typed}).content.decode()

    found = search(meant)
    assert found and found.every_word
    assert f"for “<strong>{meant}</strong>”" in page
    assert found[0].article.get_absolute_url() in page
    as_typed = reverse("articles:search") + "?q=" + typed.replace(" ", "%20") + "&amp;as_typed=1"
    assert f'Search instead for <a href="{as_typed}">{typed}</a>' in page


def test_searching_as_typed_shows_the_readers_words_and_offers_the_correction(
    client, launch_content
):
    page = client.get(
        reverse("articles:search"), {"q": "claudicaton", "as_typed": "1"}
    ).content.decode()

    assert "No results for “claudicaton”." in page
    link = reverse("articles:search") + "?q=claudication"
    assert f'Did you mean <a href="{link}">claudication</a>?' in page


def test_a_query_that_finds_articles_is_not_second_guessed(client, launch_content):
    page = client.get(reverse("articles:search"), {"q": "restless legs"}).content.decode()

    assert "Did you mean" not in page


def test_counts_older_than_thirty_days_are_not_kept(client, db):
    from django.utils import timezone

    old = timezone.localdate() - datetime.timedelta(days=31)
    SearchCount.objects.create(day=old, query="old words", searches=3)

    client.get(reverse("articles:search"), {"q": "cramp"})  # the day's first search

    assert not SearchCount.objects.filter(day=old).exists()
    assert SearchCount.objects.filter(query="cramp").exists()


def test_a_query_that_lower_case_lengthens_is_counted_within_bounds(client, db):
    response = client.get(reverse("articles:search"), {"q": "İ" * 200})

    assert response.status_code == 200
    assert all(len(count.query) <= 200 for count in SearchCount.objects.all())


@pytest.mark.parametrize(
    "query",
    # Circled digits, a full-width at sign, full-width digits, Arabic-Indic digits, ½.
    ["\u2460\u2461\u2462 call me", "john\uff20example com", "call \uff10\uff17\uff17 now",
     "born \u0662\u0660\u0662\u0666", "\u00bd tablet"],
)  # fmt: skip
def test_a_query_with_any_kind_of_digit_or_at_sign_is_never_kept(client, db, query):
    response = client.get(reverse("articles:search"), {"q": query})

    assert response.status_code == 200
    assert not SearchCount.objects.exists()


def test_one_reader_counts_only_a_few_times_a_day(client, db):
    from articles.search.log import COUNTED_PER_READER

    for _ in range(COUNTED_PER_READER + 3):
        client.get(reverse("articles:search"), {"q": "wombat"}, REMOTE_ADDR="192.0.2.7")
    client.get(reverse("articles:search"), {"q": "wombat"}, REMOTE_ADDR="192.0.2.8")

    assert SearchCount.objects.get(query="wombat").searches == COUNTED_PER_READER + 1


def test_the_report_keeps_a_days_cap_of_different_queries(client, db, monkeypatch):
    from articles.search import log

    monkeypatch.setattr(log, "QUERIES_A_DAY", 3)
    for n, query in enumerate(["first", "second", "third", "fourth", "first"]):
        client.get(reverse("articles:search"), {"q": query}, REMOTE_ADDR=f"192.0.2.{n}")

    counts = dict(SearchCount.objects.values_list("query", "searches"))
    assert counts == {"first": 2, "second": 1, "third": 1}

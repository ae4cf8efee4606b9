"""The open content API (/api/v1/): what it gives, its OpenAPI document, caching, and
the answers to bad requests."""

import datetime
import html
import json
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from openapi_schema_validator import OAS31Validator
from openapi_spec_validator import validate as validate_spec

from articles.models import Article, Callout, Publication, Section
from articles.seo.syndication import TERMS
from tests.admin_forms import change_form_data, inline_prefix
from tests.factories import (
    ArticleFactory,
    CalloutFactory,
    CauseFactory,
    PreventionTipFactory,
    ReliefTechniqueFactory,
    ReviewFactory,
    SectionFactory,
    SourceFactory,
)
from tests.pages import warm
from tests.schema_org import schema_org_mistakes

pytestmark = pytest.mark.django_db

LIST = "/api/v1/"


def document_url(article):
    return reverse("api:article", kwargs={"language": article.language, "slug": article.slug})


def document(client, article, **headers):
    response = client.get(document_url(article), headers=headers)
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == "application/ld+json; charset=utf-8"
    return json.loads(response.content)


def test_the_vocabulary_check_finds_made_up_types_and_properties():
    made_up = {
        "@type": "MedicalWebPage",
        "lastReviewed": "2026-01-01",
        "flavour": "mint",
        "hasPart": [{"@type": "HealthTopicContent", "hasHealthAspect": "https://schema.org/Nope"}],
        "about": {"@type": "MedicalCondition", "lastReviewed": "2026-01-01"},
        "mentions": {"@type": "Koala"},
    }

    assert schema_org_mistakes(made_up, TERMS) == [
        "$: no such property flavour",
        "$.hasPart[0].hasHealthAspect: no such value https://schema.org/Nope",
        "$.about: lastReviewed is not a property of MedicalCondition",
        "$.mentions: no such type Koala",
    ]


# -- OpenAPI ----------------------------------------------------------------------------------


@pytest.fixture
def openapi(client):
    response = client.get(reverse("api:openapi-json"))
    assert response.status_code == 200
    return response.json()


def conforms(spec, component, instance):
    """Raises if `instance` is not what the OpenAPI document's `component` schema says."""
    OAS31Validator(
        {"$ref": f"#/components/schemas/{component}", "components": spec["components"]}
    ).validate(instance)


def test_the_openapi_document_is_valid_openapi_3_1(openapi):
    validate_spec(openapi)  # raises on any fault

    assert openapi["openapi"].startswith("3.1")
    assert set(openapi["paths"]) == {"/api/v1/", "/api/v1/articles/{language}/{slug}/"}
    article = openapi["paths"]["/api/v1/articles/{language}/{slug}/"]["get"]["responses"]
    assert list(article["200"]["content"]) == ["application/ld+json"]


def test_every_answer_is_what_the_openapi_document_says(
    client, openapi, translations, django_capture_on_commit_callbacks
):
    for article in Article.objects.published():
        conforms(openapi, "ArticleDocument", document(client, article))
    conforms(openapi, "ArticleList", client.get(LIST).json())
    conforms(openapi, "Problem", client.get(LIST + "?colour=red").json())
    # A list with a withdrawn page in it.
    as_of = client.get(LIST).json()["asOf"]
    with django_capture_on_commit_callbacks(execute=True):
        Article.objects.filter(pk=translations[0].pk).update(
            status=Article.Status.DRAFT, updated_at=timezone.now()
        )
    with_withdrawn = client.get(LIST, {"updated_since": as_of}).json()
    assert with_withdrawn["withdrawn"]
    conforms(openapi, "ArticleList", with_withdrawn)


def test_the_list_has_live_articles_only_in_every_language(client, translations):
    hidden = ArticleFactory(status=Article.Status.DRAFT, slug="not-yet")
    later = ArticleFactory(publish_at=timezone.now() + datetime.timedelta(days=1))

    body = client.get(LIST).json()

    shown = {(item["language"], item["url"].rsplit("/", 2)[1]) for item in body["items"]}
    assert shown == {(a.language, a.slug) for a in Article.objects.published()}
    assert ("ru", translations[0].slug) in shown
    assert not {("en-gb", hidden.slug), ("en-gb", later.slug)} & shown
    assert body["count"] == len(shown) and body["next"] is None
    russian = client.get(LIST + "?language=ru").json()["items"]
    assert {item["language"] for item in russian} == {"ru"}
    assert all(item["translationOf"]["version"] for item in russian)
    assert body["licence"]["license"] == "https://creativecommons.org/licenses/by/4.0/"


def test_the_list_comes_a_hundred_at_a_time_and_skips_nothing_that_changes_meanwhile(client, db):
    articles = ArticleFactory.create_batch(101)

    first = client.get(LIST).json()
    # While the caller reads, the first article changes: it moves to the end of the order.
    moved = first["items"][0]["identifier"]
    Article.objects.filter(pk=moved).update(content_changed_at=timezone.now())
    second = client.get(first["next"]).json()

    assert (first["count"], len(first["items"])) == (101, 100)
    assert [item["identifier"] for item in second["items"]] == [articles[-1].pk, moved]
    assert second["next"] is None
    assert {i["identifier"] for i in first["items"] + second["items"]} == {a.pk for a in articles}


def test_a_publication_moves_the_article_past_updated_since_and_changes_its_etag(
    client, editor, clinical_reviewer, seed_article, django_capture_on_commit_callbacks
):
    url = document_url(seed_article)
    etag = client.get(url)["ETag"]
    as_of = client.get(LIST).json()["asOf"]
    since = {"updated_since": as_of}
    assert client.get(LIST, since).json()["items"] == []

    # Saved, not approved: neither the list nor the document shows it.
    with django_capture_on_commit_callbacks(execute=True):
        edit_first_section(editor, seed_article, "Koalas point their toes upwards.", False)
    assert client.get(LIST, since).json()["items"] == []
    assert "Koalas" not in client.get(url).content.decode()
    assert client.get(url)["ETag"] == etag

    with django_capture_on_commit_callbacks(execute=True):
        edit_first_section(clinical_reviewer, seed_article, "Koalas point their toes upwards.")

    changed = client.get(LIST, since).json()["items"]
    assert [item["api"] for item in changed] == [f"https://testserver{url}"]
    response = client.get(url)
    assert "Koalas" in response.content.decode()
    assert response["ETag"] != etag


def edit_first_section(user, article, body, publish=True):
    change = reverse("admin:articles_article_change", args=[article.pk])
    page = user.get(change)
    data = change_form_data(page, publish=publish)
    data[f"{inline_prefix(page, Section)}-0-body"] = body
    assert user.post(change, data).status_code == 302


def test_a_withdrawn_page_is_listed_as_withdrawn_since_the_last_fetch(
    client, admin_client, seed_article, django_capture_on_commit_callbacks
):
    soon = ArticleFactory(unpublish_at=timezone.now() + datetime.timedelta(seconds=1))
    as_of = client.get(LIST).json()["asOf"]
    change = reverse("admin:articles_article_change", args=[seed_article.pk])
    data = change_form_data(admin_client.get(change)) | {"status": Article.Status.DRAFT}
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(change, data)
    Publication.objects.create(article=soon)  # it went live once

    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=2)):
        body = client.get(LIST, {"updated_since": as_of}).json()

    assert body["items"] == []
    assert body["withdrawn"] == [
        {"language": "en-gb", "url": f"https://testserver{a.get_absolute_url()}"}
        for a in sorted([seed_article, soon], key=lambda a: a.pk)
    ]
    assert client.get(document_url(seed_article)).status_code == 404


def test_the_article_is_schema_org_json_ld(client, launch_content, translations):
    for article in [*launch_content, *translations]:
        data = document(client, article)

        assert schema_org_mistakes(data, TERMS) == []
        assert data["@context"][0] == "https://schema.org"
        assert set(data["@context"][1]) == set(TERMS)
        assert data["@type"] == "MedicalWebPage"


def test_the_article_carries_its_parts_evidence_sources_and_reviews(client, launch_content):
    article = launch_content[0]
    data = document(client, article)

    assert data["name"] == article.title
    assert data["inLanguage"] == "en-GB"
    assert data["about"]["@type"] == "MedicalCondition"
    aspects = {part["hasHealthAspect"].rsplit("/", 1)[1] for part in data["hasPart"]}
    assert {"SeeDoctorHealthAspect", "SelfCareHealthAspect", "PreventionHealthAspect",
            "CausesHealthAspect", "OverviewHealthAspect"} <= aspects  # fmt: skip
    # Every citation points at a source the document lists, with its address.
    sources = {source["@id"]: source for source in data["citation"]}
    cited = [ref["@id"] for part in data["hasPart"] for ref in part.get("citation", [])]
    assert cited and set(cited) <= set(sources)
    assert all(source["url"].startswith(("https://", "http://")) for source in sources.values())
    # Every piece of advice with its evidence label, as the page shows it.
    advice = [*article.relief_techniques.all(), *article.prevention_tips.all()]
    labelled = {part["name"]: part["evidence"]["termCode"] for part in data["hasPart"]
                if "evidence" in part}  # fmt: skip
    assert labelled == {item.short_name(): item.evidence for item in advice if item.evidence}
    review = article.last_review()
    assert data["lastReviewed"] == review.reviewed_on.isoformat()
    assert data["reviewedBy"] == {"@type": "Organization", "name": "Night Cramps editorial team"}
    assert data["nextReview"] == article.next_review_due().isoformat()
    assert [note["text"] for note in data["correction"]] == [
        change["note"] for change in article.latest_changes()
    ]
    assert data["license"] and data["creditText"] == "From Night Cramps (CC BY 4.0)"


def test_a_caution_travels_inside_its_advice(client, seed_article):
    ReliefTechniqueFactory(
        article=seed_article, body="**Take quinine.** Only on a doctor's advice.",
        caution="It can harm an unborn baby.", position=90,
    )  # fmt: skip

    data = document(client, seed_article)

    [advice] = [part for part in data["hasPart"] if part.get("name") == "Take quinine"]
    [caution] = advice["hasPart"]
    assert caution["hasHealthAspect"] == "https://schema.org/SafetyHealthAspect"
    assert caution["text"] == "It can harm an unborn baby."


def test_a_care_card_is_whole_with_its_action_and_the_number_for_its_country(
    client, launch_content, translations, settings
):
    settings.HELP_LINES_BY_LANGUAGE = {"ru": {"HELP_COUNTRY": "GB", "URGENT_NUMBER": "116 117"}}
    for article in (launch_content[0], translations[0]):
        data = document(client, article)
        cards = {part["keywords"]["termCode"]: part for part in data["hasPart"]
                 if "keywords" in part}  # fmt: skip
        emergency = article.emergency_callout()
        card = cards[Callout.Level.EMERGENCY]

        # Every sign readers see on the page's card, in its order, is in the card's text.
        shown, action = care_card_on_page(client.get(article.get_absolute_url()), emergency)
        assert shown and [item["name"] for item in card["mainEntity"]["itemListElement"]] == shown
        lines = card["text"].splitlines()
        assert [line for line in lines if line in shown] == shown
        numbers = {(point["telephone"], point["areaServed"]) for point in card["mentions"]}
        assert numbers == {("999", "GB"), ("112", "GB")}
        # The card ends with what to do, in the edition's language, as the page says it.
        assert lines[-1] == action
        assert "999" in action and "112" in action
        with translation.override(article.language):
            assert card["name"].startswith(str(emergency.hidden_prefix))
        urgent = cards[Callout.Level.URGENT]["mentions"]
        expected = "111" if article.language == "en-gb" else "116 117"
        assert [point["telephone"] for point in urgent] == [expected]


def care_card_on_page(response, callout):
    """The text of each list item of `callout`'s card on the page, and of what it says to
    do under them."""
    body = response.content.decode()
    card = body[body.index(f'id="{callout.anchor}"') :]
    signs, call = card.split('class="care-card__call"', 1)
    call = call[1 : call.index("</p>")]

    def text(fragment):
        return " ".join(html.unescape(re.sub(r"<[^>]+>", "", fragment)).split())

    return [text(item) for item in re.findall(r"<li>(.*?)</li>", signs, flags=re.S)], text(call)


def test_a_translation_names_the_source_version_it_translates(
    client, clinical_reviewer, translations, django_capture_on_commit_callbacks
):
    russian = translations[0]
    source = Article.objects.get(translation_key=russian.translation_key, language="en-gb")
    pinned = russian.translated_from
    # The source moves on: the translation still names the version it was made from.
    with django_capture_on_commit_callbacks(execute=True):
        edit_first_section(clinical_reviewer, source, "A newer English version.")
    newest = Publication.objects.filter(article=source).newest()
    assert newest.pk != pinned.pk

    translated = document(client, russian)
    original = document(client, source)

    assert translated["translationOfWork"]["version"] == pinned.pk
    assert translated["translationOfWork"]["exampleOfWork"]["api"].endswith(document_url(source))
    assert original["version"] == newest.pk
    [edition] = original["workTranslation"]
    assert edition["inLanguage"] == "ru"
    assert edition["translationOfWork"]["version"] == pinned.pk
    # A translation shows its own reviews only: none here.
    assert "lastReviewed" not in translated


def test_a_draft_never_appears(client, db):
    draft = ArticleFactory(status=Article.Status.DRAFT)

    response = client.get(document_url(draft))

    assert response.status_code == 404
    assert response.json() == {"detail": "Not Found"}


def test_the_article_and_the_list_cost_the_same_queries_whatever_their_size(client, settings, db):
    settings.PAGE_CACHE_SECONDS = 0
    small, large = ArticleFactory(), ArticleFactory()
    for number in range(1, 31):
        SectionFactory(article=large, position=number)
        ReliefTechniqueFactory(article=large, position=number, evidence="may_help")
        PreventionTipFactory(article=large, position=number)
        CauseFactory(article=large, position=number)
        SourceFactory(article=large, position=number)
        ReviewFactory(article=large)
    CalloutFactory(article=large)

    def queries(url):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    # The first request renders the document, the next is its stored rendering.
    assert queries(document_url(small)) == queries(document_url(large)) <= 12
    assert queries(document_url(large)) <= 2
    one = queries(LIST)
    ArticleFactory.create_batch(60)
    assert queries(LIST) == one <= 5


def test_the_page_cache_serves_the_article_with_etag_and_last_modified(client, seed_article):
    url = document_url(seed_article)
    fresh = client.get(url)
    cached = warm(client, url)

    assert cached.content == fresh.content and cached["ETag"] == fresh["ETag"]
    assert "public" in cached["Cache-Control"] and "max-age=" in cached["Cache-Control"]
    assert cached["Last-Modified"] == fresh["Last-Modified"]
    for condition in ({"If-None-Match": fresh["ETag"]},
                      {"If-Modified-Since": fresh["Last-Modified"]}):  # fmt: skip
        again = client.get(url, headers=condition)
        assert (again.status_code, again["X-Cache"]) == (304, "HIT")


def test_a_publication_makes_the_cached_article_stale_as_it_does_the_page(
    client, clinical_reviewer, seed_article, django_capture_on_commit_callbacks
):
    urls = [document_url(seed_article), seed_article.get_absolute_url()]
    for url in urls:
        warm(client, url)

    with django_capture_on_commit_callbacks(execute=True):
        edit_first_section(clinical_reviewer, seed_article, "Koalas point their toes upwards.")

    for url in urls:
        response = client.get(url)
        assert response["X-Cache"] == "MISS" and "Koalas" in response.content.decode()


def test_any_site_may_read_it_without_cookies(client, seed_article):
    origin = {"Origin": "https://gp-practice.example"}
    for url in (LIST, document_url(seed_article)):
        for response in (client.get(url, headers=origin), warm(client, url)):
            assert not response.cookies
            assert "cookie" not in response.get("Vary", "").lower()
            assert response["Cross-Origin-Resource-Policy"] == "cross-origin"
        assert client.get(url, headers=origin)["Access-Control-Allow-Origin"] == "*"
    preflight = client.options(
        LIST, headers={**origin, "Access-Control-Request-Method": "GET",
                       "Access-Control-Request-Headers": "if-none-match"},
    )  # fmt: skip
    assert preflight.status_code == 200
    assert preflight["Access-Control-Allow-Origin"] == "*"
    assert "POST" not in preflight["Access-Control-Allow-Methods"]
    # The rest of the site stays closed to other sites' scripts.
    page = client.get(seed_article.get_absolute_url(), headers=origin)
    assert "Access-Control-Allow-Origin" not in page
    assert page["Cross-Origin-Resource-Policy"] == "same-origin"


# -- Bad input ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "status", "says"),
    [
        ("?colour=red", 400, "Unknown parameter colour"),
        ("?language=xx", 422, "en-gb"),
        ("?updated_since=yesterday", 422, "datetime"),
        ("?updated_since=2026-12-01T10:00:00", 422, "timezone"),
        ("?updated_since=0001-01-01T00:00:00%2B01:00", 422, "out of range"),
        ("?updated_since=9999-12-31T23:59:59-01:00", 422, "out of range"),
        ("?after=koala", 422, "next gave"),
        ("?after=" + "9" * 65, 422, "at most 64"),
        ("?language=ru&language=en-gb", 400, "Give language once"),
        ("?language=" + "x" * 300, 400, "longer than"),
    ],
)
def test_bad_requests_get_a_4xx_and_a_json_reason(client, db, query, status, says):
    response = client.get(LIST + query)

    assert response.status_code == status
    assert says in json.dumps(response.json())


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/api/v1/articles/en-gb/no-such-article/", 404),
        ("/api/v1/articles/xx/night-calf-cramps/", 404),
        ("/api/v1/articles/ru/night-calf-cramps/", 404),
        (f"/api/v1/articles/en-gb/{'a' * 500}/", 404),
        ("/api/v1/articles/en-gb/night-calf-cramps/?fields=name", 400),
    ],
)
def test_an_unknown_article_language_or_field_is_a_json_4xx(client, seed_article, path, status):
    response = client.get(path)

    assert response.status_code == status
    assert response.json()["detail"]


def test_an_old_address_redirects_to_the_articles_document(client, seed_article):
    seed_article.keep_old_address("calf-cramps")

    response = client.get("/api/v1/articles/en-gb/calf-cramps/")

    assert response.status_code == 301
    assert response["Location"] == document_url(seed_article)


def test_past_the_rate_limit_an_address_is_told_when_to_come_back(client, settings, db):
    settings.PAGE_CACHE_SECONDS = 0
    from articles.api.views import api

    [throttle] = api.throttle
    throttle.rate, throttle.num_requests, throttle.duration = "3/min", 3, 60
    try:
        answers = [client.get(LIST) for _ in range(4)]
        other = client.get(LIST, REMOTE_ADDR="192.0.2.9")
    finally:
        throttle.rate = settings.API_RATE_LIMIT
        throttle.num_requests, throttle.duration = throttle.parse_rate(throttle.rate)

    assert [answer.status_code for answer in answers] == [200, 200, 200, 429]
    assert 0 < int(answers[-1]["Retry-After"]) <= 60
    assert "detail" in answers[-1].json()
    # Nobody's cache keeps a refusal meant for one address.
    assert "public" not in answers[-1].get("Cache-Control", "")
    assert other.status_code == 200


def test_the_developers_page_says_how_to_use_it(client, db):
    response = client.get(reverse("api_guide"))

    text = response.content.decode()
    assert response.status_code == 200
    assert "curl" in text and "If-None-Match" in text and "CC BY 4.0" in text
    for term in TERMS:
        assert f'id="term-{term}"' in text
    assert 'id="licence"' in text and 'id="evidence"' in text

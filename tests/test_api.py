"""The open content API (/api/v1/): what it gives, its OpenAPI document, caching, and
the answers to bad requests."""

import datetime
import json

import pytest
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
    ReliefTechniqueFactory,
    SectionFactory,
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


def test_every_answer_is_what_the_openapi_document_says(client, openapi, seed_article):
    conforms(openapi, "ArticleList", client.get(LIST).json())
    conforms(openapi, "ArticleDocument", document(client, seed_article))
    conforms(openapi, "Problem", client.get(LIST + "?colour=red").json())


# -- The list -------------------------------------------------------------------------------


def test_the_list_has_live_articles_only_in_every_language(client, translations):
    hidden = ArticleFactory(status=Article.Status.DRAFT, slug="not-yet")
    later = ArticleFactory(publish_at=timezone.now() + datetime.timedelta(days=1))

    body = client.get(LIST).json()

    shown = {(item["language"], item["url"].rsplit("/", 2)[1]) for item in body["items"]}
    assert shown == {(a.language, a.slug) for a in Article.objects.published()}
    assert ("ru", translations[0].slug) in shown
    assert not {("en-gb", hidden.slug), ("en-gb", later.slug)} & shown
    assert body["count"] == len(shown) and body["pages"] == 1
    russian = client.get(LIST + "?language=ru").json()["items"]
    assert {item["language"] for item in russian} == {"ru"}
    assert all(item["translationOf"]["version"] for item in russian)
    assert body["licence"]["license"] == "https://creativecommons.org/licenses/by/4.0/"


def test_the_list_is_paged_and_a_page_past_the_end_is_a_404(client, db):
    ArticleFactory.create_batch(101)

    first = client.get(LIST).json()
    second = client.get(first["next"]).json()

    assert (first["count"], first["pages"], len(first["items"])) == (101, 2, 100)
    assert len(second["items"]) == 1 and second["next"] is None
    assert second["previous"].endswith("page=1")
    missing = client.get(LIST + "?page=3")
    assert missing.status_code == 404 and "2 pages" in missing.json()["detail"]


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
    as_of = client.get(LIST).json()["asOf"]
    change = reverse("admin:articles_article_change", args=[seed_article.pk])
    data = change_form_data(admin_client.get(change)) | {"status": Article.Status.DRAFT}
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(change, data)

    body = client.get(LIST, {"updated_since": as_of}).json()

    assert body["items"] == []
    assert body["withdrawn"] == [
        {"language": "en-gb", "url": f"https://testserver{seed_article.get_absolute_url()}"}
    ]
    assert client.get(document_url(seed_article)).status_code == 404


# -- The article ----------------------------------------------------------------------------


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
    assert data["reviewedBy"]["name"] == review.reviewer_name
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
        signs = [item["name"] for item in card["mainEntity"]["itemListElement"]]
        assert len(signs) == emergency.body.count("\n- ") + 1
        assert all(sign in card["text"] for sign in signs)
        numbers = {(point["telephone"], point["areaServed"]) for point in card["mentions"]}
        assert numbers == {("999", "GB"), ("112", "GB")}
        # The card ends with what to do, in the edition's language, as the page says it.
        action = card["text"].splitlines()[-1]
        assert "999" in action and "112" in action
        if article.language == "en-gb":
            assert action == "Call 999 now or go to A&E. 112 also works."
        with translation.override(article.language):
            assert card["name"].startswith(str(emergency.hidden_prefix))
        urgent = cards[Callout.Level.URGENT]["mentions"]
        expected = "111" if article.language == "en-gb" else "116 117"
        assert [point["telephone"] for point in urgent] == [expected]


def test_a_translation_names_the_source_version_it_translates(client, translations):
    russian = translations[0]
    source = Article.objects.get(translation_key=russian.translation_key, language="en-gb")
    pinned = russian.translated_from

    translated = document(client, russian)
    original = document(client, source)

    assert translated["translationOfWork"]["version"] == pinned.pk
    assert translated["translationOfWork"]["api"].endswith(document_url(source))
    assert original["version"] == Publication.objects.filter(article=source).newest().pk
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


def test_the_article_costs_the_same_queries_whatever_its_size(client, settings, db):
    settings.PAGE_CACHE_SECONDS = 0
    small, large = ArticleFactory(), ArticleFactory()
    for number in range(30):
        SectionFactory(article=large, position=number + 1)
        ReliefTechniqueFactory(article=large, position=number + 1, evidence="may_help")
    CalloutFactory(article=large)

    def queries(article):
        Article.objects.filter(pk=article.pk).update(pages_token=article.pages_token)
        with CaptureQueriesContext(connection) as captured:
            document(client, article)
        return len(captured)

    assert queries(small) == queries(large) <= 14
    # Then from its stored rendering, as the article page is.
    with CaptureQueriesContext(connection) as captured:
        document(client, large)
    assert len(captured) <= 3


# -- HTTP: caching, CORS, cookies -----------------------------------------------------------


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
        ("?page=0", 422, "greater than or equal"),
        ("?page=two", 422, "integer"),
        ("?page=1&page=2", 400, "Give page once"),
        ("?language=" + "x" * 300, 400, "longer than"),
    ],
)
def test_bad_requests_get_a_4xx_and_a_json_reason(client, db, query, status, says):
    response = client.get(LIST + query)

    assert response.status_code == status
    assert says in json.dumps(response.json())


def test_an_unknown_article_or_language_is_a_json_404(client, seed_article):
    for url in (
        f"/api/v1/articles/en-gb/{'no-such-article'}/",
        f"/api/v1/articles/xx/{seed_article.slug}/",
        f"/api/v1/articles/ru/{seed_article.slug}/",
        f"/api/v1/articles/en-gb/{'a' * 500}/",
        f"/api/v1/articles/en-gb/{seed_article.slug}/?fields=name",
    ):
        response = client.get(url)
        assert response.status_code in (400, 404), url
        assert "detail" in response.json()


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
    assert other.status_code == 200


def test_the_developers_page_says_how_to_use_it(client, db):
    response = client.get(reverse("api_guide"))

    text = response.content.decode()
    assert response.status_code == 200
    assert "curl" in text and "If-None-Match" in text and "CC BY 4.0" in text
    for term in TERMS:
        assert f'id="term-{term}"' in text
    assert 'id="licence"' in text and 'id="evidence"' in text

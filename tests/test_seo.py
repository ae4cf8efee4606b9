"""What every public page tells search engines and link previews."""

import json
from html.parser import HTMLParser

import extruct
import pytest
from django.conf import settings
from django.urls import reverse

from articles.models import Review
from tests.factories import ArticleFactory, CalloutFactory, ReviewFactory
from tests.schema_org import schema_org_mistakes

pytestmark = pytest.mark.django_db


class HeadReader(HTMLParser):
    def __init__(self):
        super().__init__()
        self.meta, self.links, self.title, self.lang, self._in_title = {}, {}, "", None, False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.lang = attrs.get("lang")
        elif tag == "meta" and "content" in attrs:
            self.meta[attrs.get("name") or attrs.get("property")] = attrs["content"]
        elif tag == "link":
            self.links[attrs.get("rel")] = attrs.get("href")
        elif tag == "title":
            self._in_title = True

    def handle_endtag(self, tag):
        self._in_title = self._in_title and tag != "title"

    def handle_data(self, data):
        if self._in_title:
            self.title += data


def head(response):
    reader = HeadReader()
    reader.feed(response.content.decode())
    return reader


def public_pages(launch_content):
    first = launch_content[0]
    return [
        reverse("articles:index"),
        first.get_absolute_url(),
        launch_content[1].get_absolute_url(),
        reverse("articles:bedside_card", args=[first.slug]),
        reverse("articles:diary"),
    ]


def test_every_public_page_says_what_a_crawler_needs(client, launch_content):
    titles = []
    for path in public_pages(launch_content):
        page = head(client.get(path))
        titles.append(page.title)
        assert page.lang == "en-GB"
        assert 50 <= len(page.meta["description"]) <= 160, path
        assert page.links["canonical"] == f"https://testserver{path}"
        assert page.meta["og:url"] == page.links["canonical"]
        assert page.meta["og:title"] and page.meta["twitter:title"]
        assert page.meta["og:description"] == page.meta["description"]
        assert page.meta["og:image"] == "https://testserver/static/img/share.png"
        assert page.meta["twitter:card"] == "summary_large_image"

    assert len(set(titles)) == len(titles), titles


def test_an_articles_description_is_its_summary(client, seed_article):
    page = head(client.get(seed_article.get_absolute_url()))

    assert page.meta["description"] == seed_article.summary
    assert page.meta["og:type"] == "article"


def test_the_share_image_exists(client):
    from django.contrib.staticfiles import finders
    from PIL import Image

    with Image.open(finders.find("img/share.png")) as image:
        assert image.size == (1200, 630)


def test_robots_txt_points_to_the_sitemap_and_keeps_crawlers_out(client):
    response = client.get(reverse("robots_txt"))
    lines = response.content.decode().splitlines()

    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "Sitemap: https://testserver/sitemap.xml" in lines
    for private in ("/admin/", "/search/", "/markdownx/"):
        assert f"Disallow: {private}" in lines


def json_ld(client, article):
    data = extruct.extract(
        client.get(article.get_absolute_url()).content.decode(),
        base_url="https://testserver/",
        syntaxes=["json-ld"],
    )["json-ld"]
    [document] = data
    return {node["@type"]: node for node in document["@graph"]}


def test_structured_data_describes_the_page_and_its_condition(client, seed_article):
    graph = json_ld(client, seed_article)
    page, crumbs = graph["MedicalWebPage"], graph["BreadcrumbList"]
    condition = page["about"]

    assert page["url"] == "https://testserver/articles/night-calf-cramps/"
    assert page["name"] == seed_article.title
    assert page["datePublished"].startswith("2026-11-26")
    assert page["dateModified"].startswith("2026-12-07")
    assert condition["@type"] == "MedicalCondition"
    assert condition["name"] == "Night leg cramps"
    assert {c["publisher"]["name"] for c in page["citation"]} >= {"NHS inform", "Mayo Clinic"}
    assert [item["name"] for item in crumbs["itemListElement"]] == ["Home", seed_article.title]


def test_the_condition_has_its_own_signs_and_the_care_cards_are_parts_of_the_page(
    client, seed_article
):
    page = json_ld(client, seed_article)["MedicalWebPage"]
    signs = [sign["name"] for sign in page["about"]["signOrSymptom"]]
    cards = page["hasPart"]

    assert signs == seed_article.symptom_list()
    # Reasons to get help are not symptoms of cramp: they are on the cards, whole.
    assert not [sign for sign in signs if "swollen" in sign or "blood" in sign]
    assert [card["name"].split(":")[0] for card in cards] == [
        "Non-urgent advice", "Urgent advice", "Immediate action required",
    ]  # fmt: skip
    assert {card["hasHealthAspect"] for card in cards} == {
        "https://schema.org/SeeDoctorHealthAspect"
    }
    emergency = seed_article.emergency_callout()
    assert cards[2]["@id"].endswith(f"#care-card-{emergency.pk}")
    assert len(cards[2]["text"]) == emergency.body.count("\n- ") + 1


def test_the_structured_data_uses_only_schema_orgs_types_and_properties(client, launch_content):
    for article in launch_content:
        [document] = extruct.extract(
            client.get(article.get_absolute_url()).content.decode(),
            base_url="https://testserver/",
            syntaxes=["json-ld"],
        )["json-ld"]

        assert schema_org_mistakes(document) == []


def test_causes_risk_factors_and_treatments_are_what_schema_org_means(client, seed_article):
    condition = json_ld(client, seed_article)["MedicalWebPage"]["about"]
    treatments = [t["name"] for t in condition["possibleTreatment"]]
    prevention = [t["name"] for t in condition["secondaryPrevention"]]

    assert [r["name"] for r in condition["riskFactor"]] == ["Pregnancy", "Getting older"]
    assert {r["@type"] for r in condition["riskFactor"]} == {"MedicalRiskFactor"}
    causes = condition["@reverse"]["causeOf"]
    assert len(causes) == len(seed_article.causes.all()) - 2
    assert "Pregnancy" not in [c["name"] for c in causes]
    # Short names, and only advice the evidence supports.
    assert treatments[:3] == [
        "Stretch your calf", "Rub and massage your calf",
        "Stand up and put your weight on the leg",
    ]  # fmt: skip
    assert all(len(name) <= 60 and "." not in name for name in treatments + prevention)
    assert not [n for n in treatments + prevention if "needle" in n or "Pricking" in n]
    assert "Cutting down on sugar" not in prevention
    assert prevention[0] == "Stretch your calves every day"


def test_the_comparison_page_names_what_it_tells_apart(client, launch_content):
    condition = json_ld(client, launch_content[1])["MedicalWebPage"]["about"]

    assert [d["diagnosis"]["name"] for d in condition["differentialDiagnosis"]] == [
        "Night leg cramps", "Restless legs syndrome", "Peripheral arterial disease",
        "Deep vein thrombosis",
    ]  # fmt: skip
    assert {d["@type"] for d in condition["differentialDiagnosis"]} == {"DDxElement"}


def test_last_reviewed_comes_with_who_reviewed(client):
    unreviewed = ArticleFactory(condition_name="Night leg cramps")
    edited = ArticleFactory(condition_name="Night leg cramps")
    ReviewFactory(article=edited, reviewer_name="Night Cramps editorial team")
    clinical = ArticleFactory(condition_name="Night leg cramps")
    ReviewFactory(
        article=clinical,
        kind=Review.Kind.CLINICAL,
        reviewer_name="Dr Example Person",
        reviewer_role="General practitioner",
    )

    page = json_ld(client, unreviewed)["MedicalWebPage"]
    assert "lastReviewed" not in page and "reviewedBy" not in page
    assert json_ld(client, edited)["MedicalWebPage"]["reviewedBy"] == {
        "@type": "Organization", "name": "Night Cramps editorial team",
    }  # fmt: skip
    assert json_ld(client, clinical)["MedicalWebPage"]["reviewedBy"] == {
        "@type": "Person", "name": "Dr Example Person", "jobTitle": "General practitioner",
    }  # fmt: skip


def test_no_content_can_break_out_of_the_structured_data(client):
    hostile = "</script><script>alert(1)</script><!--"
    article = ArticleFactory(title=hostile, condition_name=hostile)
    CalloutFactory(article=article, body=f"- {hostile}")

    body = client.get(article.get_absolute_url()).content.decode()
    start = body.index('<script type="application/ld+json">') + len(
        '<script type="application/ld+json">'
    )
    payload = body[start : body.index("</script>", start)]

    assert json.loads(payload)["@graph"][0]["name"] == hostile
    assert "<" not in payload


def test_the_atom_feed_lists_new_and_updated_articles(client, launch_content):
    import xml.etree.ElementTree as ET

    response = client.get(reverse("articles:feed"))
    atom = {"a": "http://www.w3.org/2005/Atom"}
    root = ET.fromstring(response.content)

    assert response["Content-Type"].startswith("application/atom+xml")
    titles = [entry.find("a:title", atom).text for entry in root.findall("a:entry", atom)]
    assert sorted(titles) == sorted(article.title for article in launch_content)
    entry = root.find("a:entry", atom)
    assert entry.find("a:updated", atom).text.startswith("2026-12-07")
    assert entry.find("a:link", atom).get("href").startswith("https://testserver/articles/")


def test_the_feed_has_what_rfc_4287_requires(client, launch_content):
    import xml.etree.ElementTree as ET

    atom = {"a": "http://www.w3.org/2005/Atom"}
    root = ET.fromstring(client.get(reverse("articles:feed")).content)

    # A feed's id, title and updated; an author for the feed or for every entry (4.1.1).
    for name in ("id", "title", "updated"):
        assert root.find(f"a:{name}", atom).text
    assert root.find("a:author/a:name", atom).text == settings.SITE_NAME
    for entry in root.findall("a:entry", atom):
        for name in ("id", "title", "updated"):
            assert entry.find(f"a:{name}", atom).text
        assert entry.find("a:link[@rel='alternate']", atom) is not None


def test_every_page_links_to_the_feed(client, seed_article):
    assert head(client.get(reverse("articles:index"))).links["alternate"] == "/feed/"

"""Help first, and the evidence behind each claim: labels, cited sources, cautions."""

import itertools
import json
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from articles.models import Article, Callout, Cause, Evidence, PreventionTip, ReliefTechnique
from tests.admin_forms import change_form_data, inline_prefix, unrendered
from tests.factories import (
    ArticleFactory,
    CalloutFactory,
    CauseFactory,
    PreventionTipFactory,
    ReliefTechniqueFactory,
    SectionFactory,
    SourceFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def cited_article():
    article = ArticleFactory(
        title="Cramps", quick_help_warning="Calf swollen, red or warm? It may be a clot."
    )
    nhs = SourceFactory(article=article, position=1, publisher="NHS", title="Leg cramps")
    mayo = SourceFactory(
        article=article,
        position=2,
        publisher="Mayo Clinic",
        title="Night leg cramps",
        url="https://www.mayoclinic.org/night-leg-cramps",
    )
    SectionFactory(article=article, position=1, heading="What to do", appendix="relief_techniques")
    SectionFactory(article=article, position=2, heading="Prevention", appendix="prevention_tips")
    SectionFactory(article=article, position=3, heading="Causes", appendix="everyday_causes")
    ReliefTechniqueFactory(
        article=article, position=1, body="Pull your toes up towards you.",
        evidence=Evidence.RECOMMENDED, is_quick_help=True, source_ids=[nhs.pk],
    )  # fmt: skip
    ReliefTechniqueFactory(
        article=article, position=2, body="Prick the muscle with a needle.",
        evidence=Evidence.NOT_ADVISED, caution="Risk of infection.", source_ids=[mayo.pk],
    )  # fmt: skip
    PreventionTipFactory(
        article=article, position=1, body="Take a supplement.",
        evidence=Evidence.NO_GOOD_EVIDENCE, caution="Ask a doctor first with kidney disease.",
        source_ids=[nhs.pk, mayo.pk],
    )  # fmt: skip
    CauseFactory(article=article, position=1, name="Tired muscles", source_ids=[mayo.pk])
    CalloutFactory(
        article=article, position=1, level=Callout.Level.URGENT, source_ids=[nhs.pk],
        summary="one calf is swollen",
    )  # fmt: skip
    CalloutFactory(
        article=article, position=2, level=Callout.Level.EMERGENCY, heading="Call now if:",
        source_ids=[nhs.pk], summary="you have chest pain",
    )  # fmt: skip
    return article


class Outline(HTMLParser):
    """The heading levels of a page, in order."""

    def __init__(self):
        super().__init__()
        self.levels = []

    def handle_starttag(self, tag, attrs):
        if len(tag) == 2 and tag[0] == "h" and tag[1].isdigit():
            self.levels.append(int(tag[1]))


def heading_levels(html):
    outline = Outline()
    outline.feed(html)
    return outline.levels


def assert_no_skipped_heading_level(html):
    levels = heading_levels(html)
    assert levels[0] == 1 and levels.count(1) == 1, levels
    for before, after in itertools.pairwise(levels):
        assert after <= before + 1, f"h{before} then h{after} in {levels}"


def test_the_during_a_cramp_box_comes_first_with_the_chosen_steps(client, cited_article):
    page = client.get(cited_article.get_absolute_url()).content.decode()

    box = page[page.index('class="quick-help"') : page.index("</section>")]
    assert page.index('class="quick-help"') < page.index('class="lead"')
    assert "Pull your toes up towards you." in box
    assert "needle" not in box
    assert cited_article.quick_help_warning in box
    assert reverse("articles:bedside_card", args=[cited_article.slug]) in box
    urgent, emergency = cited_article.callouts.order_by("position")
    assert f'href="#care-card-{urgent.pk}"' in box and f'id="care-card-{urgent.pk}"' in page
    assert f'href="#care-card-{emergency.pk}"' in box
    # When to get help, after the steps: the summaries, with numbers a phone can dial.
    assert box.index("Pull your toes") < box.index('Call <a href="tel:999">999</a> now')
    assert "if you have chest pain." in box and "if one calf is swollen." in box


def test_an_article_with_no_steps_still_summarises_when_to_get_help(client, cited_article):
    ReliefTechnique.objects.filter(article=cited_article).update(is_quick_help=False)

    page = client.get(cited_article.get_absolute_url()).content.decode()

    box = page[page.index('class="quick-help"') : page.index("</section>")]
    assert '<h2 id="quick-help-heading">When to get help</h2>' in box
    assert "During a cramp" not in box and "Print these steps" not in box


def test_an_article_without_chosen_steps_has_no_box(client):
    article = ArticleFactory()
    ReliefTechniqueFactory(article=article, is_quick_help=False)

    assert b'class="quick-help"' not in client.get(article.get_absolute_url()).content


def test_the_home_page_shows_the_box_of_the_article_editors_chose(client, cited_article):
    assert b'class="quick-help"' not in client.get(reverse("articles:index")).content

    Article.objects.filter(pk=cited_article.pk).update(is_home_help=True)
    page = client.get(reverse("articles:index")).content.decode()

    assert "Pull your toes up towards you." in page
    emergency = cited_article.emergency_callout()
    assert f'href="{cited_article.get_absolute_url()}#care-card-{emergency.pk}"' in page


def test_only_one_article_can_show_its_box_on_the_home_page(admin_client, cited_article):
    other = ArticleFactory(is_home_help=True)
    url = reverse("admin:articles_article_change", args=[cited_article.pk])
    data = change_form_data(unrendered(admin_client, url))
    data["is_home_help"] = "on"

    response = admin_client.post(url, data)

    assert response.status_code == 200
    assert "Another article already shows its box on the home page" in response.content.decode()
    assert list(Article.objects.filter(is_home_help=True)) == [other]


def test_each_claim_shows_its_evidence_label_and_links_to_its_sources(client, cited_article):
    page = client.get(cited_article.get_absolute_url()).content.decode()

    for label in ("Recommended by the NHS or NICE", "Not advised", "No good evidence"):
        assert label in page
    assert '<li id="source-1">' in page and '<li id="source-2">' in page
    assert 'Sources <a href="#source-1">1</a>, <a href="#source-2">2</a>' in page
    assert "Ask a doctor first with kidney disease." in page  # a tip's caution


def test_sources_of_a_deleted_source_are_skipped(client, cited_article):
    cited_article.sources.get(position=2).delete()

    page = client.get(cited_article.get_absolute_url()).content.decode()

    assert 'href="#source-2"' not in page and 'href="#source-1"' in page


def test_the_json_ld_cites_every_source(client, cited_article):
    page = client.get(cited_article.get_absolute_url()).content.decode()
    start = page.index('<script type="application/ld+json">') + len(
        '<script type="application/ld+json">'
    )
    graph = json.loads(page[start : page.index("</script>", start)])["@graph"]

    citations = graph[0]["citation"]
    assert [c["publisher"]["name"] for c in citations] == ["NHS", "Mayo Clinic"]
    assert citations[1]["url"] == "https://www.mayoclinic.org/night-leg-cramps"


def test_the_bedside_card_prints_the_urgent_and_the_emergency_card(client, cited_article):
    page = client.get(reverse("articles:bedside_card", args=[cited_article.slug]))
    html = page.content.decode()

    assert "Urgent advice: " in html and "Immediate action required: " in html
    assert_no_skipped_heading_level(html)


@pytest.mark.parametrize("name", ["article", "bedside_card", "index"])
def test_reader_pages_have_a_heading_outline_without_gaps(client, cited_article, name):
    Article.objects.filter(pk=cited_article.pk).update(is_home_help=True)
    url = (
        reverse("articles:index")
        if name == "index"
        else reverse(f"articles:{name}", args=[cited_article.slug])
        if name != "article"
        else cited_article.get_absolute_url()
    )

    assert_no_skipped_heading_level(client.get(url).content.decode())


def test_editors_give_the_numbers_of_a_claims_sources_from_the_articles_own_list(
    admin_client, cited_article
):
    SourceFactory(article=ArticleFactory(), position=5)  # another article's source 5
    url = reverse("admin:articles_article_change", args=[cited_article.pk])
    page = unrendered(admin_client, url)
    prefix = inline_prefix(page, Cause)
    nhs = cited_article.sources.get(position=1)

    data = change_form_data(page)
    data[f"{prefix}-0-backed_by"] = "1"
    assert admin_client.post(url, data).status_code == 302
    assert Cause.objects.get(article=cited_article).source_ids == [nhs.pk]
    page = admin_client.get(url)
    assert f"Now: 1. {nhs}" in page.content.decode()

    for wrong, message in [("5", "no source 5"), ("one", "separated by commas")]:
        data = change_form_data(unrendered(admin_client, url))  # a fresh form, as after a save
        data[f"{prefix}-0-backed_by"] = wrong
        refused = admin_client.post(url, data)
        assert refused.status_code == 200
        [cause_form] = next(
            inline.formset.forms for inline in refused.context["inline_admin_formsets"]
            if inline.formset.model is Cause
        )  # fmt: skip
        assert message in str(cause_form.errors["backed_by"])
        assert Cause.objects.get(article=cited_article).source_ids == [nhs.pk]


def test_saving_warns_about_unsourced_claims_and_unlabelled_advice(admin_client, cited_article):
    ReliefTechnique.objects.filter(article=cited_article).update(source_ids=[])
    PreventionTip.objects.filter(article=cited_article).update(evidence="")
    url = reverse("admin:articles_article_change", args=[cited_article.pk])

    response = admin_client.post(url, change_form_data(unrendered(admin_client, url)), follow=True)

    messages = [str(m) for m in response.context["messages"]]
    assert any("Pull your toes up towards you." in m and "cites no source" in m for m in messages)
    # Advice no study supports may cite nothing: its text says so.
    assert not any("Prick the muscle" in m and "cites no source" in m for m in messages)
    assert any("Take a supplement." in m and "no evidence label" in m for m in messages)
    assert response.redirect_chain[-1][0].endswith(reverse("admin:articles_article_changelist"))


def test_the_article_list_filters_articles_with_unsourced_claims(admin_client, cited_article):
    unsourced = ArticleFactory(title="Unsourced page")
    CauseFactory(article=unsourced)
    url = reverse("admin:articles_article_changelist")

    listed = admin_client.get(url, {"sources": "missing"}).context["cl"].result_list

    assert list(listed) == [unsourced]


def test_care_card_sources_are_shown_below_the_card_never_in_it(client, cited_article):
    page = client.get(cited_article.get_absolute_url()).content.decode()
    emergency = cited_article.emergency_callout()

    card_start = page.index(f'id="care-card-{emergency.pk}"')
    after_card = page[card_start:]
    card_end = after_card.index('<p class="care-card__call">')
    assert "<a " not in after_card[:card_end]
    assert 'Source <a href="#source-1">1</a>' in after_card[card_end : card_end + 800]

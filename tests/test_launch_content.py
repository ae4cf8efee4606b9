"""The launch pages as a clinical editor reviewed them: one test per finding, on the content
the seed loads (not a snapshot of the page), and the order a worried reader needs."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from reversion.models import Version

from articles.editing.checks import page_problems, reading_age_problems
from articles.management.commands.seed_if_empty import SEED_COMMENTS
from articles.models import (
    CITING_MODELS,
    Callout,
    Evidence,
    PreventionTip,
    ReliefTechnique,
    Section,
)
from tests.test_queries import QUERY_BUDGET

pytestmark = pytest.mark.django_db


@pytest.fixture
def main(launch_content):
    return launch_content[0]


@pytest.fixture
def comparison(launch_content):
    return launch_content[1]


def technique(article, starts):
    [found] = [t for t in article.relief_techniques.all() if t.body.startswith(starts)]
    return found


def tip(article, starts):
    [found] = [t for t in article.prevention_tips.all() if t.body.startswith(starts)]
    return found


def card(article, level):
    return article.callouts.get(level=level)


def signs(article, level):
    return [line[2:] for line in card(article, level).body.splitlines() if line.startswith("- ")]


# Advice that can harm some of the readers the page names.


def test_painkillers_after_a_cramp_say_who_must_ask_first(main):
    caution = technique(main, "**After a cramp**").caution

    assert "Paracetamol is usually the safest choice" in caution
    assert "Do not take ibuprofen if you are pregnant" in caution
    for who in ("over 65", "kidney, heart or stomach problems", "blood thinners"):
        assert who in caution


def test_statins_say_stop_and_get_help_straight_away(main):
    medicines = main.sections.get(heading="Medicines and cramps").body

    assert "stop taking it" in medicines
    assert "straight away" in medicines
    assert "contact your doctor promptly" not in medicines
    assert "your pee is dark" in medicines


def test_drinking_more_is_not_advised_to_people_told_to_limit_fluids(main):
    caution = tip(main, "**Drink enough fluids**").caution

    assert "told you to limit how much you drink" in caution
    assert "heart failure" in caution and "kidney disease" in caution


def test_warmth_warns_people_who_may_not_feel_heat(main):
    caution = technique(main, "**Use warmth.**").caution

    assert "diabetes" in caution and "numb" in caution
    assert "elbow" in caution and "hot-water bottle" in caution


def test_people_already_taking_quinine_know_what_to_stop_for(main):
    medicines = main.sections.get(heading="Medicines and cramps").body

    assert "Doctors no longer prescribe them routinely" in medicines
    for sign in ("bruising or bleeding", "ringing in your ears", "changes in your sight"):
        assert sign in medicines
    assert "children cannot reach it" in medicines


def test_the_supplement_caution_covers_kidneys_vitamin_d_and_pregnancy(main):
    caution = tip(main, "**Vitamin and mineral pills.**").caution

    assert "have kidney disease: magnesium and potassium can build up" in caution
    assert "100 micrograms of vitamin D" in caution
    assert "are pregnant: ask your midwife or GP first" in caution
    assert "vitamin B6" in caution and "10 mg" in caution


def test_standing_up_at_night_says_hold_on_and_put_a_light_on(main):
    stand = technique(main, "**Stand up and put your weight on the leg")
    floor = technique(main, "**Stand on a cold floor.**")

    assert "turn on a light" in stand.body and "hold on to something" in stand.body
    assert "wet" in floor.caution  # a cold floor, never a wet one


# Red flags, each at its level.


@pytest.mark.parametrize(
    "level, sign",
    [
        (Callout.Level.URGENT, "contact with something like lead or mercury"),
        (Callout.Level.URGENT, "a cramp lasts longer than 10 minutes and does not get better"),
        (Callout.Level.URGENT, "and your pee is dark"),
        (Callout.Level.URGENT, "hurts when you are resting, for example in bed at night"),
        (Callout.Level.URGENT, "a sore or ulcer on your leg or foot that does not heal"),
        (Callout.Level.EMERGENCY, "upper back pain"),
        (Callout.Level.EMERGENCY, "you feel faint or pass out"),
        (Callout.Level.EMERGENCY, "numbness in both legs, or around your bottom or genitals"),
        (Callout.Level.EMERGENCY, "cannot control when you pee or poo"),
        (Callout.Level.EMERGENCY, "a stiff jaw"),
    ],
)
def test_both_articles_carry_each_red_flag_at_its_level(launch_content, level, sign):
    for article in launch_content:
        assert [line for line in signs(article, level) if sign in line], article.slug


def test_coughing_up_blood_goes_with_leg_pain_or_swelling(launch_content):
    for article in launch_content:
        [cough] = [s for s in signs(article, Callout.Level.EMERGENCY) if "cough" in s]
        assert cough.startswith("you have pain or swelling in one leg")


def test_no_emergency_sign_sits_on_the_gp_card(launch_content):
    for article in launch_content:
        gp_card = card(article, Callout.Level.NON_URGENT).body
        assert "bottom or genitals" not in gp_card and "10 minutes" not in gp_card


def test_the_neurologist_card_sends_readers_to_a_gp_first(main):
    neurologist = card(main, Callout.Level.NON_URGENT)

    assert neurologist.title == "When to see a neurologist"  # the client's callout, kept
    assert neurologist.heading == "See a GP if:"
    first_list, referral = neurologist.body.split("refer you to a neurologist")
    assert "several times a week" in first_list
    for sign in ("weak muscles", "twitch", "numbness, tingling", "arms, hands or belly"):
        assert sign in referral


# Evidence labels and sources.


def test_remedies_with_no_studies_say_so_and_cite_no_silent_page(main):
    press = technique(main, "**Press on the middle of your calf**")
    sugar = tip(main, "**Cutting down on sugar.**")
    prick = technique(main, "**Pricking the muscle**")

    assert "We found no studies" in press.body and press.source_ids == []
    assert "We found no studies" in sugar.body and sugar.source_ids == []
    assert "We found no studies" in prick.body
    # Pricking cites only what backs the risks it states: infection and bleeding.
    cited = {source.publisher for source in prick.cited_sources()}
    assert cited == {
        "Kent Community Health NHS Foundation Trust", "The Rotherham NHS Foundation Trust",
    }  # fmt: skip
    assert prick.evidence == Evidence.NOT_ADVISED


def test_standing_on_the_leg_has_the_same_label_as_stretching(main):
    stretch = technique(main, "**Stretch your calf.**")
    stand = technique(main, "**Stand up and put your weight on the leg")

    assert stand.evidence == stretch.evidence == Evidence.RECOMMENDED


def test_the_medicines_and_doctor_text_and_the_comparison_cite_sources(main, comparison):
    for heading in ("Medicines and cramps", "What happens when you see a doctor"):
        assert main.sections.get(heading=heading).cited_sources(), heading
    for section in comparison.sections.all():
        assert section.cited_sources(), section.heading


def test_every_listed_source_backs_a_claim(launch_content):
    for article in launch_content:
        cited = set()
        for model in CITING_MODELS:
            for part in model.objects.filter(article=article):
                cited.update(part.source_ids)
        assert cited == set(article.sources.values_list("pk", flat=True)), article.slug


def test_sources_are_the_publishers_own_pages_with_the_day_they_were_read(launch_content):
    copies = ("developer.api.nhs.uk", "beta.nhs.uk", "webarchive", "amerikanhastanesi",
              "/pl", "nhs.uk/Conditions/", "/chq/")  # fmt: skip
    for article in launch_content:
        for source in article.sources.all():
            assert not [copy for copy in copies if copy in source.url], source.url
            assert source.accessed_on is not None


def test_the_launch_pages_pass_the_editors_checks(launch_content, translations):
    for article in launch_content:
        assert page_problems(article.pk) == []
    # The Russian pages too, but for the reading age, which no English formula measures.
    for article in translations:
        assert page_problems(article.pk) == reading_age_problems(article) != []


def test_the_russian_pages_say_what_they_translate_within_the_query_budget(
    client, translations, settings
):
    settings.PAGE_CACHE_SECONDS = 0  # the work behind the page, not the cache before it
    for article in translations:
        source = article.translated_from.article
        with CaptureQueriesContext(connection) as captured:
            body = client.get(article.get_absolute_url()).content.decode()
        assert len(captured) <= QUERY_BUDGET
        assert '<html lang="ru">' in body
        note = re.search(r'<div class="translation-note".*?</div>', body, re.S)[0]
        assert f'href="{source.get_absolute_url()}" hreflang="en-GB"' in note
        assert "stale-notice" not in note
        # Every care card, with the numbers a phone can dial.
        assert body.count('class="care-card ') == article.callouts.count() == 3
        assert 'href="tel:999"' in body and 'href="tel:111"' in body


# Order and shape: help first.


def test_the_care_cards_follow_the_first_section_of_both_articles(launch_content):
    for article in launch_content:
        first = article.sections.first()
        assert first.appendix == Section.Appendix.CARE_CARDS
        assert article.cards_follow_section() == first


def test_the_main_article_runs_in_the_nhs_order(main):
    order = [section.appendix or section.heading for section in main.sections.all()]

    assert order == [
        "care_cards", "relief_techniques", "prevention_tips", "Medicines and cramps",
        "What happens when you see a doctor", "risk_factors", "everyday_causes",
        "disease_causes",
    ]  # fmt: skip


def test_both_articles_summarise_when_to_get_help_at_the_top(client, launch_content):
    for article in launch_content:
        body = client.get(article.get_absolute_url()).content.decode()
        box = body[body.index('class="quick-help"') : body.index("</section>")]
        assert 'class="get-help__emergency"' in box and 'class="get-help__urgent"' in box
        for level in (Callout.Level.URGENT, Callout.Level.EMERGENCY):
            assert f'href="#care-card-{card(article, level).pk}"' in box


def test_the_care_cards_have_their_own_headings_in_on_this_page(client, main):
    body = client.get(main.get_absolute_url()).content.decode()
    start = body.index('id="contents-heading"')
    contents = body[start : body.index("</nav>", start)]

    for callout in main.callouts.all():
        assert f'href="#{callout.title.lower().replace(" ", "-")}"' in contents


def test_the_fixes_are_a_new_revision_that_says_so(launch_content):
    for article in launch_content:
        latest = Version.objects.get_for_object(article).order_by("pk").last()
        assert latest.revision.comment == SEED_COMMENTS[article.slug]
        assert latest.revision.comment.startswith("Corrected after a clinical-content review")
    assert launch_content[0].latest_changes()[0]["note"].startswith("Safety advice updated")


def test_the_home_page_claims_only_editorial_checks(client, launch_content):
    lead = client.get(reverse("articles:index")).content.decode()

    assert "Plain, checked information" not in lead
    assert "Our editors check every page against the health sources it lists" in lead
    assert all(article.last_clinical_review() is None for article in launch_content)


# Evidence order.


def test_readers_see_the_best_supported_advice_first_and_the_unproven_apart(main):
    ranks = {Evidence.RECOMMENDED: 0, Evidence.MAY_HELP: 1}
    for shown in (main.relief_steps(), main.supported_prevention_tips()):
        labels = [ranks[item.evidence] for item in shown]
        assert labels == sorted(labels)
    unproven = [*main.unproven_relief_techniques(), *main.unproven_prevention_tips()]
    assert {item.evidence for item in unproven} == {
        Evidence.NO_GOOD_EVIDENCE, Evidence.NOT_ADVISED,
    }  # fmt: skip


def test_a_new_tip_lands_in_its_group_without_renumbering(client, main):
    PreventionTip.objects.create(
        article=main, position=50, body="**A new recommended tip.**",
        evidence=Evidence.RECOMMENDED,
    )  # fmt: skip
    ReliefTechnique.objects.create(
        article=main, position=51, body="**A new unproven trick.**",
        evidence=Evidence.NO_GOOD_EVIDENCE,
    )  # fmt: skip

    supported = main.supported_prevention_tips()
    assert [t.evidence for t in supported[:2]] == [Evidence.RECOMMENDED] * 2
    assert supported[1].body == "**A new recommended tip.**"
    unproven = main.unproven_relief_techniques()
    no_studies = [t.body for t in unproven if t.evidence == Evidence.NO_GOOD_EVIDENCE]
    assert no_studies[-1] == "**A new unproven trick.**"  # then "not advised", in its group
    page = client.get(main.get_absolute_url()).content.decode()
    assert page.index("A new recommended tip") < page.index("Stay active, but avoid")
    assert page.index("What people try that has no good evidence") < page.index(
        "A new unproven trick"
    )


# Calling for help.


def test_the_cards_give_numbers_a_phone_can_dial(client, main):
    body = client.get(main.get_absolute_url()).content.decode()
    emergency = body[body.index('class="care-card care-card--emergency"') :]
    emergency = emergency[: emergency.index('<p class="evidence">')]
    urgent = body[body.index('class="care-card care-card--urgent"') :]
    urgent = urgent[: urgent.index('<p class="evidence">')]

    assert 'Call <a href="tel:999">999</a> now or go to A&amp;E.' in emergency
    assert '<a href="tel:112">112</a> also works.' in emergency
    assert emergency.count("<a ") == 2  # the numbers are the card's only links
    assert 'call NHS 111 on <a href="tel:111">111</a>' in urgent


def test_the_numbers_come_from_the_sites_settings(client, main, settings):
    settings.EMERGENCY_NUMBER, settings.EMERGENCY_NUMBER_ALSO = "112", ""
    settings.URGENT_SERVICE, settings.URGENT_NUMBER = "the out-of-hours line", "116 117"

    body = client.get(reverse("articles:bedside_card", args=[main.slug])).content.decode()

    assert 'Call <a href="tel:112">112</a> now' in body and "also works" not in body
    assert 'the out-of-hours line on <a href="tel:116117">116 117</a>' in body


def test_a_language_edition_may_give_its_own_numbers(client, main, translations, settings):
    settings.HELP_LINES_BY_LANGUAGE = {"ru": {"URGENT_NUMBER": "116 117"}}

    russian = client.get(translations[0].get_absolute_url()).content.decode()
    english = client.get(main.get_absolute_url()).content.decode()

    assert 'href="tel:116117"' in russian and 'href="tel:111"' not in russian
    assert 'href="tel:999"' in russian  # what it does not give is the site's
    assert 'href="tel:111"' in english and "116117" not in english


def test_the_bedside_card_prints_whose_it_is_where_and_when(client, main):
    body = client.get(reverse("articles:bedside_card", args=[main.slug])).content.decode()

    assert 'class="print-only bedside-card__source">Night Cramps: https://' in body
    assert "Printed on <span data-printed-on>" in body
    assert '<button type="button" class="print-button" data-print hidden>' in body
    assert "/static/js/print" in body

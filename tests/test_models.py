import datetime

import pytest
from django.apps import apps
from django.db import IntegrityError, transaction

from articles.models import (
    PART_MODELS,
    Advice,
    Article,
    ArticlePart,
    Callout,
    Cause,
    PreventionTip,
    ReliefTechnique,
    Review,
    Section,
    Source,
)
from tests.factories import (
    ArticleFactory,
    CalloutFactory,
    CauseFactory,
    PreventionTipFactory,
    ReliefTechniqueFactory,
    ReviewFactory,
    SectionFactory,
)

pytestmark = pytest.mark.django_db


def constraint_violated(create):
    with pytest.raises(IntegrityError), transaction.atomic():
        create()


def test_published_queryset_excludes_drafts():
    published = ArticleFactory(status=Article.Status.PUBLISHED)
    ArticleFactory(status=Article.Status.DRAFT)

    assert list(Article.objects.published()) == [published]


def test_two_articles_cannot_share_a_slug():
    ArticleFactory(slug="same")

    constraint_violated(lambda: ArticleFactory(slug="same"))


def test_the_database_refuses_an_unknown_status():
    constraint_violated(lambda: ArticleFactory(status="archived"))


@pytest.mark.parametrize(
    "factory", [SectionFactory, ReliefTechniqueFactory, CalloutFactory], ids=lambda f: f.__name__
)
def test_one_position_per_article(factory):
    article = ArticleFactory()
    factory(article=article, position=1)

    constraint_violated(lambda: factory(article=article, position=1))
    factory(article=ArticleFactory(), position=1)


def test_cause_positions_are_per_group():
    article = ArticleFactory()
    CauseFactory(article=article, group=Cause.Group.EVERYDAY, position=1)
    CauseFactory(article=article, group=Cause.Group.DISEASE, position=1)

    constraint_violated(
        lambda: CauseFactory(article=article, group=Cause.Group.DISEASE, position=1)
    )


def test_parts_come_back_in_position_order():
    article = ArticleFactory()
    SectionFactory(article=article, position=3, heading="Third")
    SectionFactory(article=article, position=1, heading="First")
    SectionFactory(article=article, position=2, heading="Second")

    assert [s.heading for s in article.sections.all()] == ["First", "Second", "Third"]


def test_article_url_reverses_the_namespaced_route():
    assert ArticleFactory(slug="leg-cramps").get_absolute_url() == "/articles/leg-cramps/"


def test_cause_lists_split_by_group():
    article = ArticleFactory()
    everyday = CauseFactory(article=article, group=Cause.Group.EVERYDAY)
    disease = CauseFactory(article=article, group=Cause.Group.DISEASE)

    assert article.everyday_causes() == [everyday]
    assert article.disease_causes() == [disease]


def test_relief_steps_and_other_methods_are_apart():
    article = ArticleFactory()
    step = ReliefTechniqueFactory(article=article, is_step=True)
    other = ReliefTechniqueFactory(article=article, is_step=False, caution="Careful.")

    assert article.relief_steps() == [step]
    assert article.other_relief_techniques() == [other]


def test_next_review_is_due_three_years_after_the_latest_review():
    article = ArticleFactory()
    ReviewFactory(article=article, reviewed_on=datetime.date(2025, 1, 10))
    ReviewFactory(article=article, reviewed_on=datetime.date(2026, 3, 5))

    assert article.last_review().reviewed_on == datetime.date(2026, 3, 5)
    assert article.next_review_due() == datetime.date(2029, 3, 5)


def test_a_review_on_29_february_falls_due_on_28_february():
    article = ArticleFactory()
    ReviewFactory(article=article, reviewed_on=datetime.date(2028, 2, 29))

    assert article.next_review_due() == datetime.date(2031, 2, 28)


def test_an_unreviewed_article_has_no_review_dates():
    article = ArticleFactory()

    assert article.last_review() is None
    assert article.next_review_due() is None
    assert article.last_clinical_review() is None


def test_only_a_clinical_review_counts_as_clinical():
    article = ArticleFactory()
    ReviewFactory(article=article, kind=Review.Kind.EDITORIAL)

    assert article.last_clinical_review() is None
    clinical = ReviewFactory(article=article, kind=Review.Kind.CLINICAL)
    assert article.last_clinical_review() == clinical


def test_every_care_card_level_has_a_hidden_prefix():
    for level in Callout.Level:
        assert CalloutFactory(level=level).hidden_prefix.endswith(": ")


def test_contents_lists_section_and_card_headings_in_page_order():
    article = ArticleFactory()
    SectionFactory(article=article, position=1, heading="Causes")
    SectionFactory(article=article, position=2, heading="")
    CalloutFactory(article=article, title="When to see a doctor")

    assert article.contents() == ["Causes", "When to see a doctor"]


def test_models_read_as_their_names():
    assert str(ArticleFactory(title="Leg cramps")) == "Leg cramps"
    assert str(SectionFactory(heading="", position=4)).startswith("Section 4")
    assert str(CauseFactory(name="Dehydration")) == "Dehydration"
    assert str(CalloutFactory(heading="See a doctor if:")) == (
        "Non-urgent: see a doctor: See a doctor if:"
    )


def test_part_models_are_every_concrete_part_in_page_order():
    concrete = [
        model
        for model in apps.get_app_config("articles").get_models()
        if issubclass(model, ArticlePart)
    ]

    assert list(PART_MODELS) == [Section, Cause, ReliefTechnique, PreventionTip, Callout, Source]
    assert set(PART_MODELS) == set(concrete)


@pytest.mark.parametrize(
    "factory", [ReliefTechniqueFactory, PreventionTipFactory], ids=lambda f: f.__name__
)
def test_advice_renders_its_text_and_caution_and_reads_as_its_first_words(factory):
    advice = factory(body="Drink **water** through the day.", caution="Not with *kidney* disease.")

    assert isinstance(advice, Advice)
    assert advice.rendered_body() == "<p>Drink <strong>water</strong> through the day.</p>"
    assert advice.rendered_caution() == "<p>Not with <em>kidney</em> disease.</p>"
    assert str(advice) == "Drink water through the day."
    assert advice.short_name() == "Drink water through the day"  # no bold name: its words


@pytest.mark.parametrize(
    "body, name",
    [
        ("**Stretch your calf.** Straighten your leg.", "Stretch your calf"),
        ("**Rub and massage your calf** firmly.", "Rub and massage your calf"),
        ("**", ""),
        ("** unclosed bold and more words", "unclosed bold and more words"),
        (
            "Plain advice with no name in bold, long enough to be cut short before it ends.",
            "Plain advice with no name in bold, long enough to be cut sh…",
        ),
    ],
)
def test_advice_is_named_by_the_bold_words_it_starts_with(body, name):
    assert ReliefTechniqueFactory.build(body=body).short_name() == name


def test_every_part_with_a_text_renders_it_as_markdown():
    article = ArticleFactory()
    parts = [
        SectionFactory(article=article, body="A *section*."),
        CauseFactory(article=article, body="A *cause*."),
        ReliefTechniqueFactory(article=article, body="A *technique*."),
        PreventionTipFactory(article=article, body="A *tip*."),
        CalloutFactory(article=article, body="- A *sign*"),
    ]

    assert [part.rendered_body() for part in parts] == [
        "<p>A <em>section</em>.</p>",
        "<p>A <em>cause</em>.</p>",
        "<p>A <em>technique</em>.</p>",
        "<p>A <em>tip</em>.</p>",
        "<ul>\n<li>A <em>sign</em></li>\n</ul>",
    ]

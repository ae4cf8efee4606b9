"""Checks on a whole article before readers get it: parts readers would not see, the
care-card rules, claims without sources, and each box's own checks (editing.writing).

Warnings, not blocks: shown on the change page, after each save, in the preview and on the
sign-off page, as sentences an editor can act on.
"""

from django.conf import settings
from django.utils.translation import get_language_info

from articles.editing.writing import text_problems
from articles.markdown import markdown_to_text
from articles.models import (
    CLAIM_MODELS,
    PART_MODELS,
    Advice,
    Article,
    Callout,
    Section,
)
from articles.models.content import first_words

SUMMARY_LENGTH = (50, 160)


def page_problems(article_pk):
    """Everything worth a second look in an article or a draft, as its rows hold it now."""
    article = Article.rows.get(pk=article_pk)
    return [
        *summary_problems(article),
        *hidden_parts(article),
        *care_card_problems(article.callouts.all(), article.language),
        *claim_problems(article),
        *source_problems(article),
        *box_problems(article),
        *reading_age_problems(article),
    ]


def summary_problems(article):
    low, high = SUMMARY_LENGTH
    length = len(article.summary)
    if low <= length <= high:
        return []
    return [
        f"The summary has {length} characters; search engines and the home page show "
        f"{low} to {high}. {'Say a little more' if length < low else 'Shorten it'}."
    ]


# What each "list shown after the text" choice places, and which parts that is.
PLACED_LISTS = {
    Section.Appendix.CARE_CARDS: ("care card", lambda a: a.callouts.all()),
    Section.Appendix.RISK_FACTORS: ("risk factor", Article.risk_factors),
    Section.Appendix.EVERYDAY_CAUSES: ("everyday cause", Article.everyday_causes),
    Section.Appendix.DISEASE_CAUSES: ("disease that can cause it", Article.disease_causes),
    Section.Appendix.RELIEF_TECHNIQUES: ("relief technique", lambda a: a.relief_techniques.all()),
    Section.Appendix.PREVENTION_TIPS: ("prevention tip", lambda a: a.prevention_tips.all()),
}


def hidden_parts(article):
    """Parts saved but not on the page, and lists placed twice."""
    problems = []
    sections = list(article.sections.all())
    for choice, (kind, parts_of) in PLACED_LISTS.items():
        placed_by = [section for section in sections if section.appendix == choice]
        count = len(parts_of(article))
        # Care cards no section places still close the page: seen, if late.
        if count and not placed_by and choice != Section.Appendix.CARE_CARDS:
            problems.append(
                f"Readers do not see the {count} {kind}{'s' if count > 1 else ''}: no section "
                f"shows “{choice.label}”. Choose it under “list shown after the text” in the "
                "section it belongs after."
            )
        elif len(placed_by) > 1:
            problems.append(
                f"“{choice.label}” is shown after {len(placed_by)} sections, so readers see "
                "it more than once. Choose it in one section only."
            )
    for section in sections:
        if not (section.heading or markdown_to_text(section.body) or section.appendix):
            problems.append(
                f"Section {section.position} is empty: readers see nothing of it. Write its "
                "text, or delete it."
            )
    for callout in article.callouts.all():
        if not markdown_to_text(callout.body):
            problems.append(
                f"The {Callout.NAMES[callout.level]} card “{callout.heading}” has no signs "
                "readers can see: write them as a list."
            )
    if article.quick_help_warning and not article.quick_help_steps():
        problems.append(
            "Readers do not see the “During a cramp” warning: the box shows only when at least "
            "one relief technique has its “During a cramp” box ticked."
        )
    return problems


# The reading-age formula (Flesch-Kincaid, editing.writing) counts English words and
# syllables: for text in another language its figure would mean nothing.
READING_AGE_LANGUAGES = {"en"}


def measures_reading_age(language):
    """Whether the reading-age formula fits text in `language` (a code of LANGUAGES)."""
    return language.partition("-")[0] in READING_AGE_LANGUAGES


def reading_age_problems(article):
    """For an edition in a language the formula does not fit, that its reading age
    cannot be measured, in place of an English figure."""
    if measures_reading_age(article.language):
        return []
    name = get_language_info(article.language)["name"]
    return [
        f"Reading age cannot be measured in {name}: the formula is for English, so no "
        f"reading-age figure applies to this page. Ask someone who reads {name} to check "
        "that it is plain: short sentences and everyday words."
    ]


def source_problems(article):
    if article.sources.exists():
        return []
    return ["The page lists no sources. Add the pages its advice comes from under “Sources”."]


def box_problems(article):
    """Each Markdown box's own checks, named by where the box is."""
    problems = [f"Introduction: {problem}" for problem in text_problems(article.lead)]
    for model in PART_MODELS:
        for part in model.objects.filter(article=article):
            for name in ("body", "caution"):
                text = getattr(part, name, "")
                for problem in text_problems(text) if text else ():
                    problems.append(f"{part_label(part)}: {problem}")
    return problems


def part_label(part):
    """A part as the change page names it, such as “Prevention tip “Drink water…””."""
    return f"{part._meta.verbose_name.capitalize()} “{claim_name(part)}”"


# How a care card's heading ends in each language (the NHS pattern: an action, then the
# signs), and an example.
CARD_HEADING_ENDS = {
    "en-gb": ("if:", "See a doctor if:"),
    "ru": ("если:", "Обратитесь к врачу, если:"),
}


def care_card_problems(callouts, language=settings.LANGUAGE_CODE):
    """What breaks the care-card rules, as sentences an editor can act on."""
    problems = []
    seen = {}
    ending, example = CARD_HEADING_ENDS[language]
    for callout in callouts:
        label = f"The {Callout.NAMES[callout.level]} card"
        if not callout.heading.rstrip().endswith(ending):
            problems.append(
                f"{label} heading “{callout.heading}” should be an action ending in "
                f"“{ending}”, such as “{example}”."
            )
        if callout.level == Callout.Level.EMERGENCY and "<a " in callout.rendered_body():
            problems.append(
                f"{label} has a link. Take it out: in an emergency the reader should call, "
                "not click."
            )
        seen[callout.level] = seen.get(callout.level, 0) + 1
    for level, count in seen.items():
        if count > 1:
            problems.append(
                f"There are {count} {Callout.NAMES[level]} cards. "
                "Use one card of each level and put all its signs in one list."
            )
    return problems


def claim_problems(article):
    """Claims readers cannot check: no source cited, or advice without an evidence label."""
    problems = []
    existing = set(article.sources.values_list("pk", flat=True))
    for model in CLAIM_MODELS:
        kind = model._meta.verbose_name
        # No ids, or only ids of sources deleted since: readers see no source either way.
        for claim in model.objects.filter(article=article).exclude(model.uncited_allowed()):
            if not existing & set(claim.source_ids):
                problems.append(
                    f"The {kind} “{claim_name(claim)}” cites no source. Write its sources' "
                    "numbers under “sources (numbers)”, such as “2, 5”."
                )
    for model in (model for model in PART_MODELS if issubclass(model, Advice)):
        kind = model._meta.verbose_name
        for claim in model.objects.filter(article=article, evidence=""):
            problems.append(
                f"The {kind} “{claim_name(claim)}” has no evidence label. Choose one, so "
                "readers know how well it is supported."
            )
    return problems


def claim_name(claim):
    name = getattr(claim, "name", "") or getattr(claim, "heading", "") or claim.body
    return first_words(name, 60)

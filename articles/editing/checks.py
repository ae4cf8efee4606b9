"""Aids for editors: reading age, and the rules of the NHS care-card pattern."""

import textstat

from articles.markdown import markdown_to_text
from articles.models import CLAIM_MODELS, Callout, PreventionTip, ReliefTechnique

READING_AGE_AIM = (9, 14)
# Below this many words a reading age says more about chance than about the text.
MIN_WORDS = 12


def reading_age(markdown_text):
    """The approximate age a reader needs to follow the text (Flesch-Kincaid grade + 5)."""
    text = markdown_to_text(markdown_text)
    if len(text.split()) < MIN_WORDS:
        return None
    return max(5, round(textstat.flesch_kincaid_grade(text) + 5))


def care_card_problems(callouts):
    """What breaks the care-card rules, as sentences an editor can act on."""
    problems = []
    seen = {}
    for callout in callouts:
        label = f"The {Callout.NAMES[callout.level]} card"
        if not callout.heading.rstrip().endswith("if:"):
            problems.append(
                f"{label} heading “{callout.heading}” should be an action ending in “if:”, "
                "such as “See a doctor if:”."
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
    for model in CLAIM_MODELS:
        kind = model._meta.verbose_name
        for claim in model.objects.filter(article=article, source_ids=[]):
            problems.append(f"The {kind} “{claim_name(claim)}” cites no source. Tick its sources.")
    for model in (ReliefTechnique, PreventionTip):
        kind = model._meta.verbose_name
        for claim in model.objects.filter(article=article, evidence=""):
            problems.append(
                f"The {kind} “{claim_name(claim)}” has no evidence label. Choose one, so "
                "readers know how well it is supported."
            )
    return problems


def claim_name(claim):
    name = getattr(claim, "name", "") or getattr(claim, "heading", "") or claim.body
    text = markdown_to_text(name)
    return text if len(text) <= 60 else text[:57].rstrip() + "…"

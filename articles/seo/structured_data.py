"""schema.org JSON-LD for an article page, built from the fields the reader sees."""

import json

from django.conf import settings
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from articles import languages
from articles.markdown import markdown_to_text as as_text
from articles.models import Review, by_evidence

# Inside <script>, these could end the element or open a comment; JSON allows \u escapes.
SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}
BULLETS = ("- ", "* ", "+ ", "-\t", "*\t", "+\t")


def article_graph(article, absolute_url):
    """The MedicalWebPage and BreadcrumbList of `article`; absolute_url turns a path into a URL."""
    home = absolute_url(reverse("articles:index"))
    web_page = medical_web_page(article, absolute_url)
    page = web_page["@id"]
    web_page.update(
        breadcrumb={"@id": f"{page}#breadcrumb"},
        isPartOf={"@type": "WebSite", "name": settings.SITE_NAME, "url": home},
        publisher={"@type": "Organization", "name": settings.SITE_NAME, "url": home},
    )
    care_cards = [care_card(callout, page) for callout in article.callouts.all()]
    if care_cards:
        web_page["hasPart"] = care_cards
    citations = [cited_work(source, page) for source in article.sources.all()]
    if citations:
        web_page["citation"] = citations
    breadcrumbs = {
        "@type": "BreadcrumbList",
        "@id": f"{page}#breadcrumb",
        "itemListElement": [
            {"@type": "ListItem", "position": 1, "name": gettext("Home"), "item": home},
            {"@type": "ListItem", "position": 2, "name": article.title, "item": page},
        ],
    }
    return {"@context": "https://schema.org", "@graph": [web_page, breadcrumbs]}


def source_id(source, page):
    """A source's place in the page's list (#source-N, as article_detail.html writes it)."""
    return f"{page}#source-{source.position}"


def medical_web_page(article, absolute_url):
    """What the page and the content API both say of `article`: the page, its dates, its
    last review and its condition."""
    page = absolute_url(article.get_absolute_url())
    web_page = {
        "@type": "MedicalWebPage",
        "@id": page,
        "url": page,
        "name": article.title,
        "headline": article.title,
        "description": article.summary,
        "inLanguage": languages.tag(article.language),
        "dateModified": article.last_modified().isoformat(),
    }
    if article.publish_at:  # a draft in preview has none yet
        web_page["datePublished"] = article.publish_at.isoformat()
    last_review = article.last_review()
    if last_review:  # a recorded review, with who made it: a clinician or the editors
        web_page["lastReviewed"] = last_review.reviewed_on.isoformat()
        web_page["reviewedBy"] = reviewer(last_review)
    if article.condition_name:
        web_page["about"] = medical_condition(article)
    return web_page


def cited_work(source, page):
    """A source the page cites, by its place in the page's list."""
    return {
        "@type": "CreativeWork",
        "@id": source_id(source, page),
        "name": source.title,
        "url": source.url,
        "publisher": {"@type": "Organization", "name": source.publisher},
    }


def reviewer(review):
    """Who made a review: a clinician by name and role, or the editorial team (never the
    editor by name: an approval records a person, and the page names the team)."""
    if review.kind == Review.Kind.CLINICAL:
        return {"@type": "Person", "name": review.reviewer_name, "jobTitle": review.reviewer_role}
    return {"@type": "Organization", "name": f"{settings.SITE_NAME} editorial team"}


def medical_condition(article):
    """The condition in schema.org's terms. Only what is true of the condition itself: its
    own signs (not the care cards' reasons to get help), causes apart from risk factors,
    and advice the evidence supports, named in a few words."""
    condition = {"@type": "MedicalCondition", "name": article.condition_name}
    values = {
        "signOrSymptom": [
            {"@type": "MedicalSignOrSymptom", "name": sign} for sign in article.symptom_list()
        ],
        "riskFactor": [
            {"@type": "MedicalRiskFactor", "name": cause.name} for cause in article.risk_factors()
        ],
        "possibleTreatment": _therapies(article.relief_techniques.all()),
        "secondaryPrevention": _therapies(article.prevention_tips.all()),
        "differentialDiagnosis": [
            {
                "@type": "DDxElement",
                "diagnosis": {"@type": "MedicalCondition", "name": section.condition},
            }
            for section in article.sections.all()
            if section.condition
        ],
    }
    condition.update((name, value) for name, value in values.items() if value)
    # schema.org links a cause to its condition, not the other way (MedicalCause.causeOf):
    # JSON-LD's @reverse says it from the condition's side.
    causes = [
        {"@type": "MedicalCause", "name": cause.name, "description": as_text(cause.body)}
        for cause in article.everyday_causes() + article.disease_causes()
    ]
    if causes:
        condition["@reverse"] = {"causeOf": causes}
    return condition


def _therapies(advice):
    # Only advice with support: "no good evidence" and "not advised" are not treatments.
    supported = by_evidence(advice)[0]
    return [{"@type": "MedicalTherapy", "name": item.short_name()} for item in supported]


def care_card(callout, page):
    """A care card as a part of the page about when to see a professional, whole: its
    urgency, its heading and every sign on it, never a sign without its action."""
    return {
        "@type": "HealthTopicContent",
        "@id": f"{page}#{callout.anchor}",
        "hasHealthAspect": "https://schema.org/SeeDoctorHealthAspect",
        "name": callout.hidden_prefix + callout.heading,
        "text": [as_text(item) for item in list_items(callout.body)],
    }


def list_items(markdown):
    """The text of each bulleted line of a Markdown list, in order.

    A scan line by line, not a regular expression, so that its time grows only with the
    length of the text, whatever the text holds.
    """
    items = []
    for line in markdown.splitlines():
        line = line.strip()
        if line.startswith(BULLETS) and line[2:].strip():
            items.append(line[2:].strip())
    return items


def json_ld_script(data):
    """A <script type="application/ld+json"> element that no content can break out of."""
    payload = json.dumps(data, ensure_ascii=False).translate(SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(payload))

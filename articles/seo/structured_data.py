"""schema.org JSON-LD for an article page, built from the fields the reader sees."""

import json

from django.conf import settings
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from articles.markdown import markdown_to_text
from articles.models import PART_MODELS, Evidence

# The evidence labels under which advice is offered to search engines as a treatment.
SUPPORTED = {Evidence.RECOMMENDED, Evidence.MAY_HELP}
# Inside <script>, these could end the element or open a comment; JSON allows \u escapes.
SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}
BULLETS = ("- ", "* ", "+ ", "-\t", "*\t", "+\t")


def article_graph(article, absolute_url):
    """The MedicalWebPage and BreadcrumbList of `article`; absolute_url turns a path into a URL."""
    home = absolute_url(reverse("articles:index"))
    page = absolute_url(article.get_absolute_url())
    web_page = {
        "@type": "MedicalWebPage",
        "@id": page,
        "url": page,
        "name": article.title,
        "headline": article.title,
        "description": article.summary,
        "inLanguage": "en-GB",
        "dateModified": article.last_modified().isoformat(),
        "breadcrumb": {"@id": f"{page}#breadcrumb"},
        "isPartOf": {"@type": "WebSite", "name": settings.SITE_NAME, "url": home},
        "publisher": {"@type": "Organization", "name": settings.SITE_NAME, "url": home},
    }
    if article.publish_at:  # a draft in preview has none yet
        web_page["datePublished"] = article.publish_at.isoformat()
    last_review = article.last_review()
    if last_review:
        web_page["lastReviewed"] = last_review.reviewed_on.isoformat()
    clinical_review = article.last_clinical_review()
    if clinical_review:
        web_page["reviewedBy"] = {
            "@type": "Person",
            "name": clinical_review.reviewer_name,
            "jobTitle": clinical_review.reviewer_role,
        }
    if article.condition_name:
        web_page["about"] = medical_condition(article)
    citations = [
        {
            "@type": "CreativeWork",
            "name": source.title,
            "url": source.url,
            "publisher": {"@type": "Organization", "name": source.publisher},
        }
        for source in article.sources.all()
    ]
    if citations:
        web_page["citation"] = citations
    breadcrumbs = {
        "@type": "BreadcrumbList",
        "@id": f"{page}#breadcrumb",
        "itemListElement": [
            {"@type": "ListItem", "position": 1, "name": "Home", "item": home},
            {"@type": "ListItem", "position": 2, "name": article.title, "item": page},
        ],
    }
    return {"@context": "https://schema.org", "@graph": [web_page, breadcrumbs]}


def medical_condition(article):
    """The condition, with what each part type says about it (its condition_property)."""
    condition = {"@type": "MedicalCondition", "name": article.condition_name}
    for model in PART_MODELS:
        if model.condition_property:
            parts = getattr(article, model.accessor()).all()
            values = [
                value
                for part in parts
                for value in CONDITION_VALUES[model.condition_property](part)
            ]
            if values:
                condition.setdefault(model.condition_property, []).extend(values)
    return condition


def _cause(part):
    return [
        {"@type": "MedicalCause", "name": part.name, "description": markdown_to_text(part.body)}
    ]


def _treatment(part):
    # Only advice with support: "no good evidence" and "not advised" are not treatments.
    if part.evidence not in SUPPORTED:
        return []
    return [{"@type": "MedicalTherapy", "name": markdown_to_text(part.body)}]


def _signs(part):
    return [
        {"@type": "MedicalSignOrSymptom", "name": markdown_to_text(item)}
        for item in list_items(part.body)
    ]


CONDITION_VALUES = {"cause": _cause, "possibleTreatment": _treatment, "signOrSymptom": _signs}


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

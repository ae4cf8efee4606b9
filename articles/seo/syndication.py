"""An article as other services take it (the content API, articles.api): the live page as
schema.org JSON-LD, each part tagged with its health aspect, each claim with its evidence
and sources, the care cards whole with the number to call and where it works, and the terms
on which it may be reused.

schema.org has no words for three things a health page must pass on: the date of its next
review, how well the evidence supports a piece of advice, and where the API gives a page.
They are the document's own terms, defined on the API's page for developers (`TERMS`).
"""

import html

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import strip_tags
from django.utils.translation import gettext

from articles.helplines import help_lines
from articles.markdown import markdown_to_text as as_text
from articles.models import Callout, Cause, Section, by_evidence
from articles.seo import structured_data
from articles.seo.structured_data import cited_work, medical_web_page, source_id

SCHEMA = "https://schema.org/"
# The document's own terms, as anchors of the developers' page.
TERMS = ("nextReview", "evidence", "api")

# Which aspect of the condition each kind of part is about.
CAUSES_ASPECT = {
    Cause.Group.EVERYDAY: "CausesHealthAspect",
    Cause.Group.DISEASE: "CausesHealthAspect",
    Cause.Group.RISK: "RisksOrComplicationsHealthAspect",
}
SECTION_ASPECT = {
    Section.Appendix.CARE_CARDS: "SeeDoctorHealthAspect",
    Section.Appendix.RELIEF_TECHNIQUES: "SelfCareHealthAspect",
    Section.Appendix.PREVENTION_TIPS: "PreventionHealthAspect",
    Section.Appendix.RISK_FACTORS: "RisksOrComplicationsHealthAspect",
    Section.Appendix.EVERYDAY_CAUSES: "CausesHealthAspect",
    Section.Appendix.DISEASE_CAUSES: "CausesHealthAspect",
}
CONTACT_TYPE = {Callout.Level.EMERGENCY: "emergency", Callout.Level.URGENT: "urgent care"}


def guide_url(absolute_url, anchor=""):
    return absolute_url(reverse("api_guide")) + (f"#{anchor}" if anchor else "")


def context(absolute_url):
    """schema.org, and the document's own terms."""
    own = {term: {"@id": guide_url(absolute_url, f"term-{term}")} for term in TERMS}
    own["nextReview"]["@type"] = "http://www.w3.org/2001/XMLSchema#date"
    own["api"]["@type"] = "@id"
    return [SCHEMA.removesuffix("/"), own]


def reuse_terms(absolute_url):
    """Who publishes the content, its licence, and how to credit it."""
    publisher = {
        "@type": "Organization",
        "name": settings.CONTENT_PUBLISHER,
        "url": absolute_url(reverse("articles:index")),
    }
    return {
        "publisher": publisher,
        "copyrightHolder": publisher,
        "license": settings.CONTENT_LICENCE_URL,
        "creditText": gettext("From %(publisher)s (%(licence)s)")
        % {"publisher": settings.CONTENT_PUBLISHER, "licence": settings.CONTENT_LICENCE_NAME},
        "acquireLicensePage": guide_url(absolute_url, "licence"),
        "isAccessibleForFree": True,
    }


def api_url(absolute_url, edition):
    return absolute_url(
        reverse("api:article", kwargs={"language": edition.language, "slug": edition.slug})
    )


def article_document(article, absolute_url, *, editions, translation_of, versions):
    """The live `article` as one JSON-LD document.

    editions: its live editions in other languages (articles.models.Edition), listed for
    the source as its translations; translation_of: what it translates, as the page says it
    (articles.views.TranslationOf), or None;
    versions: {article pk: (its newest publication's id, the source publication it
    translates or None)} for the article and its editions."""
    document = {"@context": context(absolute_url), **medical_web_page(article, absolute_url)}
    page = document["@id"]
    document.update(
        identifier=article.pk, api=api_url(absolute_url, article), abstract=as_text(article.lead)
    )
    if versions[article.pk][0] is not None:  # pages from before publications were recorded
        document["version"] = versions[article.pk][0]
    if "lastReviewed" in document:
        document["nextReview"] = article.next_review_due().isoformat()
    document["hasPart"] = parts(article, page, guide_url(absolute_url))
    sources = list(article.sources.all())
    if sources:
        document["citation"] = [cited_work(source, page) for source in sources]
    notes = article.latest_changes()
    if notes:
        document["correction"] = [
            {"@type": "CorrectionComment", "datePublished": note["on"].isoformat(),
             "text": note["note"]}
            for note in notes
        ]  # fmt: skip
    if translation_of is not None:
        document["translationOfWork"] = translated_work(
            absolute_url, translation_of, versions[article.pk][1]
        )
    elif editions:
        document["workTranslation"] = [
            edition_work(absolute_url, edition, versions.get(edition.pk)) for edition in editions
        ]
    document.update(reuse_terms(absolute_url))
    return document


def parts(article, page, guide):
    """Every part of the page, the care cards first (what to do if it is more than a
    cramp), then the text, the causes, what helps and what prevents it."""
    found = [care_card(callout, page) for callout in article.callouts.all()]
    if article.lead:
        found.append(part("OverviewHealthAspect", text=as_text(article.lead)))
    for section in article.sections.all():
        aspect = SECTION_ASPECT.get(section.appendix, "OverviewHealthAspect")
        if section.condition:
            aspect = "RelatedTopicsHealthAspect"
        found.append(
            part(aspect, f"{page}#{section.anchor}", section.heading, as_text(section.body),
                 cites(section, page))
        )  # fmt: skip
    for cause in article.causes.all():
        found.append(
            part(CAUSES_ASPECT[cause.group], None, cause.name, as_text(cause.body),
                 cites(cause, page))
        )  # fmt: skip
    for aspect, advice in (
        ("SelfCareHealthAspect", article.relief_techniques.all()),
        ("PreventionHealthAspect", article.prevention_tips.all()),
    ):
        supported, unsupported = by_evidence(advice)
        found.extend(advice_part(aspect, item, page, guide) for item in [*supported, *unsupported])
    return found


def part(aspect, at=None, name="", text="", citation=()):
    found = {"@type": "HealthTopicContent", "hasHealthAspect": f"{SCHEMA}{aspect}"}
    if at:
        found["@id"] = at
    if name:
        found["name"] = name
    found["text"] = text
    if citation:
        found["citation"] = list(citation)
    return found


def advice_part(aspect, item, page, guide):
    """A piece of advice with its evidence label, sources and caution, which never travels
    without it."""
    found = part(aspect, None, item.short_name(), as_text(item.body), cites(item, page))
    if item.evidence:
        found["evidence"] = {
            "@type": "DefinedTerm",
            "termCode": item.evidence,
            "name": str(item.get_evidence_display()),
            "inDefinedTermSet": f"{guide}#evidence",
        }
    if item.caution:
        found["hasPart"] = [part("SafetyHealthAspect", text=as_text(item.caution))]
    return found


def care_card(callout, page):
    """A care card whole: its urgency, its heading, its whole text, what to do, and the
    numbers to call with the country they work in. Never a sign without its action."""
    help = help_lines()
    action = call_to_action(callout, help)
    card = structured_data.care_card(callout, page)
    signs = card.pop("text")
    # The text as readers read it, list or not, then what to do.
    card["text"] = "\n".join(filter(None, [card["name"], as_text(callout.body), action]))
    if callout.title:
        card["headline"] = callout.title
    if cited := cites(callout, page):
        card["citation"] = cited
    card["keywords"] = {
        "@type": "DefinedTerm",
        "termCode": callout.level,
        "name": str(callout.hidden_prefix).strip().rstrip(":"),
    }
    card["mainEntity"] = {
        "@type": "ItemList",
        "itemListOrder": f"{SCHEMA}ItemListOrderAscending",
        "itemListElement": [
            {"@type": "ListItem", "position": number, "name": sign}
            for number, sign in enumerate(signs, start=1)
        ],
    }
    if callout.level in CONTACT_TYPE:
        emergency = callout.level == Callout.Level.EMERGENCY
        numbers = [help["emergency"], help["emergency_also"]] if emergency else [help["urgent"]]
        card["mentions"] = [
            {
                "@type": "ContactPoint",
                "contactType": CONTACT_TYPE[callout.level],
                "telephone": number,
                "areaServed": help["country"],
                **({} if emergency else {"name": help["urgent_service"]}),
            }
            for number in numbers
            if number
        ]
    return card


def call_to_action(callout, help):
    """What the page tells readers to do under the card's signs, as text: the same words
    (includes/care_card_call.html), in the page's language."""
    rendered = render_to_string(
        "includes/care_card_call.html", {"urgency": callout.level, "help": help}
    )
    return " ".join(html.unescape(strip_tags(rendered)).split())


def cites(claim, page):
    return [{"@id": source_id(source, page)} for source in claim.cited_sources()]


def translated_work(absolute_url, translation_of, pinned):
    """The version of its source a translation was made from: a version of the source
    page (exampleOfWork), which has moved on if the source has changed since."""
    work = {"@type": "MedicalWebPage", "version": pinned}
    if translation_of.translates is not None:
        work["dateModified"] = translation_of.translates.isoformat()
    if translation_of.source is not None:  # readers still have the source
        url = absolute_url(translation_of.source.url)
        work["exampleOfWork"] = {
            "@type": "MedicalWebPage", "@id": url, "url": url,
            "api": api_url(absolute_url, translation_of.source),
            "inLanguage": translation_of.source.tag,
        }  # fmt: skip
    return work


def edition_work(absolute_url, edition, versions):
    """Another language's edition, and for a translation the source version it translates."""
    url = absolute_url(edition.url)
    work = {"@type": "MedicalWebPage", "@id": url, "url": url,
            "api": api_url(absolute_url, edition), "inLanguage": edition.tag}  # fmt: skip
    if versions is not None:
        if versions[0] is not None:
            work["version"] = versions[0]
        if versions[1] is not None:
            work["translationOfWork"] = {"@type": "MedicalWebPage", "version": versions[1]}
    return work

"""What the API answers, as its OpenAPI document describes it. The article document's
builder is articles.seo.syndication; the tests hold every answer to these schemas."""

from typing import Any, Literal

from django.conf import settings
from ninja import Field, Schema
from pydantic import ConfigDict

Language = Literal[tuple(code for code, _ in settings.LANGUAGES)]


class Problem(Schema):
    detail: Any = Field(description="What was wrong: a sentence, or one entry per bad value.")


class Licence(Schema):
    publisher: str
    license: str = Field(description="The URL of the licence the content is offered under.")
    creditText: str = Field(description="How to credit the content where it is shown.")
    acquireLicensePage: str = Field(description="Where the terms of reuse are explained.")


class TranslationOf(Schema):
    api: str | None = Field(description="The source article in the API (None if withdrawn).")
    version: int = Field(description="The source's version (publication) it translates.")


class ArticleSummary(Schema):
    identifier: int = Field(description="The article's own number: it keeps it if renamed.")
    name: str
    description: str
    language: Language
    inLanguage: str = Field(description="BCP 47 tag, such as en-GB.")
    url: str = Field(description="The page readers read.")
    api: str = Field(description="The whole article as JSON-LD.")
    datePublished: str | None
    dateModified: str = Field(description="When readers last saw the page change.")
    lastReviewed: str | None
    nextReview: str | None
    translationOf: TranslationOf | None


class Withdrawn(Schema):
    language: Language
    url: str = Field(description="Where the page was; it no longer answers.")


class ArticleList(Schema):
    count: int = Field(description="How many articles the query finds, on every page.")
    next: str | None = Field(description="The next 100, if there are more.")
    asOf: str = Field(
        description="Pass this as updated_since next time to get only what changed since."
    )
    items: list[ArticleSummary]
    withdrawn: list[Withdrawn] = Field(
        description="With updated_since: pages taken down since then, to remove."
    )
    licence: Licence


class Node(Schema):
    """A JSON-LD node: its type and properties (schema.org's, or the document's terms)."""

    model_config = ConfigDict(extra="allow")
    type: str = Field(alias="@type")


class HealthPart(Node):
    hasHealthAspect: str = Field(description="A schema.org HealthAspectEnumeration URL.")
    text: str
    name: str | None = None
    citation: list[dict[str, str]] | None = Field(None, description="Links to the sources.")
    evidence: dict[str, str] | None = Field(
        None, description="How well the evidence supports the advice (DefinedTerm)."
    )


class ArticleDocument(Node):
    context: list[Any] = Field(alias="@context")
    id: str = Field(alias="@id")
    url: str
    api: str
    identifier: int
    name: str
    description: str
    inLanguage: str
    version: int | None = Field(None, description="Its publication readers have now.")
    datePublished: str | None = None
    dateModified: str
    lastReviewed: str | None = None
    reviewedBy: dict[str, str] | None = None
    nextReview: str | None = None
    hasPart: list[HealthPart]
    citation: list[Node] | None = None
    correction: list[Node] | None = Field(None, description="The public notes of what changed.")
    translationOfWork: Node | None = None
    workTranslation: list[Node] | None = None
    publisher: Node
    license: str
    creditText: str

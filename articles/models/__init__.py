"""The content model: articles and their parts (content), their publications (publication),
what search keeps (search) and what readers tell us (feedback)."""

from articles.models.content import (
    CITING_MODELS,
    CLAIM_MODELS,
    MARKDOWN_HELP,
    PART_MODELS,
    SOURCES_HELP,
    Advice,
    Article,
    ArticlePart,
    Callout,
    Cause,
    CitesSources,
    Edition,
    Evidence,
    PreventionTip,
    ReliefTechnique,
    Review,
    Section,
    SlugRedirect,
    Source,
    Stage,
    TimeStampedModel,
    by_evidence,
    validate_markdown,
)
from articles.models.feedback import Feedback
from articles.models.publication import Publication, RenderedPage, WorkingCopy
from articles.models.search import SearchCount, SearchWord, Synonym

__all__ = [
    "CITING_MODELS", "CLAIM_MODELS", "MARKDOWN_HELP", "PART_MODELS", "SOURCES_HELP", "Advice",
    "Article", "ArticlePart", "Callout", "Cause", "CitesSources", "Edition", "Evidence",
    "Feedback",
    "PreventionTip", "Publication", "ReliefTechnique", "RenderedPage", "Review", "SearchCount",
    "SearchWord", "Section", "SlugRedirect", "Source", "Stage", "Synonym", "TimeStampedModel",
    "WorkingCopy", "by_evidence", "validate_markdown",
]  # fmt: skip

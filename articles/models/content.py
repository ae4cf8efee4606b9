import datetime
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinLengthValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from markdownx.models import MarkdownxField

from articles import languages
from articles.markdown import (
    MARKDOWN_MAX_LENGTH,
    markdown_problem,
    markdown_to_text,
    render_markdown,
    without_control_characters,
)
from articles.querysets import (
    MAX_POSITION,
    ArticleQuerySet,
    PageManager,
    PartQuerySet,
    Stage,
    next_stage_time,
    review_due_date,
    stage_at,
)
from articles.times import day, moment

MARKDOWN_HELP = "Markdown: a blank line starts a new paragraph, start lines with - for a list."
POSITION_HELP = "Order on the page: 1 comes first. Each number can be used once."


def validate_markdown(text):
    problem = markdown_problem(text)
    if problem:
        raise ValidationError(problem, code="markdown")


def markdown_field(*args, **kwargs):
    """Editor Markdown, refused before rendering when too long or too deeply nested."""
    return MarkdownxField(
        *args, max_length=MARKDOWN_MAX_LENGTH, validators=[validate_markdown], **kwargs
    )


def first_words(markdown_text, limit=90):
    """The start of a part's text without its Markdown, for lists and messages."""
    text = markdown_to_text(markdown_text)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def position_field():
    return models.PositiveIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(MAX_POSITION)],
        help_text=POSITION_HELP,
    )


class Evidence(models.TextChoices):
    """How well a piece of advice is supported, in words readers understand."""

    RECOMMENDED = "recommended", _("Recommended by the NHS or NICE")
    MAY_HELP = "may_help", _("May help")
    NO_GOOD_EVIDENCE = "no_good_evidence", _("No good evidence")
    NOT_ADVISED = "not_advised", _("Not advised")


# Readers see advice best supported first; unlabelled advice sits with "may help".
EVIDENCE_RANK = {
    Evidence.RECOMMENDED: 0, "": 1, Evidence.MAY_HELP: 1, Evidence.NO_GOOD_EVIDENCE: 2,
    Evidence.NOT_ADVISED: 3,
}  # fmt: skip


def by_evidence(advice):
    """`advice` in the order readers see it, split in two: what the evidence supports (best
    first), then what it does not. An editor's new tip lands in its group by its label,
    with no positions to renumber; within a label, positions keep the editor's order."""
    ordered = sorted(advice, key=lambda item: (EVIDENCE_RANK[item.evidence], item.position))
    supported = [item for item in ordered if EVIDENCE_RANK[item.evidence] < 2]
    return supported, ordered[len(supported) :]


EVIDENCE_HELP = "How well its sources support this advice. Readers see the label next to it."
SOURCES_HELP = (
    "The numbers of the sources (listed at the end of this page) that back this; a source "
    "added in the same save counts by the number it is given there."
)


class CitesSources(models.Model):
    """A claim (cause, technique, tip, care card or text) whose sources readers can check."""

    # Whether every one of these must cite a source (the editors' checks say so if not).
    must_cite = True

    # The ids of the article's sources, on the claim's own row rather than in a join
    # table: the page then draws every claim's sources from the sources it already
    # fetches, within its fixed query budget, and a revision carries them with the row.
    # The admin form offers only this article's sources; ids of deleted ones are skipped.
    source_ids = models.JSONField("sources", default=list, blank=True, help_text=SOURCES_HELP)

    class Meta:
        abstract = True

    def cited_sources(self):
        """Its sources, in the order of the article's list (no query once prefetched)."""
        cited = set(self.source_ids)
        return [source for source in self.article.sources.all() if source.pk in cited]

    @classmethod
    def uncited_allowed(cls):
        """Rows of this type that may cite nothing: advice labelled as having no evidence
        ("we found no studies") cites only a source for a risk it states, if any."""
        return models.Q(pk__in=[])


class HasMarkdownBody:
    """A part whose `body` is Markdown that readers see."""

    def rendered_body(self):
        return render_markdown(self.body)


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


def anchor_of(heading):
    """A heading's id on the page: its words, lower case, joined by hyphens, in any script
    (a Russian heading keeps its letters; Django's slugify would keep only ASCII ones)."""
    return slugify(heading, allow_unicode=True)


@dataclass(frozen=True)
class Edition:
    """One language's edition of an article, as a page links to it."""

    pk: int
    language: str
    slug: str

    @classmethod
    def of(cls, article):
        return cls(article.pk, article.language, article.slug)

    @property
    def url(self):
        with translation.override(self.language):
            return reverse("articles:article_detail", kwargs={"slug": self.slug})

    @property
    def tag(self):
        return languages.tag(self.language)

    @property
    def name(self):
        return languages.name(self.language)


class Article(TimeStampedModel):
    """A patient-information page, with its sections, lists and care cards.

    A row with `draft_of` set is not a page but the unpublished changes to one: its draft,
    with parts of its own, edited in the admin. Only articles.publishing.publish gives a
    page its content, from a draft or a stored version (a new article's page is made
    holding only its title, address and summary, where readers cannot see it; see
    articles.publishing.drafts.start_article).
    """

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft: only editors can see it"
        PUBLISHED = "published", "Published: anyone can read it"

    title = models.CharField(
        max_length=200,
        help_text="The page heading. Say what the page is about in plain words.",
    )
    slug = models.SlugField(
        "web address",
        max_length=100,
        help_text="The last part of the web address. Lower case, words joined by hyphens.",
    )
    summary = models.CharField(
        max_length=160,
        validators=[MinLengthValidator(50)],
        help_text=(
            "One or two sentences, 50 to 160 characters, shown on the home page and in "
            "search engine results."
        ),
    )
    lead = markdown_field(
        blank=True,
        help_text="The opening paragraphs, shown before the first section. " + MARKDOWN_HELP,
    )
    status = models.CharField(
        max_length=20,
        choices=Status.choices,
        default=Status.DRAFT,
        help_text="Readers see only published articles, from the go-live time on.",
    )
    publish_at = models.DateTimeField(
        "go live at",
        null=True,
        blank=True,
        help_text=(
            "When readers first see it. Leave empty to go live as soon as you publish; "
            "a future date and time schedules it."
        ),
    )
    unpublish_at = models.DateTimeField(
        "take down at",
        null=True,
        blank=True,
        help_text="Optional: when readers stop seeing it. Leave empty to keep it up.",
    )
    review_due_on = models.DateField(
        "next review due",
        null=True,
        blank=True,
        help_text=(
            "Leave empty for three years after the latest review, the usual interval. "
            "Set a date to review sooner."
        ),
    )
    condition_name = models.CharField(
        "condition",
        max_length=120,
        blank=True,
        help_text=(
            "The health condition the page is about, as search engines should know it, "
            "such as “Night leg cramps”."
        ),
    )
    symptoms = models.TextField(
        "signs and symptoms",
        max_length=1000,
        blank=True,
        help_text=(
            "The condition's own signs, one per line, such as “Sudden pain in the calf”. "
            "Search engines read them; say them in the page's text too. Not the signs on "
            "the care cards: those are reasons to get help."
        ),
    )
    search_phrases = models.TextField(
        "what readers search for",
        max_length=1000,
        blank=True,
        help_text=(
            "Optional: words readers use for what this page answers, one phrase per line, "
            "such as “nocturnal leg cramps” or “charley horse”. Search weighs them like "
            "headings, so this page comes before pages that only mention them. Readers do "
            "not see them."
        ),
    )
    quick_help_warning = models.CharField(
        "warning in the “During a cramp” box",
        max_length=200,
        blank=True,
        help_text=(
            "One line under the steps for readers whose pain may not be a cramp, such as "
            "“If your calf is swollen, red or warm, it may be a blood clot.” Links to the "
            "urgent and emergency cards follow it."
        ),
    )
    is_home_help = models.BooleanField(
        "show its “During a cramp” box on the home page",
        default=False,
        help_text="Only one article can do this.",
    )
    position = models.PositiveSmallIntegerField(
        "place on the home page",
        default=100,
        validators=[MaxValueValidator(MAX_POSITION)],
        help_text=(
            "Lower numbers come first in the home page's list. With equal numbers, the article "
            "whose “During a cramp” box the home page shows comes first, then the rest by title."
        ),
    )
    # Both ways between pages, made so by publishing (drafts.copy_into), not by Django's
    # symmetrical links: those would write a link into the other page for every draft.
    related_articles = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="linked_from",
        help_text="Other articles a reader of this one may need; the link goes both ways.",
    )
    # Each language's edition of an article is a page of its own, with its own draft,
    # sign-off, history, search and cache: one mechanism for every language (Wagtail's
    # TranslatableMixin: a language plus a key shared by an article's editions).
    language = models.CharField(
        max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE,
        editable=False,
    )  # fmt: skip
    translation_key = models.UUIDField(default=uuid.uuid4, editable=False)
    # A translation: the publication of the source edition it was made from. A newer
    # publication of the source makes it stale until a translator catches up and the
    # translation is signed off again (the pin is an edited field: it changes by sign-off).
    translated_from = models.ForeignKey(
        "articles.Publication", verbose_name="translated from the version published",
        null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False,
    )  # fmt: skip
    # One draft per page (a constraint below). No index of its own: pages are the rows
    # whose draft_of is empty, almost all of them, and an index on it leads SQLite's
    # planner to walk every page (search, lists) instead of its better index.
    draft_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="drafts",
        db_index=False, editable=False,
    )  # fmt: skip
    # When the words readers see last changed (a review counts): the sitemap's lastmod and
    # the page's dateModified. Unlike updated_at, a save that changes nothing leaves it.
    content_changed_at = models.DateTimeField(default=timezone.now, editable=False)
    # The search index: plain text of the whole article and, on PostgreSQL, its weighted
    # tsvector (GIN-indexed), kept by the write path (articles.publishing.changes).
    search_document = models.TextField(blank=True, editable=False)
    search_headings = models.TextField(blank=True, editable=False)
    search_vector = SearchVectorField(null=True, editable=False)
    # The public notes of the latest publications ({"on": ISO date, "note": ...}), newest
    # first: kept here by the write path so the page needs no query for them.
    change_notes = models.JSONField(default=list, blank=True, editable=False)
    # Renewed by every save from the admin's form and every copy into the row (publishing,
    # a restore), so a save from a form loaded before the last one is refused. A fresh
    # random value (not a counter) stays unique when an old revision is restored.
    edit_token = models.UUIDField(default=uuid.uuid4, editable=False)
    # Renewed by the write path whenever anything this article's pages show changes (its
    # rows, or a related article's): a RenderedPage made under another token is stale.
    pages_token = models.UUIDField(default=uuid.uuid4, editable=False)

    # Pages only, the default everywhere (the admin, related articles, dumps); `rows` also
    # has drafts, for the code that edits and publishes them.
    objects = PageManager()
    rows = ArticleQuerySet.as_manager()
    # The fields a draft carries for its page and publishing copies: what the editor
    # decides. Bookkeeping (tokens, search, notes, times) belongs to each row.
    EDITED_FIELDS = (
        "title", "slug", "summary", "lead", "status", "publish_at", "unpublish_at",
        "review_due_on", "condition_name", "symptoms", "quick_help_warning", "is_home_help",
        "position", "search_phrases", "translated_from",
    )  # fmt: skip
    # How many "What changed" notes the page shows.
    CHANGE_NOTES_SHOWN = 3

    class Meta:
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(
                fields=["draft_of"],
                condition=models.Q(draft_of__isnull=False),
                name="article_one_draft_per_page",
            ),
            # Addresses and the home page's box belong to pages; a draft only proposes them.
            models.UniqueConstraint(
                fields=["language", "slug"],
                condition=models.Q(draft_of__isnull=True),
                name="article_unique_slug",
                violation_error_message="Another article already has this web address.",
            ),
            models.UniqueConstraint(
                fields=["translation_key", "language"],
                condition=models.Q(draft_of__isnull=True),
                name="article_one_edition_per_language",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["draft", "published"]),
                name="article_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(status="draft") | models.Q(publish_at__isnull=False),
                name="article_published_has_go_live_time",
            ),
            models.UniqueConstraint(
                fields=["language", "is_home_help"],
                condition=models.Q(is_home_help=True, draft_of__isnull=True),
                name="article_one_home_help",
                violation_error_message=(
                    "Another article already shows its box on the home page. Untick it "
                    "there first."
                ),
            ),
            models.CheckConstraint(
                condition=models.Q(unpublish_at__isnull=True)
                | models.Q(publish_at__isnull=True)
                | models.Q(unpublish_at__gt=models.F("publish_at")),
                name="article_taken_down_after_going_live",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        # An edition's address is in its own language, whatever page links to it.
        return Edition.of(self).url

    def editions(self):
        """The article's live editions in other languages (itself left out)."""
        return (
            Article.objects.published()
            .filter(translation_key=self.translation_key)
            .exclude(language=self.language)
            .order_by("language")
        )

    def source_news(self):
        """For a translation: the source's newest publication, if it went live after the one
        the translation was made from (the translation is stale); else None."""
        pinned = self.translated_from
        if pinned is None:
            return None
        newest = type(pinned).objects.filter(article_id=pinned.article_id).newest()
        return newest if newest is not None and newest.pk != pinned.pk else None

    def stage(self, now=None):
        """Where the article stands for readers now (querysets.STAGE_RULE)."""
        return stage_at(self, now or timezone.now())

    def publication_state(self, now=None):
        """Where the article stands for readers, in an editor's words."""
        stage = self.stage(now)
        if stage == Stage.SCHEDULED:
            return f"Scheduled for {moment(self.publish_at)}"
        return stage.label

    def is_live(self, now=None):
        return self.stage(now) == Stage.LIVE

    def next_stage_change(self, after):
        """Its next go-live or take-down time after `after`, if any (ArticleQuerySet.
        next_scheduled_change gives the same for many, with approved versions)."""
        return next_stage_time(self, after)

    def rendered_lead(self):
        return render_markdown(self.lead)

    def searchable_text(self):
        """Every word a reader can see on the page below its title and summary, as plain
        text: (the headings, the rest), each block on its own line, so that search weighs
        headings above the text and a passage never runs one into the next."""
        # The editors' phrases for what the page answers count as headings ("best bets").
        headings, text = [self.search_phrases], [self.lead]
        for model in PART_MODELS:
            for part in getattr(self, model.accessor()).all():
                for name in model.searchable_fields:
                    kept = headings if name in model.heading_fields else text
                    kept.append(getattr(part, name))
        return tuple(
            without_control_characters("\n".join(filter(None, map(markdown_to_text, blocks))))
            for blocks in (headings, text)
        )

    @classmethod
    def part_accessors(cls):
        """The names of the article's part lists, such as "sections"."""
        return [model.accessor() for model in PART_MODELS]

    @classmethod
    def claim_models(cls):
        """The part types that cite sources (querysets cannot import this module)."""
        return CLAIM_MODELS

    def mark_content_changed(self):
        # An update, not save(): the write path calls this after the page's rows are
        # written, and it must change nothing else.
        self.content_changed_at = timezone.now()
        Article.objects.filter(pk=self.pk).update(content_changed_at=self.content_changed_at)

    # The lists below filter prefetched rows (see ArticleQuerySet.with_parts), so the page
    # costs no query per list.

    def quick_help_steps(self):
        """The relief steps editors chose for the "During a cramp" box, in order."""
        return [t for t in self.relief_techniques.all() if t.is_quick_help]

    def symptom_list(self):
        return [line.strip() for line in self.symptoms.splitlines() if line.strip()]

    def callout_of_level(self, level):
        return next((c for c in self.callouts.all() if c.level == level), None)

    def urgent_callout(self):
        return self.callout_of_level(Callout.Level.URGENT)

    def emergency_callout(self):
        return self.callout_of_level(Callout.Level.EMERGENCY)

    def everyday_causes(self):
        return [c for c in self.causes.all() if c.group == Cause.Group.EVERYDAY]

    def disease_causes(self):
        return [c for c in self.causes.all() if c.group == Cause.Group.DISEASE]

    def risk_factors(self):
        return [c for c in self.causes.all() if c.group == Cause.Group.RISK]

    def relief_steps(self):
        """The numbered steps readers can act on, best supported first."""
        return by_evidence(t for t in self.relief_techniques.all() if t.is_step)[0]

    def other_relief_techniques(self):
        """Other things that help, such as what to do after a cramp, best supported first."""
        return by_evidence(t for t in self.relief_techniques.all() if not t.is_step)[0]

    def unproven_relief_techniques(self):
        """What people try during a cramp that the evidence does not support."""
        return by_evidence(self.relief_techniques.all())[1]

    def supported_prevention_tips(self):
        return by_evidence(self.prevention_tips.all())[0]

    def unproven_prevention_tips(self):
        return by_evidence(self.prevention_tips.all())[1]

    def section_headings(self):
        return [section.heading for section in self.sections.all() if section.heading]

    def cards_follow_section(self):
        """The section the care cards are shown after: the one that places them, else the
        last (the cards then close the page)."""
        sections = list(self.sections.all())
        placing = [s for s in sections if s.appendix == Section.Appendix.CARE_CARDS]
        return (placing or sections[-1:] or [None])[0]

    def contents(self):
        """The headings of the "On this page" list, in page order."""
        cards = [c.title for c in self.callouts.all() if c.title]
        after = self.cards_follow_section()
        if after is None:
            return cards
        headings = []
        for section in self.sections.all():
            if section.heading:
                headings.append(section.heading)
            if section == after:
                headings.extend(cards)
        return headings

    def published_related(self):
        """The related articles readers can open now, by title (prefetched)."""
        return [related for related in self.related_articles.all() if related.is_live()]

    def latest_changes(self):
        """The "What changed" notes readers see, newest first: dates and notes."""
        return [
            {"on": datetime.date.fromisoformat(change["on"]), "note": change["note"]}
            for change in self.change_notes
        ]

    def last_review(self, kind=None):
        reviews = [r for r in self.reviews.all() if kind is None or r.kind == kind]
        return reviews[0] if reviews else None

    def last_clinical_review(self):
        return self.last_review(Review.Kind.CLINICAL)

    def clinician_approved_this_version(self):
        """Whether the version readers have now went live with a clinical review: an older
        review of a page since changed does not cover its words."""
        if hasattr(self, "newest_review_kind"):  # read with the page (caching.rendered)
            return self.newest_review_kind == Review.Kind.CLINICAL
        newest = self.publications.newest()
        return newest is not None and newest.review_kind == Review.Kind.CLINICAL

    def next_review_due(self):
        review = self.last_review()
        return review_due_date(self.review_due_on, review and review.reviewed_on)

    def last_modified(self):
        """When readers last saw the page change: an edit, a review, or going live."""
        return max(filter(None, [self.content_changed_at, self.publish_at]))

    def keep_old_address(self, old_slug):
        """Send readers of an address this article was published at to where it is now."""
        SlugRedirect.objects.update_or_create(
            language=self.language, old_slug=old_slug, defaults={"article": self}
        )

    def release_address(self):
        """Drop any redirect from this article's own address: it lives there now."""
        SlugRedirect.objects.filter(language=self.language, old_slug=self.slug).delete()


class ArticlePart(TimeStampedModel):
    """Fields shared by the ordered parts of an article.

    A part type is declared once, by subclassing this (or Advice): the page's prefetch,
    the search text, drafts and versions, comparisons, the seed, the admin's inlines (the
    admin does not load without one for each) and the fixtures' tests all read PART_MODELS
    below.
    """

    article = models.ForeignKey(Article, on_delete=models.CASCADE)
    position = position_field()
    # The same part in every version of the article (its page, its draft, stored
    # versions): publishing updates the page's row of each key, and comparing two versions
    # can tell a moved or changed part from a new one.
    key = models.UUIDField(default=uuid.uuid4, editable=False)
    # The fields whose words readers see on the page, and search indexes; of those, the
    # ones that name what the part is about, which search weighs like headings.
    searchable_fields = ()
    heading_fields = ()

    objects = PartQuerySet.as_manager()

    class Meta:
        abstract = True

    @classmethod
    def accessor(cls):
        """The name of the article's list of these parts, such as "sections"."""
        return cls._meta.get_field("article").remote_field.related_name

    @property
    def anchor(self):
        """The id of this part on the article's page, for links straight to it."""
        return f"{self._meta.model_name}-{self.pk}"


class Section(HasMarkdownBody, CitesSources, ArticlePart):
    """A block of the article's text, optionally followed by one of its lists. Its text
    cites the sources it draws on, if it states facts (a heading alone need not)."""

    # Not a claim every one of which must cite: see CLAIM_MODELS.
    must_cite = False

    class Appendix(models.TextChoices):
        NONE = "", "Nothing"
        CARE_CARDS = "care_cards", "The care cards (when to get help)"
        RELIEF_TECHNIQUES = "relief_techniques", "Relief techniques"
        PREVENTION_TIPS = "prevention_tips", "Prevention tips"
        RISK_FACTORS = "risk_factors", "Who gets it more often"
        EVERYDAY_CAUSES = "everyday_causes", "Everyday causes"
        DISEASE_CAUSES = "disease_causes", "Diseases that can cause it"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="sections")
    heading = models.CharField(
        max_length=200,
        blank=True,
        help_text=(
            "Shown as a heading and in the page contents. Leave empty to carry on the "
            "previous section, for example after a list."
        ),
    )
    body = markdown_field(blank=True, help_text=MARKDOWN_HELP + " Use ### for a subheading.")
    appendix = models.CharField(
        "list shown after the text",
        max_length=30,
        blank=True,
        choices=Appendix.choices,
        default=Appendix.NONE,
        help_text=(
            "Place one of the article's lists right after this section's text. Put the care "
            "cards high on the page: readers who need help should not have to scroll for it."
        ),
    )
    condition = models.CharField(
        "condition it describes",
        max_length=120,
        blank=True,
        help_text=(
            "If this section describes another condition readers may mistake for this one, "
            "its name, such as “Restless legs syndrome”. Search engines read it."
        ),
    )

    searchable_fields = ("heading", "body")
    heading_fields = ("heading",)

    class Meta:
        ordering = ["article", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "position"], name="section_unique_position"
            ),
            models.UniqueConstraint(fields=["article", "key"], name="section_unique_key"),
        ]

    def __str__(self):
        return self.heading or f"Section {self.position} (continues the one before)"

    @property
    def anchor(self):
        # The heading's id on the page (article_detail.html); a section without one is
        # found at its text.
        return anchor_of(self.heading) if self.heading else f"section-{self.pk}"

    def appendix_template(self):
        """The template that draws the chosen list: one per choice, named after it. The
        care cards are drawn by the page itself."""
        if self.appendix in ("", self.Appendix.CARE_CARDS):
            return ""
        return f"includes/appendix/{self.appendix}.html"


class Cause(HasMarkdownBody, CitesSources, ArticlePart):
    """Something that can bring on the condition, in one of two groups."""

    class Group(models.TextChoices):
        EVERYDAY = "everyday", "Everyday cause"
        DISEASE = "disease", "Disease"
        RISK = "risk", "Risk factor: who gets it more often"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="causes")
    group = models.CharField(
        max_length=20,
        choices=Group.choices,
        default=Group.EVERYDAY,
        help_text=(
            "Everyday causes respond to simple changes; diseases need a doctor; risk factors, "
            "such as age or pregnancy, make it more likely but are not a cause."
        ),
    )
    name = models.CharField(max_length=120, help_text="A short name, such as “Dehydration”.")
    body = markdown_field(help_text="One or two plain sentences. " + MARKDOWN_HELP)
    searchable_fields = ("name", "body")
    heading_fields = ("name",)

    class Meta:
        ordering = ["article", "group", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "group", "position"], name="cause_unique_position"
            ),
            models.UniqueConstraint(fields=["article", "key"], name="cause_unique_key"),
        ]

    def __str__(self):
        return self.name


class Advice(HasMarkdownBody, CitesSources, ArticlePart):
    """Something a reader can do, with a caution where one is needed and how well its
    sources support it: a relief technique or a prevention tip."""

    body = markdown_field(
        help_text=(
            "Start with its short name in bold, such as **Stretch your calf.**, then what to "
            "do in one or two sentences. Search engines read the bold name as the advice's "
            "name. " + MARKDOWN_HELP
        )
    )
    caution = markdown_field(
        blank=True,
        help_text="A warning shown with this advice, such as who should not try it.",
    )
    evidence = models.CharField(
        max_length=20, blank=True, choices=Evidence.choices, help_text=EVIDENCE_HELP
    )
    searchable_fields = ("body", "caution")

    class Meta:
        abstract = True
        ordering = ["article", "position"]

    def __str__(self):
        return first_words(self.body)

    def rendered_caution(self):
        return render_markdown(self.caution)

    @classmethod
    def uncited_allowed(cls):
        return models.Q(evidence__in=[Evidence.NO_GOOD_EVIDENCE, Evidence.NOT_ADVISED])

    def short_name(self):
        """The bold words the body starts with ("**Stretch your calf.** …"), else its first
        words: the name search engines get. A scan, not a regular expression."""
        body = self.body.lstrip()
        end = body.find("**", 2) if body.startswith("**") else -1
        name = body[2:end] if end > 2 else markdown_to_text(body)
        return first_words(name, 60).strip("* ").rstrip(".:")


class ReliefTechnique(Advice):
    """Something a reader can do during a cramp."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="relief_techniques"
    )
    is_step = models.BooleanField(
        "numbered step",
        default=True,
        help_text=(
            "Ticked: part of the numbered list of steps. Not ticked: shown after the list "
            "as another method."
        ),
    )
    is_quick_help = models.BooleanField(
        "in the “During a cramp” box",
        default=False,
        help_text="Ticked: also shown, in order, in the box at the top of the page.",
    )

    class Meta(Advice.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["article", "position"], name="relief_technique_unique_position"
            ),
            models.UniqueConstraint(fields=["article", "key"], name="relief_technique_unique_key"),
        ]


class PreventionTip(Advice):
    """Something a reader can do to make cramps less likely."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="prevention_tips")

    class Meta(Advice.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["article", "position"], name="prevention_tip_unique_position"
            ),
            models.UniqueConstraint(fields=["article", "key"], name="prevention_tip_unique_key"),
        ]


class Callout(HasMarkdownBody, CitesSources, ArticlePart):
    """A "get help" care card in the NHS pattern: non-urgent, urgent or emergency."""

    class Level(models.TextChoices):
        NON_URGENT = "non_urgent", "Non-urgent: see a doctor"
        URGENT = "urgent", "Urgent: get help the same day"
        EMERGENCY = "emergency", "Emergency: call for help now"

    # The level in a sentence, such as "the urgent card".
    NAMES = {
        Level.NON_URGENT: "non-urgent",
        Level.URGENT: "urgent",
        Level.EMERGENCY: "emergency",
    }
    # Read out before the card heading, so the level never depends on colour alone.
    PREFIXES = {
        Level.NON_URGENT: _("Non-urgent advice: "),
        Level.URGENT: _("Urgent advice: "),
        Level.EMERGENCY: _("Immediate action required: "),
    }

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="callouts")
    level = models.CharField(
        max_length=20,
        choices=Level.choices,
        default=Level.NON_URGENT,
        help_text="How quickly the reader should act. The card's colour and label follow it.",
    )
    title = models.CharField(
        "section heading",
        max_length=120,
        blank=True,
        help_text="Optional heading above the card, such as “When to see a neurologist”.",
    )
    heading = models.CharField(
        "card heading",
        max_length=120,
        help_text="An action ending in “if:”, such as “See a doctor if:”.",
    )
    body = markdown_field(
        help_text=(
            "The signs, as a list starting each line with -. In an emergency card, do not "
            "add links: the page adds the emergency number. " + MARKDOWN_HELP
        )
    )
    summary = models.CharField(
        "summary at the top of the page",
        max_length=200,
        blank=True,
        help_text=(
            "The most important signs in one line, for the box at the top of the page, such "
            "as “one calf is swollen, warm, red or painful”. It follows “Call 999 now if” "
            "(emergency) or “Get help the same day if” (urgent), and links to the whole card."
        ),
    )
    searchable_fields = ("title", "heading", "body")
    heading_fields = ("title", "heading")

    class Meta:
        ordering = ["article", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "position"], name="callout_unique_position"
            ),
            models.UniqueConstraint(fields=["article", "key"], name="callout_unique_key"),
        ]

    def __str__(self):
        return f"{self.get_level_display()}: {self.heading}"

    @property
    def anchor(self):
        return f"care-card-{self.pk}"

    @property
    def hidden_prefix(self):
        return self.PREFIXES[self.level]


class Review(TimeStampedModel):
    """A dated check of the article by the editorial team or a clinician."""

    class Kind(models.TextChoices):
        EDITORIAL = "editorial", _("Editorial review")
        CLINICAL = "clinical", _("Clinical review")

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="reviews")
    reviewed_on = models.DateField(help_text="The day the review was finished.")
    kind = models.CharField(
        max_length=20,
        choices=Kind.choices,
        default=Kind.EDITORIAL,
        help_text="Clinical reviews are done by a qualified health professional.",
    )
    reviewer_name = models.CharField(
        max_length=120, help_text="The real name of the person or team who reviewed the page."
    )
    reviewer_role = models.CharField(
        max_length=120, blank=True, help_text="Their role, such as “Consultant neurologist”."
    )
    note = models.TextField(blank=True, max_length=2000, help_text="What was checked or changed.")
    # Who approved the version this review is of, when an approval recorded it.
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", editable=False,
    )  # fmt: skip

    class Meta:
        ordering = ["article", "-reviewed_on", "-id"]
        permissions = [("record_clinical_review", "Can record a clinical review")]

    def __str__(self):
        return f"{self.get_kind_display()} on {day(self.reviewed_on)}"

    def clean(self):
        if self.kind == self.Kind.CLINICAL and not self.reviewer_role:
            raise ValidationError(
                {"reviewer_role": "Give the clinician's role, such as “GP” or “Neurologist”."}
            )


class Source(ArticlePart):
    """A published page the article's facts come from."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="sources")
    title = models.CharField(max_length=200, help_text="The title of the page or document.")
    publisher = models.CharField(max_length=120, help_text="Who published it, such as “NHS”.")
    url = models.URLField(
        "web address", max_length=500, help_text="The full address, starting https://."
    )
    accessed_on = models.DateField(help_text="The day you last checked the page.")

    class Meta:
        ordering = ["article", "position"]
        constraints = [
            models.UniqueConstraint(fields=["article", "position"], name="source_unique_position"),
            models.UniqueConstraint(fields=["article", "key"], name="source_unique_key"),
        ]

    def __str__(self):
        return f"{self.publisher}: {self.title}"


class SlugRedirect(models.Model):
    """An address an article had while published, kept so old links still reach it. An
    address is one language's (/ru/… is not /…): its article's."""

    language = models.CharField(
        max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    old_slug = models.SlugField(max_length=100)
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="old_slugs")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["old_slug"]
        constraints = [
            models.UniqueConstraint(
                fields=["language", "old_slug"], name="slug_redirect_one_per_address"
            ),
        ]

    def __str__(self):
        with translation.override(self.language):
            old_url = reverse("articles:article_detail", kwargs={"slug": self.old_slug})
        return f"{old_url} → {self.article}"


def _concrete_subclasses(model):
    for subclass in model.__subclasses__():
        if subclass._meta.abstract:
            yield from _concrete_subclasses(subclass)
        else:
            yield subclass


# The ordered parts of an article, in the order their classes are declared above.
PART_MODELS = list(_concrete_subclasses(ArticlePart))
# The parts that cite sources readers can check, and of those the claims that each must.
CITING_MODELS = [model for model in PART_MODELS if issubclass(model, CitesSources)]
CLAIM_MODELS = [model for model in CITING_MODELS if model.must_cite]

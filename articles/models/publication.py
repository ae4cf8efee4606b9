"""What readers were given and when: publications, and where changes stand in sign-off.

An article's page rows are its live version; its changes wait in its draft (an article row
of its own, Article.draft_of) until someone who may publish approves them. Every publication
is recorded with the version readers got (a django-reversion revision), who approved it,
when, and the review that approval was.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from articles.models.content import Article
from articles.times import moment


class WorkingCopy(models.Model):
    """Where an article's unpublished changes (its draft's rows) stand in sign-off, and who
    made them. There is one while the draft holds changes an editor saved."""

    class State(models.TextChoices):
        EDITING = "editing", "Being edited"
        SUBMITTED = "submitted", "Waiting for clinical review"
        SENT_BACK = "sent_back", "Sent back with comments"
        SCHEDULED = "scheduled", "Approved, waiting for its go-live time"

    article = models.OneToOneField(Article, on_delete=models.CASCADE, related_name="working_copy")
    state = models.CharField(max_length=20, choices=State.choices, default=State.EDITING)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    review_comment = models.TextField(blank=True, max_length=2000)
    # Who sent it back with that comment, and when.
    sent_back_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    sent_back_at = models.DateTimeField(null=True, blank=True)
    # Everyone who saved these changes: approving them is approving one's own work.
    edited_by = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")

    class Meta:
        verbose_name = "unpublished changes"
        verbose_name_plural = "unpublished changes"

    def __str__(self):
        return f"{self.article}: {self.get_state_display()}"


class PublicationQuerySet(models.QuerySet):
    def gone_live(self):
        return self.filter(went_live_at__isnull=False)

    def newest_first(self):
        """Those readers got, the last first (rendered.read's SQL orders them the same)."""
        return self.gone_live().order_by("-went_live_at", "-pk")

    def newest(self):
        """The one of these readers got last."""
        return self.newest_first().first()

    def waiting(self):
        """Approved versions of live articles that go live at a set time."""
        return self.filter(went_live_at__isnull=True)

    def next_go_live_after(self, moment):
        """The first time after `moment` at which one of these goes live, if any."""
        return (
            self.waiting()
            .filter(published_at__gt=moment)
            .aggregate(first=models.Min("published_at"))["first"]
        )


class Publication(models.Model):
    """One version of an article given to readers: which, who approved it, and when.

    An approved change to a live article may wait for a set time (published_at) with
    went_live_at empty, holding the approved version in `revision`; the first request after
    that time, or the publish_scheduled command, puts it live (articles.publishing.schedule).
    Kept for as long as the article: an article with publications cannot be deleted.
    """

    class ReviewKind(models.TextChoices):
        NONE = "", "None recorded"
        EDITORIAL = "editorial", "Editorial review"
        CLINICAL = "clinical", "Clinical review"

    article = models.ForeignKey(Article, on_delete=models.PROTECT, related_name="publications")
    revision = models.ForeignKey(
        "reversion.Revision", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # When readers get (or got) this version.
    published_at = models.DateTimeField(default=timezone.now)
    # When it was written into the live rows; empty while it waits for published_at.
    went_live_at = models.DateTimeField(null=True, blank=True, default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    approved_at = models.DateTimeField(default=timezone.now)
    # The draft's edit token that was approved, while a scheduled change waits: a draft
    # edited since then holds changes no one approved, and stays after this goes live.
    approved_token = models.UUIDField(null=True, blank=True)
    # The review this approval was, recorded on the article when it goes live.
    review_kind = models.CharField(
        max_length=20, blank=True, choices=ReviewKind.choices, default=ReviewKind.NONE
    )
    reviewer_role = models.CharField(max_length=120, blank=True)
    note = models.CharField(
        "what changed, for readers",
        max_length=200,
        blank=True,
        help_text="Optional, shown on the page: a short public note such as “Added advice on "
        "statins”.",
    )

    objects = PublicationQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        permissions = [("publish_article", "Can approve and publish articles")]
        indexes = [
            # Every request not answered from the page cache asks whether one is due.
            models.Index(
                fields=["published_at"],
                condition=models.Q(went_live_at__isnull=True),
                name="publication_waiting",
            )
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["article"],
                condition=models.Q(went_live_at__isnull=True),
                name="one_waiting_publication_per_article",
            )
        ]

    def __str__(self):
        return f"{self.article} published {moment(self.published_at)}"


class RenderedPage(models.Model):
    """A reader page of an article's live version as it was rendered, kept so that a page
    the shared cache does not hold is not rebuilt from its parts on every request.

    Valid while the article's pages_token is the one it was made under, before expires_at
    (the next scheduled change of an article it shows), for the release and origin it was
    made for. One per page: a new rendering replaces the last, whatever release, origin or
    token it was made under, so the table never holds more than the site's pages.
    """

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    view_name = models.CharField(max_length=50)
    # The site's origin (settings.SITE_ORIGIN) when it was made: pages hold absolute links.
    origin = models.CharField(max_length=300)
    release = models.CharField(max_length=32)
    pages_token = models.UUIDField()
    expires_at = models.DateTimeField(null=True, blank=True)
    # The page cache's tags for the page: what it shows.
    tags = models.JSONField(default=list)
    content_type = models.CharField(max_length=100)
    body = models.BinaryField()
    rendered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["article", "view_name"], name="one_rendering_per_page")
        ]

    def __str__(self):
        return f"{self.view_name} of {self.article_id} for {self.origin}"

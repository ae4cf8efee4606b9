"""What readers were given and when: publications, and changes waiting for sign-off.

A published article's rows are its live version. An editor's save of it is kept as a
revision (django-reversion) that readers do not see, its working copy, until someone who
may publish approves it; every publication is recorded with its revision, who and when.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from articles.models.content import Article


class WorkingCopy(models.Model):
    """Changes to an article that readers do not see yet, and where they stand in sign-off.

    For a published article the changes are a revision; a draft's rows are its working
    copy, so a draft's entry only tracks sign-off.
    """

    class State(models.TextChoices):
        EDITING = "editing", "Being edited"
        SUBMITTED = "submitted", "Waiting for clinical review"
        SENT_BACK = "sent_back", "Sent back with comments"
        SCHEDULED = "scheduled", "Approved, waiting for its go-live time"

    article = models.OneToOneField(Article, on_delete=models.CASCADE, related_name="working_copy")
    revision = models.ForeignKey(
        "reversion.Revision", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
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

    class Meta:
        verbose_name = "working copy"
        verbose_name_plural = "working copies"

    def __str__(self):
        return f"{self.article}: {self.get_state_display()}"


class PublicationQuerySet(models.QuerySet):
    def gone_live(self):
        return self.filter(went_live_at__isnull=False)

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
    went_live_at empty; the first request after that time puts it live (see
    articles.publishing.schedule), so nothing has to run at that moment.
    """

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="publications")
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
        return f"{self.article} published {timezone.localtime(self.published_at):%d %b %Y %H:%M}"


class RenderedPage(models.Model):
    """A reader page of an article's live version as it was rendered, kept so that a page
    the shared cache does not hold is not rebuilt from its parts on every request.

    Valid while the article's pages_token is the one it was made under, before expires_at
    (the next scheduled change of an article it shows), for the release it was made by.
    """

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    view_name = models.CharField(max_length=50)
    # Scheme and host: pages hold absolute links.
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
            models.UniqueConstraint(
                fields=["article", "view_name", "origin"], name="one_rendering_per_page"
            )
        ]

    def __str__(self):
        return f"{self.view_name} of {self.article_id} for {self.origin}"

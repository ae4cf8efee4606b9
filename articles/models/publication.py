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

    class Meta:
        verbose_name = "working copy"
        verbose_name_plural = "working copies"

    def __str__(self):
        return f"{self.article}: {self.get_state_display()}"


class Publication(models.Model):
    """One version of an article given to readers: which, who approved it, and when."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="publications")
    revision = models.ForeignKey(
        "reversion.Revision", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(default=timezone.now)
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

    class Meta:
        ordering = ["-published_at", "-pk"]
        permissions = [("publish_article", "Can approve and publish articles")]

    def __str__(self):
        return f"{self.article} published {timezone.localtime(self.published_at):%d %b %Y %H:%M}"

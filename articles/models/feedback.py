"""What readers tell us about a page: whether it was useful, and what was wrong or missing.

Nothing that could identify a reader is kept: no address, cookie, browser or account, and
only the day it arrived. Editors read it at review time and mark it handled; nobody edits
what a reader wrote.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from articles.models.content import Article
from articles.models.publication import Publication
from articles.times import day

# Enough for "what was wrong or missing" in a few sentences; checked before it is read.
TEXT_MAX_LENGTH = 1_000


class FeedbackQuerySet(models.QuerySet):
    def unhandled_reports(self):
        return self.filter(kind=Feedback.Kind.PROBLEM, handled_at__isnull=True)

    def since(self, day):
        return self.filter(received_on__gte=day) if day else self


class Feedback(models.Model):
    class Kind(models.TextChoices):
        USEFUL = "useful", "Useful: yes"
        NOT_USEFUL = "not_useful", "Useful: no"
        PROBLEM = "problem", "Problem report"

    # Random, not counted: a counted id would give the order in which feedback arrived,
    # which beside a web server's access log could name the reader who sent it.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="feedback")
    # The live version the reader had in front of them, when there was one.
    publication = models.ForeignKey(
        Publication, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    text = models.TextField("what the reader wrote", blank=True, max_length=TEXT_MAX_LENGTH)
    received_on = models.DateField(default=timezone.localdate, db_index=True)
    handled_at = models.DateTimeField(null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    handled_note = models.CharField(
        "what was done",
        max_length=500,
        blank=True,
        help_text="For the next review: what you changed, or why nothing needed to change.",
    )

    objects = FeedbackQuerySet.as_manager()

    class Meta:
        verbose_name = "reader feedback"
        verbose_name_plural = "reader feedback"
        ordering = ["-received_on", "-pk"]  # within a day, no order: the ids are random
        indexes = [models.Index(fields=["article", "kind", "received_on"])]

    def __str__(self):
        return f"{self.get_kind_display()} on “{self.article}”, {day(self.received_on)}"

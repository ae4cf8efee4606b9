"""Readers' feedback in the admin, for review time: read it, mark it handled with a note,
export it for a review meeting. What a reader wrote is shown as text, never as HTML, and
nobody can change it; only a superuser can delete one (a reader who wrote personal details).
"""

import csv

from django import forms
from django.contrib import admin
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from articles.models import Feedback, Review
from articles.times import moment

# Spreadsheets run a cell that starts with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
LATEST_SHOWN = 5


class HandledFilter(admin.SimpleListFilter):
    title = "handled"
    parameter_name = "handled"

    def lookups(self, request, model_admin):
        return [("no", "Problem reports to handle"), ("yes", "Handled")]

    def queryset(self, request, queryset):
        if self.value() == "no":
            return queryset.unhandled_reports()
        if self.value() == "yes":
            return queryset.filter(handled_at__isnull=False)
        return queryset


class HandleForm(forms.ModelForm):
    handled = forms.BooleanField(
        required=False,
        label="Handled",
        help_text="Tick when the page has been changed, or nothing needs to change.",
    )

    class Meta:
        model = Feedback
        fields = ["handled", "handled_note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial["handled"] = self.instance.handled_at is not None


@admin.register(Feedback)
class FeedbackAdmin(admin.ModelAdmin):
    form = HandleForm
    # The words first: the article title is long and would push them off a laptop screen.
    list_display = ["received_on", "kind", "what_they_wrote", "is_handled", "article"]
    list_filter = [HandledFilter, "kind", "received_on", "article"]
    list_select_related = ["article"]
    search_fields = ["text", "handled_note", "article__title"]
    date_hierarchy = "received_on"
    fields = [
        "article", "received_on", "kind", "reader_text", "version_seen", "handled",
        "handled_note", "handled_by", "handled_at",
    ]  # fmt: skip
    readonly_fields = [
        "article", "received_on", "kind", "reader_text", "version_seen", "handled_by",
        "handled_at",
    ]  # fmt: skip
    actions = ["export_csv"]

    class Media:
        css = {"all": ["css/admin.css"]}  # .reader-text keeps the reader's line breaks

    def has_add_permission(self, request):
        return False  # readers write feedback; nobody writes it for them

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser and super().has_delete_permission(request, obj)

    @admin.display(description="what they wrote")
    def what_they_wrote(self, feedback):
        text = feedback.text
        return text if len(text) <= 120 else text[:119] + "…"  # escaped by the admin

    @admin.display(description="what the reader wrote")
    def reader_text(self, feedback):
        # Text, escaped: a reader's "<b>" shows as typed, never as markup.
        return format_html('<div class="reader-text">{}</div>', feedback.text or "—")

    @admin.display(description="version they saw")
    def version_seen(self, feedback):
        publication = feedback.publication
        if publication is None:
            return "—"
        return f"Published {moment(publication.went_live_at)}"

    @admin.display(description="handled", boolean=True)
    def is_handled(self, feedback):
        return None if feedback.kind != Feedback.Kind.PROBLEM else feedback.handled_at is not None

    def save_model(self, request, obj, form, change):
        if form.cleaned_data.get("handled") and obj.handled_at is None:
            obj.handled_at, obj.handled_by = timezone.now(), request.user
        elif not form.cleaned_data.get("handled"):
            obj.handled_at = obj.handled_by = None
        # Only the handling is saved: what the reader wrote is never written again.
        obj.save(update_fields=["handled_at", "handled_by", "handled_note"])

    @admin.action(description="Download the selected as a spreadsheet (CSV)")
    def export_csv(self, request, queryset):
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="reader-feedback.csv"'
        writer = csv.writer(response)
        writer.writerow(["Received", "Article", "Answer", "What the reader wrote", "Handled",
                         "What was done"])  # fmt: skip
        for feedback in queryset.select_related("article").order_by("-received_on", "-pk"):
            writer.writerow(
                [
                    feedback.received_on.isoformat(),
                    cell(feedback.article.title),
                    feedback.get_kind_display(),
                    cell(feedback.text),
                    "yes" if feedback.handled_at else "",
                    cell(feedback.handled_note),
                ]
            )
        return response


def cell(text):
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def unhandled_reports_count():
    """An annotation: each article's problem reports nobody has handled yet."""
    reports = (
        Feedback.objects.unhandled_reports()
        .filter(article=OuterRef("pk"))
        .order_by()
        .values("article")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(reports, output_field=IntegerField()), 0)


def since_last_review(article):
    """What readers said since the article's last review: counts and the latest comments,
    for the top of its change page."""
    review = Review.objects.filter(article=article).order_by("-reviewed_on").first()
    since = review.reviewed_on if review else None
    feedback = Feedback.objects.filter(article=article).since(since)
    counts = feedback.aggregate(
        useful=Count("pk", filter=Q(kind=Feedback.Kind.USEFUL)),
        not_useful=Count("pk", filter=Q(kind=Feedback.Kind.NOT_USEFUL)),
        reports=Count("pk", filter=Q(kind=Feedback.Kind.PROBLEM)),
        to_handle=Count("pk", filter=Q(kind=Feedback.Kind.PROBLEM, handled_at__isnull=True)),
    )
    return {
        **counts,
        "since": since,
        "latest": list(feedback.filter(kind=Feedback.Kind.PROBLEM)[:LATEST_SHOWN]),
        "list_url": reverse("admin:articles_feedback_changelist")
        + f"?article__id__exact={article.pk}",
    }

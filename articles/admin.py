from django.contrib import admin
from django.db import models
from markdownx.models import MarkdownxField
from markdownx.widgets import AdminMarkdownxWidget

from articles.forms import PositionedForm, PositionedInlineFormSet
from articles.models import (
    Article,
    Callout,
    Cause,
    PreventionTip,
    ReliefTechnique,
    Review,
    Section,
    Source,
)

MARKDOWN_WIDGETS = {MarkdownxField: {"widget": AdminMarkdownxWidget}}


class CauseFormSet(PositionedInlineFormSet):
    position_scope = ("group",)


class PartInline(admin.StackedInline):
    """An ordered part of the article, edited on the article's own page."""

    form = PositionedForm
    formset = PositionedInlineFormSet
    extra = 0
    formfield_overrides = MARKDOWN_WIDGETS
    # Long lists start folded so the page stays short; editors open the one they need.
    classes = ["collapse"]


class SectionInline(PartInline):
    model = Section
    classes = []
    fields = ["position", "heading", "body", "appendix"]


class CauseInline(PartInline):
    model = Cause
    formset = CauseFormSet
    fields = ["group", "position", "name", "body"]


class ReliefTechniqueInline(PartInline):
    model = ReliefTechnique
    fields = ["position", "is_step", "body", "caution"]


class PreventionTipInline(PartInline):
    model = PreventionTip
    fields = ["position", "body"]


class CalloutInline(PartInline):
    model = Callout
    fields = ["position", "level", "title", "heading", "body"]
    classes = []
    verbose_name = "care card"
    verbose_name_plural = "care cards (when to get help)"


class ReviewInline(admin.StackedInline):
    model = Review
    extra = 0
    classes = ["collapse"]
    fields = ["reviewed_on", "kind", "reviewer_name", "reviewer_role", "note"]


class SourceInline(PartInline):
    model = Source
    fields = ["position", "title", "publisher", "url", "accessed_on"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    class Media:
        css = {"all": ["css/admin.css"]}

    list_display = ["title", "status", "section_count", "last_reviewed", "updated_at"]
    list_filter = ["status", "updated_at"]
    search_fields = ["title", "summary", "lead", "sections__heading", "sections__body"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["created_at", "updated_at"]
    formfield_overrides = MARKDOWN_WIDGETS
    fieldsets = [
        ("Content", {"fields": ["title", "summary", "lead"]}),
        ("Publishing", {"fields": ["status", "slug"]}),
        ("Metadata", {"classes": ["collapse"], "fields": ["created_at", "updated_at"]}),
    ]
    inlines = [
        SectionInline,
        CauseInline,
        ReliefTechniqueInline,
        PreventionTipInline,
        CalloutInline,
        ReviewInline,
        SourceInline,
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                section_total=models.Count("sections", distinct=True),
                last_reviewed_on=models.Max("reviews__reviewed_on"),
            )
        )

    @admin.display(description="sections", ordering="section_total")
    def section_count(self, article):
        return article.section_total

    @admin.display(description="last reviewed", ordering="last_reviewed_on")
    def last_reviewed(self, article):
        return article.last_reviewed_on

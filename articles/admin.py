import datetime

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.functional import SimpleLazyObject
from django.utils.html import format_html, format_html_join
from markdownx.models import MarkdownxField

from articles import languages, search
from articles.editing.checks import page_problems
from articles.editing.forms import (
    ArticleAdminForm,
    CitableSources,
    ClaimForm,
    ClaimFormSet,
    PositionedForm,
    PositionedInlineFormSet,
    SourceFormSet,
    error_summary,
)
from articles.editing.widgets import MarkdownEditor
from articles.feedback import admin as feedback_admin  # also registers the feedback's admin
from articles.history.admin import ArticleHistoryAdmin
from articles.models import (
    PART_MODELS,
    Article,
    Callout,
    Cause,
    PreventionTip,
    ReliefTechnique,
    Section,
    Source,
    Stage,
)
from articles.numbers import whole_number
from articles.publishing import changes, signoff, translations
from articles.publishing.admin import (
    SignOffAdmin,
    last_role,
    may_save_and_publish,
    reviews_clinically,
)
from articles.querysets import REVIEW_NOTICE_DAYS, review_due_date
from articles.search import admin as search_admin  # noqa: F401  (registers the synonyms' admin)
from articles.times import moment
from articles.views import ArticlePreviewView

MARKDOWN_WIDGETS = {MarkdownxField: {"widget": MarkdownEditor}}


class CauseFormSet(ClaimFormSet):
    position_scope = ("group",)


class PositionedInline:
    """Rows with a position, numbered by their formset (PositionedInlineFormSet)."""

    form = PositionedForm
    formset = PositionedInlineFormSet
    extra = 0
    # Long lists start folded so the page stays short; editors open the one they need.
    classes = ["collapse"]

    def get_formset(self, request, obj=None, **kwargs):
        # The position is PositionedForm's own field: out of the model form's fields.
        fields = kwargs.pop("fields", None) or self.get_fields(request, obj)
        fields = [name for name in fields if name != "position"]
        return super().get_formset(request, obj, fields=fields, **kwargs)


class PartInline(PositionedInline, admin.StackedInline):
    """An ordered part of the article, edited on the article's own page."""

    formfield_overrides = MARKDOWN_WIDGETS
    # Each row folds to its label too (a list of 17 causes reads as 17 lines).
    template = "admin/articles/edit_inline/parts.html"


class ClaimInline(PartInline):
    """A part that makes a claim, with the numbers of the article's sources that back it."""

    form = ClaimForm
    formset = ClaimFormSet


class SectionInline(ClaimInline):
    model = Section
    classes = []
    fields = ["position", "heading", "body", "appendix", "condition", "backed_by"]


class CauseInline(ClaimInline):
    model = Cause
    formset = CauseFormSet
    fields = ["group", "position", "name", "body", "backed_by"]


class ReliefTechniqueInline(ClaimInline):
    model = ReliefTechnique
    fields = ["position", "is_step", "is_quick_help", "body", "caution", "evidence", "backed_by"]


class PreventionTipInline(ClaimInline):
    model = PreventionTip
    fields = ["position", "body", "caution", "evidence", "backed_by"]


class CalloutInline(ClaimInline):
    model = Callout
    fields = ["position", "level", "title", "heading", "body", "summary", "backed_by"]
    classes = []
    verbose_name = "care card"
    verbose_name_plural = "care cards (when to get help)"


class SourceInline(PositionedInline, admin.TabularInline):
    """One line per source: four short fields need no folding, and a table keeps a long
    list of sources short."""

    model = Source
    formset = SourceFormSet
    fields = ["position", "title", "publisher", "url", "accessed_on"]
    formfield_overrides = {
        models.URLField: {"assume_scheme": "https"},
        # The browser's own date box: the admin's calendar script would build a hidden
        # calendar for each of 30 rows as the page opens.
        models.DateField: {"widget": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")},
    }


class StageFilter(admin.SimpleListFilter):
    """Where articles stand for readers now, not the status an editor last chose."""

    title = "state"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return Stage.choices

    def queryset(self, request, queryset):
        if self.value() in Stage.values:
            return queryset.in_stage(Stage(self.value()))
        return queryset


PART_INLINES = {
    inline.model: inline
    for inline in (
        SectionInline, CauseInline, ReliefTechniqueInline, PreventionTipInline, CalloutInline,
        SourceInline,
    )
}  # fmt: skip


class UnsourcedClaimsFilter(admin.SimpleListFilter):
    title = "sources"
    parameter_name = "sources"

    def lookups(self, request, model_admin):
        return [("missing", "Something cites no source")]

    def queryset(self, request, queryset):
        if self.value() == "missing":
            return queryset.with_unsourced_claims()
        return queryset


class ReaderReportsFilter(admin.SimpleListFilter):
    title = "reader reports"
    parameter_name = "reports"

    def lookups(self, request, model_admin):
        return [("to_handle", "Has problem reports to handle")]

    def queryset(self, request, queryset):
        if self.value() == "to_handle":
            return queryset.filter(reports_to_handle__gt=0)
        return queryset


class TranslationFilter(admin.SimpleListFilter):
    title = "translation"
    parameter_name = "translation"

    def lookups(self, request, model_admin):
        return [
            ("stale", "Behind the page it translates"),
            ("missing", "Live, missing a language"),
        ]

    def queryset(self, request, queryset):
        if self.value() == "stale":
            return queryset.filter(pk__in=translations.stale_translations().values("pk"))
        if self.value() == "missing":
            return queryset.filter(pk__in=translations.lacking_editions().values("pk"))
        return queryset


class ReviewDueFilter(admin.SimpleListFilter):
    title = "review"
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [
            ("overdue", "Overdue"),
            ("due", "Due in the next 3 months, or overdue"),
            ("never", "Never reviewed"),
        ]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "overdue":
            return queryset.review_due_by(today - datetime.timedelta(days=1))
        if self.value() == "due":
            return queryset.review_due_by(today + datetime.timedelta(days=REVIEW_NOTICE_DAYS))
        if self.value() == "never":
            return queryset.filter(reviews__isnull=True)
        return queryset


@admin.register(Article)
class ArticleAdmin(SignOffAdmin, ArticleHistoryAdmin):
    form = ArticleAdminForm
    # reversion's list, with a link to the review queue.
    change_list_template = "admin/articles/article/change_list.html"
    # Few enough columns for a 1280-pixel window beside the admin's menu and filters: the
    # changes' state shares the state's cell; "By review" and "By updated at" filter on
    # the dates no longer shown; an edition in another language says so in its title's.
    list_display = ["article", "state", "review_due", "reader_reports"]
    list_filter = [
        StageFilter, ReviewDueFilter, ReaderReportsFilter, UnsourcedClaimsFilter,
        TranslationFilter, "language", "updated_at",
    ]  # fmt: skip
    search_fields = ["title", "summary", "lead", "sections__heading", "sections__body"]
    prepopulated_fields = {"slug": ["title"]}
    # The review-date annotation groups rows, and grouped queries ignore Meta.ordering.
    ordering = ["title", "pk"]
    filter_horizontal = ["related_articles"]
    readonly_fields = ["created_at", "updated_at", "content_changed_at"]
    formfield_overrides = MARKDOWN_WIDGETS
    fieldsets = [
        ("Content", {"fields": ["title", "summary", "lead", "condition_name", "symptoms"]}),
        ("“During a cramp” box", {"fields": ["quick_help_warning"]}),
        ("Home page", {"fields": ["position", "is_home_help"]}),
        ("Search", {"fields": ["search_phrases"]}),
        ("Translation", {"fields": ["caught_up"]}),
        (
            "Publishing",
            {
                "fields": [
                    "status",
                    "publish_at",
                    "unpublish_at",
                    "slug",
                    "revision_comment",
                    "publication_note",
                    "reviewer_role",
                ]
            },
        ),
        ("Review", {"fields": ["review_due_on"]}),
        ("Related articles", {"fields": ["related_articles"]}),
        (
            "Metadata",
            {
                "classes": ["collapse"],
                "fields": ["created_at", "updated_at", "content_changed_at", "loaded_edit_token"],
            },
        ),
    ]
    # One inline per part type, in the order the types are declared (a new part type
    # without an inline stops the admin from loading). Reviews are not edited here: an
    # approval records one (articles.publishing.signoff).
    inlines = [PART_INLINES[model] for model in PART_MODELS]

    class Media:
        css = {"all": ["css/admin.css"]}
        js = ["js/editor.js"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .with_review_dates()
            .annotate(reports_to_handle=feedback_admin.unhandled_reports_count())
        )

    @admin.display(description="reader reports to handle", ordering="reports_to_handle")
    def reader_reports(self, article):
        count = article.reports_to_handle
        if not count:
            return "—"
        url = reverse("admin:articles_feedback_changelist")
        return format_html(
            '<a href="{}?article__id__exact={}&amp;handled=no">{}</a>', url, article.pk, count
        )

    def get_formsets_with_inlines(self, request, obj=None):
        # One list of the sources for the whole page: this article's saved ones, and the
        # sources' formset of this request once made, so a claim may cite a new source.
        citable = CitableSources(obj.sources.all() if obj is not None else ())
        for formset, inline in super().get_formsets_with_inlines(request, obj):
            if issubclass(formset, ClaimFormSet | SourceFormSet):
                formset = type(formset.__name__, (formset,), {"citable": citable})
            yield formset, inline

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if context.get("errors"):
            # Listed at the top, in place of the admin's "Please correct the errors below".
            context["error_summary"] = error_summary(
                context["adminform"], context["inline_admin_formsets"]
            )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def get_search_results(self, request, queryset, search_term):
        # Each word becomes a condition on every search field: keep the query small.
        return super().get_search_results(
            request, queryset, search_term[: search.MAX_QUERY_LENGTH]
        )

    @admin.display(description="title", ordering="title")
    def article(self, article):
        if article.language == settings.LANGUAGE_CODE:
            return article.title
        return format_html(
            '<span lang="{}">{}</span> ({})',
            languages.tag(article.language), article.title, languages.name(article.language),
        )  # fmt: skip

    @admin.display(description="state", ordering="publish_at")
    def state(self, article):
        stage = article.publication_state()
        changes = self.unpublished_changes(article)
        if not changes:
            return stage
        return format_html("{}<br>Changes: {}", stage, changes)

    @admin.display(description="next review due")
    def review_due(self, article):
        due = review_due_date(article.review_due_on, article.last_reviewed_on)
        return due or "Now: never reviewed"

    def view_on_site(self, article):
        # Readers cannot open a draft or scheduled article; editors get its preview.
        page = article.draft_of or article
        if page.is_live():
            return page.get_absolute_url()
        return reverse("admin:articles_article_preview", args=[page.pk])

    def has_delete_permission(self, request, obj=None):
        # An article readers were ever given is taken down, never deleted: its
        # publications are its record (the database protects them too).
        page = obj and (obj.draft_of or obj)
        if page and (page.status == Article.Status.PUBLISHED or page.publications.exists()):
            return False
        return super().has_delete_permission(request, obj)

    def delete_view(self, request, object_id, extra_context=None):
        if not self.has_delete_permission(request):
            raise PermissionDenied
        article = self.page_or_404(request, object_id)
        if not self.has_delete_permission(request, article):
            self.message_user(
                request,
                "A published article cannot be deleted, nor one readers were ever given: its "
                "publications are its record. Set its status to Draft and have that approved "
                "to take it down.",
                messages.ERROR,
            )
            return redirect("admin:articles_article_change", article.pk)
        return super().delete_view(request, object_id, extra_context)

    def get_urls(self):
        preview = path(
            "<path:object_id>/preview/",
            self.admin_site.admin_view(self.preview_view),
            name="articles_article_preview",
        )
        return [preview, *super().get_urls()]

    def preview_view(self, request, object_id):
        page = self.page_or_404(request, object_id)
        if not self.has_view_or_change_permission(request, page):
            raise PermissionDenied
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET", "HEAD"])  # the reader page only reads
        # The unpublished changes, if there are any; else what readers get.
        changed = signoff.has_changes(page)
        shown = signoff.draft_of(page) if changed else page
        banner = {
            "preview_banner": signoff.preview_banner(page),
            "preview_warnings": page_problems(shown.pk),
        }
        response = ArticlePreviewView.as_view(extra_context=banner)(request, pk=shown.pk)
        response["X-Robots-Tag"] = "noindex, nofollow"
        add_never_cache_headers(response)
        patch_cache_control(response, private=True)
        return response

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        # The public note and the reviewer's role go with "Save and publish", which only
        # those who may approve their own changes have; the role only for clinicians.
        hidden = set()
        if not may_save_and_publish(request.user):
            hidden = {"publication_note", "reviewer_role"}
        elif not reviews_clinically(request.user):
            hidden = {"reviewer_role"}
        # "Caught up" only for a translation whose source has a newer version, with links
        # to what changed in it and to the two side by side.
        news = obj and obj.source_news()
        if news is None:
            hidden.add("caught_up")
        shown = [
            (name, {**options, "fields": [f for f in options["fields"] if f not in hidden]})
            for name, options in fieldsets
        ]
        if news:
            shown = [
                (name, {**options, "description": behind_its_source(obj.draft_of or obj, news)})
                if "caught_up" in options["fields"]
                else (name, options)
                for name, options in shown
            ]
        return [(name, options) for name, options in shown if options["fields"]]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.may_publish = may_save_and_publish(request.user)
        form.reviews_clinically = reviews_clinically(request.user)
        if "reviewer_role" in form.base_fields:
            form.base_fields["reviewer_role"].initial = last_role(request.user)
        # What readers have: the page's status, and its own address.
        form.page = obj.draft_of if obj is not None else None
        return form

    def save_related(self, request, form, formsets, change):
        # Sources first: a claim citing a source added in the same save stores its new id.
        formsets = sorted(formsets, key=lambda formset: formset.model is not Source)
        super().save_related(request, form, formsets, change)
        article = form.instance
        # "Save and continue editing" shows them at the top of the page it returns to.
        problems = [] if "_continue" in request.POST else page_problems(article.pk)
        if problems:
            self.message_user(
                request,
                format_html(
                    "{}, with {} to check:<ul>{}</ul>",
                    "Published" if "_publish" in request.POST else "Saved",
                    f"{len(problems)} thing{'s' if len(problems) > 1 else ''}",
                    format_html_join("", "<li>{}</li>", ((problem,) for problem in problems)),
                ),
                messages.WARNING,
            )

    def content_problems(self, article):
        return page_problems(article.pk)

    def reader_feedback(self, request, page):
        if request.user.has_perm("articles.view_feedback"):
            return feedback_admin.since_last_review(page)
        return None

    def change_view(self, request, object_id, form_url="", extra_context=None):
        page = Article.objects.filter(pk=whole_number(unquote(str(object_id)))).first()
        context = {**(extra_context or {})}
        if page is not None:
            # Worked out as the form is drawn, from the draft the form edits.
            context["content_checks"] = SimpleLazyObject(
                lambda: page_problems((signoff.draft_of(page) or page).pk)
            )
            context["reader_feedback"] = self.reader_feedback(request, page)
        return super().change_view(request, object_id, form_url, context)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        changes.article_deleted()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        changes.article_deleted()


def behind_its_source(page, news):
    """What the Translation fieldset says of a translation whose source has moved on."""
    return format_html(
        "The page it translates has a newer version, published {}. "
        '<a href="{}">See what changed in it</a> (or <a href="{}">the two side by side</a>), '
        "carry that over, then tick the box.",
        moment(news.went_live_at),
        reverse("admin:articles_article_source_changes", args=[page.pk]),
        reverse("admin:articles_article_side_by_side", args=[page.pk]),
    )

"""Admin forms: ordered inlines, publishing, and concurrent edits."""

import uuid

from django import forms
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.forms.models import BaseInlineFormSet
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from articles.models import Article
from articles.models.content import first_words
from articles.numbers import whole_number
from articles.publishing.changes import go_live_time
from articles.querysets import MAX_POSITION


class OneKindOfLineBreak:
    """Browsers send line breaks as CR LF; stored text keeps LF only, so that a save that
    changes no words changes nothing, in the history's comparisons included. The sent data
    is read with LF too, or every box of several paragraphs would count as changed (the
    history's "Changed …" message, and a save of every part)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        sent = self.data.lists() if hasattr(self.data, "lists") else ()  # a QueryDict
        if any("\r" in str(value) for _, values in sent for value in values):
            data = self.data.copy()
            for key, values in data.lists():
                data.setlist(key, [_one_kind(value) for value in values])
            self.data = data

    def clean(self):
        cleaned = super().clean()
        for name, value in cleaned.items():
            if isinstance(value, str) and "\r" in value:
                cleaned[name] = _one_kind(value)
        return cleaned


def _one_kind(value):
    if isinstance(value, str):
        return value.replace("\r\n", "\n").replace("\r", "\n")
    return value


class WholeNumberField(forms.IntegerField):
    """A number box that reads ASCII digits only: int() also takes other scripts' digits."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        number = whole_number(str(value).strip())
        if number is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return number


class PositionedForm(OneKindOfLineBreak, forms.ModelForm):
    """A row whose position is checked by its formset rather than against the database.

    The position is the form's own field, left out of the model form's fields (see
    PartInline.get_formset): Django's model validation then leaves the one-position rule
    to the formset, which knows which sibling rows are about to move.
    """

    position = WholeNumberField(
        min_value=1,
        max_value=MAX_POSITION,
        required=False,  # "Add another" copies one blank row, so a new row may leave it
        help_text="Order on the page: 1 comes first. Leave empty to add at the end.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("position", self.instance.position)

    def clean(self):
        cleaned = super().clean()
        self.instance.position = cleaned.get("position")
        return cleaned

    def row_label(self):
        """The row's one-line label on the change page: its words, without Markdown."""
        return first_words(str(self.instance)) if self.instance.pk else ""


def is_deleted(formset, form):
    """Whether the editor ticked the row's Delete box (the formset's documented DELETE)."""
    return formset.can_delete and bool(getattr(form, "cleaned_data", {}).get("DELETE"))


class PositionedInlineFormSet(BaseInlineFormSet):
    """Checks positions across the whole inline and saves a reorder without collisions.

    Each row is saved on its own, so swapping two positions would briefly break the
    one-position-per-parent constraint: rows that move are parked first.
    """

    # Extra fields that, with the parent, scope a position (such as a cause's group).
    position_scope = ()

    def _scope(self, form):
        return tuple(form.cleaned_data.get(name) for name in self.position_scope)

    def _kept_forms(self):
        for form in self.forms:
            if not getattr(form, "cleaned_data", None):
                continue  # an untouched extra row, or one with errors of its own
            if is_deleted(self, form):
                continue
            yield form

    def clean(self):
        super().clean()
        taken = {}
        unnumbered = []
        for form in self._kept_forms():
            position = form.cleaned_data.get("position")
            if position is None:
                unnumbered.append(form)
                continue
            key = (self._scope(form), position)
            if key in taken:
                form.add_error(
                    "position",
                    f"Position {position} is already used by another row here; "
                    "give each row its own number.",
                )
            taken[key] = form
        for form in unnumbered:
            scope = self._scope(form)
            position = max((p for s, p in taken if s == scope), default=0) + 1
            if position > MAX_POSITION:
                form.add_error("position", f"Positions go up to {MAX_POSITION}.")
                continue
            form.cleaned_data["position"] = form.instance.position = position
            taken[(scope, position)] = form

    def save(self, commit=True):
        if commit:
            moving = [
                form.instance.pk
                for form in self.initial_forms
                if form.instance.pk
                and (
                    is_deleted(self, form)
                    or set(form.changed_data) & {"position", *self.position_scope}
                )
            ]
            with transaction.atomic():
                self.model.objects.filter(pk__in=moving).park()
                return super().save(commit)
        return super().save(commit)


class SourceNumbersField(forms.CharField):
    """The numbers of the article's sources that back a claim, as readers see them: "2, 5".

    One short box per claim rather than a tick per source, so that the change page does not
    grow with the number of sources times the number of claims.
    """

    widget = forms.TextInput(attrs={"class": "source-numbers", "size": 20})
    default_error_messages = {
        "not_numbers": "Write the sources' numbers, separated by commas, such as “2, 5”.",
        "unknown": "This article has no source {numbers}. {known}",
    }

    def __init__(self, *, sources=(), **kwargs):
        kwargs.setdefault("max_length", 200)  # checked before the numbers are read
        super().__init__(**kwargs)
        self.sources = list(sources)

    def prepare_value(self, value):
        if isinstance(value, list):  # the stored ids, shown as the numbers readers see
            by_id = {source.pk: source.position for source in self.sources}
            return ", ".join(str(by_id[pk]) for pk in value if pk in by_id)
        return value

    def has_changed(self, initial, data):
        # Against the stored ids of sources that still exist, as the box showed them.
        existing = {source.pk for source in self.sources}
        shown = sorted(pk for pk in initial or [] if pk in existing)
        try:
            return sorted(source.pk for source in self.clean(data)) != shown
        except forms.ValidationError:
            return True

    def clean(self, value):
        text = super().clean(value)
        words = text.replace(",", " ").split()
        read = [whole_number(word, max_digits=4) for word in words]
        if None in read:
            raise forms.ValidationError(self.error_messages["not_numbers"], code="not_numbers")
        by_position = {source.position: source for source in self.sources}
        numbers = sorted(set(read))
        unknown = [str(n) for n in numbers if n not in by_position]
        if unknown:
            numbers = ", ".join(str(n) for n in sorted(by_position))
            known = (
                f"Its sources are numbered {numbers}; add a new one under “Sources” and "
                "save it first."
                if by_position
                else "Add its sources under “Sources” and save them first."
            )
            raise forms.ValidationError(
                self.error_messages["unknown"].format(numbers=", ".join(unknown), known=known),
                code="unknown",
            )
        return [by_position[n] for n in numbers]


NUMBERS_HELP = (
    "The numbers of the sources listed under “Sources” that back this, such as “2, 5”. "
    "Save a new source first; it then has a number."
)


def cited_help(sources, ids):
    """What a claim's numbers stand for now, under its box (the admin shows help as HTML:
    the titles editors typed are escaped here)."""
    cited = [source for source in sources if source.pk in set(ids)]
    if not cited:
        return NUMBERS_HELP
    listed = format_html_join("; ", "{}. {}", ((s.position, str(s)) for s in cited))
    return format_html("Now: {}.", listed)


class ClaimForm(PositionedForm):
    """A cause, technique, tip or care card, with the numbers of the sources that back it."""

    backed_by = SourceNumbersField(label="sources (numbers)", required=False)

    def __init__(self, *args, sources=None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["backed_by"]
        field.sources = list(sources or ())
        self.initial.setdefault("backed_by", self.instance.source_ids)
        field.help_text = cited_help(field.sources, self.instance.source_ids)

    def clean(self):
        cleaned = super().clean()
        if "backed_by" in cleaned:
            self.instance.source_ids = sorted(source.pk for source in cleaned["backed_by"])
        return cleaned


class ArticleAdminForm(OneKindOfLineBreak, forms.ModelForm):
    """The article form: publishing dates, a revision comment, and no lost concurrent edits."""

    loaded_edit_token = forms.UUIDField(widget=forms.HiddenInput, required=False)
    publication_note = forms.CharField(
        label="What changed, for readers",
        required=False,
        max_length=200,
        help_text=(
            "Optional, with “Save and publish”: a short public note shown on the page, such "
            "as “Added advice on statins”."
        ),
    )
    # With "Save and publish", a clinician's approval is the review readers are told of.
    reviewer_role = forms.CharField(
        label="Your role, shown to readers",
        required=False,
        max_length=120,
        help_text="With “Save and publish”: such as “GP”. Readers see “Reviewed by (your "
        "name), (your role)”.",
    )
    # Set by the admin: whether the user may publish their own changes from here
    # (may_save_and_publish), whether that records a clinical review, and the page this
    # form's draft belongs to (None for a new article).
    may_publish = False
    reviews_clinically = False
    page = None
    revision_comment = forms.CharField(
        required=False,
        max_length=200,
        help_text="Optional: what you changed and why. It is shown in the article's history.",
    )

    class Meta:
        model = Article
        fields = [
            "title", "summary", "lead", "condition_name", "symptoms", "status", "publish_at",
            "unpublish_at", "slug", "review_due_on", "related_articles", "quick_help_warning",
            "is_home_help",
        ]  # fmt: skip
        error_messages = {
            "slug": {
                "invalid": (
                    "Use only lower-case letters, numbers and hyphens in the web address, "
                    "such as “night-calf-cramps”."
                ),
            },
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["loaded_edit_token"].initial = self.instance.edit_token
        # The admin's date-and-time box is two inputs under one label: each gets its own.
        for name in ("publish_at", "unpublish_at"):
            field = self.fields.get(name)
            if field is None:
                continue
            widgets = getattr(field.widget, "widgets", ())
            for part, widget in zip(("date", "time"), widgets, strict=False):
                widget.attrs["aria-label"] = f"{field.label.capitalize()}: {part}"

    def clean(self):
        cleaned = super().clean()
        publishing = cleaned.get("status") == Article.Status.PUBLISHED
        page_status = self.page.status if self.page else None
        if publishing and not self.may_publish and page_status != Article.Status.PUBLISHED:
            self.add_error(
                "status",
                "A clinical reviewer approves an article before readers see it. Keep it as "
                "a draft, save, and submit it for clinical review.",
            )
        self._refuse_what_another_page_has(cleaned)
        publishing_now = "_publish" in self.data and self.may_publish
        if publishing_now and self.reviews_clinically and not cleaned.get("reviewer_role"):
            self.add_error(
                "reviewer_role",
                "Give your role to publish: readers are told who reviewed the page.",
            )
        cleaned["publish_at"] = go_live_time(cleaned.get("status"), cleaned.get("publish_at"))
        publish_at, unpublish_at = cleaned.get("publish_at"), cleaned.get("unpublish_at")
        if publish_at and unpublish_at and unpublish_at <= publish_at:
            self.add_error("unpublish_at", "Take it down after it goes live, not before.")
        if self.instance.pk:
            self._refuse_a_stale_save(cleaned.get("loaded_edit_token"))
        return cleaned

    def _refuse_what_another_page_has(self, cleaned):
        # A draft only proposes its address and the home page's box (the database checks
        # pages only); say so now rather than when it is approved.
        others = Article.objects.exclude(pk=self.page.pk) if self.page else Article.objects
        slug = cleaned.get("slug")
        if slug and others.filter(slug=slug).exists():
            self.add_error("slug", "Another article already has this web address.")
        if cleaned.get("is_home_help") and others.filter(is_home_help=True).exists():
            self.add_error(
                "is_home_help",
                "Another article already shows its box on the home page. Untick it there first.",
            )

    def _refuse_a_stale_save(self, edit_token):
        # On a save the admin locks the page's row before it loads the draft
        # (SignOffAdmin.get_object), so its token is the latest and no other save can slip
        # in before ours commits.
        current = self.instance.edit_token
        if edit_token == current:
            return
        last = (
            LogEntry.objects.filter(
                content_type=ContentType.objects.get_for_model(Article),
                object_id=str(self.page.pk if self.page else self.instance.pk),
            )
            .select_related("user")
            .first()
        )
        who = (last.user.get_full_name() or last.user.get_username()) if last else "Someone"
        when = f" at {timezone.localtime(last.action_time):%H:%M on %d %B}" if last else ""
        # The next save from this screen is meant to overwrite, once the editor has merged.
        self.data = self.data.copy()
        self.data[self.add_prefix("loaded_edit_token")] = current
        raise forms.ValidationError(
            format_html(
                "{who} saved this article{when}, after you opened it. Nothing you typed has "
                "been saved yet, and it is all still below. Open the "
                '<a href="{url}" target="_blank">current version in a new tab</a>, bring '
                "their changes into yours, then save again: that save replaces their version.",
                who=who,
                when=when,
                url=reverse(
                    "admin:articles_article_change",
                    args=[self.page.pk if self.page else self.instance.pk],
                ),
            ),
            code="stale",
        )

    def save(self, commit=True):
        self.instance.edit_token = uuid.uuid4()
        return super().save(commit)

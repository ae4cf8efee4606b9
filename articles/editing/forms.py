"""Admin forms: ordered inlines, publishing, and concurrent edits."""

import functools
import uuid

from django import forms
from django.contrib.admin.models import LogEntry
from django.contrib.admin.utils import flatten, flatten_fieldsets
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import NON_FIELD_ERRORS
from django.db import transaction
from django.forms.models import BaseInlineFormSet
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst

from articles.models import Article
from articles.models.content import first_words
from articles.numbers import whole_number
from articles.publishing.changes import go_live_time
from articles.querysets import MAX_POSITION
from articles.times import moment


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


class CitableSources:
    """The sources a claim may cite in one save of the change page, by the numbers the
    editor sees: the saved ones by the numbers the page showed, and the ones the same save
    adds (new rows of the sources' formset, `submitted`) by the numbers that save gives
    them. So one save can add a source and cite it: a claim stores a new source's id when
    it is saved, after the sources (ArticleAdmin.save_related)."""

    def __init__(self, saved=()):
        self._saved = saved
        self.submitted = None  # the sources' formset, once made (SourceFormSet)

    @functools.cached_property
    def saved(self):
        return list(self._saved)

    def added(self):
        """The sources this save adds, by number (each new row's form's instance)."""
        formset = self.submitted
        if formset is None or not formset.is_bound:
            return {}
        formset.is_valid()  # once for the whole page: its clean numbers the new rows
        added = {}
        for form in formset.extra_forms:
            number = getattr(form, "cleaned_data", {}).get("position")
            if number is not None and not is_deleted(formset, form):
                added[number] = form.instance
        return added

    def by_number(self):
        """Each number a claim may cite, with its source; None where a saved source showed
        the number that this save gives a new one (moved or deleted in the same save)."""
        numbers = {source.position: source for source in self.saved}
        for number, source in self.added().items():
            numbers[number] = None if number in numbers else source
        return numbers


class SourceFormSet(PositionedInlineFormSet):
    """The article's sources; claims of the same save may cite the new ones (`citable`)."""

    citable = None  # set for each request by the admin (ArticleAdmin.get_formsets_with_inlines)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.citable is not None:
            self.citable.submitted = self


class ClaimFormSet(PositionedInlineFormSet):
    """Claims of one kind; each form reads the numbers of the sources it may cite."""

    citable = None  # set for each request by the admin, as for SourceFormSet

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "sources": self.citable}


class SourceNumbersField(forms.CharField):
    """The numbers of the article's sources that back a claim, as readers see them: "2, 5".

    One short box per claim rather than a tick per source, so that the change page does not
    grow with the number of sources times the number of claims. It cleans to the sources
    themselves (CitableSources), so a source new in the same save can be cited.
    """

    widget = forms.TextInput(attrs={"class": "source-numbers", "size": 20})
    default_error_messages = {
        "not_numbers": "Write the sources' numbers, separated by commas, such as “2, 5”.",
        "unknown": "This article has no source {numbers}. {known}",
        "renumbered": (
            "Number {number} was another source's before this save, and a new source takes "
            "it now: save the new numbering first, then cite source {number}."
        ),
    }

    def __init__(self, *, sources=(), **kwargs):
        kwargs.setdefault("max_length", 200)  # checked before the numbers are read
        super().__init__(**kwargs)
        self.sources = CitableSources(sources)

    def prepare_value(self, value):
        if isinstance(value, list):  # the stored ids, shown as the numbers readers see
            by_id = {source.pk: source.position for source in self.sources.saved}
            return ", ".join(str(by_id[pk]) for pk in value if pk in by_id)
        return value

    def has_changed(self, initial, data):
        # Against the stored ids of sources that still exist, as the box showed them.
        existing = {source.pk for source in self.sources.saved}
        shown = sorted(pk for pk in initial or [] if pk in existing)
        try:
            cited = self.clean(data)
        except forms.ValidationError:
            return True
        if any(source.pk is None for source in cited):
            return True  # a source of the same save: new to the claim, too
        return sorted(source.pk for source in cited) != shown

    def clean(self, value):
        text = super().clean(value)
        words = text.replace(",", " ").split()
        read = [whole_number(word, max_digits=4) for word in words]
        if None in read:
            raise forms.ValidationError(self.error_messages["not_numbers"], code="not_numbers")
        by_number = self.sources.by_number()
        numbers = sorted(set(read))
        unknown = [str(n) for n in numbers if n not in by_number]
        if unknown:
            known = sorted(by_number)
            raise forms.ValidationError(
                self.error_messages["unknown"].format(
                    numbers=", ".join(unknown),
                    known=(
                        f"Its sources are numbered {', '.join(str(n) for n in known)}; add "
                        "a new one under “Sources” and give its number here."
                        if known
                        else "Add its sources under “Sources” and give their numbers here."
                    ),
                ),
                code="unknown",
            )
        for number in numbers:
            if by_number[number] is None:
                raise forms.ValidationError(
                    self.error_messages["renumbered"].format(number=number), code="renumbered"
                )
        return [by_number[n] for n in numbers]


NUMBERS_HELP = (
    "The numbers of the sources listed under “Sources” that back this, such as “2, 5”. "
    "A source added in the same save can be cited by the number it is given there."
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
        if not isinstance(sources, CitableSources):
            sources = CitableSources(sources or ())
        field.sources = sources
        self.initial.setdefault("backed_by", self.instance.source_ids)
        field.help_text = cited_help(sources.saved, self.instance.source_ids)

    def save(self, commit=True):
        if "backed_by" in self.cleaned_data:
            cited = self.cleaned_data["backed_by"]
            if any(source.pk is None for source in cited):
                raise ValueError("Save the article's sources before the claims that cite them.")
            self.instance.source_ids = sorted(source.pk for source in cited)
        return super().save(commit)


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
    # A translation whose source has a newer version: the translator says when it has
    # caught up, and once approved its readers are no longer told it is behind.
    caught_up = forms.BooleanField(
        label="This translation now says what the newer version says",
        required=False,
        help_text=(
            "Tick when you have brought it up to date with the version of the page it "
            "translates that readers have now. Once approved, readers no longer see that it "
            "has not caught up."
        ),
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
            "is_home_help", "position", "search_phrases",
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
        # Never the article itself: the form edits its draft, and readers' page is `page`.
        own = self.page.pk if self.page else self.instance.pk
        related = self.fields.get("related_articles")
        if related is not None and own:
            related.queryset = related.queryset.exclude(pk=own)
            related.error_messages["invalid_choice"] = (
                "Choose related articles from the list: an article is not related to itself."
            )
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
        # Each language's editions have their own addresses and home page.
        others = others.filter(language=self.instance.language)
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
        when = f" on {moment(last.action_time)}" if last else ""
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
        if self.cleaned_data.get("caught_up") and self.instance.translated_from_id:
            self.instance.translated_from = self.instance.source_news() or (
                self.instance.translated_from
            )
        return super().save(commit)


def error_summary(adminform, inline_admin_formsets):
    """Each problem of a refused save, in the page's order, for the summary at its top:
    (where, message, anchor), `anchor` being the id of the box to fix (empty for none)."""
    form = adminform.form
    problems = [("", message, "") for message in form.non_field_errors()]
    listed = set()
    for name, options in adminform.fieldsets:
        for field in flatten(options["fields"]):
            listed.add(field)
            problems += _field_problems(form, field, name or "")
    for field in form.errors:
        if field not in listed and field != NON_FIELD_ERRORS:
            problems += _field_problems(form, field, "")
    for inline in inline_admin_formsets:
        formset = inline.formset
        part = capfirst(inline.opts.verbose_name)
        problems += [
            (capfirst(inline.opts.verbose_name_plural), message, f"{formset.prefix}-group")
            for message in formset.non_form_errors()
        ]
        fields = flatten_fieldsets(inline.fieldsets)
        for index, row in enumerate(formset.forms):
            if not row.errors:
                continue
            # Named as the row's folded line names it: its words, or its place if new.
            label = row.row_label() if isinstance(row, PositionedForm) else ""
            where = f"{part} “{label}”" if label else f"{part} #{index + 1}"
            anchor = f"{formset.prefix}-{index}"
            problems += [(where, message, anchor) for message in row.non_field_errors()]
            others = [name for name in row.errors if name not in fields]
            for field in [*fields, *others]:
                problems += _field_problems(row, field, where, anchor)
    return problems


def _field_problems(form, name, where, fallback=""):
    if name not in form.errors or name == NON_FIELD_ERRORS:
        return []
    field = form[name]
    if where.lower() != str(field.label).lower():  # a fieldset of one field has its name
        where = f"{where}, {field.label}" if where else field.label
    anchor = fallback if field.is_hidden else field.id_for_label or fallback
    return [(where, message, anchor) for message in field.errors]

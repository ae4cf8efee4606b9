"""Admin forms: ordered inlines that editors can renumber freely in one save."""

from django import forms
from django.db import models, transaction
from django.db.models.functions import Cast
from django.forms.models import BaseInlineFormSet

from articles.models import MAX_POSITION


class PositionedForm(forms.ModelForm):
    """A row whose position is checked by its formset rather than against the database."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "position" in self.fields:
            # "Add another" copies one blank row, so a new row may leave it for the formset.
            self.fields["position"].required = False
            self.fields[
                "position"
            ].help_text = "Order on the page: 1 comes first. Leave empty to add at the end."

    def _get_validation_exclusions(self):
        # The database check would compare against sibling rows that are about to move.
        return super()._get_validation_exclusions() | {"position"}


class PositionedInlineFormSet(BaseInlineFormSet):
    """Checks positions across the whole inline and saves a reorder without collisions.

    Each row is saved on its own, so swapping two positions would briefly break the
    one-position-per-parent constraint. Rows that move are first parked above
    MAX_POSITION, where no editor-entered value can be.
    """

    # Extra fields that, with the parent, scope a position (such as a cause's group).
    position_scope = ()

    def _scope(self, form):
        return tuple(form.cleaned_data.get(name) for name in self.position_scope)

    def _kept_forms(self):
        for form in self.forms:
            if not getattr(form, "cleaned_data", None):
                continue  # an untouched extra row, or one with errors of its own
            if self.can_delete and self._should_delete_form(form):
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
                    self._should_delete_form(form)
                    or set(form.changed_data) & {"position", *self.position_scope}
                )
            ]
            with transaction.atomic():
                self.model._base_manager.filter(pk__in=moving).update(
                    position=MAX_POSITION + Cast("pk", models.PositiveIntegerField())
                )
                return super().save(commit)
        return super().save(commit)

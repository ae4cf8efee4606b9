"""Admin forms: ordered inlines that editors can renumber freely in one save."""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models.functions import Cast
from django.forms.models import BaseInlineFormSet

from articles.models import MAX_POSITION


class PositionedForm(forms.ModelForm):
    """A row whose position is checked by its formset rather than against the database."""

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

    def _position_key(self, form):
        return (*(form.cleaned_data.get(name) for name in self.position_scope),
                form.cleaned_data.get("position"))  # fmt: skip

    def clean(self):
        super().clean()
        seen = {}
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or not form.cleaned_data:
                continue
            if self.can_delete and self._should_delete_form(form):
                continue
            key = self._position_key(form)
            if key[-1] is None:
                continue
            if key in seen:
                form.add_error(
                    "position",
                    f"Position {key[-1]} is already used by another row here; "
                    "give each row its own number.",
                )
            seen[key] = form
        if any(form.errors for form in self.forms):
            raise ValidationError("Please correct the positions marked below.")

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

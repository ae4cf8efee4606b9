"""The sign-off page's forms: approving exactly the version shown, and sending it back."""

from django import forms
from django.conf import settings
from django.utils import timezone

NOTE_HELP = "Optional, shown on the page: a short public note such as “Added advice on statins”."


class ApproveForm(forms.Form):
    reviewed = forms.CharField(widget=forms.HiddenInput, max_length=100)
    # Asked of clinicians only (see __init__): readers are told who reviewed a page by role.
    reviewer_role = forms.CharField(
        label="Your role, shown to readers",
        max_length=120,
        help_text="Such as “GP” or “Consultant neurologist”. Readers see “Reviewed by "
        "(your name), (your role)”.",
    )
    # A box of its own lines: Enter in it adds a line, never approves.
    note = forms.CharField(
        label="What changed, for readers",
        max_length=200,
        required=False,
        help_text=NOTE_HELP,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    # Said outright: a date box left half filled is sent empty, and must not mean "now".
    when = forms.ChoiceField(
        label="Readers get it",
        choices=[("now", "Now"), ("later", "At the date and time below")],
        initial="now",
        widget=forms.RadioSelect,
    )
    go_live_at = forms.DateTimeField(
        label="Go live at",
        required=False,
        help_text=f"Date and time ({settings.TIME_ZONE} time). Until then readers keep "
        "seeing the live version, if there is one.",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )

    def __init__(self, *args, clinical=False, **kwargs):
        super().__init__(*args, **kwargs)
        if not clinical:
            del self.fields["reviewer_role"]

    def clean_note(self):
        return " ".join(self.cleaned_data["note"].split())

    def clean_go_live_at(self):
        go_live_at = self.cleaned_data["go_live_at"]
        if go_live_at and go_live_at < timezone.now():
            raise forms.ValidationError("Choose a time in the future, or choose Now.")
        return go_live_at

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("when") == "now":
            if cleaned.get("go_live_at"):
                # A reviewer who typed a time meant it: never publish now in its place.
                self.add_error(
                    "when",
                    "You gave a date and time but chose Now. Choose “At the date and time "
                    "below”, or clear the date and time.",
                )
            cleaned["go_live_at"] = None
        elif not cleaned.get("go_live_at") and "go_live_at" not in self.errors:
            self.add_error("go_live_at", "Enter the whole date and time, or choose Now.")
        return cleaned


class SendBackForm(forms.Form):
    comment = forms.CharField(
        label="What needs changing",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="The editor sees this on the article's page.",
    )

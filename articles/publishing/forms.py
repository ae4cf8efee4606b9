"""The sign-off page's forms: approving exactly the version shown, and sending it back."""

import datetime
import zoneinfo

from django import forms
from django.conf import settings
from django.contrib.admin.widgets import AdminSplitDateTime
from django.utils import timezone

ZONE = settings.TIME_ZONE


def _zone_names():
    """The site's zone's abbreviations, winter's and summer's: "GMT or BST"."""
    zone = zoneinfo.ZoneInfo(ZONE)
    year = timezone.now().year
    names = [datetime.datetime(year, month, 1, tzinfo=zone).tzname() for month in (1, 7)]
    return " or ".join(dict.fromkeys(names))


ZONE_NAMES = _zone_names()


class GoLiveWidget(AdminSplitDateTime):
    """The admin's date and time boxes, each named with the format it takes (the admin's
    own template labels them only "Date:" and "Time:", outside any label element)."""

    DATE_LABEL = "Date (dd/mm/yyyy):"
    TIME_LABEL = "Time (HH:MM, 24-hour):"

    def __init__(self, attrs=None):
        super().__init__(attrs)
        date, time = self.widgets
        date.format, time.format = "%d/%m/%Y", "%H:%M"
        date.attrs.update({"aria-label": f"Go live at: {self.DATE_LABEL.rstrip(':')}"})
        time.attrs.update({"aria-label": f"Go live at: {self.TIME_LABEL.rstrip(':')}"})

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["date_label"], context["time_label"] = self.DATE_LABEL, self.TIME_LABEL
        return context


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
    # Said outright: empty date and time boxes must not mean "now" by accident.
    when = forms.ChoiceField(
        label="Readers get it",
        choices=[("now", "Now"), ("later", "At the date and time below")],
        initial="now",
        widget=forms.RadioSelect,
    )
    go_live_at = forms.SplitDateTimeField(
        label=f"Go live at, {ZONE} time ({ZONE_NAMES})",
        required=False,
        # One fixed format, said beside each box, whatever the browser's own language.
        input_date_formats=["%d/%m/%Y"],
        input_time_formats=["%H:%M", "%H:%M:%S"],
        error_messages={
            "invalid_date": "Enter the date as dd/mm/yyyy, such as 24/06/2027.",
            "invalid_time": "Enter the time as HH:MM on the 24-hour clock, such as 18:30.",
        },
        help_text="Until then readers keep seeing the live version, if there is one.",
        widget=GoLiveWidget,
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
            # Whatever is wrong with the boxes, the one thing to say is that they are filled.
            typed = self.errors.pop("go_live_at", None) or cleaned.get("go_live_at")
            if typed:
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

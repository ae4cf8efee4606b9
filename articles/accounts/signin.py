"""Editors' sign-in: password guessing limits and two-step sign-in with a phone app (TOTP).

django-axes counts failures and django-otp checks the six-digit codes; this module only
decides who needs a second step and adds the per-account limit that axes lacks.
"""

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.db.models import Sum
from django.utils import timezone
from django_otp import devices_for_user, verify_token
from django_otp.plugins.otp_totp.models import TOTPDevice

CODE_HELP = "The six-digit code from your authenticator app, if you have set one up."


def confirmed_device(user):
    return next(devices_for_user(user, confirmed=True), None)


class SignInLockout(AxesDatabaseHandler):
    """axes' lockout per username and address, plus a higher limit per username.

    A guesser with many addresses gets AXES_ACCOUNT_FAILURE_LIMIT tries at one account in
    all, not five per address. Unknown usernames are counted the same way, so the answer
    never says whether an account exists.
    """

    def is_locked(self, request, credentials=None):
        return super().is_locked(request, credentials) or self.account_locked(request, credentials)

    def user_login_failed(self, sender, credentials, request=None, **kwargs):
        super().user_login_failed(sender, credentials, request, **kwargs)
        # axes flags a lockout only by its own count; the account's earns the same answer.
        if request is not None and self.account_locked(request, credentials):
            request.axes_locked_out = True
            request.axes_credentials = credentials

    def account_locked(self, request, credentials):
        username = get_client_username(request, credentials)
        if not username:
            return False
        recent = AccessAttempt.objects.filter(
            username=username, attempt_time__gte=timezone.now() - settings.AXES_COOLOFF_TIME
        )
        failures = recent.aggregate(total=Sum("failures_since_start"))["total"]
        return (failures or 0) >= settings.AXES_ACCOUNT_FAILURE_LIMIT


class SignInForm(AdminAuthenticationForm):
    """The admin's sign-in form with a box for the code of a confirmed authenticator app."""

    password = forms.CharField(
        strip=False,
        max_length=1024,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    otp_token = forms.CharField(
        label="Code from your app",
        required=False,
        max_length=8,
        help_text=CODE_HELP,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "size": 8}
        ),
    )

    error_messages = {
        **AdminAuthenticationForm.error_messages,
        "code_needed": "Enter the six-digit code from your authenticator app.",
        "code_wrong": "That code is not right, or it has expired. Enter the newest code.",
    }

    def clean(self):
        cleaned = super().clean()
        user = self.get_user()
        device = user and confirmed_device(user)
        if device is None:
            # Without an app yet, the admin sends anyone who needs one to set it up first.
            return cleaned
        token = (cleaned.get("otp_token") or "").replace(" ", "")
        if not token:
            raise forms.ValidationError(self.error_messages["code_needed"], code="code_needed")
        verified = verify_token(user, device.persistent_id, token)
        if verified is None:
            raise forms.ValidationError(self.error_messages["code_wrong"], code="code_wrong")
        # django_otp's user_logged_in handler keeps this device in the session.
        user.otp_device = verified
        return cleaned


class CodeForm(forms.Form):
    token = forms.CharField(
        label="Code from your app",
        max_length=8,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "size": 8}
        ),
    )

    def __init__(self, *args, device, **kwargs):
        super().__init__(*args, **kwargs)
        self.device = device

    def clean_token(self):
        token = self.cleaned_data["token"].replace(" ", "")
        if not verify_token(self.device.user, self.device.persistent_id, token):
            raise forms.ValidationError(
                "That code is not right, or it has expired. Enter the newest code."
            )
        return token


def unconfirmed_device(user):
    """The app being set up: one per person, kept until its first code is confirmed."""
    # Not get_or_create: a double-submitted page may have made two, and either will do.
    return TOTPDevice.objects.filter(user=user, confirmed=False).first() or (
        TOTPDevice.objects.create(user=user, confirmed=False, name="Authenticator app")
    )

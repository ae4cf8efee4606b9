"""Signed-in test clients for each kind of account, past two-step sign-in where it applies."""

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from articles.signin import needs_second_factor
from tests.conftest import PROXIED_HTTPS


def signed_in(user):
    """A client signed in as `user`, as if it had also given a code from its phone app."""
    client = Client(headers=PROXIED_HTTPS)
    client.force_login(user)
    if needs_second_factor(user):
        device = TOTPDevice.objects.create(user=user, name="Test phone", confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client

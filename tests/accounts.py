"""Signed-in test clients for each kind of account, past two-step sign-in where it applies."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from articles.accounts.roles import needs_second_factor
from tests.constants import PROXIED_HTTPS


def signed_in(user):
    """A client signed in as `user`, as if it had also given a code from its phone app."""
    client = Client(headers=PROXIED_HTTPS)
    client.user = user
    return sign_in_again(client)


def sign_in_again(client):
    """Sign the client's user in afresh, as after staff sessions' idle limit ended theirs."""
    client.force_login(client.user)
    if needs_second_factor(client.user):
        device, _ = TOTPDevice.objects.get_or_create(
            user=client.user, name="Test phone", defaults={"confirmed": True}
        )
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


def member_of(group_name, password="x" * 20, username=None):
    """A client signed in as a new staff member of one of the editors' groups."""
    user = get_user_model().objects.create_user(
        username or group_name.lower().replace(" ", "_"), password=password, is_staff=True
    )
    user.groups.add(Group.objects.get(name=group_name))
    return signed_in(user)

"""Signing staff in for tests: a real TOTP device, verified in the session (S6)."""

from __future__ import annotations

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from aduan.accounts.models import User


def signed_in(client: Client, user: User) -> Client:
    """Log `user` in with a confirmed TOTP device, as if the code had been entered."""
    device, _ = TOTPDevice.objects.get_or_create(
        user=user, name="test", defaults={"confirmed": True}
    )
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client

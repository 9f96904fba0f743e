"""Helpers for the sign-in tests: staff with a password, TOTP codes, the two sign-in steps."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from aduan.accounts.models import User
from aduan.accounts.roles import Role
from aduan.audit.models import AuditEntry

PASSWORD = "kata-sandi-yang-panjang-42"  # nosec B105
LOGIN = "/kantor/masuk/"
VERIFY = "/kantor/masuk/verifikasi/"
ENROL = "/kantor/akun/2fa/"
CODES = "/kantor/akun/2fa/kode-pemulihan/"
LOGOUT = "/kantor/keluar/"
PASSWORD_CHANGE = "/kantor/akun/sandi/"
HOME = "/kantor/"
# A page that needs a signed-in, verified staff user (owned by this area, so it exists).
STAFF_PAGE = PASSWORD_CHANGE


def make_staff(username: str = "admin1", role: Role = Role.ADMIN, **kwargs: Any) -> User:
    kwargs.setdefault("email", f"{username}@pemda.test")
    user = User.objects.create(username=username, role=role, **kwargs)
    user.set_password(PASSWORD)
    user.save()
    return user


def enrol(user: User) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)


def code_for(device: TOTPDevice, *, steps: int = 0) -> str:
    """The code the user's app shows now (or `steps` periods away)."""
    value = totp(device.bin_key, device.step, device.t0, device.digits, device.drift + steps)
    return f"{value:0{device.digits}d}"


def wrong_code(device: TOTPDevice) -> str:
    """A six-digit code that is none of the codes accepted now (tolerance ±1 step)."""
    accepted = {code_for(device, steps=s) for s in (-1, 0, 1)}
    return next(c for c in ("000000", "111111", "222222", "333333") if c not in accepted)


def english(client: Client) -> Client:
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def password_step(client: Client, identifier: str, password: str = PASSWORD, **extra: Any):
    return client.post(LOGIN, {"identifier": identifier, "password": password}, **extra)


def sign_in(client: Client, user: User, device: TOTPDevice) -> Client:
    """The whole sign-in through the forms: password, then the current code."""
    response = password_step(client, user.username)
    assert response.status_code == 302 and response["Location"].startswith(VERIFY), response
    response = client.post(VERIFY, {"code": code_for(device)})
    assert response.status_code == 302, response.content.decode()[:2000]
    return client


def audit_actions(**filters: Any) -> list[str]:
    return list(
        AuditEntry.objects.filter(**filters).order_by("id").values_list("action", flat=True)
    )


@pytest.fixture
def no_otp_throttle(settings: Any) -> None:
    """django-otp's own back-off (1 s, 2 s, 4 s … after a wrong code) is off, so a test can send
    a right code right after a wrong one; our lockout counter is what these tests exercise."""
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0

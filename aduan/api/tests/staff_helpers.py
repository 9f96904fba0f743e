"""Helpers for the staff API tests (area J2): tokens for 2FA-enrolled staff, JSON calls."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from aduan.accounts.models import User
from aduan.api import keys
from aduan.api.models import Scope

STAFF = "/api/v1/staff"
BOTH = (Scope.STAFF_READ, Scope.STAFF_ACT)


def enroll(user: User) -> User:
    """A confirmed TOTP device: the user is enrolled in two-factor sign-in."""
    TOTPDevice.objects.get_or_create(user=user, name="test", defaults={"confirmed": True})
    return user


def token_for(user: User, scopes: Any = BOTH, *, enrolled: bool = True, **kwargs: Any) -> str:
    if enrolled:
        enroll(user)
    _token, secret = keys.staff_token_create(user=user, name="test", scopes=scopes, **kwargs)
    return secret


def bearer(secret: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def get(client: Client, path: str, secret: str, **extra: Any) -> Any:
    return client.get(f"{STAFF}{path}", **bearer(secret), **extra)


def post(client: Client, path: str, secret: str, body: Any = None, **extra: Any) -> Any:
    return client.post(
        f"{STAFF}{path}",
        json.dumps(body if body is not None else {}),
        content_type="application/json",
        **bearer(secret),
        **extra,
    )

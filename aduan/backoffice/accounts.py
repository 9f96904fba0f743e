"""Staff sign-in: password, second factor, lockout, recovery codes (S6, S7, S8, S14).

The sign-in has two steps. After the password the session only holds a *pending* sign-in (the
user's id, the time and the password's session hash); Django's `login()` runs when the second
factor is done (TOTP code or a single-use recovery code), or at once for a demo account in demo
mode. So an authenticated session is always a fully signed-in one.

Lockout counts attempts before evaluating them, with the atomic counter of
`aduan.core.ratelimit` (an UPDATE … SET count = count + 1 in the database): N parallel requests
can never evaluate more than the limit. A success gives its own reservation back, so the
counter holds failures. See docs/decisions/0014-staff-sign-in.md.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib import auth
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.http import HttpRequest
from django_otp import login as otp_login
from django_otp import verify_token
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from aduan.accounts.models import User
from aduan.audit.services import audit_record
from aduan.core import clock, ratelimit
from aduan.core.ratelimit import Limit, Verdict, client_ip

from .auth import is_demo_account

PENDING_KEY = "aduan_signin"
SIGNED_IN_AT_KEY = "aduan_signed_in_at"
SEEN_AT_KEY = "aduan_seen_at"
EXPIRED_KEY = "aduan_session_expired"
PENDING_SECONDS = 600  # the second step must follow the password within ten minutes
RECOVERY_CODE_COUNT = 10
TOTP_NAME = "authenticator"
RECOVERY_NAME = "recovery"
_CODE_CLEAN = re.compile(r"[\s-]+")


# --- Limits ---------------------------------------------------------------------------------


def _window() -> int:
    return settings.ADUAN_LOGIN_WINDOW_MINUTES * 60


def user_limit() -> Limit:
    return Limit("login-user", settings.ADUAN_LOGIN_FAILURES_PER_USER, _window())


def ip_limit() -> Limit:
    return Limit("login-ip", settings.ADUAN_LOGIN_FAILURES_PER_IP, _window())


def otp_limit() -> Limit:
    return Limit("login-otp", settings.ADUAN_OTP_FAILURES_PER_USER, _window())


def reset_limit() -> Limit:
    return Limit("password-reset-ip", settings.ADUAN_PASSWORD_RESETS_PER_IP, 3600)


def _refund(limit: Limit, key: str) -> None:
    ratelimit.hit(limit, key, cost=-1)


def _note_lockout(verdict: Verdict, limit: Limit, *, request: HttpRequest, label: str, **kw: Any):
    """One audit row when a lockout starts (the first refused attempt of the window)."""
    if verdict.count == limit.count + 1:
        audit_record(
            "auth.locked_out",
            actor_label=label[:150] or "unknown",
            object_type="accounts.user",
            ip_address=client_ip(request),
            data={"scope": limit.scope, "minutes": settings.ADUAN_LOGIN_WINDOW_MINUTES, **kw},
        )


# --- Step one: the password -----------------------------------------------------------------


@dataclass(frozen=True)
class PasswordOutcome:
    """What the password step decided. `user` is set only when the password was right."""

    user: User | None = None
    locked: bool = False  # too many failures for this account (or this name)
    ip_refused: Verdict | None = None  # too many attempts from this address: 429


def find_user(identifier: str) -> User | None:
    """The account named by a username (exact) or an email address (any case), if any."""
    identifier = identifier.strip()
    if not identifier:
        return None
    if "@" in identifier:
        matches = list(User.objects.filter(email__iexact=identifier)[:2])
        if len(matches) == 1:
            return matches[0]
    return User.objects.filter(username=identifier).first()


def password_check(request: HttpRequest, *, identifier: str, password: str) -> PasswordOutcome:
    """Count the attempt, then check the password, unless the address or the account is over
    its limit. Unknown names are counted and hashed like known ones (no enumeration)."""
    ip = client_ip(request)
    ip_verdict = ratelimit.hit(ip_limit(), ip)
    if not ip_verdict.allowed:
        _note_lockout(ip_verdict, ip_limit(), request=request, label=identifier)
        return PasswordOutcome(ip_refused=ip_verdict)

    candidate = find_user(identifier)
    user_key = f"user:{candidate.pk}" if candidate else f"name:{identifier.strip().casefold()}"
    user_verdict = ratelimit.hit(user_limit(), user_key)
    if not user_verdict.allowed:
        make_password(password)  # the same work as a real check: no timing difference
        _note_lockout(user_verdict, user_limit(), request=request, label=identifier)
        return PasswordOutcome(locked=True)

    username = candidate.get_username() if candidate else identifier
    user = auth.authenticate(request, username=username, password=password)
    if user is None or not getattr(user, "role", ""):
        if user is not None:  # a valid account without a staff role: refused the same way
            audit_record(
                "auth.login_failed",
                actor_label=identifier[:150],
                object_type="accounts.user",
                ip_address=ip,
                data={"username": identifier[:150], "reason": "no staff role"},
            )
        return PasswordOutcome()
    _refund(ip_limit(), ip)
    _refund(user_limit(), user_key)
    return PasswordOutcome(user=user)


def pending_start(request: HttpRequest, user: User) -> None:
    """Remember that `user` passed the password, in a fresh session key (no fixation)."""
    request.session.cycle_key()
    request.session[PENDING_KEY] = {
        "user": user.pk,
        "at": clock.now().timestamp(),
        "hash": user.get_session_auth_hash(),
        "backend": getattr(user, "backend", settings.AUTHENTICATION_BACKENDS[0]),
    }


def pending_user(request: HttpRequest) -> User | None:
    """The user between the password and the second factor, if that is recent and still valid
    (active, same password)."""
    pending = request.session.get(PENDING_KEY)
    if not isinstance(pending, dict):
        return None
    if clock.now().timestamp() - float(pending.get("at", 0)) > PENDING_SECONDS:
        request.session.pop(PENDING_KEY, None)
        return None
    user = User.objects.filter(pk=int(pending.get("user") or 0), is_active=True).first()
    if user is None or user.get_session_auth_hash() != pending.get("hash"):
        request.session.pop(PENDING_KEY, None)
        return None
    user.backend = str(pending.get("backend") or settings.AUTHENTICATION_BACKENDS[0])
    return user


def pending_clear(request: HttpRequest) -> None:
    request.session.pop(PENDING_KEY, None)


def signin_complete(request: HttpRequest, user: User, device: Device | None) -> None:
    """Django's login (rotates the session key), the verified device, and the absolute end of
    the session (S8)."""
    backend = getattr(user, "backend", None) or settings.AUTHENTICATION_BACKENDS[0]
    pending_clear(request)
    auth.login(request, user, backend=backend)
    if device is not None:
        otp_login(request, device)
    now = clock.now()
    request.session[SIGNED_IN_AT_KEY] = now.timestamp()
    request.session[SEEN_AT_KEY] = now.timestamp()
    request.session.set_expiry(now + dt.timedelta(hours=settings.ADUAN_STAFF_SESSION_HOURS))


def may_skip_second_factor(user: User) -> bool:
    """Demo accounts in demo mode only (the base template's banner says so)."""
    return is_demo_account(user)


# --- Step two: the code ---------------------------------------------------------------------


def totp_device(user: User, *, confirmed: bool | None = True) -> TOTPDevice | None:
    qs = TOTPDevice.objects.filter(user=user)
    if confirmed is not None:
        qs = qs.filter(confirmed=confirmed)
    return qs.order_by("-id").first()


def has_second_factor(user: User) -> bool:
    return totp_device(user) is not None


def normalize_code(code: str) -> str:
    return _CODE_CLEAN.sub("", code or "").lower()


@dataclass(frozen=True)
class CodeOutcome:
    device: Device | None = None
    recovery: bool = False
    locked: Verdict | None = None  # too many wrong codes: back to the password


def code_check(request: HttpRequest, user: User, code: str, *, purpose: str) -> CodeOutcome:
    """Count the attempt, then check a TOTP code or a recovery code (used up if right).
    Wrong codes are audited; the fifth in a window locks the second step for the window."""
    key = f"user:{user.pk}"
    verdict = ratelimit.hit(otp_limit(), key)
    if not verdict.allowed:
        _note_lockout(verdict, otp_limit(), request=request, label=user.get_username())
        return CodeOutcome(locked=verdict)
    token = normalize_code(code)
    device: Device | None = None
    recovery = False
    if token.isdigit() and len(token) == 6:
        totp = totp_device(user)
        if totp is not None:
            device = verify_token(user, totp.persistent_id, token)
    elif token:
        static = StaticDevice.objects.filter(user=user, name=RECOVERY_NAME).first()
        if static is not None:
            device = verify_token(user, static.persistent_id, token)
            recovery = device is not None
    ip = client_ip(request)
    if device is None:
        audit_record(
            "auth.otp_failed", actor=user, obj=user, ip_address=ip, data={"purpose": purpose}
        )
        return CodeOutcome()
    _refund(otp_limit(), key)
    if recovery:
        left = StaticToken.objects.filter(device=device).count()
        audit_record(
            "auth.recovery_code_used",
            actor=user,
            obj=user,
            ip_address=ip,
            data={"purpose": purpose, "remaining": left},
        )
    return CodeOutcome(device=device, recovery=recovery)


# --- Enrolment, recovery codes, reset -------------------------------------------------------


def enrolment_device(user: User) -> TOTPDevice:
    """The unconfirmed authenticator being set up (one per user; made on first visit)."""
    device = totp_device(user, confirmed=False)
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=False)
    return device


@transaction.atomic
def enrolment_confirm(request: HttpRequest, user: User, code: str) -> TOTPDevice | None:
    """Confirm the new authenticator with a current code; other devices of the user go."""
    device = totp_device(user, confirmed=False)
    if device is None or not device.verify_token(normalize_code(code)):
        return None
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    audit_record("auth.2fa_enrolled", actor=user, obj=user, ip_address=client_ip(request))
    return device


@transaction.atomic
def recovery_codes_issue(request: HttpRequest | None, user: User, *, reason: str) -> list[str]:
    """Ten new single-use recovery codes; the old ones stop working. Shown once."""
    device, _ = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
    if reason == "regenerated":
        audit_record(
            "auth.recovery_codes_regenerated",
            actor=user,
            obj=user,
            ip_address=client_ip(request) if request is not None else None,
        )
    return [f"{c[:4]}-{c[4:]}" for c in codes]


@transaction.atomic
def second_factor_reset(request: HttpRequest, user: User) -> None:
    """Remove the authenticator and the recovery codes; the user enrols again."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    audit_record("auth.2fa_reset", actor=user, obj=user, ip_address=client_ip(request))

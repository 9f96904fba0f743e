"""Creating, checking and revoking API keys and staff tokens. Secrets are random, shown once,
stored as keyed hashes and looked up by hash (so the comparison is not a timing oracle)."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable

from django.conf import settings
from django.db.models import Q

from aduan.accounts.models import User
from aduan.audit.services import audit_record
from aduan.core import clock
from aduan.core.crypto import keyed_hash
from aduan.core.ratelimit import Limit, Verdict, hit

from .models import ApiKey, Scope, StaffToken

DEMO_API_KEY = "demo-api-key"  # DESIGN.md: demo mode's integrator key (refused outside demo mode)


def _hash(secret: str) -> str:
    return keyed_hash(secret, purpose="api-key")


def api_key_create(
    *,
    name: str,
    scopes: Iterable[str],
    by: User | None = None,
    secret: str = "",
    rate_per_minute: int | None = None,
) -> tuple[ApiKey, str]:
    """A new key; returns it and its secret (shown once)."""
    secret = secret or f"adn_{secrets.token_urlsafe(32)}"
    scope_list = sorted({s for s in scopes if s in Scope.values})
    key = ApiKey.objects.create(
        name=name[:120], key_hash=_hash(secret), prefix=secret[:8], scopes=scope_list, created_by=by
    )
    if rate_per_minute is not None:
        key.rate_per_minute = rate_per_minute
        key.save(update_fields=["rate_per_minute"])
    audit_record(
        "api.key.create",
        actor=by,
        obj=key,
        data={"scopes": scope_list, "rate_per_minute": key.rate_per_minute},
    )
    return key, secret


RATE_WINDOW_SECONDS = 60


def api_key_hit(key: ApiKey) -> Verdict:
    """Count one request against the key's one budget (`rate_per_minute`), whichever interface
    it comes through: the REST integrator endpoints and Open311 share it (S7)."""
    return hit(
        Limit("api-key", max(1, key.rate_per_minute), RATE_WINDOW_SECONDS), f"api-key:{key.pk}"
    )


def api_key_check(secret: str) -> ApiKey | None:
    """The active key for `secret`, or None. The demo key works only in demo mode."""
    if not secret or len(secret) > 200:
        return None
    if secret == DEMO_API_KEY and not settings.ADUAN_DEMO:
        return None
    key = ApiKey.objects.filter(key_hash=_hash(secret), revoked_at__isnull=True).first()
    if key is not None:
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=clock.now())
    return key


def api_key_revoke(*, key: ApiKey, by: User | None = None) -> None:
    ApiKey.objects.filter(pk=key.pk, revoked_at__isnull=True).update(revoked_at=clock.now())
    audit_record("api.key.revoke", actor=by, obj=key)


def ensure_demo_api_key() -> ApiKey:
    """Demo mode's integrator key `demo-api-key` (DESIGN.md), scopes submit + read_public."""
    existing = ApiKey.objects.filter(key_hash=_hash(DEMO_API_KEY)).first()
    if existing is not None:
        return existing
    key, _secret = api_key_create(
        name="Demo integrator", scopes=[Scope.SUBMIT, Scope.READ_PUBLIC], secret=DEMO_API_KEY
    )
    return key


def staff_token_create(
    *,
    user: User,
    name: str,
    scopes: Iterable[str],
    expires_at: dt.datetime | None = None,
) -> tuple[StaffToken, str]:
    secret = f"adt_{secrets.token_urlsafe(32)}"
    scope_list = sorted({s for s in scopes if s in (Scope.STAFF_READ, Scope.STAFF_ACT)})
    token = StaffToken.objects.create(
        user=user,
        name=name[:120],
        token_hash=_hash(secret),
        prefix=secret[:8],
        scopes=scope_list,
        expires_at=expires_at,
    )
    audit_record("api.token.create", actor=user, obj=token, data={"scopes": scope_list})
    return token, secret


def staff_token_check(secret: str) -> StaffToken | None:
    """The active, unexpired token of an active staff user, or None."""
    if not secret or len(secret) > 200:
        return None
    now = clock.now()
    token = (
        StaffToken.objects.select_related("user")
        .filter(token_hash=_hash(secret), revoked_at__isnull=True)
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
        .first()
    )
    if token is None or not token.user.is_active or not token.user.role:
        return None
    StaffToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token


def staff_token_revoke(*, token: StaffToken, by: User) -> None:
    StaffToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=clock.now())
    audit_record("api.token.revoke", actor=by, obj=token)

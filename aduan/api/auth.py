"""Who may call the staff and integrator endpoints of `/api/v1` (issue 6; S3, S6, S7).

- `StaffTokenAuth`: `Authorization: Bearer adt_…`, a staff member's personal token
  (`keys.staff_token_check`: not revoked, not expired, active staff user). The user must be
  enrolled in two-factor (a confirmed TOTP device) — except a demo account in demo mode, as in
  the back-office — and the token must carry the scope the endpoint needs.
- `StaffSessionAuth`: the back-office's Django session, with the second factor done
  (`second_factor_ok`); CSRF is enforced for unsafe methods. A session has every staff scope.
- `ApiKeyAuth`: `X-Api-Key: adn_…`, an integrator's key (`keys.api_key_check`) with the scope
  the endpoint needs, rate-limited per key at the key's `rate_per_minute` (429 problem with
  `Retry-After`, S7). API keys never authenticate staff endpoints (those use only the two
  staff classes), and staff tokens never authenticate integrator endpoints.

A failed check is 401 (no or unknown credentials) or 403 (known credentials without the right:
scope, second factor, role); `request.auth` is a `StaffPrincipal` or an `IntegratorPrincipal`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.security import APIKeyHeader, HttpBearer
from ninja.security.apikey import APIKeyCookie
from ninja.utils import check_csrf

from aduan.accounts.models import User
from aduan.backoffice.accounts import has_second_factor
from aduan.backoffice.auth import is_demo_account, second_factor_ok
from aduan.core.exceptions import PermissionDenied

from .conventions import RateLimited
from .keys import api_key_check, api_key_hit, staff_token_check
from .models import ApiKey, Scope, StaffToken

STAFF_SCOPES = frozenset({Scope.STAFF_READ.value, Scope.STAFF_ACT.value})
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


@dataclass(frozen=True)
class StaffPrincipal:
    """A staff member calling the API, and what the credential allows."""

    user: User
    scopes: frozenset[str]
    via: str  # "token" | "session"
    token: StaffToken | None = None


@dataclass(frozen=True)
class IntegratorPrincipal:
    key: ApiKey
    scopes: frozenset[str] = field(default_factory=frozenset)


def _refuse(message: str, code: str) -> PermissionDenied:
    return PermissionDenied(message, code=code)


def _need_scope(scopes: frozenset[str], scope: str) -> None:
    if scope not in scopes:
        raise _refuse(
            _("This credential lacks the scope “%(scope)s”.") % {"scope": scope},
            "scope_missing",
        )


class StaffTokenAuth(HttpBearer):
    """`Authorization: Bearer adt_…` with `scope`; the user enrolled in two-factor."""

    openapi_scheme = "bearer"

    def __init__(self, scope: str = Scope.STAFF_READ) -> None:
        self.scope = str(scope)
        super().__init__()

    def authenticate(self, request: HttpRequest, token: str) -> StaffPrincipal | None:
        found = staff_token_check(token)
        if found is None:
            return None  # 401, or the next auth class (the session)
        user = found.user
        if not (has_second_factor(user) or is_demo_account(user)):
            raise _refuse(
                _("API tokens work only for accounts with two-factor sign-in."),
                "second_factor_required",
            )
        scopes = frozenset(found.scopes) & STAFF_SCOPES
        _need_scope(scopes, self.scope)
        return StaffPrincipal(user=user, scopes=scopes, via="token", token=found)


class StaffSessionAuth(APIKeyCookie):
    """The back-office session (second factor done); CSRF checked on unsafe methods."""

    def __init__(self, scope: str = Scope.STAFF_READ) -> None:
        from django.conf import settings

        self.param_name = settings.SESSION_COOKIE_NAME
        self.scope = str(scope)
        super().__init__(csrf=False)  # checked below, only when a session is really used

    def authenticate(self, request: HttpRequest, key: str | None) -> StaffPrincipal | None:
        user: Any = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if not user.is_active or not user.role:
            raise _refuse(_("Your account has no role in complaint handling."), "no_role")
        if not second_factor_ok(request):
            raise _refuse(
                _("Finish the two-factor sign-in in the back-office first."),
                "second_factor_required",
            )
        unsafe = request.method not in SAFE_METHODS
        if unsafe and check_csrf(request) is not None:
            raise _refuse(_("The CSRF token is missing or wrong."), "csrf_failed")
        return StaffPrincipal(user=user, scopes=STAFF_SCOPES, via="session")


def staff_auth(scope: str) -> list[Any]:
    """The auth list of a staff endpoint: a token first, then the session. Never an API key."""
    return [StaffTokenAuth(scope), StaffSessionAuth(scope)]


class ApiKeyAuth(APIKeyHeader):
    """`X-Api-Key` with one of `scopes`, rate-limited per key (S7)."""

    param_name = "X-Api-Key"

    def __init__(self, *scopes: str) -> None:
        self.scopes = frozenset(str(s) for s in (scopes or (Scope.SUBMIT,)))  # any of them
        super().__init__()

    def authenticate(self, request: HttpRequest, key: str | None) -> IntegratorPrincipal | None:
        found = api_key_check(key or "")
        if found is None:
            return None
        scopes = frozenset(found.scopes)
        verdict = api_key_hit(found)
        if not verdict.allowed:
            raise RateLimited(verdict)
        if not scopes & self.scopes:
            _need_scope(scopes, sorted(self.scopes)[0])
        return IntegratorPrincipal(key=found, scopes=scopes)


def staff_principal(request: HttpRequest) -> StaffPrincipal:
    principal = getattr(request, "auth", None)
    if not isinstance(principal, StaffPrincipal):  # never: the auth classes guarantee it
        raise _refuse(_("Staff credentials are required."), "staff_only")
    return principal


def integrator_principal(request: HttpRequest) -> IntegratorPrincipal:
    principal = getattr(request, "auth", None)
    if not isinstance(principal, IntegratorPrincipal):
        raise _refuse(_("An API key is required."), "api_key_required")
    return principal

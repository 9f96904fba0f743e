"""Who may open a back-office page (S6, S8, S9).

Every back-office view is wrapped in `staff_required`: a signed-in, active user with a staff
role, verified with a second factor (django-otp) — except the demo accounts in demo mode
(DESIGN.md: they may sign in without 2FA, and a banner says so). Responses are `no-store`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.cache import add_never_cache_headers

from aduan.accounts.models import User
from aduan.accounts.roles import Role

DEMO_EMAIL_DOMAIN = "@demo.aduan.local"

View = Callable[..., HttpResponse]


def is_demo_account(user: User) -> bool:
    return bool(settings.ADUAN_DEMO) and user.email.endswith(DEMO_EMAIL_DOMAIN)


def second_factor_ok(request: HttpRequest) -> bool:
    """The session passed TOTP (or a recovery code), or it is a demo account in demo mode."""
    user = request.user
    verified = getattr(user, "is_verified", None)
    return bool(verified and verified()) or is_demo_account(user)  # type: ignore[arg-type]


def staff_required(view: View | None = None, *, roles: Iterable[Role] | None = None) -> Any:
    """Decorator: staff only, second factor done, optionally limited to `roles` (403 otherwise)."""
    allowed = frozenset(roles) if roles is not None else None

    def decorate(fn: View) -> View:
        @wraps(fn)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            user = request.user
            if not user.is_authenticated or not user.is_active:
                return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
            if not user.role:
                raise DjangoPermissionDenied
            if not second_factor_ok(request):
                return redirect(settings.ADUAN_OTP_URL + f"?next={request.get_full_path()}")
            if allowed is not None and user.role not in allowed:
                raise DjangoPermissionDenied
            response = fn(request, *args, **kwargs)
            add_never_cache_headers(response)
            return response

        return wrapper

    return decorate(view) if view is not None else decorate

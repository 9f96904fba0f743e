"""Staff sessions end when idle and at an absolute lifetime (S8).

Runs after `django_otp.middleware.OTPMiddleware`, for signed-in users with a staff role only:
the portal's anonymous sessions are not touched. The last-seen time is written at most once a
minute, so an active user does not cost a session write per request.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib import auth
from django.http import HttpRequest, HttpResponse

from aduan.core import clock

from .accounts import EXPIRED_KEY, SEEN_AT_KEY, SIGNED_IN_AT_KEY

SEEN_WRITE_EVERY = 60  # seconds


class StaffSessionMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and getattr(user, "role", ""):
            self._check(request)
        return self.get_response(request)

    def _check(self, request: HttpRequest) -> None:
        session = request.session
        now = clock.now().timestamp()
        signed_in_at = session.get(SIGNED_IN_AT_KEY)
        seen_at = session.get(SEEN_AT_KEY)
        if signed_in_at is None or seen_at is None:
            # A session made elsewhere (Django admin, tests): start counting now.
            session[SIGNED_IN_AT_KEY] = signed_in_at or now
            session[SEEN_AT_KEY] = now
            return
        idle = now - float(seen_at) > settings.ADUAN_STAFF_IDLE_MINUTES * 60
        expired = now - float(signed_in_at) > settings.ADUAN_STAFF_SESSION_HOURS * 3600
        if idle or expired:
            # The logout's audit row (aduan/audit/signals.py) carries the reason.
            request.aduan_logout_reason = "idle" if idle else "lifetime"  # type: ignore[attr-defined]
            auth.logout(request)
            # The sign-in page says why (the messages middleware runs after this one).
            request.session[EXPIRED_KEY] = True
            return
        if now - float(seen_at) >= SEEN_WRITE_EVERY:
            session[SEEN_AT_KEY] = now

"""Rate limits on what the public can trigger: submissions, tracking look-ups, token requests (S7).

Fixed windows counted in the database with an atomic UPDATE … SET count = count + 1, so the
limit holds across processes and under parallel requests on PostgreSQL and SQLite alike, with
no extra service. Keys are keyed hashes (an IP address or a phone number is personal data).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from . import clock
from .crypto import keyed_hash
from .models import RateCounter


@dataclass(frozen=True)
class Limit:
    """At most `count` hits per `seconds` for one key of one scope."""

    scope: str
    count: int
    seconds: int


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    count: int
    retry_after: int  # seconds until the window ends; 0 when allowed


def client_ip(request: HttpRequest) -> str:
    """The client address. Behind a proxy, configure it to set REMOTE_ADDR (e.g. gunicorn's
    --forwarded-allow-ips with nginx's real-ip module); X-Forwarded-For is not trusted here."""
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _window(limit: Limit, now: dt.datetime) -> tuple[int, dt.datetime]:
    epoch = int(now.timestamp())
    index = epoch // limit.seconds
    ends = dt.datetime.fromtimestamp((index + 1) * limit.seconds, tz=dt.UTC)
    return index, ends


def hit(limit: Limit, key: str, *, cost: int = 1) -> Verdict:
    """Count one hit (or `cost` hits) for `key` and say whether it is still within the limit."""
    now = clock.now()
    index, ends = _window(limit, now)
    row_key = f"{limit.scope}:{index}:{keyed_hash(key, purpose='ratelimit')[:64]}"
    with transaction.atomic():
        updated = RateCounter.objects.filter(key=row_key).update(count=F("count") + cost)
        if not updated:
            try:
                with transaction.atomic():
                    RateCounter.objects.create(key=row_key, window_ends_at=ends, count=cost)
            except IntegrityError:  # another request created it first
                RateCounter.objects.filter(key=row_key).update(count=F("count") + cost)
        count = RateCounter.objects.values_list("count", flat=True).get(key=row_key)
    if count <= limit.count:
        return Verdict(True, count, 0)
    return Verdict(False, count, max(1, math.ceil((ends - now).total_seconds())))


def peek(limit: Limit, key: str) -> int:
    """The hits counted so far in the current window, without counting one."""
    index, _ends = _window(limit, clock.now())
    row_key = f"{limit.scope}:{index}:{keyed_hash(key, purpose='ratelimit')[:64]}"
    return RateCounter.objects.filter(key=row_key).values_list("count", flat=True).first() or 0


def purge_expired() -> int:
    """Delete the counters of windows that have ended (run by a periodic task)."""
    deleted, _ = RateCounter.objects.filter(window_ends_at__lt=clock.now()).delete()
    return deleted


def too_many_requests(request: HttpRequest, verdict: Verdict) -> HttpResponse:
    """429 with Retry-After and a translated page that says when to try again (S7)."""
    minutes = max(1, math.ceil(verdict.retry_after / 60))
    response = render(request, "429.html", {"minutes": minutes}, status=429)
    response["Retry-After"] = str(verdict.retry_after)
    response["Cache-Control"] = "no-store"
    return response

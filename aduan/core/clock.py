"""The one source of "now" for the domain.

Transitions, sweeps and the demo generator read the time here, so the demo can replay three
months of history through the real workflow (`frozen_at`) and tests can travel in time.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
from collections.abc import Iterator

from django.utils import timezone

_frozen: contextvars.ContextVar[dt.datetime | None] = contextvars.ContextVar(
    "aduan_now", default=None
)


def now() -> dt.datetime:
    """The current aware UTC datetime (or the frozen one inside `frozen_at`)."""
    frozen = _frozen.get()
    return frozen if frozen is not None else timezone.now()


@contextlib.contextmanager
def frozen_at(moment: dt.datetime) -> Iterator[None]:
    """Make `now()` return `moment` in this context (used by the demo-data replay)."""
    if timezone.is_naive(moment):
        raise ValueError("frozen_at needs an aware datetime")
    token = _frozen.set(moment)
    try:
        yield
    finally:
        _frozen.reset(token)


def local_date(moment: dt.datetime | None = None) -> dt.date:
    """The calendar date in the deployment's time zone (Asia/Makassar for Buton)."""
    return timezone.localtime(moment or now(), timezone.get_default_timezone()).date()


def end_of_local_day(day: dt.date) -> dt.datetime:
    """The last instant of `day` in the deployment's time zone, as an aware datetime."""
    zone = timezone.get_default_timezone()
    return dt.datetime.combine(day, dt.time.max, tzinfo=zone)


def format_local(moment: dt.datetime | None) -> str:
    """'26/03/2026 23:59 WITA': a deadline as people in the deployment's zone read it; '-' for none."""
    if moment is None:
        return "-"
    local = timezone.localtime(moment, timezone.get_default_timezone())
    return f"{local:%d/%m/%Y %H:%M} {local.tzname()}"

"""Report periods: a month, a quarter, a semester or a year, as inclusive local dates."""

from __future__ import annotations

import datetime as dt

from django.utils.dates import MONTHS
from django.utils.translation import gettext as _

from aduan.reports.models import PeriodKind

MONTHS_PER_KIND = {
    PeriodKind.MONTH: 1,
    PeriodKind.QUARTER: 3,
    PeriodKind.SEMESTER: 6,
    PeriodKind.YEAR: 12,
}
ROMAN = ("I", "II", "III", "IV")


def period_of(kind: str, day: dt.date) -> tuple[dt.date, dt.date]:
    """The period of `kind` that contains `day`: (first day, last day)."""
    months = MONTHS_PER_KIND[PeriodKind(kind)]
    first_month = (day.month - 1) // months * months + 1
    start = dt.date(day.year, first_month, 1)
    following_month = first_month + months
    if following_month > 12:
        following = dt.date(day.year + 1, following_month - 12, 1)
    else:
        following = dt.date(day.year, following_month, 1)
    return start, following - dt.timedelta(days=1)


def previous_month(day: dt.date) -> tuple[dt.date, dt.date]:
    """The calendar month before the one containing `day`."""
    last = day.replace(day=1) - dt.timedelta(days=1)
    return last.replace(day=1), last


def period_label(kind: str, start: dt.date) -> str:
    """'June 2026', 'Quarter II 2026', 'Semester I 2026', 'Year 2026' (translated)."""
    kind = PeriodKind(kind)
    if kind == PeriodKind.MONTH:
        return f"{MONTHS[start.month]} {start.year}"
    if kind == PeriodKind.QUARTER:
        return _("Quarter %(n)s %(year)s") % {
            "n": ROMAN[(start.month - 1) // 3],
            "year": start.year,
        }
    if kind == PeriodKind.SEMESTER:
        return _("Semester %(n)s %(year)s") % {
            "n": ROMAN[(start.month - 1) // 6],
            "year": start.year,
        }
    return _("Year %(year)s") % {"year": start.year}


def period_slug(kind: str, start: dt.date) -> str:
    """A file-name part: 2026-06, 2026-q2, 2026-s1, 2026."""
    kind = PeriodKind(kind)
    if kind == PeriodKind.MONTH:
        return f"{start:%Y-%m}"
    if kind == PeriodKind.QUARTER:
        return f"{start.year}-q{(start.month - 1) // 3 + 1}"
    if kind == PeriodKind.SEMESTER:
        return f"{start.year}-s{(start.month - 1) // 6 + 1}"
    return f"{start.year}"

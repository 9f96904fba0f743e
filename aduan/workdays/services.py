"""The deployment's working calendar: national holidays from the `holidays` package plus the
admin-edited Holiday table, in the deployment's time zone."""

from __future__ import annotations

import datetime as dt
import functools
import threading

import holidays as holidays_package
from django.conf import settings
from django.db.models import Count, Max

from aduan.core import clock

from .calendar import WorkingCalendar
from .models import Holiday

_CATEGORY_NAMES = {"public", "government", "bank", "optional", "school", "workday"}


@functools.cache
def package_holidays(country: str, categories: tuple[str, ...], year: int) -> frozenset[dt.date]:
    unknown = set(categories) - _CATEGORY_NAMES
    if unknown:
        raise ValueError(f"unknown holiday categories: {sorted(unknown)}")
    days = holidays_package.country_holidays(country, years=[year], categories=categories)
    return frozenset(days.keys())


def _table_version() -> tuple[int, str]:
    stats = Holiday.objects.aggregate(count=Count("id"), latest=Max("updated_at"))
    return stats["count"], str(stats["latest"])


def non_working_days(year: int) -> frozenset[dt.date]:
    """Every non-working weekday-or-not date of `year` besides weekends."""
    base = set(
        package_holidays(
            settings.ADUAN_HOLIDAY_COUNTRY, tuple(settings.ADUAN_HOLIDAY_CATEGORIES), year
        )
    )
    for day, active in Holiday.objects.filter(date__year=year).values_list("date", "is_active"):
        if active:
            base.add(day)
        else:
            base.discard(day)
    return frozenset(base)


_cache_lock = threading.Lock()
_cache: dict[tuple[int, str], dict[int, frozenset[dt.date]]] = {}


def working_calendar() -> WorkingCalendar:
    """The current calendar. Years are cached per process until the Holiday table changes."""
    version = _table_version()
    with _cache_lock:
        years = _cache.get(version)
        if years is None:
            _cache.clear()
            years = _cache[version] = {}

    def source(year: int) -> frozenset[dt.date]:
        if year not in years:
            years[year] = non_working_days(year)
        return years[year]

    return WorkingCalendar(source)


def deadline_after(
    moment: dt.datetime, working_days: int, calendar: WorkingCalendar
) -> dt.datetime:
    """End of the local day that is `working_days` working days after `moment`'s local date."""
    return clock.end_of_local_day(calendar.add_working_days(clock.local_date(moment), working_days))

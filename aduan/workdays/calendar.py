"""Working days (hari kerja): pure functions over a set of non-working dates.

Weekends (Saturday, Sunday) and the given holidays are non-working. The day a clock starts
never counts: "within 2 working days of receipt" on a Tuesday means by the end of Thursday.
Nothing here reads the database or the clock; `aduan.workdays.services` builds the holiday set.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Container

WEEKEND = frozenset({5, 6})  # Saturday, Sunday


def is_working_day(day: dt.date, holidays: Container[dt.date]) -> bool:
    return day.weekday() not in WEEKEND and day not in holidays


def next_working_day(day: dt.date, holidays: Container[dt.date]) -> dt.date:
    """`day` itself if it is a working day, else the first working day after it."""
    while not is_working_day(day, holidays):
        day += dt.timedelta(days=1)
    return day


def add_working_days(start: dt.date, n: int, holidays: Container[dt.date]) -> dt.date:
    """The n-th working day after `start`; n == 0 gives `start` or the next working day."""
    if n < 0:
        raise ValueError("n must be >= 0")
    if n == 0:
        return next_working_day(start, holidays)
    day = start
    counted = 0
    while counted < n:
        day += dt.timedelta(days=1)
        if is_working_day(day, holidays):
            counted += 1
    return day


def working_days_between(start: dt.date, end: dt.date, holidays: Container[dt.date]) -> int:
    """Working days in (start, end]; negative when end is before start.

    `working_days_between(received, today)` is how many working days a clock has run;
    `working_days_between(today, due)` how many are left (negative: how late).
    """
    if end == start:
        return 0
    sign = 1
    if end < start:
        start, end, sign = end, start, -1
    count = 0
    day = start
    while day < end:
        day += dt.timedelta(days=1)
        if is_working_day(day, holidays):
            count += 1
    return sign * count


class WorkingCalendar:
    """A holiday set that loads whole years on demand from `source(year)`."""

    def __init__(self, source: Callable[[int], frozenset[dt.date]]):
        self._source = source
        self._years: dict[int, frozenset[dt.date]] = {}

    def __contains__(self, day: object) -> bool:
        if not isinstance(day, dt.date):
            return False
        year = self._years.get(day.year)
        if year is None:
            year = self._years[day.year] = self._source(day.year)
        return day in year

    def is_working_day(self, day: dt.date) -> bool:
        return is_working_day(day, self)

    def add_working_days(self, start: dt.date, n: int) -> dt.date:
        return add_working_days(start, n, self)

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        return working_days_between(start, end, self)

    def next_working_day(self, day: dt.date) -> dt.date:
        return next_working_day(day, self)

    @classmethod
    def from_dates(cls, dates: Container[dt.date] | set[dt.date]) -> WorkingCalendar:
        fixed: frozenset[dt.date] = frozenset(dates)  # type: ignore[arg-type]
        return cls(lambda year: frozenset(d for d in fixed if d.year == year))

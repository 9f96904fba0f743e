"""Working days (hari kerja) as pure functions over an explicit holiday set: the 2025-2026
national holidays and cuti bersama of data/buton/hari_libur_2025_2026.csv (R25, R29)."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aduan.workdays.calendar import (
    WorkingCalendar,
    add_working_days,
    is_working_day,
    next_working_day,
    working_days_between,
)

CSV = Path(__file__).resolve().parents[3] / "data" / "buton" / "hari_libur_2025_2026.csv"


def _csv_holidays() -> frozenset[dt.date]:
    with CSV.open(encoding="utf-8", newline="") as handle:
        return frozenset(dt.date.fromisoformat(row["tanggal"]) for row in csv.DictReader(handle))


HOLIDAYS = _csv_holidays()
# The CSV ends with 2026; New Year's Day 2027 is the one later date these tests need.
HOLIDAYS_2027 = HOLIDAYS | {dt.date(2027, 1, 1)}
D = dt.date


def test_the_holiday_file_has_the_2026_eid_week():
    """R25: the file lists Nyepi, Idulfitri and their cuti bersama, 18-24 March 2026."""
    assert {D(2026, 3, day) for day in (18, 19, 20, 21, 22, 23, 24)} <= HOLIDAYS
    assert len(HOLIDAYS) > 40


def test_dispatch_due_two_working_days_after_17_march_2026():
    """R25: a complaint received on Tuesday 17 March 2026 is due for dispatch on Thursday
    26 March: Wednesday 18 to Tuesday 24 March are Nyepi, Idulfitri, cuti bersama and a weekend."""
    assert add_working_days(D(2026, 3, 17), 2, HOLIDAYS) == D(2026, 3, 26)
    assert [
        day for day in _days(D(2026, 3, 18), D(2026, 3, 24)) if is_working_day(day, HOLIDAYS)
    ] == []
    assert add_working_days(D(2026, 3, 17), 2, frozenset()) == D(2026, 3, 19)


def test_response_due_seven_working_days_after_21_december_2026():
    """R29: dispatched on Monday 21 December 2026, the response is due on Monday 4 January
    2027: cuti bersama Natal (24 Dec), Natal (25 Dec) and Tahun Baru (1 Jan) are skipped."""
    assert add_working_days(D(2026, 12, 21), 7, HOLIDAYS_2027) == D(2027, 1, 4)
    assert add_working_days(D(2026, 12, 21), 7, HOLIDAYS) == D(2027, 1, 1)
    assert add_working_days(D(2026, 12, 21), 2, HOLIDAYS_2027) == D(2026, 12, 23)


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (D(2026, 3, 17), True),  # Tuesday
        (D(2026, 3, 19), False),  # Nyepi
        (D(2026, 3, 23), False),  # cuti bersama Idulfitri (a Monday)
        (D(2026, 3, 28), False),  # Saturday
        (D(2026, 3, 29), False),  # Sunday
        (D(2026, 6, 16), False),  # Tahun Baru Islam (a Tuesday)
        (D(2026, 8, 17), False),  # Hari Kemerdekaan
        (D(2026, 8, 18), True),  # (18 August was cuti bersama in 2025, not in 2026)
        (D(2025, 8, 18), False),
    ],
)
def test_is_working_day(day, working):
    """R25, R29: weekends, national holidays and cuti bersama are not working days."""
    assert is_working_day(day, HOLIDAYS) is working


def test_the_start_day_never_counts():
    """R25: "within 2 working days" of a receipt on a holiday or weekend counts from the next
    working day on, and the day of receipt itself is never one of the two."""
    assert add_working_days(D(2026, 3, 19), 2, HOLIDAYS) == D(2026, 3, 26)  # on Nyepi
    assert add_working_days(D(2026, 3, 28), 1, HOLIDAYS) == D(2026, 3, 30)  # on a Saturday
    assert add_working_days(D(2026, 3, 26), 1, HOLIDAYS) == D(2026, 3, 27)


def test_zero_working_days_is_the_same_or_next_working_day():
    """R26: a resumed clock with 0 days left is due the same working day, or the next one."""
    assert add_working_days(D(2026, 3, 17), 0, HOLIDAYS) == D(2026, 3, 17)
    assert add_working_days(D(2026, 3, 18), 0, HOLIDAYS) == D(2026, 3, 25)
    assert next_working_day(D(2026, 3, 21), HOLIDAYS) == D(2026, 3, 25)
    with pytest.raises(ValueError, match=">= 0"):
        add_working_days(D(2026, 3, 17), -1, HOLIDAYS)


def test_working_days_between_sign_conventions():
    """R34: working_days_between counts the working days in (start, end]: positive forwards
    (days used, days left), negative backwards (how late), 0 for the same day."""
    assert working_days_between(D(2026, 3, 17), D(2026, 3, 26), HOLIDAYS) == 2
    assert working_days_between(D(2026, 3, 26), D(2026, 3, 17), HOLIDAYS) == -2
    assert working_days_between(D(2026, 3, 17), D(2026, 3, 17), HOLIDAYS) == 0
    assert working_days_between(D(2026, 3, 17), D(2026, 3, 24), HOLIDAYS) == 0  # all off
    assert working_days_between(D(2026, 3, 27), D(2026, 3, 30), HOLIDAYS) == 1  # Fri -> Mon
    assert working_days_between(D(2026, 3, 28), D(2026, 3, 30), HOLIDAYS) == 1  # Sat -> Mon
    assert working_days_between(D(2026, 3, 30), D(2026, 3, 28), HOLIDAYS) == -1
    assert working_days_between(D(2026, 12, 31), D(2027, 1, 4), HOLIDAYS_2027) == 1


def test_calendar_loads_each_year_once_and_answers_dates_only():
    """R25: WorkingCalendar asks its source for a year only once, and only for dates."""
    asked: list[int] = []

    def source(year: int) -> frozenset[dt.date]:
        asked.append(year)
        return frozenset(d for d in HOLIDAYS_2027 if d.year == year)

    calendar = WorkingCalendar(source)
    assert calendar.add_working_days(D(2026, 12, 21), 7) == D(2027, 1, 4)
    assert calendar.add_working_days(D(2026, 3, 17), 2) == D(2026, 3, 26)
    assert sorted(asked) == [2026, 2027]
    assert "2026-03-19" not in calendar
    assert D(2026, 3, 19) in calendar
    assert calendar.working_days_between(D(2026, 3, 26), D(2026, 3, 17)) == -2
    assert WorkingCalendar.from_dates(HOLIDAYS).next_working_day(D(2026, 3, 18)) == D(2026, 3, 25)


def _days(start: dt.date, end: dt.date) -> list[dt.date]:
    return [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]


dates = st.dates(min_value=D(2025, 1, 1), max_value=D(2026, 12, 31))
holiday_sets = st.one_of(
    st.just(HOLIDAYS),
    st.frozensets(st.dates(min_value=D(2025, 1, 1), max_value=D(2027, 3, 31)), max_size=80),
)


@settings(max_examples=200, deadline=None)
@given(start=dates, n=st.integers(1, 40), holidays=holiday_sets)
def test_add_and_between_agree(start, n, holidays):
    """R25, R29: the n-th working day after `start` is a working day, n working days away, and
    the first day that far: the day before it is only n - 1 away."""
    due = add_working_days(start, n, holidays)
    assert due > start
    assert is_working_day(due, holidays)
    assert working_days_between(start, due, holidays) == n
    assert working_days_between(start, due - dt.timedelta(days=1), holidays) == n - 1
    assert working_days_between(due, start, holidays) == -n
    assert add_working_days(start, n + 1, holidays) > due


@settings(max_examples=200, deadline=None)
@given(a=dates, b=dates, c=dates, holidays=holiday_sets)
def test_between_is_antisymmetric_and_additive(a, b, c, holidays):
    """R34: working_days_between(a, b) == -working_days_between(b, a), and the days from a to c
    are those from a to b plus those from b to c."""
    assert working_days_between(a, b, holidays) == -working_days_between(b, a, holidays)
    assert working_days_between(a, c, holidays) == working_days_between(
        a, b, holidays
    ) + working_days_between(b, c, holidays)
    counted = sum(1 for day in _days(min(a, b), max(a, b))[1:] if is_working_day(day, holidays))
    assert abs(working_days_between(a, b, holidays)) == counted


@settings(max_examples=100, deadline=None)
@given(start=dates, n=st.integers(0, 20), holidays=holiday_sets)
def test_zero_and_positive_working_days_from_a_working_day(start, n, holidays):
    """R26: from a working day, 0 working days is the day itself; the clock's remaining days
    (working_days_between(today, due)) give back the same due date."""
    day = next_working_day(start, holidays)
    assert add_working_days(day, 0, holidays) == day
    due = add_working_days(day, n, holidays)
    assert add_working_days(day, working_days_between(day, due, holidays), holidays) == due

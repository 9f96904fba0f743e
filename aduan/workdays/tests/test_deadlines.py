"""Deadlines on the deployment's calendar: the `holidays` package plus the admin-edited Holiday
table, in Buton's zone (WITA, Asia/Makassar), through the real submission and dispatch (R25, R29)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from aduan.accounts.roles import Role
from aduan.complaints.tests import factories as f
from aduan.complaints.workflow import transitions as t
from aduan.core import clock
from aduan.workdays.models import Holiday
from aduan.workdays.services import deadline_after, non_working_days, working_calendar

WITA = ZoneInfo("Asia/Makassar")
UTC = dt.UTC


def wita(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=WITA)


def end_of(year: int, month: int, day: int) -> dt.datetime:
    return dt.datetime(year, month, day, 23, 59, 59, 999999, tzinfo=WITA)


def test_deadline_is_the_end_of_the_local_day():
    """R25: a deadline is the last instant of the working day in WITA (15:59:59.999999 UTC)."""
    assert end_of(2026, 3, 26) == dt.datetime(2026, 3, 26, 15, 59, 59, 999999, tzinfo=UTC)
    assert clock.end_of_local_day(dt.date(2026, 3, 26)) == end_of(2026, 3, 26)


def test_complaint_of_17_march_2026_is_due_for_dispatch_on_26_march(buton, time_machine):
    """R25: submitted on Tuesday 17 March 2026 at 16:00 WITA, a complaint's dispatch deadline
    is the end of Thursday 26 March (Nyepi, Idulfitri and their cuti bersama fill 18-24 March)."""
    time_machine.move_to(wita(2026, 3, 17, 16), tick=False)
    complaint = f.submit()
    complaint.refresh_from_db()
    assert complaint.received_at == wita(2026, 3, 17, 16)
    assert complaint.dispatch_due_at == end_of(2026, 3, 26)
    assert complaint.clocks.get().due_at == end_of(2026, 3, 26)


def test_response_due_on_4_january_2027(buton, time_machine):
    """R29: dispatched on Monday 21 December 2026, the agency must answer by the end of Monday
    4 January 2027 (24-25 December and 1 January 2027 are not working days); the 2-day service
    target is the end of Wednesday 23 December."""
    time_machine.move_to(wita(2026, 12, 18, 10), tick=False)
    complaint = f.submit()
    time_machine.move_to(wita(2026, 12, 21, 9), tick=False)
    complaint = t.complaint_dispatch(
        complaint=complaint, by=f.actor(Role.ADMIN), agency=f.agency("dpupr")
    )
    assert complaint.response_due_at == end_of(2027, 1, 4)
    assert complaint.response_target_at == end_of(2026, 12, 23)


@pytest.mark.parametrize(
    ("received_utc", "due"),
    [
        # Monday 8 June 23:30 UTC is Tuesday 9 June 07:30 WITA: counted from Tuesday.
        (dt.datetime(2026, 6, 8, 23, 30, tzinfo=UTC), end_of(2026, 6, 11)),
        # Monday 8 June 15:30 UTC is Monday 23:30 WITA: counted from Monday.
        (dt.datetime(2026, 6, 8, 15, 30, tzinfo=UTC), end_of(2026, 6, 10)),
        # Monday 16 March 23:30 UTC is Tuesday 17 March 07:30 WITA.
        (dt.datetime(2026, 3, 16, 23, 30, tzinfo=UTC), end_of(2026, 3, 26)),
    ],
)
def test_receipt_counts_from_the_local_date(buton, time_machine, received_utc, due):
    """R25: the day a complaint is received is the WITA date: 23:30 UTC is already the next
    day in Buton, so the two working days count from that next day."""
    time_machine.move_to(received_utc, tick=False)
    assert f.submit().dispatch_due_at == due


@pytest.mark.parametrize("zone", ["UTC", "Asia/Jakarta", "America/New_York"])
def test_deadlines_use_the_deployment_zone_whatever_zone_is_active(buton, time_machine, zone):
    """R25: deadlines are computed in the deployment's zone (WITA) even when a request has
    activated another time zone (a user's preference, a view): 23:30 UTC on Monday 8 June
    is Tuesday in Buton, so the dispatch is due at the end of Thursday 11 June WITA."""
    time_machine.move_to(dt.datetime(2026, 6, 8, 23, 30, tzinfo=UTC), tick=False)
    with timezone.override(zone):
        assert clock.local_date() == dt.date(2026, 6, 9)
        complaint = f.submit()
        assert complaint.dispatch_due_at == end_of(2026, 6, 11)
        assert clock.format_local(complaint.dispatch_due_at) == "11/06/2026 23:59 WITA"


def test_calendar_has_package_holidays_and_table_holidays(buton):
    """R25: the deployment's non-working days are the `holidays` package's national holidays
    and cuti bersama plus the Holiday table (loaded from the CSV)."""
    days_2026 = non_working_days(2026)
    assert set(Holiday.objects.filter(date__year=2026).values_list("date", flat=True)) <= days_2026
    assert dt.date(2027, 1, 1) in non_working_days(2027)  # from the package; the CSV ends in 2026
    calendar = working_calendar()
    assert not calendar.is_working_day(dt.date(2026, 3, 23))
    assert calendar.is_working_day(dt.date(2026, 3, 25))


def test_inactive_holiday_row_switches_a_package_holiday_off(buton):
    """R25: a Holiday row with is_active=False makes a date a working day even though the
    national calendar (package) lists it — e.g. a cancelled cuti bersama."""
    dispatched = wita(2026, 12, 21, 9)
    assert deadline_after(dispatched, 7, working_calendar()) == end_of(2027, 1, 4)
    Holiday.objects.create(
        date=dt.date(2027, 1, 1), kind=Holiday.Kind.NATIONAL, name="Tahun Baru", is_active=False
    )
    assert dt.date(2027, 1, 1) not in non_working_days(2027)
    assert deadline_after(dispatched, 7, working_calendar()) == end_of(2027, 1, 1)


def test_deactivating_a_loaded_cuti_bersama_moves_the_deadline(buton):
    """R25: unticking a cuti bersama already in the table (and in the package) gives the day
    back: received Tuesday 17 March 2026, dispatch is then due Monday 23 March."""
    received = wita(2026, 3, 17, 16)
    assert deadline_after(received, 2, working_calendar()) == end_of(2026, 3, 26)
    for day in (dt.date(2026, 3, 18), dt.date(2026, 3, 23)):
        holiday = Holiday.objects.get(date=day)
        holiday.is_active = False
        holiday.save()
    assert deadline_after(received, 2, working_calendar()) == end_of(2026, 3, 23)


def test_local_holiday_in_the_table_moves_a_deadline(buton):
    """R25: a local day off the admins add (libur daerah) is skipped like a national one:
    received Thursday 2 July 2026, due Monday 6 July — Tuesday 7 July once Friday 3 July is off."""
    received = wita(2026, 7, 2, 10)
    assert deadline_after(received, 2, working_calendar()) == end_of(2026, 7, 6)
    Holiday.objects.create(
        date=dt.date(2026, 7, 3), kind=Holiday.Kind.LOCAL, name="Libur daerah Kabupaten Buton"
    )
    assert deadline_after(received, 2, working_calendar()) == end_of(2026, 7, 7)


def test_a_new_local_holiday_reaches_new_complaints(buton, time_machine):
    """R25: after the table changes, complaints submitted from then on use the new calendar."""
    Holiday.objects.create(date=dt.date(2026, 7, 3), kind=Holiday.Kind.LOCAL, name="Libur daerah")
    time_machine.move_to(wita(2026, 7, 2, 10), tick=False)
    assert f.submit().dispatch_due_at == end_of(2026, 7, 7)

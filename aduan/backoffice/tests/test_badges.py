"""Deadline badges count working days from the calendar: weekends and holidays do not count."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.template import Context, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from aduan.backoffice.templatetags.backoffice import Deadline, deadline_status
from aduan.complaints.tests import factories as f
from aduan.complaints.tests.factories import ref
from aduan.complaints.tests.workflow.support import end_of, wita
from aduan.workdays.calendar import WorkingCalendar

__all__ = ["ref"]

# June 2026: Mon 1, Fri 5, Sat 6, Sun 7, Mon 8, Tue 9, Wed 10, Thu 11, Fri 12.
NO_HOLIDAYS = WorkingCalendar.from_dates(set())
MONDAY_8_OFF = WorkingCalendar.from_dates({dt.date(2026, 6, 8)})


def status(due: dt.datetime, now: dt.datetime, calendar=NO_HOLIDAYS) -> Deadline:  # type: ignore[no-untyped-def]
    return deadline_status(due, now=now, calendar=calendar)


def text(deadline: Deadline) -> str:
    with translation.override("en"):
        return deadline.text


def test_days_left_skip_the_weekend():
    """Friday, due Tuesday: Monday and Tuesday are left — 2 working days, not 4 days."""
    deadline = status(end_of(2026, 6, 9), wita(2026, 6, 5, 10))
    assert (deadline.state, deadline.days) == ("ok", 2)
    assert text(deadline) == "2 working days left"


def test_days_left_skip_a_holiday():
    deadline = status(end_of(2026, 6, 9), wita(2026, 6, 5, 10), MONDAY_8_OFF)
    assert (deadline.state, deadline.days) == ("soon", 1)
    assert text(deadline) == "1 working day left"
    assert deadline.css_class == "deadline deadline-soon"


def test_due_today():
    deadline = status(end_of(2026, 6, 9), wita(2026, 6, 9, 16))
    assert (deadline.state, text(deadline)) == ("today", "due today")


def test_late_by_working_days_over_a_weekend_and_a_holiday():
    """Due Friday 5 June: Saturday it is late (0 working days), Monday 8 is a holiday, so on
    Wednesday 10 it is late by 2 working days (Tue, Wed), not 5 calendar days."""
    due = end_of(2026, 6, 5)
    saturday = status(due, wita(2026, 6, 6, 9), MONDAY_8_OFF)
    assert (saturday.state, text(saturday)) == ("late", "late")
    wednesday = status(due, wita(2026, 6, 10, 9), MONDAY_8_OFF)
    assert (wednesday.days, text(wednesday)) == (2, "late by 2 working days")
    assert wednesday.css_class == "deadline deadline-late"
    monday = status(due, wita(2026, 6, 8, 9))
    assert text(monday) == "late by 1 working day"


@pytest.mark.django_db
def test_badge_tag_renders_text_and_class_in_working_days(ref, time_machine):
    """Through the tag, on the real calendar (the ref Holiday table) and frozen time: a
    complaint dispatched Monday 8 June 2026 has 7 working days; the next Monday it has 2 left;
    the Monday after its deadline it is late by working days."""
    time_machine.move_to(wita(2026, 6, 8, 9), tick=False)
    complaint = f.dispatched()
    template = Template("{% load backoffice %}{% deadline_badge c %}|{% deadline_badge t %}")
    request = RequestFactory().get("/")
    time_machine.move_to(wita(2026, 6, 15, 9), tick=False)
    with translation.override("en"):
        html = template.render(
            Context({"c": complaint, "t": complaint.response_target_at, "request": request})
        )
    badge, target = html.split("|")
    assert 'class="deadline deadline-ok"' in badge and "2 working days left" in badge
    assert "deadline-late" in target and "late by 3 working days" in target
    assert f'datetime="{complaint.response_due_at.isoformat()}"' in badge


@pytest.mark.django_db
def test_badges_load_the_calendar_once_per_request(ref, time_machine):
    """30 badges cost the same queries as one: the calendar is kept on the request."""
    time_machine.move_to(wita(2026, 6, 8, 9), tick=False)
    complaint = f.dispatched()
    one = Template("{% load backoffice %}{% deadline_badge c %}")
    many = Template("{% load backoffice %}{% for c in cs %}{% deadline_badge c %}{% endfor %}")
    with CaptureQueriesContext(connection) as single:
        one.render(Context({"c": complaint, "request": RequestFactory().get("/")}))
    with CaptureQueriesContext(connection) as thirty:
        many.render(Context({"cs": [complaint] * 30, "request": RequestFactory().get("/")}))
    assert len(thirty.captured_queries) == len(single.captured_queries)


def test_no_badge_without_a_deadline():
    class Closed:
        status = "closed"

    html = Template("{% load backoffice %}[{% deadline_badge c %}]").render(
        Context({"c": Closed()})
    )
    assert html == "[]"

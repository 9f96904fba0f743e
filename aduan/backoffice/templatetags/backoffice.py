"""Template tags of the back-office: deadline badges in working days.

    {% load backoffice %}
    {% deadline_badge complaint %}                     the deadline of the current stage
    {% deadline_badge complaint.response_target_at %}  any deadline (a datetime)

A badge says "2 working days left", "due today" or "late by 3 working days" (Indonesian through
the translations: "2 hari kerja lagi", "hari ini", "terlambat 3 hari kerja"), counted in working
days from the deployment's calendar. The text carries the meaning; the CSS class
(`deadline deadline-ok|soon|today|late`) only adds colour. The calendar is loaded once per request
(kept on the request), so a table of badges costs no query per row.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext

from aduan.complaints.workflow.states import DISPATCH_CLOCK_STATES, RESPONSE_CLOCK_STATES
from aduan.core import clock
from aduan.workdays.calendar import WorkingCalendar
from aduan.workdays.services import working_calendar

register = template.Library()

_REQUEST_KEY = "_backoffice_deadlines"


@dataclass(frozen=True)
class Deadline:
    """How a deadline stands today, in working days."""

    state: str  # "ok", "soon", "today", "late"
    days: int  # working days left (ok/soon), late by (late), 0 (today)

    @property
    def text(self) -> str:
        if self.state == "late":
            if self.days <= 0:
                return gettext("late")
            return ngettext(
                "late by %(n)s working day", "late by %(n)s working days", self.days
            ) % {"n": self.days}
        if self.state == "today":
            return gettext("due today")
        return ngettext("%(n)s working day left", "%(n)s working days left", self.days) % {
            "n": self.days
        }

    @property
    def css_class(self) -> str:
        return f"deadline deadline-{self.state}"


def deadline_status(due: dt.datetime, *, now: dt.datetime, calendar: WorkingCalendar) -> Deadline:
    """Where `due` stands at `now`: working days left, due today, or late by n working days.

    Deadlines are the end of a local day; "late by n" counts the working days after that day
    up to today (a deadline missed on Friday is "late" on Saturday and "late by 1 working day"
    on Monday).
    """
    today = clock.local_date(now)
    due_day = clock.local_date(due)
    if now > due:
        return Deadline("late", max(calendar.working_days_between(due_day, today), 0))
    if due_day <= today:
        return Deadline("today", 0)
    left = calendar.working_days_between(today, due_day)
    if left <= 0:
        return Deadline("today", 0)
    return Deadline("soon" if left == 1 else "ok", left)


def current_deadline(complaint: Any) -> dt.datetime | None:
    """The deadline of the stage a complaint is in: dispatch (Dinas) or response (agency)."""
    status = getattr(complaint, "status", None)
    if status in DISPATCH_CLOCK_STATES:
        return complaint.dispatch_due_at
    if status in RESPONSE_CLOCK_STATES:
        return complaint.response_due_at
    return None


def _request_state(context: template.Context) -> tuple[dt.datetime, WorkingCalendar]:
    """(now, calendar) once per request — or once per render when there is no request."""
    request = context.get("request")
    if request is not None:
        cached = getattr(request, _REQUEST_KEY, None)
        if cached is None:
            cached = (clock.now(), working_calendar())
            setattr(request, _REQUEST_KEY, cached)
        return cached
    cached = context.render_context.get(_REQUEST_KEY)
    if cached is None:
        cached = context.render_context[_REQUEST_KEY] = (clock.now(), working_calendar())
    return cached


@register.simple_tag(takes_context=True)
def deadline_badge(context: template.Context, value: Any) -> str:
    """A badge for a complaint (its current deadline) or for a datetime; "" when there is none."""
    due = value if isinstance(value, dt.datetime) else current_deadline(value)
    if due is None:
        return ""
    now, calendar = _request_state(context)
    status = deadline_status(due, now=now, calendar=calendar)
    return format_html(
        '<span class="{}"><time datetime="{}" title="{}">{}</time></span>',
        status.css_class,
        due.isoformat(),
        clock.format_local(due),
        status.text,
    )

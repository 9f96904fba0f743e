"""Starting, pausing, resuming and stopping the deadline clocks of a complaint.

Called only from the transitions (inside their transaction, on a locked complaint row).
The complaint carries the deadlines of its current stage; Clock rows keep every run.
"""

from __future__ import annotations

import datetime as dt

from aduan.agencies.models import Agency
from aduan.core import clock as time
from aduan.workdays.calendar import WorkingCalendar
from aduan.workdays.services import deadline_after

from ..models import Clock, Complaint, DeadlinePolicy


def running_clock(complaint: Complaint) -> Clock | None:
    return (
        Clock.objects.select_for_update()
        .filter(complaint=complaint, stopped_at__isnull=True)
        .first()
    )


def start_dispatch_clock(
    complaint: Complaint, now: dt.datetime, calendar: WorkingCalendar, policy: DeadlinePolicy
) -> Clock:
    days = policy.dispatch_working_days
    due = deadline_after(now, days, calendar)
    complaint.dispatch_due_at = due
    return Clock.objects.create(
        complaint=complaint,
        kind=Clock.Kind.DISPATCH,
        started_at=now,
        allowance_working_days=days,
        due_at=due,
    )


def start_response_clock(
    complaint: Complaint,
    agency: Agency,
    now: dt.datetime,
    calendar: WorkingCalendar,
    policy: DeadlinePolicy,
) -> Clock:
    due = deadline_after(now, policy.response_deadline_working_days, calendar)
    target = deadline_after(now, policy.response_target_working_days, calendar)
    complaint.response_due_at = due
    complaint.response_target_at = target
    return Clock.objects.create(
        complaint=complaint,
        kind=Clock.Kind.RESPONSE,
        agency=agency,
        started_at=now,
        allowance_working_days=policy.response_deadline_working_days,
        due_at=due,
        target_at=target,
    )


def pause_clock(complaint: Complaint, now: dt.datetime, calendar: WorkingCalendar) -> None:
    """Pending: the dispatch clock stops counting; what is left is kept for the resume."""
    running = running_clock(complaint)
    if running is None or running.paused_at is not None or running.due_at is None:
        return
    running.remaining_working_days = calendar.working_days_between(
        time.local_date(now), time.local_date(running.due_at)
    )
    running.paused_at = now
    running.save(update_fields=["paused_at", "remaining_working_days"])
    complaint.dispatch_due_at = None


def resume_clock(complaint: Complaint, now: dt.datetime, calendar: WorkingCalendar) -> None:
    """The complainant answered: the dispatch clock goes on with the working days it had left
    (an already-late clock stays late)."""
    paused = running_clock(complaint)
    if paused is None or paused.paused_at is None:
        return
    remaining = paused.remaining_working_days or 0
    if remaining >= 0:
        paused.due_at = deadline_after(now, remaining, calendar)
    paused.paused_at = None
    paused.remaining_working_days = None
    paused.save(update_fields=["due_at", "paused_at", "remaining_working_days"])
    complaint.dispatch_due_at = paused.due_at


def stop_clock(
    complaint: Complaint, now: dt.datetime, calendar: WorkingCalendar, reason: Clock.StopReason
) -> Clock | None:
    """Stop the running clock and record how it went: working days used, target and deadline met."""
    running = running_clock(complaint)
    if running is None:
        return None
    today = time.local_date(now)
    if running.paused_at is not None or running.due_at is None:
        left = running.remaining_working_days or 0
        running.deadline_met = left >= 0
    else:
        left = calendar.working_days_between(today, time.local_date(running.due_at))
        running.deadline_met = now <= running.due_at
    running.working_days_used = running.allowance_working_days - left
    if running.target_at is not None:
        running.target_met = now <= running.target_at
    running.stopped_at = now
    running.stop_reason = reason
    running.save(
        update_fields=[
            "deadline_met",
            "target_met",
            "working_days_used",
            "stopped_at",
            "stop_reason",
        ]
    )
    complaint.dispatch_due_at = None
    complaint.response_due_at = None
    complaint.response_target_at = None
    return running

"""Reminders and escalation when a clock passes its target or deadline (Pasal 7(5)a, R13).

No state changes here: each writes an Event (from_state == to_state) and outbox rows, once per
clock — the conditional update on the Clock row makes it safe to run on several workers.
"""

from __future__ import annotations

from django.db import transaction

from aduan.accounts.roles import Role
from aduan.accounts.selectors import staff_list_active
from aduan.audit.services import audit_record
from aduan.core import clock as time
from aduan.notifications.services import notify_users

from ..models import Clock, DeadlinePolicy, Event
from .actors import Actor
from .states import DISPATCH_CLOCK_STATES, RESPONSE_CLOCK_STATES


def _event(clock: Clock, verb: str, data: dict[str, object]) -> Event:
    complaint = clock.complaint
    event = Event.aside(complaint, verb=verb, by=Actor.system(), data=data, agency=clock.agency)
    audit_record(
        f"complaint.{verb}",
        actor=Actor.system(),
        obj=complaint,
        data={"clock": clock.pk, "event": event.pk},
    )
    return event


@transaction.atomic
def clock_remind_target(*, clock_id: int) -> bool:
    """The 2-working-day service target passed: remind the lead agency's liaison officers."""
    now = time.now()
    claimed = Clock.objects.filter(
        pk=clock_id,
        kind=Clock.Kind.RESPONSE,
        stopped_at__isnull=True,
        target_passed_at__isnull=True,
        target_at__lt=now,
    ).update(target_passed_at=now)
    if not claimed:
        return False
    clock = Clock.objects.select_related("complaint", "agency").get(pk=clock_id)
    if clock.complaint.status not in RESPONSE_CLOCK_STATES:
        return False
    event = _event(
        clock,
        "target_passed",
        {"target_at": clock.target_at.isoformat() if clock.target_at else ""},
    )
    notify_users(
        staff_list_active(roles=[Role.LIAISON], agency_id=clock.agency_id),
        "response_target_passed",
        key=f"c{clock.complaint_id}:e{event.pk}:target",
        complaint=clock.complaint,
        context={
            "target_days": DeadlinePolicy.current().response_target_working_days,
            "response_target": time.format_local(clock.target_at),
            "response_due": time.format_local(clock.due_at),
        },
    )
    return True


@transaction.atomic
def clock_escalate_overdue(*, clock_id: int) -> bool:
    """A deadline passed: the complaint is overdue. A late response goes to the agency head and
    the coordination team (members and chair); a late dispatch to the Dinas admins and the chair."""
    now = time.now()
    claimed = Clock.objects.filter(
        pk=clock_id,
        stopped_at__isnull=True,
        paused_at__isnull=True,
        deadline_passed_at__isnull=True,
        due_at__lt=now,
    ).update(deadline_passed_at=now)
    if not claimed:
        return False
    clock = Clock.objects.select_related("complaint", "agency").get(pk=clock_id)
    complaint = clock.complaint
    due = time.format_local(clock.due_at)
    if clock.kind == Clock.Kind.RESPONSE and complaint.status in RESPONSE_CLOCK_STATES:
        event = _event(
            clock,
            "overdue",
            {"kind": clock.kind, "due_at": clock.due_at.isoformat() if clock.due_at else ""},
        )
        recipients = staff_list_active(
            roles=[Role.AGENCY_HEAD], agency_id=clock.agency_id
        ) + staff_list_active(roles=[Role.MEMBER, Role.CHAIR])
        notify_users(
            recipients,
            "response_overdue",
            key=f"c{complaint.pk}:e{event.pk}:overdue",
            complaint=complaint,
            context={"agency": str(clock.agency), "response_due": due},
        )
        return True
    if clock.kind == Clock.Kind.DISPATCH and complaint.status in DISPATCH_CLOCK_STATES:
        event = _event(
            clock,
            "overdue",
            {"kind": clock.kind, "due_at": clock.due_at.isoformat() if clock.due_at else ""},
        )
        recipients = staff_list_active(roles=[Role.ADMIN]) + staff_list_active(roles=[Role.CHAIR])
        notify_users(
            recipients,
            "dispatch_overdue",
            key=f"c{complaint.pk}:e{event.pk}:overdue",
            complaint=complaint,
            context={"dispatch_due": due},
        )
        return True
    return False

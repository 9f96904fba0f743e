"""Helpers for the workflow tests: the expected lifecycle (from DESIGN.md, written out
independently of TRANSITIONS), a valid call for every verb, actors by role, and snapshots
of everything a transition may write (for the "nothing changed" checks)."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

from aduan.accounts.roles import Role
from aduan.agencies.models import Cause
from aduan.audit.models import AuditEntry
from aduan.complaints.models import Clock, Complaint, Event, Message, Resolution
from aduan.complaints.tests import factories as f
from aduan.complaints.workflow import transitions as t
from aduan.complaints.workflow.actors import Actor
from aduan.core import clock
from aduan.notifications.models import OutboxMessage

STATES = [
    "received",
    "pending",
    "dispatched",
    "in_progress",
    "returned",
    "responded",
    "closed",
    "archived",
]
ROLES = [
    "admin",
    "liaison",
    "agency_head",
    "member",
    "chair",
    "patron",
    "regent",
    "complainant",
    "system",
]
AGENCY = {"liaison", "agency_head"}

# verb: (source states, target state or None, roles, own agency only) — DESIGN.md's lifecycle.
EXPECTED: dict[str, tuple[set[str], str | None, set[str], bool]] = {
    "dispatch": ({"received"}, "dispatched", {"admin"}, False),
    "redispatch": ({"returned", "dispatched", "in_progress"}, "dispatched", {"admin"}, False),
    "request_info": ({"received", "returned"}, "pending", {"admin"}, False),
    "supplement": ({"pending"}, "received", {"complainant"}, False),
    "archive": ({"received", "pending", "returned"}, "archived", {"admin"}, False),
    "forward_out": ({"received", "pending", "returned"}, "archived", {"admin"}, False),
    "acknowledge": ({"dispatched"}, "in_progress", AGENCY, True),
    "return": ({"dispatched", "in_progress"}, "returned", AGENCY, True),
    "respond": ({"dispatched", "in_progress"}, "responded", AGENCY, True),
    "follow_up": ({"responded"}, "in_progress", {"complainant"}, False),
    "confirm": ({"responded"}, "closed", {"complainant"}, False),
    "rate": ({"closed"}, None, {"complainant"}, False),
    "auto_close": ({"responded"}, "closed", {"system"}, False),
    "auto_archive": ({"pending"}, "archived", {"system"}, False),
    "restore": ({"archived", "closed"}, "received", {"admin"}, False),
}
VERBS = list(EXPECTED)
AGENCY_VERBS = [verb for verb, spec in EXPECTED.items() if spec[3]]

# A source state each verb is allowed from (built with dpupr as the lead agency).
CANONICAL_SOURCE = {
    "dispatch": "received",
    "redispatch": "returned",
    "request_info": "received",
    "supplement": "pending",
    "archive": "received",
    "forward_out": "pending",
    "acknowledge": "dispatched",
    "return": "in_progress",
    "respond": "dispatched",
    "follow_up": "responded",
    "confirm": "responded",
    "rate": "closed",
    "auto_close": "responded",
    "auto_archive": "pending",
    "restore": "archived",
}


def build(state: str, **kwargs: Any) -> Complaint:
    """A complaint in `state` with dpupr as lead agency, built through the real transitions."""
    return f.WITH_LEAD_AGENCY[state](**kwargs)


def actor_for(role: str, agency_code: str = "dpupr") -> Actor:
    if role == "complainant":
        return Actor.complainant()
    if role == "system":
        return Actor.system()
    if role in AGENCY:
        return f.actor(Role(role), f.agency(agency_code))
    return f.actor(Role(role))


@contextlib.contextmanager
def _at(moment: dt.datetime | None) -> Iterator[None]:
    if moment is None:
        yield
        return
    with clock.frozen_at(moment):
        yield


def _due(moment: dt.datetime | None) -> dt.datetime | None:
    """A moment just after a sweep deadline (auto-close / auto-archive), if there is one."""
    return moment + dt.timedelta(seconds=1) if moment is not None else None


def _cause() -> Cause:
    return Cause.objects.get(code="sarana_rusak")


CALLS: dict[str, Callable[[Complaint, Actor], Complaint]] = {
    "dispatch": lambda c, by: t.complaint_dispatch(complaint=c, by=by, agency=f.agency("dpupr")),
    "redispatch": lambda c, by: t.complaint_redispatch(
        complaint=c, by=by, agency=f.agency("disperkim")
    ),
    "request_info": lambda c, by: t.complaint_request_info(
        complaint=c, by=by, question="Di desa mana tepatnya?"
    ),
    "supplement": lambda c, by: t.complaint_supplement(
        complaint=c, by=by, text="Desa Wabula, dekat pasar."
    ),
    "archive": lambda c, by: t.complaint_archive(complaint=c, by=by, reason="unclear"),
    "forward_out": lambda c, by: t.complaint_forward_out(
        complaint=c, by=by, forwarded_to="BPJN Sulawesi Tenggara"
    ),
    "acknowledge": lambda c, by: t.complaint_acknowledge(complaint=c, by=by),
    "return": lambda c, by: t.complaint_return(
        complaint=c, by=by, reason="Urusan Disperkim.", suggested_agency=f.agency("disperkim")
    ),
    "respond": lambda c, by: t.complaint_respond(
        complaint=c,
        by=by,
        text="Sudah kami perbaiki.",
        cause=_cause(),
        resolution=Resolution.RESOLVED,
    ),
    "follow_up": lambda c, by: t.complaint_follow_up(complaint=c, by=by, text="Belum diperbaiki."),
    "confirm": lambda c, by: t.complaint_confirm(complaint=c, by=by, satisfaction=5),
    "rate": lambda c, by: t.complaint_rate(complaint=c, by=by, satisfaction=3, comment="Lumayan"),
    "auto_close": lambda c, by: t.complaint_auto_close(complaint=c, by=by),
    "auto_archive": lambda c, by: t.complaint_auto_archive(complaint=c, by=by),
}
CALLS["restore"] = lambda c, by: t.complaint_restore(complaint=c, by=by, reason="Salah arsip.")


def call(verb: str, complaint: Complaint, by: Actor) -> Complaint:
    """Do `verb` with valid arguments; the sweep verbs run just after their window ends."""
    moment = None
    if verb == "auto_close":
        moment = _due(complaint.autoclose_at)
    elif verb == "auto_archive":
        moment = _due(complaint.autoarchive_at)
    with _at(moment):
        return CALLS[verb](complaint, by)


def snapshot(complaint: Complaint) -> dict[str, Any]:
    """Everything a transition may write, for one complaint (and the shared outbox/audit)."""
    pk = complaint.pk
    through = Complaint.co_agencies.through
    return {
        "complaint": Complaint.objects.filter(pk=pk).values().get(),
        "co_agencies": sorted(
            through.objects.filter(complaint_id=pk).values_list("agency_id", flat=True)
        ),
        "events": list(Event.objects.filter(complaint_id=pk).order_by("id").values()),
        "clocks": list(Clock.objects.filter(complaint_id=pk).order_by("id").values()),
        "messages": list(Message.objects.filter(complaint_id=pk).order_by("id").values()),
        "outbox": list(OutboxMessage.objects.order_by("id").values()),
        # A refused transition writes a `complaint.denied` row on purpose (S14); it changes nothing else.
        "audit": list(
            AuditEntry.objects.exclude(action="complaint.denied")
            .order_by("id")
            .values_list("id", flat=True)
        ),
    }


def new_events(complaint: Complaint, before: dict[str, Any]) -> list[Event]:
    seen = {row["id"] for row in before["events"]}
    return [e for e in Event.objects.filter(complaint=complaint).order_by("id") if e.pk not in seen]


def new_outbox(before: dict[str, Any]) -> list[OutboxMessage]:
    seen = {row["id"] for row in before["outbox"]}
    return [m for m in OutboxMessage.objects.order_by("id") if m.pk not in seen]


def running_clocks(complaint: Complaint) -> list[Clock]:
    return list(Clock.objects.filter(complaint=complaint, stopped_at__isnull=True))


def assert_one_event(
    complaint: Complaint,
    before: dict[str, Any],
    *,
    verb: str,
    from_state: str,
    to_state: str,
    by: Actor,
) -> Event:
    """Exactly one new Event, with the right verb, states and actor; and one audit row (S14)."""
    events = new_events(complaint, before)
    assert len(events) == 1, [e.verb for e in events]
    event = events[0]
    assert (event.verb, event.from_state, event.to_state) == (verb, from_state, to_state)
    assert event.actor_role == by.role.value
    assert event.actor_id == (by.user.pk if by.user is not None else None)
    assert event.actor_agency_id == by.agency_id
    seen = set(before["audit"])
    audits = [a for a in AuditEntry.objects.order_by("id") if a.pk not in seen]
    assert [(a.action, a.object_id, a.actor_role) for a in audits] == [
        (f"complaint.{verb}", str(complaint.pk), by.role.value)
    ]
    assert audits[0].data["event"] == event.pk
    return event


WITA = dt.timezone(dt.timedelta(hours=8), "WITA")


def wita(year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0):  # type: ignore[no-untyped-def]
    """An aware moment in Buton's zone (Asia/Makassar is UTC+8 all year, no DST)."""
    return dt.datetime(year, month, day, hour, minute, second, tzinfo=WITA)


def end_of(year: int, month: int, day: int) -> dt.datetime:
    """The last instant of a WITA day: how a deadline "at the end of" a working day is stored."""
    return dt.datetime(year, month, day, 23, 59, 59, 999999, tzinfo=WITA)


def outbox_summary(rows: list[OutboxMessage]) -> set[tuple[str, str, str]]:
    """(template, recipient, channel): recipient is "complainant" or the user's username."""
    return {
        (m.template, "complainant" if m.to_complainant else m.to_user.username, m.channel)
        for m in rows
    }

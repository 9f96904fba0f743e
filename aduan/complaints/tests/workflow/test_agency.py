"""The agency's verbs (Pasal 7(7), 11(3)): acknowledge, return, respond."""

from __future__ import annotations

import datetime as dt

import pytest

from aduan.accounts.models import User
from aduan.accounts.roles import Role
from aduan.agencies.models import Cause
from aduan.complaints.models import Clock, Message, Resolution
from aduan.complaints.tests import factories as f
from aduan.complaints.workflow import transitions as t
from aduan.core.exceptions import ApplicationError

from .support import (
    assert_one_event,
    end_of,
    new_outbox,
    outbox_summary,
    running_clocks,
    snapshot,
    wita,
)


@pytest.fixture
def liaison(ref):
    return f.actor(Role.LIAISON, f.agency("dpupr"), username="pupr-liaison")


def _respond(complaint, by, **kwargs):
    args = {
        "text": "Jalan sudah ditambal.",
        "cause": Cause.objects.get(code="sarana_rusak"),
        "resolution": Resolution.RESOLVED,
    }
    args.update(kwargs)
    return t.complaint_respond(complaint=complaint, by=by, **args)


def test_acknowledge_keeps_the_response_clock_and_tells_the_complainant(liaison, time_machine):
    """R19, R21: the liaison takes the complaint up; the response clock runs on unchanged and
    the complainant is told which agency is following it up."""
    time_machine.move_to(wita(2026, 6, 8, 9), tick=False)
    complaint = f.dispatched(channel="sms", email="")
    clock_before = running_clocks(complaint)
    time_machine.move_to(wita(2026, 6, 9, 9), tick=False)
    before = snapshot(complaint)
    complaint = t.complaint_acknowledge(complaint=complaint, by=liaison, note="Dicek besok.")
    assert complaint.acknowledged_at == wita(2026, 6, 9, 9)
    assert running_clocks(complaint) == clock_before
    assert [c.due_at for c in running_clocks(complaint)] == [end_of(2026, 6, 18)]
    assert complaint.response_due_at == end_of(2026, 6, 18)
    assert outbox_summary(new_outbox(before)) == {("complaint_acknowledged", "complainant", "sms")}
    event = assert_one_event(
        complaint,
        before,
        verb="acknowledge",
        from_state="dispatched",
        to_state="in_progress",
        by=liaison,
    )
    assert (event.agency.code, event.note) == ("dpupr", "Dicek besok.")


@pytest.mark.parametrize("source", ["dispatched", "in_progress"])
def test_return_restarts_a_full_dispatch_clock_and_tells_the_admins(liaison, source, time_machine):
    """R5 (Pasal 11(3)g): the agency returns the complaint with a reason and a suggested
    agency; its response clock stops (returned) and a full 2-working-day dispatch clock starts
    from the return; every active admin is told; the complainant is not bothered."""
    time_machine.move_to(wita(2026, 6, 8, 9), tick=False)
    complaint = f.BY_STATE[source]()
    f.staff(Role.ADMIN, username="admin-a")
    f.staff(Role.ADMIN, username="admin-off", is_active=False)
    f.staff(Role.CHAIR, username="ketua")
    time_machine.move_to(wita(2026, 6, 11, 16), tick=False)
    before = snapshot(complaint)
    complaint = t.complaint_return(
        complaint=complaint,
        by=liaison,
        reason="Jalan lingkungan: urusan Disperkim.",
        suggested_agency=f.agency("disperkim"),
    )
    assert complaint.status == "returned"
    assert complaint.suggested_agency == f.agency("disperkim")
    assert complaint.response_due_at is None and complaint.response_target_at is None
    # Thursday 11 June + 2 working days = Monday 15 June.
    assert complaint.dispatch_due_at == end_of(2026, 6, 15)
    response, dispatch = Clock.objects.filter(
        complaint=complaint, kind__in=["response", "dispatch"]
    ).order_by("-id")[:2][::-1]
    assert (response.kind, response.stop_reason, response.working_days_used) == (
        "response",
        "returned",
        3,
    )
    assert response.deadline_met is True and response.target_met is False
    assert (
        dispatch.kind,
        dispatch.started_at,
        dispatch.allowance_working_days,
        dispatch.due_at,
    ) == (
        "dispatch",
        wita(2026, 6, 11, 16),
        2,
        end_of(2026, 6, 15),
    )
    admins = set(
        User.objects.filter(role=Role.ADMIN, is_active=True)
        .exclude(email="")
        .values_list("username", flat=True)
    )
    assert "admin-a" in admins and "admin-off" not in admins
    assert outbox_summary(new_outbox(before)) == {
        ("complaint_returned", name, "email") for name in admins
    }
    event = assert_one_event(
        complaint, before, verb="return", from_state=source, to_state="returned", by=liaison
    )
    assert event.data == {"suggested_agency": "disperkim"}
    assert event.note == "Jalan lingkungan: urusan Disperkim."


@pytest.mark.parametrize(
    ("reason", "suggested", "code"),
    [("", "disperkim", "required"), ("Bukan urusan kami.", "dpupr", "same_agency")],
)
def test_return_needs_a_reason_and_another_agency(liaison, reason, suggested, code):
    """R5: a return without a reason, or suggesting the returning agency itself, is refused."""
    complaint = f.dispatched()
    before = snapshot(complaint)
    with pytest.raises(ApplicationError) as excinfo:
        t.complaint_return(
            complaint=complaint, by=liaison, reason=reason, suggested_agency=f.agency(suggested)
        )
    assert excinfo.value.code == code
    assert snapshot(complaint) == before


def test_return_without_a_suggestion_is_allowed(liaison):
    """R5: the suggestion helps the Dinas but is optional."""
    complaint = t.complaint_return(
        complaint=f.dispatched(), by=liaison, reason="Bukan urusan kami."
    )
    assert complaint.status == "returned" and complaint.suggested_agency is None


def test_respond_on_time_meets_target_and_deadline(liaison, time_machine):
    """R29, R31, R34: a response the day after dispatch meets the 2-day target and the 7-day
    deadline, used 1 working day, opens the 10-day closing window, and reaches the complainant
    with the agency's text; cause and result are recorded (Pasal 12, 13)."""
    time_machine.move_to(wita(2026, 6, 8, 9), tick=False)
    complaint = f.in_progress(channel="web", phone="")
    time_machine.move_to(wita(2026, 6, 9, 15, 30), tick=False)
    before = snapshot(complaint)
    complaint = _respond(complaint, liaison, resolution=Resolution.SCHEDULED)
    assert complaint.status == "responded"
    assert complaint.responded_at == complaint.first_responded_at == wita(2026, 6, 9, 15, 30)
    assert complaint.autoclose_at == wita(2026, 6, 19, 15, 30)  # + 10 calendar days
    assert (complaint.cause.code, complaint.resolution) == ("sarana_rusak", "scheduled")
    assert complaint.response_due_at is None and complaint.response_target_at is None
    assert running_clocks(complaint) == []
    clock = Clock.objects.get(complaint=complaint, kind="response")
    assert (clock.stop_reason, clock.working_days_used, clock.target_met, clock.deadline_met) == (
        "responded",
        1,
        True,
        True,
    )
    message = Message.objects.get(complaint=complaint, kind="response")
    assert (message.body, message.agency.code, message.author) == (
        "Jalan sudah ditambal.",
        "dpupr",
        liaison.user,
    )
    (row,) = new_outbox(before)
    assert (row.template, row.to_complainant, row.channel) == ("complaint_responded", True, "email")
    assert row.context["response"] == "Jalan sudah ditambal."
    assert row.context["autoclose_days"] == 10
    event = assert_one_event(
        complaint,
        before,
        verb="respond",
        from_state="in_progress",
        to_state="responded",
        by=liaison,
    )
    assert event.data == {
        "cause": "sarana_rusak",
        "resolution": "scheduled",
        "target_met": True,
        "deadline_met": True,
        "working_days": 1,
    }


def test_respond_after_the_deadline_is_recorded_as_late(liaison, time_machine):
    """R29, R34: a response on the 9th working day after dispatch misses target and deadline."""
    time_machine.move_to(wita(2026, 6, 8, 9), tick=False)
    complaint = f.dispatched()
    time_machine.move_to(wita(2026, 6, 22, 9), tick=False)
    _respond(complaint, liaison)
    clock = Clock.objects.get(complaint=complaint, kind="response")
    assert (clock.working_days_used, clock.target_met, clock.deadline_met) == (9, False, False)


def test_respond_at_the_last_instant_meets_the_deadline(liaison, time_machine):
    """R29: the deadline is the end of the 7th working day: a response at 23:59 WITA meets it."""
    time_machine.move_to(wita(2026, 6, 8, 9), tick=False)
    complaint = f.dispatched()
    time_machine.move_to(end_of(2026, 6, 18) - dt.timedelta(seconds=30), tick=False)
    _respond(complaint, liaison)
    clock = Clock.objects.get(complaint=complaint, kind="response")
    assert (clock.working_days_used, clock.target_met, clock.deadline_met) == (7, False, True)


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"text": "  "}, "required"),
        ({"cause": None}, "cause_required"),
        ({"cause": "inactive"}, "cause_required"),
        ({"resolution": "magic"}, "resolution_required"),
    ],
)
def test_respond_needs_text_cause_and_result(liaison, kwargs, code):
    """R29, R32, R33: a response without text, an active cause or a handling result is refused."""
    complaint = f.in_progress()
    if kwargs.get("cause") == "inactive":
        cause = Cause.objects.get(code="anggaran")
        cause.is_active = False
        cause.save(update_fields=["is_active"])
        kwargs = {"cause": cause}
    before = snapshot(complaint)
    with pytest.raises(ApplicationError) as excinfo:
        _respond(complaint, liaison, **kwargs)
    assert excinfo.value.code == code
    assert snapshot(complaint) == before

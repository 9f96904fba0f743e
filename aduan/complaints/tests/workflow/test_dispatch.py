"""Verify and dispatch, and re-dispatch (Pasal 11(2)a-c, 11(3)g): deadlines, clocks, outbox."""

from __future__ import annotations

import pytest

from aduan.accounts.roles import Role
from aduan.complaints.models import Clock, Kind
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
def admin(ref):
    return f.actor(Role.ADMIN, username="admin-dinas")


def test_receipt_starts_a_dispatch_clock_of_two_working_days(ref, time_machine):
    """R25: a complaint received on Friday 5 June 2026 is due for dispatch at the end of
    Tuesday 9 June (Saturday and Sunday do not count)."""
    time_machine.move_to(wita(2026, 6, 5, 10), tick=False)
    complaint = f.submit()
    assert complaint.dispatch_due_at == end_of(2026, 6, 9)
    (clock,) = running_clocks(complaint)
    assert (clock.kind, clock.started_at, clock.allowance_working_days, clock.due_at) == (
        Clock.Kind.DISPATCH,
        wita(2026, 6, 5, 10),
        2,
        end_of(2026, 6, 9),
    )
    assert complaint.response_due_at is None and complaint.response_target_at is None


def test_dispatch_starts_the_response_clock_target_2_deadline_7_working_days(admin, time_machine):
    """R25, R29: dispatched on Monday 8 June 2026, the agency's service target is the end of
    Wednesday 10 June (2 working days) and its deadline the end of Thursday 18 June
    (7 working days, skipping the weekend and Tahun Baru Islam on 16 June); the dispatch
    clock stops, met, after 1 working day."""
    time_machine.move_to(wita(2026, 6, 5, 10), tick=False)
    complaint = f.submit()
    time_machine.move_to(wita(2026, 6, 8, 9), tick=False)
    before = snapshot(complaint)
    complaint = t.complaint_dispatch(complaint=complaint, by=admin, agency=f.agency("dpupr"))

    assert complaint.dispatched_at == complaint.first_dispatched_at == wita(2026, 6, 8, 9)
    assert complaint.response_target_at == end_of(2026, 6, 10)
    assert complaint.response_due_at == end_of(2026, 6, 18)
    assert complaint.dispatch_due_at is None
    complaint.refresh_from_db()
    assert complaint.response_due_at == end_of(2026, 6, 18)

    dispatch_clock, response_clock = Clock.objects.filter(complaint=complaint)
    assert dispatch_clock.kind == Clock.Kind.DISPATCH
    assert dispatch_clock.stopped_at == wita(2026, 6, 8, 9)
    assert dispatch_clock.stop_reason == Clock.StopReason.DISPATCHED
    assert dispatch_clock.working_days_used == 1
    assert dispatch_clock.deadline_met is True
    assert dispatch_clock.target_met is None
    assert response_clock.kind == Clock.Kind.RESPONSE
    assert response_clock.agency == f.agency("dpupr")
    assert response_clock.started_at == wita(2026, 6, 8, 9)
    assert response_clock.allowance_working_days == 7
    assert (response_clock.target_at, response_clock.due_at) == (
        end_of(2026, 6, 10),
        end_of(2026, 6, 18),
    )
    assert response_clock.stopped_at is None
    assert_one_event(
        complaint, before, verb="dispatch", from_state="received", to_state="dispatched", by=admin
    )


def test_late_dispatch_is_recorded_as_deadline_missed(admin, time_machine):
    """R25, R34: dispatched on the third working day after receipt, the dispatch clock records
    3 working days used and the deadline missed."""
    time_machine.move_to(wita(2026, 6, 5, 10), tick=False)
    complaint = f.submit()
    time_machine.move_to(wita(2026, 6, 10, 8), tick=False)
    t.complaint_dispatch(complaint=complaint, by=admin, agency=f.agency("dpupr"))
    dispatch_clock = Clock.objects.get(complaint=complaint, kind=Clock.Kind.DISPATCH)
    assert dispatch_clock.deadline_met is False
    assert dispatch_clock.working_days_used == 3


def test_dispatch_notifies_lead_liaisons_co_agency_liaisons_and_the_complainant(admin):
    """R19, R21, R30: the lead agency's active liaisons with an email get complaint_assigned,
    each co-agency's liaisons co_agency_assigned, the complainant complaint_dispatched by email
    (web complaint); the agency head, other agencies and inactive accounts get nothing."""
    complaint = f.submit(channel="web", email="warga@contoh.id")
    f.staff(Role.LIAISON, f.agency("dpupr"), username="pupr-liaison")
    f.staff(Role.LIAISON, f.agency("dpupr"), username="pupr-inactive", is_active=False)
    f.staff(Role.LIAISON, f.agency("dpupr"), username="pupr-no-email", email="")
    f.staff(Role.AGENCY_HEAD, f.agency("dpupr"), username="pupr-head")
    f.staff(Role.LIAISON, f.agency("dinkes"), username="dinkes-liaison")
    f.staff(Role.LIAISON, f.agency("disperkim"), username="perkim-liaison")
    f.staff(Role.LIAISON, f.agency("dishub"), username="dishub-liaison")
    before = snapshot(complaint)

    complaint = t.complaint_dispatch(
        complaint=complaint,
        by=admin,
        agency=f.agency("dpupr"),
        co_agencies=[f.agency("dinkes"), f.agency("disperkim"), f.agency("dpupr")],
    )
    assert outbox_summary(new_outbox(before)) == {
        ("complaint_assigned", "pupr-liaison", "email"),
        ("co_agency_assigned", "dinkes-liaison", "email"),
        ("co_agency_assigned", "perkim-liaison", "email"),
        ("complaint_dispatched", "complainant", "email"),
    }
    assert {a.code for a in complaint.co_agencies.all()} == {"dinkes", "disperkim"}
    event = complaint.events.get(verb="dispatch")
    assert sorted(event.data["co_agencies"]) == ["dinkes", "disperkim"]
    for message in new_outbox(before):
        assert message.complaint_id == complaint.pk
        assert message.idempotency_key.startswith(f"c{complaint.pk}:e{event.pk}:")
        assert message.address == ""  # the complainant's address is read at sending time (S1)


@pytest.mark.parametrize(
    ("channel", "phone", "email", "expected"),
    [
        ("sms", "081234567890", "", "sms"),
        ("sms", "081234567890", "warga@contoh.id", "sms+email"),  # and email as well (issue 5)
        ("web", "081234567890", "warga@contoh.id", "email"),
        ("web", "081234567890", "", "sms"),
        ("web", "", "", None),
        ("walk_in", "", "", None),
    ],
)
def test_complainant_is_answered_on_the_channel_they_used(admin, channel, phone, email, expected):
    """R9, R21: the complainant hears of the dispatch on the channel they used (SMS for an SMS
    complaint, email for a web complaint with an email, SMS if they left only a phone);
    a complainant without any contact gets no outbox row."""
    complaint = f.submit(channel=channel, phone=phone, email=email)
    before = snapshot(complaint)
    t.complaint_dispatch(complaint=complaint, by=admin, agency=f.agency("dpupr"))
    to_complainant = [m for m in new_outbox(before) if m.to_complainant]
    assert [m.channel for m in to_complainant] == (expected.split("+") if expected else [])


def test_dispatch_records_kind_ground_and_category(buton):
    """R1, R2, R16: verification may correct the kind, the ground and the category; a ground
    is dropped when the report is not a complaint."""
    from aduan.agencies.models import Category

    admin = f.actor(Role.ADMIN)
    category = Category.objects.filter(default_agency__code="dpupr").first()
    assert category is not None
    complaint = f.submit()
    complaint = t.complaint_dispatch(
        complaint=complaint,
        by=admin,
        agency=f.agency("dpupr"),
        category=category,
        kind=Kind.COMPLAINT,
        ground="neglect",
    )
    complaint.refresh_from_db()
    assert (complaint.kind, complaint.ground, complaint.category) == (
        "complaint",
        "neglect",
        category,
    )

    other = f.submit()
    t.complaint_dispatch(complaint=other, by=admin, agency=f.agency("dpupr"), ground="neglect")
    other = t.complaint_redispatch(complaint=other, by=admin, agency=f.agency("disperkim"))
    other.refresh_from_db()
    assert other.ground == "neglect"
    aspiration = f.submit(kind=Kind.ASPIRATION)
    aspiration = t.complaint_dispatch(
        complaint=aspiration, by=admin, agency=f.agency("dpupr"), kind=Kind.ASPIRATION
    )
    assert aspiration.ground == ""


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"kind": "rumor"}, "invalid_kind"),
        ({"ground": "boredom"}, "invalid_ground"),
        ({"agency": None}, "agency_required"),
        ({"agency": "inactive"}, "agency_required"),
    ],
)
def test_invalid_dispatch_is_refused_and_changes_nothing(admin, kwargs, code):
    """R24: a dispatch with an unknown kind or ground, or without an active agency, is refused."""
    complaint = f.submit()
    agency = f.agency("dpupr")
    if kwargs.get("agency") == "inactive":
        agency.is_active = False
        agency.save(update_fields=["is_active"])
        kwargs = {}
    elif "agency" in kwargs:
        agency = kwargs.pop("agency")
    before = snapshot(complaint)
    with pytest.raises(ApplicationError) as excinfo:
        t.complaint_dispatch(complaint=complaint, by=admin, agency=agency, **kwargs)
    assert excinfo.value.code == code
    assert snapshot(complaint) == before


@pytest.mark.parametrize("source", ["dispatched", "in_progress"])
def test_redispatch_moves_the_response_clock_to_the_new_agency(admin, source, time_machine):
    """R5: a wrong dispatch is corrected: the old response clock stops (redispatched), a full
    new one starts for the new agency, whose liaisons are told; acknowledgement is reset."""
    time_machine.move_to(wita(2026, 6, 8, 9), tick=False)
    complaint = f.BY_STATE[source]()
    first = complaint.first_dispatched_at
    f.staff(Role.LIAISON, f.agency("disperkim"), username="perkim-liaison")
    time_machine.move_to(wita(2026, 6, 9, 11), tick=False)
    before = snapshot(complaint)

    complaint = t.complaint_redispatch(complaint=complaint, by=admin, agency=f.agency("disperkim"))
    assert complaint.lead_agency == f.agency("disperkim")
    assert complaint.acknowledged_at is None
    assert complaint.first_dispatched_at == first
    assert complaint.dispatched_at == wita(2026, 6, 9, 11)
    old, new = Clock.objects.filter(complaint=complaint, kind=Clock.Kind.RESPONSE)
    assert (old.agency.code, old.stop_reason, old.working_days_used) == ("dpupr", "redispatched", 1)
    assert (new.agency.code, new.started_at, new.stopped_at) == (
        "disperkim",
        wita(2026, 6, 9, 11),
        None,
    )
    # 9 June + 7 working days, 16 June (Tahun Baru Islam) skipped.
    assert complaint.response_due_at == new.due_at == end_of(2026, 6, 19)
    assert complaint.response_target_at == new.target_at == end_of(2026, 6, 11)
    assert ("complaint_assigned", "perkim-liaison", "email") in outbox_summary(new_outbox(before))
    assert_one_event(
        complaint, before, verb="redispatch", from_state=source, to_state="dispatched", by=admin
    )


def test_redispatch_to_the_same_agency_is_refused(admin):
    """R5: re-dispatching a dispatched complaint to the agency that already has it is refused."""
    complaint = f.dispatched("dpupr")
    before = snapshot(complaint)
    with pytest.raises(ApplicationError) as excinfo:
        t.complaint_redispatch(complaint=complaint, by=admin, agency=f.agency("dpupr"))
    assert excinfo.value.code == "same_agency"
    assert snapshot(complaint) == before


def test_redispatch_after_return_stops_the_dispatch_clock(admin, time_machine):
    """R5, R25: a returned complaint re-dispatched to the suggested agency stops its dispatch
    clock as dispatched, clears the suggestion and starts the new agency's response clock."""
    time_machine.move_to(wita(2026, 6, 8, 9), tick=False)
    complaint = f.returned("dpupr")
    assert complaint.suggested_agency == f.agency("disperkim")
    time_machine.move_to(wita(2026, 6, 9, 9), tick=False)
    complaint = t.complaint_redispatch(
        complaint=complaint, by=admin, agency=complaint.suggested_agency
    )
    assert complaint.suggested_agency is None
    clocks = list(Clock.objects.filter(complaint=complaint).order_by("id"))
    assert [(c.kind, c.stop_reason) for c in clocks] == [
        ("dispatch", "dispatched"),
        ("response", "returned"),
        ("dispatch", "dispatched"),
        ("response", ""),
    ]
    assert clocks[2].working_days_used == 1 and clocks[2].deadline_met is True
    assert clocks[3].agency.code == "disperkim"

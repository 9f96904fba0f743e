"""The complainant's verbs after a response (Pasal 11(3), 12): follow up within the 10 days,
confirm, rate; and the system's auto-close when nobody replies."""

from __future__ import annotations

import datetime as dt

import pytest

from aduan.accounts.roles import Role
from aduan.complaints.models import Clock, Message
from aduan.complaints.tests import factories as f
from aduan.complaints.workflow import transitions as t
from aduan.complaints.workflow.actors import Actor
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

COMPLAINANT = Actor.complainant()
SYSTEM = Actor.system()


@pytest.fixture
def responded_on_9_june(ref, time_machine):
    """Dispatched Monday 8 June 2026 09:00 WITA, responded Tuesday 9 June 15:00 WITA."""
    complaint = f.responded_on_9_june(time_machine)
    f.staff(Role.LIAISON, f.agency("dpupr"), username="pupr-liaison")
    return complaint


def test_follow_up_within_the_window_starts_a_new_response_clock(responded_on_9_june, time_machine):
    """R31: a reply on Friday 12 June sends the complaint back to the agency (in_progress) with
    a new response clock from the reply: target Wednesday 17 June, deadline Wednesday 24 June
    (16 June is Tahun Baru Islam); the lead agency's liaisons are told."""
    complaint = responded_on_9_june
    time_machine.move_to(wita(2026, 6, 12, 10), tick=False)
    before = snapshot(complaint)
    complaint = t.complaint_follow_up(
        complaint=complaint, by=COMPLAINANT, text="Sudah rusak lagi.", channel="web"
    )
    assert complaint.status == "in_progress"
    assert complaint.autoclose_at is None
    assert complaint.follow_up_count == 1
    assert complaint.acknowledged_at == wita(2026, 6, 12, 10)
    (clock,) = running_clocks(complaint)
    assert (clock.kind, clock.agency.code, clock.started_at) == (
        "response",
        "dpupr",
        wita(2026, 6, 12, 10),
    )
    assert (clock.target_at, clock.due_at) == (end_of(2026, 6, 17), end_of(2026, 6, 24))
    assert (complaint.response_target_at, complaint.response_due_at) == (
        end_of(2026, 6, 17),
        end_of(2026, 6, 24),
    )
    assert Clock.objects.filter(complaint=complaint, kind="response").count() == 2
    message = Message.objects.get(complaint=complaint, kind="follow_up")
    assert (message.body, message.channel) == ("Sudah rusak lagi.", "web")
    summary = outbox_summary(new_outbox(before))
    assert ("follow_up_received", "complainant", "email") in summary
    assert ("follow_up_for_agency", "pupr-liaison", "email") in summary
    assert {template for template, _who, _ch in summary} == {
        "follow_up_received",
        "follow_up_for_agency",
    }
    assert_one_event(
        complaint,
        before,
        verb="follow_up",
        from_state="responded",
        to_state="in_progress",
        by=COMPLAINANT,
    )


def test_follow_up_after_the_window_is_refused(responded_on_9_june, time_machine):
    """R31: at 10 days after the response the reply window is closed (window_closed), even if
    the sweep has not closed the complaint yet; one second before it is still open."""
    complaint = responded_on_9_june
    time_machine.move_to(wita(2026, 6, 19, 15), tick=False)
    before = snapshot(complaint)
    with pytest.raises(ApplicationError) as excinfo:
        t.complaint_follow_up(complaint=complaint, by=COMPLAINANT, text="Masih rusak.")
    assert excinfo.value.code == "window_closed"
    assert snapshot(complaint) == before
    time_machine.move_to(wita(2026, 6, 19, 15) - dt.timedelta(seconds=1), tick=False)
    assert (
        t.complaint_follow_up(complaint=complaint, by=COMPLAINANT, text="Masih rusak.").status
        == "in_progress"
    )


def test_follow_up_needs_text(responded_on_9_june):
    """R31: an empty reply is refused and changes nothing."""
    before = snapshot(responded_on_9_june)
    with pytest.raises(ApplicationError) as excinfo:
        t.complaint_follow_up(complaint=responded_on_9_june, by=COMPLAINANT, text=" ")
    assert excinfo.value.code == "required"
    assert snapshot(responded_on_9_june) == before


def test_second_response_after_a_follow_up(responded_on_9_june, time_machine):
    """R29, R31: after a follow-up the agency answers again; the first response time is kept
    and the closing window starts again from the new response."""
    complaint = t.complaint_follow_up(complaint=responded_on_9_june, by=COMPLAINANT, text="Lagi.")
    time_machine.move_to(wita(2026, 6, 15, 9), tick=False)
    complaint = t.complaint_respond(
        complaint=complaint,
        by=f.actor(Role.LIAISON, f.agency("dpupr")),
        text="Sudah diperbaiki permanen.",
        cause=f.Cause.objects.get(code="sarana_rusak"),
        resolution="resolved",
    )
    assert complaint.first_responded_at == wita(2026, 6, 9, 15)
    assert complaint.responded_at == wita(2026, 6, 15, 9)
    assert complaint.autoclose_at == wita(2026, 6, 25, 9)


@pytest.mark.parametrize("satisfaction", [None, 1, 5])
def test_confirm_closes_with_an_optional_rating(responded_on_9_june, time_machine, satisfaction):
    """R31, R32: the complainant confirms the problem is solved: closed (confirmed), with a
    rating if given; the complainant gets the closing message."""
    time_machine.move_to(wita(2026, 6, 10, 8), tick=False)
    before = snapshot(responded_on_9_june)
    complaint = t.complaint_confirm(
        complaint=responded_on_9_june, by=COMPLAINANT, satisfaction=satisfaction, comment=" Cepat "
    )
    assert (complaint.status, complaint.close_reason, complaint.closed_at) == (
        "closed",
        "confirmed",
        wita(2026, 6, 10, 8),
    )
    assert complaint.autoclose_at is None
    assert complaint.satisfaction == satisfaction
    assert complaint.rated_at == (wita(2026, 6, 10, 8) if satisfaction else None)
    assert complaint.satisfaction_comment == ("Cepat" if satisfaction else "")
    assert outbox_summary(new_outbox(before)) == {("complaint_closed", "complainant", "email")}
    event = assert_one_event(
        complaint, before, verb="confirm", from_state="responded", to_state="closed", by=COMPLAINANT
    )
    assert event.data == {"satisfaction": satisfaction}


@pytest.mark.parametrize("satisfaction", [0, 6, -1, "5"])
def test_ratings_outside_1_to_5_are_refused(ref, satisfaction):
    """R32: a rating is an integer from 1 to 5, on confirming and when rating afterwards."""
    complaint = f.responded()
    before = snapshot(complaint)
    with pytest.raises(ApplicationError) as excinfo:
        t.complaint_confirm(complaint=complaint, by=COMPLAINANT, satisfaction=satisfaction)
    assert excinfo.value.code == "invalid_rating"
    assert snapshot(complaint) == before
    closed = f.unrated_closed()
    before = snapshot(closed)
    with pytest.raises(ApplicationError) as excinfo:
        t.complaint_rate(complaint=closed, by=COMPLAINANT, satisfaction=satisfaction)
    assert excinfo.value.code == "invalid_rating"
    assert snapshot(closed) == before


def test_rate_once_after_closing(ref):
    """R32: a closed complaint is rated once (an Event without a state change, no notification);
    a second rating is refused (already_rated)."""
    complaint = f.unrated_closed()
    before = snapshot(complaint)
    complaint = t.complaint_rate(
        complaint=complaint, by=COMPLAINANT, satisfaction=2, comment="Lambat"
    )
    assert (complaint.status, complaint.satisfaction, complaint.satisfaction_comment) == (
        "closed",
        2,
        "Lambat",
    )
    assert complaint.rated_at is not None
    assert new_outbox(before) == []
    assert_one_event(
        complaint, before, verb="rate", from_state="closed", to_state="closed", by=COMPLAINANT
    )
    before = snapshot(complaint)
    with pytest.raises(ApplicationError) as excinfo:
        t.complaint_rate(complaint=complaint, by=COMPLAINANT, satisfaction=5)
    assert excinfo.value.code == "already_rated"
    assert snapshot(complaint) == before


def test_auto_close_exactly_10_days_after_the_response(responded_on_9_june, time_machine):
    """R31: the system may close a responded complaint 10 calendar days after the response
    (not_due a second earlier); close reason no_reply; the complainant is told and may rate."""
    complaint = responded_on_9_june
    assert complaint.autoclose_at == wita(2026, 6, 19, 15)
    time_machine.move_to(wita(2026, 6, 19, 15) - dt.timedelta(seconds=1), tick=False)
    before = snapshot(complaint)
    with pytest.raises(ApplicationError) as excinfo:
        t.complaint_auto_close(complaint=complaint, by=SYSTEM)
    assert excinfo.value.code == "not_due"
    assert snapshot(complaint) == before

    time_machine.move_to(wita(2026, 6, 19, 15), tick=False)
    complaint = t.complaint_auto_close(complaint=complaint, by=SYSTEM)
    assert (
        complaint.status,
        complaint.close_reason,
        complaint.closed_at,
        complaint.autoclose_at,
    ) == (
        "closed",
        "no_reply",
        wita(2026, 6, 19, 15),
        None,
    )
    assert outbox_summary(new_outbox(before)) == {("complaint_auto_closed", "complainant", "email")}
    assert_one_event(
        complaint, before, verb="auto_close", from_state="responded", to_state="closed", by=SYSTEM
    )
    assert t.complaint_rate(complaint=complaint, by=COMPLAINANT, satisfaction=4).satisfaction == 4

"""Archive (Pasal 11(2)e), forward out (Pasal 11(2)f, 7(6)e) and restore."""

from __future__ import annotations

import pytest

from aduan.complaints.models import Clock
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


@pytest.mark.parametrize("reason", ["unclear", "incomplete", "sara"])
@pytest.mark.parametrize("source", ["received", "pending", "returned"])
def test_archive_stops_the_dispatch_clock_and_tells_the_complainant(
    admin, time_machine, reason, source
):
    """R27: an unclear, incomplete or SARA report is archived with its reason; the dispatch
    clock (running or paused) stops as archived; the complainant is told why."""
    time_machine.move_to(wita(2026, 6, 9, 10), tick=False)
    complaint = f.BY_STATE[source]()
    time_machine.move_to(wita(2026, 6, 10, 10), tick=False)
    before = snapshot(complaint)
    complaint = t.complaint_archive(complaint=complaint, by=admin, reason=reason, note="catatan")
    assert (complaint.status, complaint.archive_reason, complaint.archived_at) == (
        "archived",
        reason,
        wita(2026, 6, 10, 10),
    )
    assert complaint.dispatch_due_at is None and complaint.autoarchive_at is None
    assert running_clocks(complaint) == []
    clock = Clock.objects.filter(complaint=complaint).last()
    assert (clock.kind, clock.stop_reason) == ("dispatch", "archived")
    (row,) = new_outbox(before)
    assert (row.template, row.to_complainant) == ("complaint_archived", True)
    event = assert_one_event(
        complaint, before, verb="archive", from_state=source, to_state="archived", by=admin
    )
    assert event.data == {"reason": reason, "duplicate_of": ""}


def test_archive_as_duplicate_names_the_original(admin):
    """R27: a repeated report is archived as a duplicate of a named other complaint, and the
    complainant is told which one."""
    original = f.dispatched()
    complaint = f.received()
    before = snapshot(complaint)
    complaint = t.complaint_archive(
        complaint=complaint, by=admin, reason="duplicate", duplicate_of=original
    )
    assert complaint.duplicate_of == original
    (row,) = new_outbox(before)
    assert original.tracking_code in row.context["note"]
    assert complaint.events.get(verb="archive").data["duplicate_of"] == original.tracking_code


def test_spam_is_archived_silently(admin):
    """R27: spam is archived without answering the sender."""
    complaint = f.received()
    before = snapshot(complaint)
    t.complaint_archive(complaint=complaint, by=admin, reason="spam")
    assert new_outbox(before) == []


@pytest.mark.parametrize(
    ("reason", "duplicate", "code"),
    [
        ("out_of_authority", None, "invalid_reason"),
        ("no_reply", None, "invalid_reason"),
        ("boring", None, "invalid_reason"),
        ("duplicate", None, "duplicate_required"),
        ("duplicate", "self", "duplicate_required"),
    ],
)
def test_archive_reasons_are_checked(admin, reason, duplicate, code):
    """R27, R28: an admin archives only for the listed reasons (out of authority goes through
    forward_out, no_reply is the system's); a duplicate must name another complaint."""
    complaint = f.received()
    before = snapshot(complaint)
    with pytest.raises(ApplicationError) as excinfo:
        t.complaint_archive(
            complaint=complaint,
            by=admin,
            reason=reason,
            duplicate_of=complaint if duplicate == "self" else None,
        )
    assert excinfo.value.code == code
    assert snapshot(complaint) == before


@pytest.mark.parametrize("national", [True, False])
def test_forward_out_archives_as_out_of_authority(admin, national):
    """R18, R28: a report outside the regency's authority is not processed: archived as
    out_of_authority, with where it was handed on (national LAPOR! or another body) recorded
    and told to the complainant."""
    complaint = f.received(channel="sms", email="")
    before = snapshot(complaint)
    complaint = t.complaint_forward_out(
        complaint=complaint,
        by=admin,
        forwarded_to="LAPOR! nasional" if national else "BPJN Sulawesi Tenggara",
        to_national_lapor=national,
    )
    assert (complaint.status, complaint.archive_reason) == ("archived", "out_of_authority")
    assert complaint.forwarded_to == ("LAPOR! nasional" if national else "BPJN Sulawesi Tenggara")
    assert running_clocks(complaint) == []
    assert outbox_summary(new_outbox(before)) == {("complaint_forwarded", "complainant", "sms")}
    event = assert_one_event(
        complaint, before, verb="forward_out", from_state="received", to_state="archived", by=admin
    )
    assert event.data["to_national_lapor"] is national


def test_forward_out_needs_a_destination(admin):
    """R28: handing on needs to say where to."""
    complaint = f.received()
    before = snapshot(complaint)
    with pytest.raises(ApplicationError) as excinfo:
        t.complaint_forward_out(complaint=complaint, by=admin, forwarded_to="  ")
    assert excinfo.value.code == "required"
    assert snapshot(complaint) == before


@pytest.mark.parametrize("source", ["archived", "closed"])
def test_restore_reopens_with_a_new_full_dispatch_clock(admin, time_machine, source):
    """R6, R24: an admin reopens an archived or closed complaint with a reason: back to
    verification, archive/close fields cleared, a new 2-working-day dispatch clock from now."""
    time_machine.move_to(wita(2026, 6, 1, 10), tick=False)
    complaint = f.BY_STATE[source]()
    time_machine.move_to(wita(2026, 6, 12, 10), tick=False)
    before = snapshot(complaint)
    complaint = t.complaint_restore(complaint=complaint, by=admin, reason="Diarsipkan keliru.")
    assert complaint.status == "received"
    for field in ("archived_at", "closed_at", "autoclose_at", "autoarchive_at", "duplicate_of"):
        assert getattr(complaint, field) is None, field
    assert (complaint.archive_reason, complaint.close_reason, complaint.forwarded_to) == (
        "",
        "",
        "",
    )
    (clock,) = running_clocks(complaint)
    assert (clock.kind, clock.started_at, clock.due_at) == (
        "dispatch",
        wita(2026, 6, 12, 10),
        end_of(2026, 6, 17),  # Friday + 2 working days, Tuesday 16 June a holiday
    )
    assert complaint.dispatch_due_at == end_of(2026, 6, 17)
    assert outbox_summary(new_outbox(before)) == {("complaint_restored", "complainant", "email")}
    event = assert_one_event(
        complaint, before, verb="restore", from_state=source, to_state="received", by=admin
    )
    assert event.note == "Diarsipkan keliru."


def test_restore_needs_a_reason(admin):
    """R6: reopening is explained."""
    complaint = f.archived()
    before = snapshot(complaint)
    with pytest.raises(ApplicationError) as excinfo:
        t.complaint_restore(complaint=complaint, by=admin, reason="")
    assert excinfo.value.code == "required"
    assert snapshot(complaint) == before

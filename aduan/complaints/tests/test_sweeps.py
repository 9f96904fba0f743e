"""The periodic sweeps: auto-close, auto-archive, target reminders and overdue escalation
(Pasal 11(3), 7(5)a; R13, R26, R31)."""

from __future__ import annotations

import datetime as dt

import pytest

from aduan.accounts.roles import Role
from aduan.complaints import sweeps
from aduan.complaints.models import Clock, Event
from aduan.complaints.sweeps import run_sweeps
from aduan.complaints.tests import factories as f
from aduan.complaints.workflow import transitions as t
from aduan.complaints.workflow.actors import Actor
from aduan.core.exceptions import ApplicationError
from aduan.notifications.models import OutboxMessage

from .workflow.support import end_of, outbox_summary, wita

SECOND = dt.timedelta(seconds=1)


def _counts(report):  # type: ignore[no-untyped-def]
    return (report.closed, report.archived, report.reminded, report.escalated, report.errors)


@pytest.fixture
def team(ref):
    """Staff who may be notified: dpupr's liaison and head, another agency's head, the
    coordination team, the regent and an admin."""
    return {
        "liaison": f.staff(Role.LIAISON, f.agency("dpupr"), username="pupr-liaison"),
        "head": f.staff(Role.AGENCY_HEAD, f.agency("dpupr"), username="pupr-head"),
        "other_head": f.staff(Role.AGENCY_HEAD, f.agency("dinkes"), username="dinkes-head"),
        "member": f.staff(Role.MEMBER, username="anggota"),
        "chair": f.staff(Role.CHAIR, username="ketua"),
        "patron": f.staff(Role.PATRON, username="pembina"),
        "regent": f.staff(Role.REGENT, username="bupati"),
        "admin": f.staff(Role.ADMIN, username="admin-dinas"),
    }


def test_responded_complaint_closes_exactly_10_days_later(ref, time_machine):
    """R31: 10 days minus a second after the response the complaint is still responded; at 10
    days the sweep closes it (no_reply) with one auto_close Event by the system, and the
    complainant is told."""
    complaint = f.responded_on_9_june(time_machine)
    assert complaint.autoclose_at == wita(2026, 6, 19, 15)

    time_machine.move_to(wita(2026, 6, 19, 15) - SECOND, tick=False)
    assert _counts(run_sweeps()) == (0, 0, 0, 0, [])
    complaint.refresh_from_db()
    assert complaint.status == "responded"

    time_machine.move_to(wita(2026, 6, 19, 15), tick=False)
    assert _counts(run_sweeps()) == (1, 0, 0, 0, [])
    complaint.refresh_from_db()
    assert (complaint.status, complaint.close_reason, complaint.closed_at) == (
        "closed",
        "no_reply",
        wita(2026, 6, 19, 15),
    )
    event = complaint.events.get(verb="auto_close")
    assert (event.from_state, event.to_state, event.actor_role, event.actor_id) == (
        "responded",
        "closed",
        "system",
        None,
    )
    assert (
        OutboxMessage.objects.filter(complaint=complaint, template="complaint_auto_closed").count()
        == 1
    )
    assert _counts(run_sweeps()) == (0, 0, 0, 0, [])
    assert complaint.events.filter(verb="auto_close").count() == 1


def test_reply_within_the_window_goes_back_to_the_agency(ref, time_machine, team):
    """R31: a reply on day 9 sends the complaint back to the agency (in_progress) with a new
    7-working-day response deadline from the reply; the sweep at day 10 leaves it alone."""
    complaint = f.responded_on_9_june(time_machine)
    time_machine.move_to(wita(2026, 6, 18, 10), tick=False)  # Thursday
    complaint = t.complaint_follow_up(
        complaint=complaint, by=Actor.complainant(), text="Rusak lagi."
    )
    assert complaint.status == "in_progress"
    # Thursday 18 June + 7 working days: 19, 22, 23, 24, 25, 26, 29 June.
    assert complaint.response_due_at == end_of(2026, 6, 29)
    assert complaint.response_target_at == end_of(2026, 6, 22)
    time_machine.move_to(wita(2026, 6, 19, 15), tick=False)
    assert _counts(run_sweeps()) == (0, 0, 0, 0, [])
    complaint.refresh_from_db()
    assert complaint.status == "in_progress"


def test_reply_after_the_window_is_refused(ref, time_machine):
    """R31: once the 10 days have passed the reply is refused (window_closed) — and after the
    sweep closed the complaint, follow-up is no longer a possible move at all."""
    complaint = f.responded_on_9_june(time_machine)
    time_machine.move_to(wita(2026, 6, 19, 15) + SECOND, tick=False)
    with pytest.raises(ApplicationError) as excinfo:
        t.complaint_follow_up(complaint=complaint, by=Actor.complainant(), text="Masih rusak.")
    assert excinfo.value.code == "window_closed"
    run_sweeps()
    with pytest.raises(ApplicationError) as excinfo:
        t.complaint_follow_up(complaint=complaint, by=Actor.complainant(), text="Masih rusak.")
    assert excinfo.value.code == "invalid_state"


def test_pending_complaint_is_archived_after_10_days(ref, time_machine):
    """R26, R27: a pending report without an answer is archived (no_reply) by the sweep 10 days
    after the question, not before; its paused clock stops; escalation ignores it meanwhile."""
    time_machine.move_to(wita(2026, 6, 8, 9), tick=False)
    complaint = f.pending()
    assert complaint.autoarchive_at == wita(2026, 6, 18, 9)
    time_machine.move_to(wita(2026, 6, 18, 9) - SECOND, tick=False)
    assert _counts(run_sweeps()) == (0, 0, 0, 0, [])  # the dispatch deadline passed, but paused
    time_machine.move_to(wita(2026, 6, 18, 9), tick=False)
    assert _counts(run_sweeps()) == (0, 1, 0, 0, [])
    complaint.refresh_from_db()
    assert (complaint.status, complaint.archive_reason) == ("archived", "no_reply")
    assert complaint.events.filter(verb="auto_archive", actor_role="system").count() == 1
    assert not Clock.objects.filter(complaint=complaint, stopped_at__isnull=True).exists()
    assert _counts(run_sweeps()) == (0, 0, 0, 0, [])


def test_target_reminder_and_overdue_escalation_fire_once(ref, time_machine, team):
    """R12, R13: passing the 2-day target reminds the lead agency's liaisons; passing the 7-day
    deadline notifies the agency head, the coordination team's members and chair. Each fires
    once, with one Event, however often the sweep runs."""
    time_machine.move_to(wita(2026, 6, 8, 9), tick=False)
    complaint = f.dispatched()
    liaisons = set(
        f.User.objects.filter(role=Role.LIAISON, agency__code="dpupr").values_list(
            "username", flat=True
        )
    )

    time_machine.move_to(end_of(2026, 6, 10), tick=False)  # the target instant: not passed yet
    assert _counts(run_sweeps()) == (0, 0, 0, 0, [])
    time_machine.move_to(wita(2026, 6, 11, 0), tick=False)
    first = set(OutboxMessage.objects.values_list("pk", flat=True))
    assert _counts(run_sweeps()) == (0, 0, 1, 0, [])
    assert _counts(run_sweeps()) == (0, 0, 0, 0, [])
    reminders = OutboxMessage.objects.exclude(pk__in=first)
    assert outbox_summary(list(reminders)) == {
        ("response_target_passed", name, "email") for name in liaisons
    }
    event = complaint.events.get(verb="target_passed")
    assert (event.from_state, event.to_state, event.actor_role, event.is_public) == (
        "dispatched",
        "dispatched",
        "system",
        False,
    )

    time_machine.move_to(end_of(2026, 6, 18), tick=False)
    assert _counts(run_sweeps()) == (0, 0, 0, 0, [])
    time_machine.move_to(wita(2026, 6, 19, 8), tick=False)
    second = set(OutboxMessage.objects.values_list("pk", flat=True))
    assert _counts(run_sweeps()) == (0, 0, 0, 1, [])
    assert _counts(run_sweeps()) == (0, 0, 0, 0, [])
    overdue = OutboxMessage.objects.exclude(pk__in=second)
    assert outbox_summary(list(overdue)) == {
        ("response_overdue", "pupr-head", "email"),
        ("response_overdue", "anggota", "email"),
        ("response_overdue", "ketua", "email"),
    }
    assert complaint.events.filter(verb="overdue").count() == 1
    clock = Clock.objects.get(complaint=complaint, stopped_at__isnull=True)
    assert clock.target_passed_at == wita(2026, 6, 11, 0)
    assert clock.deadline_passed_at == wita(2026, 6, 19, 8)
    assert complaint.is_overdue()


def test_late_dispatch_is_escalated_to_the_admins_and_the_chair_once(ref, time_machine, team):
    """R13, R25: a complaint not dispatched by its deadline is escalated once to the Dinas
    admins and the chair."""
    time_machine.move_to(wita(2026, 6, 8, 9), tick=False)
    complaint = f.received()
    admins = set(f.User.objects.filter(role=Role.ADMIN).values_list("username", flat=True))
    time_machine.move_to(wita(2026, 6, 11, 0), tick=False)
    before = set(OutboxMessage.objects.values_list("pk", flat=True))
    assert _counts(run_sweeps()) == (0, 0, 0, 1, [])
    assert _counts(run_sweeps()) == (0, 0, 0, 0, [])
    assert outbox_summary(list(OutboxMessage.objects.exclude(pk__in=before))) == {
        ("dispatch_overdue", name, "email") for name in admins | {"ketua"}
    }
    assert complaint.events.filter(verb="overdue").count() == 1


def test_a_new_clock_is_escalated_again(ref, time_machine, team):
    """R13: escalation is once per clock: after a re-dispatch the new agency's clock has its own
    reminder and escalation."""
    time_machine.move_to(wita(2026, 6, 8, 9), tick=False)
    complaint = f.dispatched()
    time_machine.move_to(wita(2026, 6, 19, 8), tick=False)
    assert _counts(run_sweeps()) == (0, 0, 1, 1, [])
    t.complaint_redispatch(complaint=complaint, by=f.actor(Role.ADMIN), agency=f.agency("dinkes"))
    time_machine.move_to(wita(2026, 7, 1, 8), tick=False)
    before = set(OutboxMessage.objects.values_list("pk", flat=True))
    assert _counts(run_sweeps()) == (0, 0, 1, 1, [])
    event = complaint.events.filter(verb="overdue").last()
    assert event.agency.code == "dinkes"
    overdue = OutboxMessage.objects.exclude(pk__in=before).filter(template="response_overdue")
    assert {m.to_user.username for m in overdue} == {"dinkes-head", "anggota", "ketua"}


def test_a_failing_complaint_does_not_block_the_others(ref, time_machine, monkeypatch):
    """R31: one complaint whose auto-close fails (an unexpected error) is reported, and the
    other due complaints are still closed."""
    first = f.responded_on_9_june(time_machine)
    second = f.responded_on_9_june(time_machine)
    real = sweeps.complaint_auto_close

    def broken(*, complaint, by):  # type: ignore[no-untyped-def]
        if complaint.pk == first.pk:
            raise RuntimeError("disk full")
        return real(complaint=complaint, by=by)

    monkeypatch.setattr(sweeps, "complaint_auto_close", broken)
    time_machine.move_to(wita(2026, 6, 20, 0), tick=False)
    report = run_sweeps()
    assert report.closed == 1
    assert report.errors and "RuntimeError" in report.errors[0]
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == ("responded", "closed")
    assert Event.objects.filter(verb="auto_close").count() == 1

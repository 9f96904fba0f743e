"""Pending (Pasal 11(2)d): request_info pauses the dispatch clock, supplement resumes it with
the working days it had left, auto_archive ends a pending report nobody answered."""

from __future__ import annotations

import datetime as dt

import pytest

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


def test_request_info_pauses_the_dispatch_clock(admin, time_machine):
    """R26: asked on Wednesday 10 June 2026 about a complaint due on Thursday 11 June, the
    dispatch clock pauses with 1 working day left; the complaint shows no dispatch deadline,
    will be archived 10 days later, and the complainant gets the question."""
    time_machine.move_to(wita(2026, 6, 9, 10), tick=False)
    complaint = f.submit(channel="sms", email="")
    time_machine.move_to(wita(2026, 6, 10, 14), tick=False)
    before = snapshot(complaint)
    complaint = t.complaint_request_info(
        complaint=complaint, by=admin, question="Di desa mana jalan itu?"
    )
    assert complaint.status == "pending"
    assert complaint.dispatch_due_at is None
    assert complaint.autoarchive_at == wita(2026, 6, 20, 14)
    (clock,) = running_clocks(complaint)
    assert (clock.paused_at, clock.remaining_working_days, clock.due_at) == (
        wita(2026, 6, 10, 14),
        1,
        end_of(2026, 6, 11),
    )
    assert not clock.is_running
    question = Message.objects.get(complaint=complaint)
    assert (question.kind, question.body, question.author) == (
        "question",
        "Di desa mana jalan itu?",
        admin.user,
    )
    assert outbox_summary(new_outbox(before)) == {("info_requested", "complainant", "sms")}
    (row,) = new_outbox(before)
    assert row.context["question"] == "Di desa mana jalan itu?"
    assert row.context["days"] == 10
    assert_one_event(
        complaint, before, verb="request_info", from_state="received", to_state="pending", by=admin
    )


def test_supplement_resumes_with_the_working_days_left(admin, time_machine):
    """R26: answered on Monday 15 June, the clock that had 1 working day left is due at the end
    of Wednesday 17 June (Tuesday 16 June is Tahun Baru Islam); it is the same clock, running."""
    time_machine.move_to(wita(2026, 6, 9, 10), tick=False)
    complaint = f.submit()
    time_machine.move_to(wita(2026, 6, 10, 14), tick=False)
    t.complaint_request_info(complaint=complaint, by=admin, question="Di mana?")
    time_machine.move_to(wita(2026, 6, 15, 9), tick=False)
    before = snapshot(complaint)
    by = Actor.complainant()
    complaint = t.complaint_supplement(
        complaint=complaint, by=by, text="Desa Wabula.", channel="sms"
    )
    assert complaint.status == "received"
    assert complaint.autoarchive_at is None
    assert complaint.dispatch_due_at == end_of(2026, 6, 17)
    (clock,) = Clock.objects.filter(complaint=complaint)
    assert clock.is_running
    assert (clock.due_at, clock.remaining_working_days, clock.started_at) == (
        end_of(2026, 6, 17),
        None,
        wita(2026, 6, 9, 10),
    )
    supplement = Message.objects.get(complaint=complaint, kind="supplement")
    assert (supplement.body, supplement.channel) == ("Desa Wabula.", "sms")
    assert outbox_summary(new_outbox(before)) == {("supplement_received", "complainant", "email")}
    assert_one_event(
        complaint, before, verb="supplement", from_state="pending", to_state="received", by=by
    )

    time_machine.move_to(wita(2026, 6, 16, 9), tick=False)
    t.complaint_dispatch(complaint=complaint, by=admin, agency=f.agency("dpupr"))
    clock.refresh_from_db()
    # 2 allowed, 1 left at the pause, none used on the holiday after the resume: 1 used, met.
    assert (clock.stop_reason, clock.working_days_used, clock.deadline_met) == (
        "dispatched",
        1,
        True,
    )


def test_pause_on_the_day_of_receipt_keeps_both_working_days(admin, time_machine):
    """R26: asked the same day the report came in, the complainant's answer restarts the full
    2 working days from the day of the answer."""
    time_machine.move_to(wita(2026, 6, 9, 10), tick=False)
    complaint = f.submit()
    time_machine.move_to(wita(2026, 6, 9, 11), tick=False)
    t.complaint_request_info(complaint=complaint, by=admin, question="Di mana?")
    time_machine.move_to(wita(2026, 6, 22, 8), tick=False)
    complaint = t.complaint_supplement(complaint=complaint, by=Actor.complainant(), text="Wabula")
    assert complaint.dispatch_due_at == end_of(2026, 6, 24)


def test_a_late_clock_stays_late_after_the_pause(admin, time_machine):
    """R25, R26: asking the complainant after the dispatch deadline does not give the Dinas new
    time: the resumed clock keeps its passed deadline and records it as missed."""
    time_machine.move_to(wita(2026, 6, 5, 10), tick=False)
    complaint = f.submit()
    time_machine.move_to(wita(2026, 6, 11, 10), tick=False)
    t.complaint_request_info(complaint=complaint, by=admin, question="Di mana?")
    assert running_clocks(complaint)[0].remaining_working_days == -2
    time_machine.move_to(wita(2026, 6, 15, 10), tick=False)
    complaint = t.complaint_supplement(complaint=complaint, by=Actor.complainant(), text="Wabula")
    assert complaint.dispatch_due_at == end_of(2026, 6, 9)
    assert complaint.is_overdue()
    t.complaint_dispatch(complaint=complaint, by=admin, agency=f.agency("dpupr"))
    clock = Clock.objects.get(complaint=complaint, kind="dispatch")
    assert clock.deadline_met is False


def test_request_info_after_a_return_pauses_the_new_dispatch_clock(admin, time_machine):
    """R5, R26: a returned complaint can be put on hold too; the dispatch clock the return
    started is the one that pauses."""
    time_machine.move_to(wita(2026, 6, 8, 9), tick=False)
    complaint = f.returned()
    time_machine.move_to(wita(2026, 6, 8, 15), tick=False)
    complaint = t.complaint_request_info(complaint=complaint, by=admin, question="Di mana?")
    (clock,) = running_clocks(complaint)
    assert (clock.kind, clock.remaining_working_days) == ("dispatch", 2)
    assert complaint.status == "pending"


@pytest.mark.parametrize("text", ["", "   "])
def test_question_and_answer_need_text(admin, text):
    """R26: an empty question or an empty answer is refused and changes nothing."""
    complaint = f.received()
    before = snapshot(complaint)
    with pytest.raises(ApplicationError) as excinfo:
        t.complaint_request_info(complaint=complaint, by=admin, question=text)
    assert excinfo.value.code == "required"
    assert snapshot(complaint) == before
    complaint = f.pending()
    before = snapshot(complaint)
    with pytest.raises(ApplicationError) as excinfo:
        t.complaint_supplement(complaint=complaint, by=Actor.complainant(), text=text)
    assert excinfo.value.code == "required"
    assert snapshot(complaint) == before


def test_auto_archive_only_after_the_waiting_time(admin, time_machine):
    """R26, R27: the system archives an unanswered pending report 10 days after the question,
    not a second before; the paused clock stops as archived with the days it had used."""
    time_machine.move_to(wita(2026, 6, 9, 10), tick=False)
    complaint = f.submit()
    time_machine.move_to(wita(2026, 6, 10, 14), tick=False)
    t.complaint_request_info(complaint=complaint, by=admin, question="Di mana?")

    time_machine.move_to(wita(2026, 6, 20, 14) - dt.timedelta(seconds=1), tick=False)
    before = snapshot(complaint)
    with pytest.raises(ApplicationError) as excinfo:
        t.complaint_auto_archive(complaint=complaint, by=Actor.system())
    assert excinfo.value.code == "not_due"
    assert snapshot(complaint) == before

    time_machine.move_to(wita(2026, 6, 20, 14), tick=False)
    complaint = t.complaint_auto_archive(complaint=complaint, by=Actor.system())
    assert (complaint.status, complaint.archive_reason, complaint.archived_at) == (
        "archived",
        "no_reply",
        wita(2026, 6, 20, 14),
    )
    assert complaint.autoarchive_at is None
    (clock,) = Clock.objects.filter(complaint=complaint)
    assert (clock.stop_reason, clock.working_days_used, clock.deadline_met) == ("archived", 1, True)
    assert running_clocks(complaint) == []
    assert outbox_summary(new_outbox(before)) == {("complaint_archived", "complainant", "email")}
    assert_one_event(
        complaint,
        before,
        verb="auto_archive",
        from_state="pending",
        to_state="archived",
        by=Actor.system(),
    )

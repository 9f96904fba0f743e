"""The bulk generator behind bench/generate_complaints.py: the rows it writes must be what the
workflow would have written, or the benchmark measures the wrong database."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.models import F

from aduan.complaints.bulk import generate_complaints
from aduan.complaints.codes import access_token_hash, normalize_tracking_code
from aduan.complaints.models import Clock, Complainant, Complaint, Event, Message
from aduan.complaints.workflow.states import FINAL_STATES, Status
from aduan.core import crypto
from aduan.workdays.services import deadline_after, working_calendar

N = 300
NOW = dt.datetime(2026, 2, 25, 5, 30, tzinfo=dt.UTC)  # Wednesday 13:30 WITA


@pytest.fixture
def report(buton):
    # Batches of 120: two full ones and a partial one.
    return generate_complaints(N, seed=3, days=120, batch_size=120, now=NOW)


def test_writes_the_complaints_it_reports(report):
    assert report.complaints == N == Complaint.objects.count()
    assert report.rows == {
        "complaint": N,
        "complainant": Complainant.objects.count(),
        "event": Event.objects.count(),
        "clock": Clock.objects.count(),
        "message": Message.objects.count(),
    }
    assert report.rows["complainant"] == N
    assert Event.objects.filter(verb="submit").count() == N
    assert sum(report.by_state.values()) == N
    assert report.by_state == {
        state: Complaint.objects.filter(status=state).count() for state in report.by_state
    }
    assert report.encrypted_values >= 2 * N  # access token and at least one identity field
    assert report.encrypt_seconds > 0


def test_tracking_codes_and_access_tokens(report):
    """Unique, valid tracking codes (check character included) and a secret access token per
    complaint, stored encrypted and found by its keyed hash."""
    codes = list(Complaint.objects.values_list("tracking_code", flat=True))
    assert len(set(codes)) == N
    assert all(normalize_tracking_code(code) == code for code in codes)
    for complaint in Complaint.objects.all():
        assert complaint.access_token_hash == access_token_hash(complaint.access_token)
    assert Complaint.objects.values("access_token_hash").distinct().count() == N


def test_identity_is_encrypted_and_decryptable(report):
    """R7: identity is encrypted at rest (Fernet tokens in the columns, no phone number in
    clear) and decrypts to what its keyed hashes were computed from."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, phone, email FROM complaints_complainant")
        raw = cursor.fetchall()
    assert len(raw) == N
    for name, phone, email in raw:
        for value in (name, phone, email):
            assert value == "" or value.startswith("gAAAA"), value[:20]
        assert "+62" not in phone
    phones = 0
    for complainant in Complainant.objects.all():
        if complainant.phone:
            phones += 1
            assert complainant.phone.startswith("+628")
            assert complainant.phone_hash == crypto.keyed_hash(complainant.phone, purpose="phone")
        if complainant.email:
            assert complainant.email.endswith("@contoh.id")
            assert complainant.email_hash == crypto.keyed_hash(complainant.email, purpose="email")
        assert complainant.has_contact
    assert phones > N // 2


def test_one_event_per_state_change(report):
    """R6: per complaint the state-changing events form one chain from submission to the
    current state; the status time is that of the last change; history is in the past."""
    for complaint in Complaint.objects.all():
        state, last = "", None
        for event in complaint.events.order_by("created_at", "id"):
            assert event.created_at <= NOW
            if event.from_state == event.to_state:
                assert event.from_state == state  # a reminder or escalation, in the then state
                continue
            assert event.from_state == state, (complaint.tracking_code, event.verb)
            state, last = event.to_state, event.created_at
        assert state == complaint.status, complaint.tracking_code
        assert complaint.status_changed_at == last
    submit = Event.objects.filter(verb="submit").select_related("complaint").first()
    assert submit.data == {"channel": submit.complaint.channel}


def test_deadlines_are_consistent(report):
    """R25, R29: each clock's deadlines are the working-calendar deadlines from its start (the
    database calendar, not the generator's preloaded one), and the complaint's current
    deadlines are those of its one running clock."""
    calendar = working_calendar()
    assert Clock.objects.filter(kind=Clock.Kind.RESPONSE).exists()
    for running in Clock.objects.filter(kind=Clock.Kind.RESPONSE):
        assert running.due_at == deadline_after(running.started_at, 7, calendar)
        assert running.target_at == deadline_after(running.started_at, 2, calendar)
    asked = set(Event.objects.filter(verb="request_info").values_list("complaint", flat=True))
    for running in Clock.objects.filter(kind=Clock.Kind.DISPATCH).exclude(complaint__in=asked):
        assert running.due_at == deadline_after(running.started_at, 2, calendar)
    for complaint in Complaint.objects.all():
        running = list(complaint.clocks.filter(stopped_at__isnull=True))
        assert len(running) <= 1
        if complaint.status in FINAL_STATES or complaint.status == Status.RESPONDED:
            assert not running, complaint.tracking_code
            assert complaint.dispatch_due_at is None and complaint.response_due_at is None
        elif complaint.status == Status.PENDING:
            assert running[0].paused_at is not None and complaint.dispatch_due_at is None
        elif complaint.status in (Status.RECEIVED, Status.RETURNED):
            assert running[0].kind == Clock.Kind.DISPATCH
            assert complaint.dispatch_due_at == running[0].due_at
        else:
            assert running[0].kind == Clock.Kind.RESPONSE
            assert running[0].agency_id == complaint.lead_agency_id
            assert complaint.response_due_at == running[0].due_at
            assert complaint.response_target_at == running[0].target_at


def test_stopped_clocks_record_their_outcome(report):
    """R12, R34: a stopped clock says why and whether it met its deadline."""
    stopped = Clock.objects.filter(stopped_at__isnull=False)
    assert stopped.exists()
    assert not stopped.filter(stop_reason="").exists()
    assert not stopped.filter(deadline_met__isnull=True).exists()
    # A clock stopped while paused (pending, then archived) is judged on the days it had left.
    running_to_the_end = stopped.filter(paused_at__isnull=True)
    assert not running_to_the_end.filter(deadline_met=True, stopped_at__gt=F("due_at")).exists()
    assert not running_to_the_end.filter(deadline_met=False, stopped_at__lte=F("due_at")).exists()
    assert not stopped.filter(kind=Clock.Kind.RESPONSE, target_met__isnull=True).exists()


def test_overdue_complaints_were_escalated(report):
    """R13: every running clock past its deadline was escalated once, with an event, as the
    minute-by-minute sweep would have done; closed complaints were closed 10 days after the
    response (R31)."""
    late = Clock.objects.filter(stopped_at__isnull=True, paused_at__isnull=True, due_at__lt=NOW)
    assert not late.filter(deadline_passed_at__isnull=True).exists()
    for running in late:
        assert running.complaint.events.filter(verb="overdue").count() >= 1
    assert Complaint.objects.overdue(NOW).count() == late.count()
    for event in Event.objects.filter(verb="auto_close").select_related("complaint")[:50]:
        responded = event.complaint.responded_at
        assert (
            dt.timedelta(days=10)
            <= event.created_at - responded
            <= dt.timedelta(days=10, minutes=1)
        )

"""Races on a real PostgreSQL: row locks, conditional updates and unique keys make concurrent
transitions, sweeps and submissions safe (S14, S16, S17, R13, R31). Each thread has its own
connection; the data is committed (transactional_db)."""

from __future__ import annotations

import time as pytime

import pytest
from django.db import DatabaseError, connection, transaction

from aduan.accounts.roles import Role
from aduan.audit.models import AuditEntry
from aduan.complaints import services
from aduan.complaints.models import Clock, Complaint, Event, InboundKey
from aduan.complaints.sweeps import run_sweeps
from aduan.complaints.tests import factories as f
from aduan.complaints.workflow import clocks
from aduan.complaints.workflow import transitions as t
from aduan.core.exceptions import ApplicationError
from aduan.notifications import services as notifications
from aduan.notifications.models import OutboxMessage

from .concurrency import run_concurrently
from .workflow.support import wita


@pytest.fixture
def no_kick(monkeypatch):
    """Commits here would kick delivery (Huey runs immediately in tests); these tests look at
    the outbox rows, so the kick does nothing."""
    monkeypatch.setattr(notifications, "outbox_kick", lambda: None)


def _slow(monkeypatch, module, name, seconds=0.6):  # type: ignore[no-untyped-def]
    """Make a step inside the transaction slow, so the other thread arrives while it runs."""
    real = getattr(module, name)

    def slow(*args, **kwargs):  # type: ignore[no-untyped-def]
        pytime.sleep(seconds)
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, slow)


@pytest.mark.postgres
def test_two_concurrent_dispatches_one_wins(transactional_db, ref, no_kick, monkeypatch):
    """R24, R25: two admins dispatch the same complaint at the same moment: exactly one
    succeeds, the other gets a clear invalid_state error; one dispatch Event, one running
    response clock, the winner's agency."""
    complaint = f.received()
    first, second = f.actor(Role.ADMIN), f.actor(Role.ADMIN)
    _slow(monkeypatch, clocks, "start_response_clock")

    dpupr, dinkes = f.agency("dpupr"), f.agency("dinkes")

    def dispatch(by, agency):  # type: ignore[no-untyped-def]
        started = pytime.monotonic()
        try:
            return t.complaint_dispatch(complaint=complaint, by=by, agency=agency)
        except ApplicationError as exc:
            exc.waited = pytime.monotonic() - started  # type: ignore[attr-defined]
            raise

    results = run_concurrently(lambda: dispatch(first, dpupr), lambda: dispatch(second, dinkes))
    won = [r for r in results if isinstance(r, Complaint)]
    lost = [r for r in results if isinstance(r, Exception)]
    assert len(won) == 1 and len(lost) == 1, results
    assert isinstance(lost[0], ApplicationError) and lost[0].code == "invalid_state"
    assert lost[0].waited >= 0.2  # it waited on the row lock while the winner worked
    assert lost[0].extra == {"state": "dispatched", "verb": "dispatch"}

    complaint.refresh_from_db()
    assert complaint.status == "dispatched"
    assert complaint.lead_agency == won[0].lead_agency
    assert Event.objects.filter(complaint=complaint, verb="dispatch").count() == 1
    running = Clock.objects.filter(complaint=complaint, stopped_at__isnull=True)
    assert [(c.kind, c.agency_id) for c in running] == [("response", complaint.lead_agency_id)]
    assert AuditEntry.objects.filter(action="complaint.dispatch").count() == 1


@pytest.mark.postgres
def test_concurrent_submissions_with_one_idempotency_key(
    transactional_db, ref, no_kick, monkeypatch
):
    """S16: a client retrying while its first request is still running (same Idempotency-Key)
    gets the same complaint: one complaint, one key, one receipt."""
    submission = services.ComplaintSubmission(
        channel="app",
        body="Sampah menumpuk di pasar Pasarwajo.",
        identity=services.IdentityInput(email="warga@contoh.id"),
    )
    _slow(monkeypatch, services, "notify_complainant")

    def submit():  # type: ignore[no-untyped-def]
        return services.complaint_submit(
            submission=submission, idempotency_key="retry-123", idempotency_source="api:android"
        )

    results = run_concurrently(submit, submit)
    assert all(isinstance(r, services.SubmitResult) for r in results), results
    assert sorted(r.created for r in results) == [False, True]
    assert results[0].complaint.pk == results[1].complaint.pk
    assert Complaint.objects.count() == 1
    assert InboundKey.objects.get().complaint_id == results[0].complaint.pk
    assert OutboxMessage.objects.filter(template="complaint_received").count() == 1


@pytest.mark.postgres
def test_sweeps_on_two_workers_act_once(transactional_db, ref, no_kick, time_machine):
    """R13, R26, R31, S17: two workers sweeping at the same moment close, archive, remind and
    escalate each complaint once: one Event and one set of outbox rows each."""
    f.staff(Role.AGENCY_HEAD, f.agency("dpupr"), username="pupr-head")
    f.staff(Role.MEMBER, username="anggota")
    f.staff(Role.CHAIR, username="ketua")
    time_machine.move_to(wita(2026, 6, 8, 9), tick=False)
    late = f.dispatched()
    answered = f.responded()
    waiting = f.pending()
    time_machine.move_to(wita(2026, 6, 19, 10), tick=False)

    reports = run_concurrently(run_sweeps, run_sweeps, run_sweeps)
    assert [r.errors for r in reports] == [[], [], []]
    assert sum(r.closed for r in reports) == 1
    assert sum(r.archived for r in reports) == 1
    assert sum(r.reminded for r in reports) == 1
    assert sum(r.escalated for r in reports) == 1

    assert [e.verb for e in answered.events.filter(verb="auto_close")] == ["auto_close"]
    assert waiting.events.filter(verb="auto_archive").count() == 1
    assert late.events.filter(verb="target_passed").count() == 1
    assert late.events.filter(verb="overdue").count() == 1
    overdue = OutboxMessage.objects.filter(complaint=late, template="response_overdue")
    assert sorted(m.to_user.username for m in overdue) == ["anggota", "ketua", "pupr-head"]
    assert OutboxMessage.objects.filter(template="complaint_auto_closed").count() == 1
    assert (
        OutboxMessage.objects.filter(complaint=waiting, template="complaint_archived").count() == 1
    )


def _raw(sql: str, params: list[object]) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_database_refuses_a_raw_update_of_events_and_audit(ref):
    """S14: even raw SQL from the application's account cannot rewrite an Event or an audit
    row: a trigger refuses UPDATE (on SQLite and PostgreSQL)."""
    complaint = f.received()
    event = Event.objects.get(complaint=complaint)
    audit = AuditEntry.objects.filter(action="complaint.submit").get()
    with pytest.raises(DatabaseError, match="append-only"):
        _raw("UPDATE complaints_event SET note = %s WHERE id = %s", ["forged", event.pk])
    with pytest.raises(DatabaseError, match="append-only"):
        _raw("UPDATE audit_auditentry SET action = %s WHERE id = %s", ["nothing", audit.pk])
    assert Event.objects.get(pk=event.pk).note == ""
    assert AuditEntry.objects.get(pk=audit.pk).action == "complaint.submit"


@pytest.mark.postgres
def test_postgres_refuses_a_raw_delete_of_events_and_audit(ref):
    """S14: on PostgreSQL the trigger also refuses DELETE, unless a purge says so explicitly
    in its own transaction."""
    complaint = f.received()
    event = Event.objects.get(complaint=complaint)
    audit = AuditEntry.objects.filter(action="complaint.submit").get()
    with pytest.raises(DatabaseError, match="append-only"):
        _raw("DELETE FROM complaints_event WHERE id = %s", [event.pk])
    with pytest.raises(DatabaseError, match="append-only"):
        _raw("DELETE FROM audit_auditentry WHERE id = %s", [audit.pk])
    assert Event.objects.filter(pk=event.pk).exists()
    assert AuditEntry.objects.filter(pk=audit.pk).exists()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL aduan.allow_purge = 'on'")
        cursor.execute("DELETE FROM audit_auditentry WHERE id = %s", [audit.pk])
    assert not AuditEntry.objects.filter(pk=audit.pk).exists()

"""The transactional outbox (S17): delivery, email threading, retries with backoff, dead
letters, stale claims, the console sender, no identity in logs (S1), and the kick surviving
a queue outage (S15)."""

from __future__ import annotations

import datetime as dt
import logging
import threading

import pytest
import redis

from aduan.accounts.roles import Role
from aduan.complaints.tests import factories as f
from aduan.notifications import services, tasks
from aduan.notifications.models import OutboxMessage
from aduan.notifications.senders import PermanentFailure, RenderedMessage, message_id_for
from aduan.notifications.services import (
    backoff_seconds,
    outbox_claim,
    outbox_deliver_due,
    outbox_enqueue,
    outbox_kick,
    outbox_release_stale,
    outbox_retry_dead,
)

UTC = dt.UTC
T0 = dt.datetime(2026, 6, 8, 1, 0, tzinfo=UTC)
NAME, PHONE, EMAIL = "Wa Ode Rahasia", "081377712345", "rahasia.pelapor@contoh.id"
BODY = "Kepala desa Lakudo meminta pungutan liar untuk KTP."


class FlakySender:
    """Fails `failures` times (with the address and text in the error), then succeeds."""

    failures = 0
    sent: list[RenderedMessage] = []
    lock = threading.Lock()

    def send(self, message: RenderedMessage) -> str:
        with FlakySender.lock:
            if FlakySender.failures > 0:
                FlakySender.failures -= 1
                raise ConnectionError(f"SMTP refused {message.to_address}: {message.body[:60]}")
            FlakySender.sent.append(message)
        return f"flaky-{message.outbox_id}"


class BrokenAddressSender:
    def send(self, message: RenderedMessage) -> str:
        raise PermanentFailure("mailbox does not exist")


@pytest.fixture
def flaky(settings):
    FlakySender.failures = 0
    FlakySender.sent = []
    settings.ADUAN_SENDERS = {
        **settings.ADUAN_SENDERS,
        "email": "aduan.notifications.tests.test_outbox.FlakySender",
    }
    return FlakySender


@pytest.fixture
def complaint(ref, time_machine):
    time_machine.move_to(T0, tick=False)
    return f.submit(channel="web", name=NAME, phone=PHONE, email=EMAIL, body=BODY)


def _only_row(complaint):  # type: ignore[no-untyped-def]
    return OutboxMessage.objects.get(complaint=complaint)


def test_email_delivery_with_message_id_and_threading(complaint, mailoutbox):
    """S17, R21: the receipt is delivered by email through Django's backend; its Message-ID is
    derived from the idempotency key; every mail of one complaint references the same thread
    root, and another complaint's mails another root."""
    f.staff(Role.LIAISON, f.agency("dpupr"), username="pupr-liaison")
    f.dispatched()  # another complaint, with its own thread
    f.staff(Role.ADMIN, username="admin-dinas")
    from aduan.complaints.workflow import transitions as t

    t.complaint_dispatch(complaint=complaint, by=f.actor(Role.ADMIN), agency=f.agency("dpupr"))
    report = outbox_deliver_due()
    assert report.sent == report.claimed == OutboxMessage.objects.count() >= 4
    assert OutboxMessage.objects.exclude(status="sent").count() == 0

    by_key = {m.extra_headers["X-Aduan-Idempotency-Key"]: m for m in mailoutbox}
    assert len(by_key) == len(mailoutbox) == OutboxMessage.objects.count()
    root = message_id_for(f"thread.{complaint.tracking_code}")
    mine = OutboxMessage.objects.filter(complaint=complaint)
    for row in mine:
        mail = by_key[row.idempotency_key]
        headers = mail.message()
        assert headers["Message-ID"] == message_id_for(row.idempotency_key)
        assert headers["References"] == headers["In-Reply-To"] == root
        assert row.provider_message_id == headers["Message-ID"]
        assert row.sent_at == T0
        assert complaint.tracking_code in mail.subject
    others = [m for m in mailoutbox if complaint.tracking_code not in m.subject]
    assert others and all(m.message()["References"] != root for m in others)

    receipt = by_key[mine.get(template="complaint_received").idempotency_key]
    assert receipt.to == [EMAIL]
    assert f"?t={complaint.access_token}" in receipt.body  # the private link, only to them
    assigned = by_key[mine.get(template="complaint_assigned").idempotency_key]
    assert assigned.to == ["pupr-liaison@pemda.test"]
    for text in (NAME, PHONE, EMAIL, complaint.access_token):
        assert text not in assigned.body + assigned.subject  # S1: staff mail carries no identity


def test_enqueue_is_idempotent(complaint):
    """S17: the same idempotency key never adds a second row (a retried transaction is safe)."""
    first = outbox_enqueue(
        channel="email",
        template="complaint_closed",
        idempotency_key="k-1",
        complaint=complaint,
        to_complainant=True,
    )
    second = outbox_enqueue(
        channel="sms",
        template="complaint_restored",
        idempotency_key="k-1",
        complaint=complaint,
        to_complainant=True,
    )
    assert first.pk == second.pk
    assert OutboxMessage.objects.filter(idempotency_key="k-1").count() == 1
    with pytest.raises(ValueError, match="unknown message template"):
        outbox_enqueue(channel="email", template="nope", idempotency_key="k-2", to_complainant=True)


def test_retries_with_exponential_backoff(complaint, flaky, time_machine):
    """S17: a temporary failure puts the message back with a growing delay (60 s, then 120 s,
    plus up to 10% jitter); it is not retried before that, and is sent once it works."""
    flaky.failures = 2
    row = _only_row(complaint)
    assert outbox_deliver_due().retrying == 1
    row.refresh_from_db()
    assert (row.status, row.attempts, row.claimed_by) == ("pending", 1, "")
    assert T0 + dt.timedelta(seconds=60) <= row.next_attempt_at <= T0 + dt.timedelta(seconds=66)
    assert "ConnectionError" in row.last_error

    time_machine.move_to(T0 + dt.timedelta(seconds=59), tick=False)
    assert outbox_deliver_due().claimed == 0
    time_machine.move_to(row.next_attempt_at, tick=False)
    second_try = row.next_attempt_at
    assert outbox_deliver_due().retrying == 1
    row.refresh_from_db()
    assert row.attempts == 2
    assert second_try + dt.timedelta(seconds=120) <= row.next_attempt_at
    assert row.next_attempt_at <= second_try + dt.timedelta(seconds=132)

    time_machine.move_to(row.next_attempt_at, tick=False)
    assert outbox_deliver_due().sent == 1
    row.refresh_from_db()
    assert (row.status, row.attempts, row.provider_message_id) == ("sent", 3, f"flaky-{row.pk}")
    assert len(flaky.sent) == 1


def test_backoff_is_bounded():
    """S17: the delay doubles per attempt and never exceeds 6 hours (+10% jitter)."""
    assert 60 <= backoff_seconds(1) <= 66
    assert 480 <= backoff_seconds(4) <= 528
    assert 6 * 3600 <= backoff_seconds(30) <= 6 * 3600 * 1.1


def test_dead_letter_after_max_attempts_and_retry_by_an_admin(complaint, flaky, time_machine):
    """S17: after max_attempts temporary failures the message is a dead letter (visible, not
    retried); an admin's retry puts it back and it is sent."""
    row = _only_row(complaint)
    OutboxMessage.objects.filter(pk=row.pk).update(max_attempts=3)
    flaky.failures = 99
    statuses = []
    for _attempt in range(3):
        report = outbox_deliver_due()
        row.refresh_from_db()
        statuses.append(row.status)
        time_machine.move_to(row.next_attempt_at, tick=False)
    assert statuses == ["pending", "pending", "dead"]
    assert report.dead == 1
    assert row.attempts == 3
    time_machine.shift(dt.timedelta(days=1))
    assert outbox_deliver_due().claimed == 0

    flaky.failures = 0
    assert outbox_retry_dead([row.pk]) == 1
    assert outbox_deliver_due().sent == 1
    row.refresh_from_db()
    assert (row.status, row.attempts, row.last_error) == ("sent", 1, "")


def test_permanent_failures(ref, settings):
    """S17: a failure retrying cannot fix ends at once: a staff message is a dead letter (for an
    admin to see), a complainant's message whose address is refused is cancelled; an inactive
    staff recipient is not sent to."""
    complaint = f.submit(channel="web", email=EMAIL)
    inactive = f.staff(Role.LIAISON, f.agency("dpupr"), username="gone")
    outbox_enqueue(
        channel="email",
        template="complaint_assigned",
        idempotency_key="to-gone",
        to_user=inactive,
        complaint=complaint,
    )
    inactive.is_active = False
    inactive.save()
    settings.ADUAN_SENDERS = {
        **settings.ADUAN_SENDERS,
        "email": "aduan.notifications.tests.test_outbox.BrokenAddressSender",
    }
    report = outbox_deliver_due()
    assert (report.dead, report.cancelled) == (1, 1)
    rows = {m.idempotency_key: m for m in OutboxMessage.objects.all()}
    assert rows["to-gone"].status == "dead"
    assert "inactive" in rows["to-gone"].last_error
    receipt = OutboxMessage.objects.get(template="complaint_received")
    assert (receipt.status, receipt.last_error) == ("cancelled", "mailbox does not exist")
    assert receipt.attempts == 1


def test_stale_claims_are_released_and_sent_once(complaint, flaky, time_machine):
    """S17: a worker that died after claiming leaves the message `sending`; after the lease it
    is put back and another worker sends it, once; a fresh claim is left alone."""
    row = _only_row(complaint)
    assert outbox_claim(worker="worker-that-dies") == [row.pk]
    row.refresh_from_db()
    assert (row.status, row.claimed_by, row.attempts) == ("sending", "worker-that-dies", 1)
    assert outbox_deliver_due().claimed == 0  # not claimable while sending

    time_machine.move_to(T0 + dt.timedelta(seconds=599), tick=False)
    assert outbox_release_stale(lease_seconds=600) == 0
    time_machine.move_to(T0 + dt.timedelta(seconds=601), tick=False)
    assert outbox_release_stale(lease_seconds=600) == 1
    report = outbox_deliver_due(worker="worker-2")
    assert report.sent == 1
    row.refresh_from_db()
    assert (row.status, row.attempts) == ("sent", 2)
    assert len(flaky.sent) == 1
    assert outbox_release_stale(lease_seconds=600) == 0


def test_sms_to_the_complainant_goes_to_the_console_sender(ref, caplog):
    """S1, S17: SMS has no real sender configured yet: the console sender records the message
    as handled without the number or the text (nothing is lost, nothing leaks)."""
    complaint = f.submit(channel="sms", name=NAME, phone=PHONE, email="", body=BODY)
    row = _only_row(complaint)
    assert row.channel == "sms"
    caplog.set_level(logging.DEBUG)
    assert outbox_deliver_due().sent == 1
    row.refresh_from_db()
    assert (row.status, row.provider_message_id) == ("sent", f"console-{row.pk}")
    assert any(row.idempotency_key in r.getMessage() for r in caplog.records)
    _assert_no_identity(caplog)


def test_a_channel_without_any_sender_is_not_silently_dropped(ref, settings):
    """S17: if a channel has no sender at all in the configuration the message is not marked
    sent: it ends cancelled with the reason recorded."""
    settings.ADUAN_SENDERS = {k: v for k, v in settings.ADUAN_SENDERS.items() if k != "sms"}
    complaint = f.submit(channel="sms", email="")
    assert outbox_deliver_due().cancelled == 1
    row = _only_row(complaint)
    assert row.status == "cancelled"
    assert "no sender for channel sms" in row.last_error


def test_no_identity_or_text_in_logs_or_errors(ref, flaky, caplog, time_machine):
    """S1, S17: from submission through failed and successful delivery, no log record holds the
    complainant's name, phone, email or complaint text, and the stored error is masked."""
    caplog.set_level(logging.DEBUG)
    time_machine.move_to(T0, tick=False)
    complaint = f.submit(channel="web", name=NAME, phone=PHONE, email=EMAIL, body=BODY)
    flaky.failures = 1
    assert outbox_deliver_due().retrying == 1
    row = _only_row(complaint)
    assert EMAIL not in row.last_error and "[…]" in row.last_error
    time_machine.move_to(row.next_attempt_at, tick=False)
    assert outbox_deliver_due().sent == 1
    assert caplog.records, "delivery logs something"
    _assert_no_identity(caplog)


def _assert_no_identity(caplog):  # type: ignore[no-untyped-def]
    for record in caplog.records:
        text = record.getMessage() + (record.exc_text or "")
        for secret in (NAME, PHONE, "+6281377712345", EMAIL, BODY[:30]):
            assert secret not in text, (record.name, text)


def test_kick_survives_a_queue_outage(monkeypatch, caplog):
    """S15, S17: when the queue is unreachable the kick logs a warning and returns (the
    periodic sweep delivers later); any other error is not hidden."""

    def down() -> None:
        raise redis.exceptions.ConnectionError("Connection refused")

    monkeypatch.setattr(tasks, "outbox_deliver_task", down)
    caplog.set_level(logging.WARNING)
    assert outbox_kick() is None
    assert any("queue unreachable" in r.getMessage() for r in caplog.records)

    def bug() -> None:
        raise ValueError("a real bug")

    monkeypatch.setattr(tasks, "outbox_deliver_task", bug)
    with pytest.raises(ValueError, match="a real bug"):
        outbox_kick()


def test_submission_commits_even_when_the_queue_is_down(
    ref, monkeypatch, django_capture_on_commit_callbacks
):
    """S15, S16: a complaint submitted while the queue is down is stored with its receipt
    pending in the outbox; the failed kick after the commit does not fail the request."""

    def down() -> None:
        raise redis.exceptions.TimeoutError("timed out")

    monkeypatch.setattr(tasks, "outbox_deliver_task", down)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        complaint = f.submit(channel="web", email=EMAIL)
    assert callbacks, "the commit kicks delivery"
    assert _only_row(complaint).status == "pending"


def test_commit_kicks_delivery(ref, django_capture_on_commit_callbacks, mailoutbox):
    """S17: after the commit that wrote outbox rows, the kick delivers them (Huey runs tasks
    immediately in tests)."""
    with django_capture_on_commit_callbacks(execute=True):
        complaint = f.submit(channel="web", email=EMAIL)
    assert _only_row(complaint).status == "sent"
    assert [m.to for m in mailoutbox] == [[EMAIL]]
    assert services.outbox_deliver_due().claimed == 0

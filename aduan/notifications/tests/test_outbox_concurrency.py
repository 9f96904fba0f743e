"""Two outbox workers at once on a real PostgreSQL (S17): every message is claimed and sent
exactly once (row locks with SKIP LOCKED and a conditional claim)."""

from __future__ import annotations

import threading
import time

import pytest

from aduan.complaints.tests import factories as f
from aduan.complaints.tests.concurrency import run_concurrently
from aduan.notifications import services
from aduan.notifications.models import OutboxMessage
from aduan.notifications.senders import RenderedMessage
from aduan.notifications.services import outbox_deliver_due


class RecordingSender:
    """Records which outbox row each thread sent, slowly enough for the workers to overlap."""

    sends: list[tuple[int, str]] = []
    lock = threading.Lock()

    def send(self, message: RenderedMessage) -> str:
        time.sleep(0.02)
        with RecordingSender.lock:
            RecordingSender.sends.append((message.outbox_id, threading.current_thread().name))
        return f"rec-{message.outbox_id}"


@pytest.mark.postgres
def test_two_workers_send_each_message_exactly_once(transactional_db, ref, settings, monkeypatch):
    """S17: two workers delivering the same due outbox in small batches claim disjoint rows;
    each message is sent once, both workers do part of the work, and all end up sent."""
    monkeypatch.setattr(services, "outbox_kick", lambda: None)  # no delivery on commit
    settings.ADUAN_SENDERS = dict.fromkeys(
        settings.ADUAN_SENDERS, "aduan.notifications.tests.test_outbox_concurrency.RecordingSender"
    )
    RecordingSender.sends = []
    complaint = f.received(channel="web", email="warga@contoh.id")
    for n in range(60):
        services.outbox_enqueue(
            channel="email",
            template="complaint_closed",
            idempotency_key=f"load-{n}",
            complaint=complaint,
            to_complainant=True,
        )
    expected = set(OutboxMessage.objects.values_list("pk", flat=True))
    assert len(expected) == 61  # the receipt and the 60 above

    def worker(name: str):  # type: ignore[no-untyped-def]
        threading.current_thread().name = name
        claimed = 0
        while True:
            report = outbox_deliver_due(limit=4, worker=name)
            if report.claimed == 0:
                return claimed
            claimed += report.claimed

    claimed = run_concurrently(lambda: worker("w1"), lambda: worker("w2"))
    assert all(isinstance(c, int) for c in claimed), claimed
    sent_ids = [pk for pk, _thread in RecordingSender.sends]
    assert sorted(sent_ids) == sorted(expected)  # each exactly once
    assert sum(claimed) == len(expected)
    assert {thread for _pk, thread in RecordingSender.sends} == {"w1", "w2"}
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {"sent"}
    assert set(OutboxMessage.objects.values_list("attempts", flat=True)) == {1}
    sender_of = dict(RecordingSender.sends)
    for row in OutboxMessage.objects.all():
        assert row.claimed_by == sender_of[row.pk]  # sent by the worker that claimed it

"""S17: a worker whose claim expired does not send; the lease only has to outlast one send."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from aduan.notifications.models import OutboxMessage
from aduan.notifications.senders import RenderedMessage
from aduan.notifications.services import (
    outbox_claim,
    outbox_deliver_claimed,
    outbox_enqueue,
    outbox_release_stale,
)

pytestmark = pytest.mark.django_db
T0 = dt.datetime(2026, 6, 8, 1, 0, tzinfo=dt.UTC)


class RecordingSender:
    sent: list[str] = []

    def send(self, message: RenderedMessage) -> str:
        RecordingSender.sent.append(message.idempotency_key)
        return "ok"


@pytest.fixture
def recording(settings):
    RecordingSender.sent = []
    settings.ADUAN_SENDERS = {"email": f"{__name__}.RecordingSender"}
    return RecordingSender


def _message(key: str) -> OutboxMessage:
    return outbox_enqueue(
        channel="email", template="complaint_closed", idempotency_key=key, address="warga@contoh.id"
    )


def test_a_released_claim_is_not_sent_by_its_old_worker(recording):
    """S17: after the lease expires another worker owns the row; the slow first worker skips it."""
    with time_machine.travel(T0, tick=False) as traveller:
        message = _message("lease-1")
        assert outbox_claim(worker="slow-worker") == [message.pk]
        traveller.shift(dt.timedelta(seconds=601))
        assert outbox_release_stale(lease_seconds=600) == 1
        assert outbox_claim(worker="fast-worker") == [message.pk]

        assert outbox_deliver_claimed(message.pk, "slow-worker") == OutboxMessage.Status.SENDING
        assert recording.sent == []
        assert outbox_deliver_claimed(message.pk, "fast-worker") == OutboxMessage.Status.SENT
    assert recording.sent == ["lease-1"]
    message.refresh_from_db()
    assert message.claimed_by == "fast-worker" and message.status == OutboxMessage.Status.SENT


def test_each_send_renews_the_claim_so_a_long_batch_is_not_released(recording):
    """S17: the claim is renewed per message, so the sweep never releases a live worker's next message."""
    with time_machine.travel(T0, tick=False) as traveller:
        first, second = _message("lease-a"), _message("lease-b")
        assert sorted(outbox_claim(worker="worker")) == sorted([first.pk, second.pk])
        traveller.shift(dt.timedelta(seconds=500))
        assert outbox_deliver_claimed(second.pk, "worker") == OutboxMessage.Status.SENT
        traveller.shift(dt.timedelta(seconds=200))  # 700 s after the claim, 200 s after renewing
        assert (
            outbox_release_stale(lease_seconds=600) == 1
        )  # only the first, still waiting, is released
    first.refresh_from_db()
    assert first.status == OutboxMessage.Status.PENDING

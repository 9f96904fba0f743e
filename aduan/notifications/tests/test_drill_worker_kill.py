"""S17 worker-kill drill: a real Huey consumer on Redis is killed (-9) in the middle of delivering
the outbox; a second consumer finishes the job. Nothing is lost; resends are bounded.

- The consumers are `manage.py run_huey` processes (REDIS_URL=redis://127.0.0.1:6379/14) on this
  test's PostgreSQL database, with a slow sender (drill_sender.py) that records every delivery.
- Work is handed to them as in production: `outbox_deliver_task` (the kick after a commit) and
  `outbox_sweep` (the periodic sweep, enqueued here every second instead of every minute).
- The lease after which a dead worker's claims are released is ADUAN_OUTBOX_LEASE_SECONDS,
  short here; it must stay longer than one batch takes to send.
"""

from __future__ import annotations

import collections
import time
from pathlib import Path

import pytest
import redis
from django.db import connection
from huey import PriorityRedisHuey
from huey.contrib.djhuey import HUEY as LOCAL_HUEY

from aduan.core.tests import drill_support as d
from aduan.notifications.models import OutboxMessage
from aduan.notifications.tasks import outbox_deliver_task, outbox_sweep

pytestmark = [pytest.mark.drill, pytest.mark.postgres]

DRILL_REDIS_URL = "redis://127.0.0.1:6379/14"
MESSAGES = 30
SEND_SECONDS = 0.1
LEASE_SECONDS = 12  # well above one batch (~30 x SEND_SECONDS), even on a loaded CI machine
KILL_AFTER = 10  # deliveries recorded before the first consumer is killed
DRILL_TIMEOUT = 90

Status = OutboxMessage.Status


def _database_url() -> str:
    settings_dict = connection.settings_dict
    user = settings_dict.get("USER") or "postgres"
    password = f":{settings_dict['PASSWORD']}" if settings_dict.get("PASSWORD") else ""
    host = settings_dict.get("HOST") or "127.0.0.1"
    port = settings_dict.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{settings_dict['NAME']}"


def _sent_keys(log: Path) -> list[str]:
    return log.read_text().split() if log.exists() else []


def _statuses() -> collections.Counter[str]:
    return collections.Counter(OutboxMessage.objects.values_list("status", flat=True))


class RemoteQueue:
    """Enqueues this project's tasks onto the consumers' Redis queue. (The test settings' Huey
    runs tasks in-process; its registry serialises them the same way.)"""

    def __init__(self, url: str) -> None:
        self.huey = PriorityRedisHuey("aduan", url=url)

    def enqueue(self, task_wrapper) -> None:  # type: ignore[no-untyped-def]
        self.huey.storage.enqueue(LOCAL_HUEY.serialize_task(task_wrapper.s()), 0)


@pytest.mark.django_db(transaction=True)
def test_s17_worker_killed_mid_delivery_loses_nothing(tmp_path):
    """S17: kill -9 a consumer while it sends; after the lease a second consumer delivers the
    rest. Every message ends `sent`, every idempotency key was delivered at least once, and
    only the messages in flight at the kill were delivered twice (at-least-once)."""
    queue_redis = redis.Redis.from_url(DRILL_REDIS_URL, socket_timeout=5)
    queue_redis.flushdb()  # db 14 belongs to this drill
    queue = RemoteQueue(DRILL_REDIS_URL)

    keys = [f"drill:{i:03d}" for i in range(MESSAGES)]
    OutboxMessage.objects.bulk_create(
        OutboxMessage(
            channel="console",
            template="complaint_closed",
            address=f"drill-{i}@example.test",
            idempotency_key=key,
        )
        for i, key in enumerate(keys)
    )  # bulk_create: no on-commit kick into the test settings' in-process Huey

    send_log = tmp_path / "sent.log"
    env = d.app_env(
        DJANGO_SETTINGS_MODULE="aduan.notifications.tests.drill_settings",
        DATABASE_URL=_database_url(),
        REDIS_URL=DRILL_REDIS_URL,
        ADUAN_VAR_DIR=str(tmp_path / "var"),
        ADUAN_DRILL_SEND_LOG=str(send_log),
        ADUAN_DRILL_SEND_SECONDS=str(SEND_SECONDS),
        ADUAN_OUTBOX_LEASE_SECONDS=str(LEASE_SECONDS),
        LOG_LEVEL="INFO",
    )
    consumer = [d.PYTHON, "manage.py", "run_huey", "--no-periodic", "--workers", "2"]
    started = time.monotonic()
    first = d.start(consumer, env=env, log=tmp_path / "consumer1.log")
    second = None
    try:
        # 1. The first consumer starts delivering; kill -9 it part-way.
        queue.enqueue(outbox_deliver_task)
        deadline = time.monotonic() + 30
        while len(_sent_keys(send_log)) < KILL_AFTER:
            assert first.alive(), first.output()[-3000:]
            assert time.monotonic() < deadline, first.output()[-3000:]
            time.sleep(0.02)
        first.kill()
        first.popen.wait(10)
        killed_at = time.monotonic()

        sent_before_kill = _sent_keys(send_log)
        at_kill = _statuses()
        in_flight = {
            key
            for key in sent_before_kill
            if OutboxMessage.objects.get(idempotency_key=key).status == Status.SENDING
        }
        assert at_kill[Status.SENDING] > 0, at_kill  # claimed by the dead worker
        assert at_kill[Status.SENT] < MESSAGES, at_kill

        # 2. A second consumer; the sweep runs every second (production: every minute).
        second = d.start(consumer, env=env, log=tmp_path / "consumer2.log")
        deadline = time.monotonic() + DRILL_TIMEOUT - (time.monotonic() - started)
        while _statuses()[Status.SENT] < MESSAGES:
            assert second.alive(), second.output()[-3000:]
            assert time.monotonic() < deadline, (_statuses(), second.output()[-3000:])
            queue.enqueue(outbox_sweep)
            time.sleep(1)
        recovered_after = time.monotonic() - killed_at
    finally:
        first.stop()
        if second is not None:
            second.stop()
        queue_redis.flushdb()

    # 3. Nothing lost, resends bounded.
    assert _statuses() == {Status.SENT: MESSAGES}
    delivered = collections.Counter(_sent_keys(send_log))
    assert set(delivered) == set(keys), set(keys) - set(delivered)
    twice = {key for key, count in delivered.items() if count > 1}
    assert all(count <= 2 for count in delivered.values()), delivered
    assert twice <= in_flight, (twice, in_flight)
    for key in twice:
        assert OutboxMessage.objects.get(idempotency_key=key).attempts == 2
    print(
        f"\nworker-kill drill: {MESSAGES} messages; {len(sent_before_kill)} delivered before "
        f"kill -9, {at_kill[Status.SENDING]} stuck in 'sending' ({len(in_flight)} of them in "
        f"flight); all sent {recovered_after:.1f} s after the kill (lease {LEASE_SECONDS} s); "
        f"delivered twice: {len(twice)}; total {time.monotonic() - started:.1f} s"
    )

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from .services import outbox_deliver_due, outbox_release_stale


@db_task(retries=0)
def outbox_deliver_task() -> int:
    """Deliver what is due now (enqueued after a commit that wrote outbox rows)."""
    return _deliver_all()


@db_periodic_task(crontab(minute="*"))
def outbox_sweep() -> int:
    """Every minute: put back stale claims, then deliver everything due (S17)."""
    outbox_release_stale()
    return _deliver_all()


def _deliver_all(max_batches: int = 100) -> int:
    sent = 0
    for _batch in range(max_batches):
        report = outbox_deliver_due(limit=20)
        sent += report.sent
        if report.claimed == 0:
            break
    return sent

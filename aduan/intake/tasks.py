from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from .inbound import inbound_process_pending


@db_periodic_task(crontab(minute="*"))
def inbound_sweep() -> int:
    """Every minute: process inbound messages a crash left stored but unprocessed."""
    return inbound_process_pending()

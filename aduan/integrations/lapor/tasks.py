from __future__ import annotations

from dataclasses import asdict
from typing import Any

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, lock_task

from .client import lapor_enabled
from .services import lapor_import


@db_periodic_task(crontab(minute="*/5"))
@lock_task("lapor-sync")
def lapor_sync_periodic() -> dict[str, Any]:
    """Every 5 minutes when the connector is enabled: import the reports LAPOR! forwarded."""
    if not lapor_enabled():
        return {"skipped": True}
    return asdict(lapor_import())

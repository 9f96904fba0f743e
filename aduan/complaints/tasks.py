from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from .sweeps import run_sweeps


@db_periodic_task(crontab(minute="*"))
def complaint_sweeps() -> dict[str, int]:
    """Every minute: auto-close, auto-archive, target reminders, overdue escalation."""
    report = run_sweeps()
    return {
        "closed": report.closed,
        "archived": report.archived,
        "reminded": report.reminded,
        "escalated": report.escalated,
    }


@db_periodic_task(crontab(minute="17"))
def uploads_purge_stale() -> int:
    """Hourly: delete staged uploads (rows and files) no form claimed within a day (S10)."""
    from .uploads import uploads_purge

    return uploads_purge()

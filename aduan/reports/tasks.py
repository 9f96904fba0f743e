"""Huey tasks of the reports app (found by djhuey's autodiscovery of `<app>.tasks`)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from aduan.reports.rollup import rollup_refresh
from aduan.reports.written.tasks import report_monthly_auto_issue_task

__all__ = ["report_monthly_auto_issue_task", "reports_rollup_refresh_task"]


@db_periodic_task(crontab(minute="*"))
def reports_rollup_refresh_task() -> str:
    """Every minute: recount the days of the daily rollup changed since the last refresh, so a
    dashboard rarely has more than today's day to recount itself (rollup.py; PostgreSQL)."""
    done = rollup_refresh()
    return f"{done.logged} changes, days {done.days}"

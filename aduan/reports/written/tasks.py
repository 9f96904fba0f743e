"""Huey periodic task of the written report."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from .services import report_monthly_auto_issue


@db_periodic_task(crontab(minute="7"))
def report_monthly_auto_issue_task() -> str:
    """Hourly (cheap when there is nothing to do): on the first working day of a month, from
    07:00 WITA, issue last month's written report once (services.report_monthly_auto_issue)."""
    report = report_monthly_auto_issue()
    return str(report) if report is not None else ""

"""Huey tasks of the reports app (found by djhuey's autodiscovery of `<app>.tasks`)."""

from aduan.reports.written.tasks import report_monthly_auto_issue_task

__all__ = ["report_monthly_auto_issue_task"]

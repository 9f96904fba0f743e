"""Periodic sweeps: auto-close, auto-archive, reminders, escalation.

Each sweep finds what is due and moves it through the workflow one complaint at a time, so a
failure on one complaint never blocks the others. Every step is idempotent (it re-checks under
a row lock or a conditional update), so several workers may run the same sweep at once.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from aduan.core import clock as time
from aduan.core.exceptions import ApplicationError

from .models import Clock, Complaint
from .workflow.actors import Actor
from .workflow.escalation import clock_escalate_overdue, clock_remind_target
from .workflow.states import Status
from .workflow.transitions import complaint_auto_archive, complaint_auto_close

logger = logging.getLogger(__name__)
BATCH = 500


@dataclass
class SweepReport:
    closed: int = 0
    archived: int = 0
    reminded: int = 0
    escalated: int = 0
    errors: list[str] = field(default_factory=list)


def _failed(report: SweepReport, step: str, pk: int, exc: Exception) -> None:
    logger.exception("%s failed for %s", step, pk)
    report.errors.append(f"{step} {pk}: {type(exc).__name__}")


def sweep_auto_close(report: SweepReport) -> None:
    now = time.now()
    due = Complaint.objects.filter(status=Status.RESPONDED, autoclose_at__lte=now).order_by(
        "autoclose_at"
    )
    for complaint in due.only("pk")[:BATCH]:
        try:
            complaint_auto_close(complaint=complaint, by=Actor.system())
            report.closed += 1
        except ApplicationError as exc:  # someone replied or it was closed meanwhile
            logger.info("auto-close skipped for %s: %s", complaint.pk, exc.code)
        except Exception as exc:  # one broken complaint must not block the others
            _failed(report, "auto-close", complaint.pk, exc)


def sweep_auto_archive(report: SweepReport) -> None:
    now = time.now()
    due = Complaint.objects.filter(status=Status.PENDING, autoarchive_at__lte=now).order_by(
        "autoarchive_at"
    )
    for complaint in due.only("pk")[:BATCH]:
        try:
            complaint_auto_archive(complaint=complaint, by=Actor.system())
            report.archived += 1
        except ApplicationError as exc:
            logger.info("auto-archive skipped for %s: %s", complaint.pk, exc.code)
        except Exception as exc:
            _failed(report, "auto-archive", complaint.pk, exc)


def sweep_reminders(report: SweepReport) -> None:
    now = time.now()
    due = Clock.objects.filter(
        kind=Clock.Kind.RESPONSE,
        stopped_at__isnull=True,
        target_passed_at__isnull=True,
        target_at__lt=now,
    ).values_list("pk", flat=True)
    for clock_id in list(due[:BATCH]):
        try:
            if clock_remind_target(clock_id=clock_id):
                report.reminded += 1
        except Exception as exc:
            _failed(report, "reminder", clock_id, exc)


def sweep_escalations(report: SweepReport) -> None:
    now = time.now()
    due = Clock.objects.filter(
        stopped_at__isnull=True,
        paused_at__isnull=True,
        deadline_passed_at__isnull=True,
        due_at__lt=now,
    ).values_list("pk", flat=True)
    for clock_id in list(due[:BATCH]):
        try:
            if clock_escalate_overdue(clock_id=clock_id):
                report.escalated += 1
        except Exception as exc:
            _failed(report, "escalation", clock_id, exc)


def run_sweeps() -> SweepReport:
    report = SweepReport()
    for sweep in (sweep_auto_close, sweep_auto_archive, sweep_reminders, sweep_escalations):
        try:
            sweep(report)
        except Exception as exc:  # one broken sweep must not stop the others
            logger.exception("sweep %s failed", sweep.__name__)
            report.errors.append(f"{sweep.__name__}: {type(exc).__name__}")
    return report

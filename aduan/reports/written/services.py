"""The written report's workflow (Pasal 12): the chair makes a draft for a period, adds notes
and recommendations, and issues it — the PDF, XLSX and CSV are generated once, stored with
their SHA-256 and never change again (the archive). Downloads are audited (S14). The monthly
report is issued automatically on the first working day of the next month.

Who (S3): the chair creates, edits and issues; the coordination team (member, patron), the
regent and the Dinas admin read and download. Agency heads and liaisons do not see the
regency-wide report.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import tempfile
from typing import Any

from django.conf import settings
from django.core.files import File
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from aduan.accounts.models import User
from aduan.accounts.roles import Role
from aduan.accounts.selectors import staff_list_active
from aduan.audit.services import audit_record
from aduan.core import clock
from aduan.core.exceptions import ApplicationError, PermissionDenied
from aduan.notifications.services import notify_users
from aduan.reports.models import IssuedReport, PeriodKind, ReportStatus
from aduan.workdays.services import working_calendar

from .build import FORMATS, SUFFIX, report_write
from .data import report_data_build
from .periods import period_label, period_of, period_slug, previous_month

logger = logging.getLogger(__name__)

REPORT_WRITERS = frozenset({Role.CHAIR})
REPORT_READERS = frozenset({Role.CHAIR, Role.MEMBER, Role.PATRON, Role.REGENT, Role.ADMIN})
RECIPIENT_ROLES = (Role.CHAIR, Role.REGENT)
AUTO_ISSUE_HOUR = 7  # local time (WITA) on the first working day of the month


def can_read_reports(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.role in REPORT_READERS


def can_write_reports(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.role in REPORT_WRITERS


def _require_chair(by: User) -> None:
    if not can_write_reports(by):
        raise PermissionDenied(_("Only the chair of the coordination team prepares the report."))


def _require_draft(report: IssuedReport) -> None:
    if report.is_issued:
        raise ApplicationError(
            _("This report has been issued and can no longer be changed."), code="issued"
        )


@transaction.atomic
def report_create(*, by: User, period_kind: str, day: dt.date) -> IssuedReport:
    """A draft for the period of `period_kind` containing `day` (chair only, audited). The
    period must have ended; when a report of that period exists already it is returned."""
    _require_chair(by)
    try:
        kind = PeriodKind(period_kind)
    except ValueError:
        raise ApplicationError(_("Choose a period."), code="invalid") from None
    start, end = period_of(kind, day)
    if end >= clock.local_date():
        raise ApplicationError(
            _("A report covers a period that has ended: choose an earlier one."), code="invalid"
        )
    existing = IssuedReport.objects.filter(period_kind=kind, period_start=start).first()
    if existing is not None:
        return existing
    report = IssuedReport.objects.create(
        period_kind=kind, period_start=start, period_end=end, created_by=by
    )
    audit_record("report_create", actor=by, obj=report, data={"period": str(report)})
    return report


@transaction.atomic
def report_notes_set(
    *, by: User, report: IssuedReport, narrative: str, recommendations: str
) -> IssuedReport:
    """The chair's notes and recommendations on a draft (section 9), audited."""
    _require_chair(by)
    report = IssuedReport.objects.select_for_update().get(pk=report.pk)
    _require_draft(report)
    report.narrative = narrative.strip()
    report.recommendations = recommendations.strip()
    report.save(update_fields=["narrative", "recommendations", "updated_at"])
    audit_record("report_notes", actor=by, obj=report, data={"period": str(report)})
    return report


def _store(
    target: IssuedReport, fmt: str, data: Any, issued_at: dt.datetime, report: IssuedReport
) -> None:
    """Generate one file into a temporary file (bounded memory), then into the storage;
    `target` gets the stored name and the SHA-256."""
    slug = period_slug(report.period_kind, report.period_start)
    name = f"laporan-{report.period_kind}-{slug}-{issued_at:%Y%m%d%H%M%S}.{SUFFIX[fmt]}"
    with tempfile.TemporaryFile() as handle:
        digest = report_write(data, fmt, handle, status=ReportStatus.ISSUED, issued_at=issued_at)
        handle.seek(0)
        getattr(target, fmt).save(name, File(handle), save=False)
    setattr(target, f"{fmt}_sha256", digest)


def report_issue(*, by: User | None, report: IssuedReport) -> IssuedReport:
    """Issue a draft: generate the PDF, XLSX and CSV once, store them with their SHA-256, mark
    the report issued (immutable from then on), audit it and tell the chair(s) and the regent
    through the outbox. `by` None: the monthly auto-issue (the system).

    The files are rendered *outside* any transaction (rendering a year takes long: no lock may
    be held meanwhile — SQLite's writer lock, PostgreSQL's idle-in-transaction timeout); a
    short transaction then checks that the draft is unchanged and marks it issued. If that
    fails, the files just made are deleted."""
    if by is not None:
        _require_chair(by)
    _require_draft(IssuedReport.objects.get(pk=report.pk))
    report = IssuedReport.objects.get(pk=report.pk)
    issued_at = clock.now()
    data = report_data_build(
        report.period_kind,
        report.period_start,
        report.period_end,
        narrative=report.narrative,
        recommendations=report.recommendations,
        as_of=issued_at,
    )
    rendered = IssuedReport(pk=report.pk)
    for fmt in FORMATS:
        _store(rendered, fmt, data, issued_at, report)
    try:
        with transaction.atomic():
            current = IssuedReport.objects.select_for_update().get(pk=report.pk)
            _require_draft(current)
            if (current.narrative, current.recommendations) != (
                report.narrative,
                report.recommendations,
            ):
                raise ApplicationError(
                    _("The notes changed while the report was being made: issue it again."),
                    code="conflict",
                )
            for fmt in FORMATS:
                setattr(current, fmt, getattr(rendered, fmt).name)
                setattr(current, f"{fmt}_sha256", getattr(rendered, f"{fmt}_sha256"))
            current.status = ReportStatus.ISSUED
            current.issued_by = by
            current.issued_at = issued_at
            current.generated_at = issued_at
            current.save()
            audit_record(
                "report_issue",
                actor=by,
                actor_label=None if by is not None else "system",
                obj=current,
                data={
                    "period": str(current),
                    **{f: getattr(current, f"{f}_sha256") for f in FORMATS},
                },
            )
            _notify(current)
    except BaseException:
        for fmt in FORMATS:
            getattr(rendered, fmt).delete(save=False)
        raise
    return current


def _notify(report: IssuedReport) -> None:
    recipients = staff_list_active(roles=RECIPIENT_ROLES)
    link = settings.ADUAN_SITE_URL + reverse("backoffice:report_written", args=[report.pk])
    with translation.override("id"):
        period = period_label(report.period_kind, report.period_start)
        issued_by = report.issued_by.get_username() if report.issued_by else _("the system")
    notify_users(
        recipients,
        "report_issued",
        key=f"report_issued:{report.pk}",
        context={
            "period": period,
            "start": f"{report.period_start:%d/%m/%Y}",
            "end": f"{report.period_end:%d/%m/%Y}",
            "issued_by": issued_by,
            "report_link": link,
        },
    )


class ReportFileChanged(Exception):
    """The stored file no longer matches the SHA-256 recorded when the report was issued."""


def report_file_open(*, by: User, report: IssuedReport, fmt: str, ip: str | None = None) -> Any:
    """An issued report's stored file, opened for reading after checking its SHA-256 against
    the one recorded at issue; every download is audited (S14). Readers only (S3)."""
    if not can_read_reports(by):
        raise PermissionDenied(_("You may not read the reports to the Regent."))
    if fmt not in FORMATS or not report.is_issued:
        raise ApplicationError(_("No such file."), code="not_found")
    field = getattr(report, fmt)
    digest = hashlib.sha256()
    with field.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 16), b""):
            digest.update(chunk)
    expected = getattr(report, f"{fmt}_sha256")
    if digest.hexdigest() != expected:
        logger.error("report %s %s: stored file does not match its SHA-256", report.pk, fmt)
        raise ReportFileChanged(f"{report.pk}:{fmt}")
    audit_record(
        "report_download",
        actor=by,
        obj=report,
        ip_address=ip,
        data={"format": fmt, "sha256": expected, "period": str(report)},
    )
    return field.open("rb")


# --- the monthly auto-issue --------------------------------------------------------------------


def first_working_day(month_start: dt.date) -> dt.date:
    return working_calendar().next_working_day(month_start)


def report_monthly_auto_issue(*, at: dt.datetime | None = None) -> IssuedReport | None:
    """From 07:00 WITA on the first working day of a month (aduan.workdays calendar), issue last
    month's report once — the chair's draft with its notes if there is one — and notify the
    chair(s) and the regent. On other days it does nothing (if the worker was down the whole
    day, the chair issues the report from the archive page). Idempotent: one report per period (unique), and an
    issued one is left alone. Returns the report it issued, else None."""
    moment = at or clock.now()
    local = timezone.localtime(moment, timezone.get_default_timezone())
    today = local.date()
    first = first_working_day(today.replace(day=1))
    if today != first or local.hour < AUTO_ISSUE_HOUR:
        return None
    start, end = previous_month(today)
    report = IssuedReport.objects.filter(period_kind=PeriodKind.MONTH, period_start=start).first()
    if report is None:
        try:
            with transaction.atomic():
                report = IssuedReport.objects.create(
                    period_kind=PeriodKind.MONTH, period_start=start, period_end=end
                )
                audit_record(
                    "report_create", actor_label="system", obj=report, data={"period": str(report)}
                )
        except IntegrityError:  # another worker made it at the same moment
            report = IssuedReport.objects.get(period_kind=PeriodKind.MONTH, period_start=start)
    if report.is_issued:
        return None
    try:
        return report_issue(by=None, report=report)
    except ApplicationError:  # issued meanwhile by the chair or another worker
        return None

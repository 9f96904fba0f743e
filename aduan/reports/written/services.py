"""The written report's workflow (Pasal 12): the chair makes a draft for a period, adds notes
and recommendations, and issues it — the PDF, XLSX and CSV are generated once, stored with
their SHA-256 and never change again (the archive). Downloads are audited (S14). The monthly
report is issued automatically on the first working day of the next month.

Who (S3):
- the regency-wide report (`agency` empty): the chair creates, edits and issues; the
  coordination team (member, patron), the regent and the Dinas admin read and download. Agency
  heads and liaisons do not see it.
- an agency's report (`agency` set: the same report restricted to the complaints that agency
  leads): the chair (for any agency) and that agency's head create, annotate and issue it; that
  agency's liaison officers create drafts, read and download; the readers of the regency-wide
  report read and download it too. Nobody of another agency sees it.
The monthly auto-issue makes the regency-wide report only.
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
from aduan.accounts.roles import AGENCY_ROLES, Role
from aduan.accounts.selectors import staff_list_active
from aduan.agencies.models import Agency
from aduan.audit.services import audit_record
from aduan.core import clock
from aduan.core.exceptions import ApplicationError, PermissionDenied
from aduan.notifications.services import notify_users
from aduan.reports.models import IssuedReport, PeriodKind, ReportStatus
from aduan.workdays.services import working_calendar

from .build import FORMATS, SUFFIX, report_write
from .data import report_data_of, report_snapshot
from .pdf import report_html
from .periods import period_label, period_of, period_slug, previous_month

logger = logging.getLogger(__name__)

REPORT_WRITERS = frozenset({Role.CHAIR})
REPORT_READERS = frozenset({Role.CHAIR, Role.MEMBER, Role.PATRON, Role.REGENT, Role.ADMIN})
# Who may open the report pages at all: the readers, and an agency's head and liaisons (their
# own agency's reports only: `reports_visible_to`).
REPORT_PAGE_ROLES = REPORT_READERS | AGENCY_ROLES
AGENCY_REPORT_WRITERS = frozenset({Role.AGENCY_HEAD})
RECIPIENT_ROLES = (Role.CHAIR, Role.REGENT)
AGENCY_RECIPIENT_ROLES = (Role.AGENCY_HEAD,)
AUTO_ISSUE_HOUR = 7  # local time (WITA) on the first working day of the month


def _staff(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and bool(getattr(user, "role", ""))


def _own_agency(user: Any, agency_id: int | None) -> bool:
    """An agency role acting on its own agency's report (never the regency-wide one)."""
    return (
        user.role in AGENCY_ROLES
        and agency_id is not None
        and user.agency_id is not None
        and agency_id == user.agency_id
    )


def can_read_reports(user: Any) -> bool:
    """May read every report (the regency's and each agency's)."""
    return _staff(user) and user.role in REPORT_READERS


def can_write_reports(user: Any) -> bool:
    """The chair: creates, annotates and issues every report."""
    return _staff(user) and user.role in REPORT_WRITERS


def can_read_report(user: Any, agency_id: int | None) -> bool:
    """May read the report of `agency_id` (None: the regency-wide one) — S3."""
    return can_read_reports(user) or (_staff(user) and _own_agency(user, agency_id))


def can_create_report(user: Any, agency_id: int | None) -> bool:
    """May make a draft of the report of `agency_id`: the chair any; an agency's head and
    liaisons their own agency's."""
    return can_write_reports(user) or (_staff(user) and _own_agency(user, agency_id))


def can_write_report(user: Any, agency_id: int | None) -> bool:
    """May annotate and issue the report of `agency_id`: the chair any; an agency's head
    their own agency's (the liaisons prepare, the head signs off)."""
    return can_write_reports(user) or (
        _staff(user) and user.role in AGENCY_REPORT_WRITERS and _own_agency(user, agency_id)
    )


def reports_visible_to(user: Any) -> Any:
    """The reports `user` may see (S3): every one for the readers; an agency role's own
    agency's only; none otherwise."""
    reports = IssuedReport.objects.select_related("agency", "issued_by")
    if can_read_reports(user):
        return reports
    if _staff(user) and user.role in AGENCY_ROLES and user.agency_id is not None:
        return reports.filter(agency_id=user.agency_id)
    return reports.none()


def _require_writer(by: User, agency_id: int | None) -> None:
    if not can_write_report(by, agency_id):
        raise PermissionDenied(
            _("Only the chair of the coordination team prepares the report.")
            if agency_id is None
            else _("Only the chair or the head of the agency prepares the agency's report.")
        )


def _require_draft(report: IssuedReport) -> None:
    if report.is_issued:
        raise ApplicationError(
            _("This report has been issued and can no longer be changed."), code="issued"
        )


@transaction.atomic
def report_create(
    *, by: User, period_kind: str, day: dt.date, agency: Agency | None = None
) -> IssuedReport:
    """A draft for the period of `period_kind` containing `day`, of the whole regency or of
    `agency` (`can_create_report`, audited). The period must have ended; when a report of that
    period (and agency) exists already it is returned."""
    agency_id = agency.pk if agency is not None else None
    if not can_create_report(by, agency_id):
        raise PermissionDenied(_("You may not make this report."))
    try:
        kind = PeriodKind(period_kind)
    except ValueError:
        raise ApplicationError(_("Choose a period."), code="invalid") from None
    start, end = period_of(kind, day)
    if end >= clock.local_date():
        raise ApplicationError(
            _("A report covers a period that has ended: choose an earlier one."), code="invalid"
        )
    existing = IssuedReport.objects.filter(
        period_kind=kind, period_start=start, agency=agency
    ).first()
    if existing is not None:
        return existing
    report = IssuedReport.objects.create(
        period_kind=kind, period_start=start, period_end=end, agency=agency, created_by=by
    )
    audit_record("report_create", actor=by, obj=report, data=_audit_data(report))
    return report


def _audit_data(report: IssuedReport) -> dict[str, Any]:
    return {"period": str(report), "agency": report.agency_id}


@transaction.atomic
def report_notes_set(
    *, by: User, report: IssuedReport, narrative: str, recommendations: str
) -> IssuedReport:
    """The notes and recommendations on a draft (section 9) — the chair's, or on an agency's
    report its head's — audited."""
    report = IssuedReport.objects.select_for_update().get(pk=report.pk)
    _require_writer(by, report.agency_id)
    _require_draft(report)
    report.narrative = narrative.strip()
    report.recommendations = recommendations.strip()
    report.save(update_fields=["narrative", "recommendations", "updated_at"])
    audit_record("report_notes", actor=by, obj=report, data=_audit_data(report))
    return report


def report_file_stem(report: IssuedReport) -> str:
    """`laporan-2026-06` or, for an agency's report, `laporan-opd-<pk>-2026-06`."""
    slug = period_slug(report.period_kind, report.period_start)
    return f"laporan-opd-{report.agency_id}-{slug}" if report.agency_id else f"laporan-{slug}"


def _store(
    target: IssuedReport,
    fmt: str,
    data: Any,
    issued_at: dt.datetime,
    report: IssuedReport,
    html: str | None = None,
) -> None:
    """Generate one file into a temporary file (bounded memory), then into the storage;
    `target` gets the stored name and the SHA-256."""
    name = f"{report_file_stem(report)}-{report.period_kind}-{issued_at:%Y%m%d%H%M%S}.{SUFFIX[fmt]}"
    with tempfile.TemporaryFile() as handle:
        digest = report_write(
            data, fmt, handle, status=ReportStatus.ISSUED, issued_at=issued_at, html=html
        )
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
    fails, the files just made are deleted.

    One snapshot (`report_snapshot`, a read-only transaction): the figures, the PDF's document
    with its annex, and the XLSX and CSV with theirs are read from the same state of the
    database; only the PDF's layout (WeasyPrint, no query) runs after it."""
    report = IssuedReport.objects.select_related("agency").get(pk=report.pk)
    if by is not None:
        _require_writer(by, report.agency_id)
    _require_draft(report)
    issued_at = clock.now()
    rendered = IssuedReport(pk=report.pk)
    try:
        with report_snapshot():
            data = report_data_of(report, as_of=issued_at)
            html = report_html(data, status=ReportStatus.ISSUED, issued_at=issued_at)
            for fmt in FORMATS:
                if fmt != "pdf":
                    _store(rendered, fmt, data, issued_at, report)
        _store(rendered, "pdf", data, issued_at, report, html=html)
    except BaseException:
        _delete_files(rendered)
        raise
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
                    **_audit_data(current),
                    **{f: getattr(current, f"{f}_sha256") for f in FORMATS},
                },
            )
            _notify(current)
    except BaseException:
        _delete_files(rendered)
        raise
    return current


def _delete_files(rendered: IssuedReport) -> None:
    for fmt in FORMATS:
        if getattr(rendered, fmt).name:
            getattr(rendered, fmt).delete(save=False)


def _recipients(report: IssuedReport) -> list[User]:
    """The regency's report: the chair(s) and the regent; an agency's: the chair(s) and that
    agency's head(s) (S3: never another agency's staff)."""
    if report.agency_id is None:
        return staff_list_active(roles=RECIPIENT_ROLES)
    chairs = staff_list_active(roles=(Role.CHAIR,))
    heads = staff_list_active(roles=AGENCY_RECIPIENT_ROLES, agency_id=report.agency_id)
    return [*chairs, *heads]


def _notify(report: IssuedReport) -> None:
    recipients = _recipients(report)
    link = settings.ADUAN_SITE_URL + reverse("backoffice:report_written", args=[report.pk])
    with translation.override("id"):
        period = period_label(report.period_kind, report.period_start)
        if report.agency is not None:
            period = f"{period} — {report.agency.name}"
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
    the one recorded at issue; every download is audited (S14). Readers of that report only
    (S3: an agency's head and liaisons their own agency's)."""
    if not can_read_report(by, report.agency_id):
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
        data={"format": fmt, "sha256": expected, **_audit_data(report)},
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
    report = IssuedReport.objects.filter(
        period_kind=PeriodKind.MONTH, period_start=start, agency__isnull=True
    ).first()
    if report is None:
        try:
            with transaction.atomic():
                report = IssuedReport.objects.create(
                    period_kind=PeriodKind.MONTH, period_start=start, period_end=end
                )
                audit_record(
                    "report_create", actor_label="system", obj=report, data=_audit_data(report)
                )
        except IntegrityError:  # another worker made it at the same moment
            report = IssuedReport.objects.get(
                period_kind=PeriodKind.MONTH, period_start=start, agency__isnull=True
            )
    if report.is_issued:
        return None
    try:
        return report_issue(by=None, report=report)
    except ApplicationError:  # issued meanwhile by the chair or another worker
        return None

"""The written report's workflow (Pasal 12; issue 7): the chair makes a draft, adds notes and
issues it; the archive serves the same bytes forever (SHA-256), audited (S14); issued reports
are immutable; heads and liaisons are refused (S3); the monthly report is issued once on the
first working day of the next month and announced to the chair and the regent through the
outbox; the pages pass axe-core."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.conf import settings as django_settings
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.urls import reverse

from aduan.accounts.roles import Role
from aduan.audit.models import AuditEntry
from aduan.backoffice.tests.support import signed_in
from aduan.complaints.tests import factories as f
from aduan.complaints.tests.workflow.support import wita
from aduan.notifications.models import OutboxMessage
from aduan.portal.tests.browser import assert_accessible
from aduan.reports.models import IssuedReport, IssuedReportImmutable, PeriodKind, ReportStatus
from aduan.reports.written.services import report_monthly_auto_issue
from aduan.workdays.models import Holiday

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):  # type: ignore[no-untyped-def]
    from aduan.reports.tests.written_support import media_in

    media_in(settings, tmp_path / "media")
    return tmp_path / "media"


def _june(time_machine) -> None:  # type: ignore[no-untyped-def]
    time_machine.move_to(wita(2026, 6, 10, 10), tick=False)
    f.closed("dpupr", satisfaction=4)
    f.dispatched("dinkes", private=True, title="Rahasia")
    f.received(channel="sms")


def _body(response) -> bytes:  # type: ignore[no-untyped-def]
    return b"".join(response.streaming_content)


def test_chair_drafts_annotates_issues_and_the_archive_is_byte_identical_s14(
    ref, time_machine
) -> None:
    """Draft → notes → issue (PDF, XLSX, CSV stored with SHA-256) → every download is the same
    bytes, an attachment, audited (S14); the issued report cannot change (Pasal 12)."""
    _june(time_machine)
    time_machine.move_to(wita(2026, 7, 6, 9), tick=False)
    chair = signed_in(Client(), f.staff(Role.CHAIR))
    created = chair.post(
        reverse("backoffice:report_written_list"), {"period_kind": "month", "month": "2026-06"}
    )
    report = IssuedReport.objects.get()
    assert created.status_code == 302 and report.status == ReportStatus.DRAFT
    assert (report.period_start, report.period_end) == (dt.date(2026, 6, 1), dt.date(2026, 6, 30))
    # the current month has not ended: refused
    refused = chair.post(
        reverse("backoffice:report_written_list"), {"period_kind": "month", "month": "2026-07"}
    )
    assert refused.status_code == 200 and IssuedReport.objects.count() == 1
    detail = reverse("backoffice:report_written", args=[report.pk])
    chair.post(detail, {"narrative": "Dua OPD terlambat.", "recommendations": "Percepat."})
    preview = chair.get(detail)
    assert preview.status_code == 200
    assert "Dua OPD terlambat." in preview.content.decode()
    assert (
        chair.post(reverse("backoffice:report_written_issue", args=[report.pk])).status_code == 302
    )
    report.refresh_from_db()
    assert report.status == ReportStatus.ISSUED and report.issued_at is not None
    assert AuditEntry.objects.filter(action="report_issue", object_id=str(report.pk)).exists()
    for fmt, magic in (("pdf", b"%PDF"), ("xlsx", b"PK"), ("csv", b"PK")):
        stored = getattr(report, fmt).read()
        getattr(report, fmt).close()
        assert stored.startswith(magic)
        assert hashlib.sha256(stored).hexdigest() == getattr(report, f"{fmt}_sha256")
        url = reverse("backoffice:report_written_download", args=[report.pk, fmt])
        for reader in (chair, signed_in(Client(), f.staff(Role.REGENT))):
            before = AuditEntry.objects.filter(action="report_download").count()
            response = reader.get(url)
            assert response.status_code == 200
            assert response["Content-Disposition"].startswith("attachment;")
            assert "no-store" in response["Cache-Control"]
            assert _body(response) == stored  # byte-identical to what was issued
            assert AuditEntry.objects.filter(action="report_download").count() == before + 1
    entry = AuditEntry.objects.filter(action="report_download").latest("pk")
    assert entry.data["format"] == "csv" and entry.actor.role == Role.REGENT
    # immutable: no change through the model, no second issue, no more notes
    report.narrative = "diubah"
    with pytest.raises(IssuedReportImmutable):
        report.save()
    with pytest.raises(IssuedReportImmutable):
        report.delete()
    # ... nor below the model: the database refuses the UPDATE (and DELETE on PostgreSQL)
    with pytest.raises(DatabaseError), transaction.atomic():
        IssuedReport.objects.filter(pk=report.pk).update(narrative="diubah")
    if connection.vendor == "postgresql":
        with pytest.raises(DatabaseError), transaction.atomic():
            IssuedReport.objects.filter(pk=report.pk).delete()
    chair.post(detail, {"narrative": "lagi", "recommendations": ""})
    chair.post(reverse("backoffice:report_written_issue", args=[report.pk]))
    report.refresh_from_db()
    assert report.narrative == "Dua OPD terlambat."
    assert AuditEntry.objects.filter(action="report_issue").count() == 1


def test_s3_heads_and_liaisons_are_refused_and_readers_cannot_write(ref, time_machine) -> None:
    """S3: the regency-wide report is not for an agency head or liaison (its page and download
    answer 404, as for no report, the attempt audited; their list does not show it); members,
    patron, regent and admin read but do not create or issue."""
    from aduan.reports.tests.written_support import issued_report_stub

    issued = issued_report_stub()
    time_machine.move_to(wita(2026, 7, 6, 9), tick=False)
    urls = [
        reverse("backoffice:report_written_list"),
        reverse("backoffice:report_written", args=[issued.pk]),
        reverse("backoffice:report_written_download", args=[issued.pk, "pdf"]),
    ]
    for role in (Role.AGENCY_HEAD, Role.LIAISON):
        client = signed_in(Client(), f.staff(role, f.agency("dpupr")))
        listing = client.get(urls[0])
        assert listing.status_code == 200
        assert urls[1] not in listing.content.decode(), role
        for url in urls[1:]:
            assert client.get(url).status_code == 404, (role, url)
        assert client.post(reverse("backoffice:report_written_issue", args=[issued.pk])).status_code == 404  # fmt: skip
    assert not AuditEntry.objects.filter(action="report_download").exists()
    assert AuditEntry.objects.filter(action="access.denied", object_id=str(issued.pk)).count() == 6
    for role in (Role.MEMBER, Role.PATRON, Role.REGENT, Role.ADMIN):
        client = signed_in(Client(), f.staff(role))
        for url in urls:
            assert client.get(url).status_code == 200, (role, url)
        created = client.post(urls[0], {"period_kind": "month", "month": "2026-06"})
        assert created.status_code == 403
        issue = client.post(reverse("backoffice:report_written_issue", args=[issued.pk]))
        assert issue.status_code == 403
    assert IssuedReport.objects.count() == 1


def test_a_changed_file_is_not_served(ref, media) -> None:
    """The archive checks the SHA-256 recorded at issue before serving a file."""
    from aduan.reports.tests.written_support import issued_report_stub
    from aduan.reports.written.services import ReportFileChanged

    report = issued_report_stub()
    path = report.pdf.path
    assert path.startswith(str(media))
    with open(path, "ab") as handle:
        handle.write(b"tampered")
    client = signed_in(Client(), f.staff(Role.CHAIR))
    with pytest.raises(ReportFileChanged):
        client.get(reverse("backoffice:report_written_download", args=[report.pk, "pdf"]))


def test_monthly_report_is_issued_once_on_the_first_working_day(ref, time_machine) -> None:
    """1 June 2026 is a holiday in the Buton calendar (Pancasila): the June 1 run does nothing;
    on Tuesday 2 June before 07:00 WITA nothing; at 07:07 May's report is issued, with the
    outbox messages to the chair and the regent (a link, no attachment); a second run does
    nothing."""
    assert Holiday.objects.filter(date=dt.date(2026, 6, 1), is_active=True).exists()
    time_machine.move_to(wita(2026, 5, 20, 10), tick=False)
    f.closed("dpupr", satisfaction=5)
    chair = f.staff(Role.CHAIR, email="ketua@pemda.test")
    regent = f.staff(Role.REGENT, email="bupati@pemda.test")
    f.staff(Role.MEMBER, email="anggota@pemda.test")
    for moment in (wita(2026, 5, 31, 8), wita(2026, 6, 1, 8), wita(2026, 6, 2, 6)):
        assert report_monthly_auto_issue(at=moment) is None, moment
    assert not IssuedReport.objects.exists()
    time_machine.move_to(wita(2026, 6, 2, 7, 7), tick=False)
    report = report_monthly_auto_issue()
    assert report is not None and report.is_issued and report.issued_by is None
    assert (report.period_kind, report.period_start) == (PeriodKind.MONTH, dt.date(2026, 5, 1))
    messages = OutboxMessage.objects.filter(template="report_issued")
    assert {m.to_user_id for m in messages} == {chair.pk, regent.pk}
    link = django_settings.ADUAN_SITE_URL + reverse("backoffice:report_written", args=[report.pk])
    assert all(m.context["report_link"] == link for m in messages)
    # again the same day, and on another day: nothing more
    assert report_monthly_auto_issue() is None
    assert report_monthly_auto_issue(at=wita(2026, 6, 3, 9)) is None
    assert IssuedReport.objects.count() == 1 and messages.count() == 2


def test_monthly_auto_issue_task_issues_the_chairs_draft(ref, time_machine) -> None:
    """The Huey task issues the chair's draft of last month with its notes (first working day
    of July 2026 is Wednesday 1 July)."""
    from aduan.reports.tasks import report_monthly_auto_issue_task

    time_machine.move_to(wita(2026, 6, 20, 10), tick=False)
    draft = IssuedReport.objects.create(
        period_kind=PeriodKind.MONTH,
        period_start=dt.date(2026, 6, 1),
        period_end=dt.date(2026, 6, 30),
        narrative="Catatan ketua.",
    )
    time_machine.move_to(wita(2026, 7, 1, 8), tick=False)
    report_monthly_auto_issue_task.call_local()
    draft.refresh_from_db()
    assert draft.is_issued and draft.narrative == "Catatan ketua."


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_written_report_pages_are_accessible(chromium, live_server, ref, settings, tmp_path):  # type: ignore[no-untyped-def]
    """axe-core (WCAG 2.1 AA): the archive list and an issued report's page with its preview,
    for the chair on a desktop and for an agency head (their agency's report, S3) on a phone."""
    from aduan.reports.tests.written_support import issued_report_stub

    f.closed("dpupr", satisfaction=4)
    regency = issued_report_stub(dt.date(2025, 1, 1))
    own = issued_report_stub(dt.date(2025, 2, 1), agency=f.agency("dpupr"))
    for user, report, viewport in (
        (f.staff(Role.CHAIR), regency, {"width": 1280, "height": 800}),
        (f.staff(Role.AGENCY_HEAD, f.agency("dpupr")), own, {"width": 360, "height": 640}),
    ):
        client = signed_in(Client(), user)
        context = chromium.new_context(viewport=viewport, locale="id-ID", base_url=live_server.url)
        context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                    "url": live_server.url,
                }
            ]
        )
        page = context.new_page()
        for url in (
            reverse("backoffice:report_written_list"),
            reverse("backoffice:report_written", args=[report.pk]),
        ):
            response = page.goto(url)
            assert response is not None and response.status == 200, url
            assert page.locator("h1").count() >= 1
            assert_accessible(page)
        context.close()

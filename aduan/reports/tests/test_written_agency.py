"""The written report of one agency (issue 7; Pasal 12, 13; R12, R17, R33) and its access
rules (S3, S14): an agency head makes, issues and downloads the Q2 2026 report of their agency
through the back office on the generated dataset (k2_support: 40 complaints, three agencies);
every figure of the PDF (pdftotext) and the XLSX (openpyxl) equals an independent count over
the rows that agency leads; other agencies' complaints appear nowhere (also the one it only
co-handles); another agency's staff get 404 and the attempt is audited; downloads are audited.
The last test proves on PostgreSQL that one report's figures come from one snapshot."""

from __future__ import annotations

import csv
import datetime as dt
import io
import threading
import zipfile
from collections import Counter
from typing import Any

import openpyxl
import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from aduan.accounts.roles import Role
from aduan.agencies.models import Agency
from aduan.audit.models import AuditEntry
from aduan.backoffice.tests.support import signed_in
from aduan.complaints.models import Channel, Complaint, Kind
from aduan.complaints.tests import factories as f
from aduan.complaints.workflow.states import Status
from aduan.notifications.models import OutboxMessage
from aduan.reports import aggregates
from aduan.reports.indicators import indicator_values
from aduan.reports.models import Indicator, IssuedReport, PeriodKind
from aduan.reports.tests.k2_support import WITA, generate, rows
from aduan.reports.tests.test_written import PLANTED, Q2, _tool, row_in, share, working_days
from aduan.reports.tests.written_support import media_in
from aduan.reports.written.data import _build, report_data_build

pytestmark = pytest.mark.django_db

LIST = "backoffice:report_written_list"
FORMATS = ("pdf", "xlsx", "csv")


def _body(response: Any) -> bytes:
    return b"".join(response.streaming_content)


def _url(name: str, *args: Any) -> str:
    return reverse(f"backoffice:{name}", args=args)


@pytest.fixture
def issued(ref: Any, time_machine: Any, settings: Any, tmp_path: Any) -> dict[str, Any]:
    """The head of dpupr makes, annotates and issues dpupr's Q2 2026 report and downloads its
    three files through the back office."""
    media_in(settings, tmp_path / "media")
    generate(time_machine, n=40)
    time_machine.move_to(dt.datetime(2026, 8, 3, 10, tzinfo=WITA), tick=False)
    agency = f.agency("dpupr")
    chair = f.staff(Role.CHAIR)
    head_user = f.staff(Role.AGENCY_HEAD, agency)
    f.staff(Role.AGENCY_HEAD, f.agency("dinkes"))  # another agency's head: not told
    regent = f.staff(Role.REGENT)
    # A Q2 complaint another agency leads and dpupr co-handles: not in dpupr's report.
    lower, upper = aggregates.local_bounds(*Q2)
    co = Complaint.objects.filter(
        received_at__gte=lower, received_at__lt=upper, private=False
    ).exclude(lead_agency=agency)[0]
    co.co_agencies.add(agency)
    head = signed_in(Client(), head_user)
    # The head's form has no agency field: an agency asked for is ignored (their own is used).
    created = head.post(
        _url("report_written_list"),
        {"period_kind": "quarter", "month": "2026-05", "agency": f.agency("dinkes").pk},
    )
    report = IssuedReport.objects.get()
    assert created.status_code == 302 and report.agency_id == agency.pk
    detail = _url("report_written", report.pk)
    head.post(detail, {"narrative": "Catatan kepala OPD.", "recommendations": "Percepat."})
    assert head.post(_url("report_written_issue", report.pk)).status_code == 302
    report.refresh_from_db()
    assert report.is_issued and report.issued_by == head_user
    files = {"report": report, "agency": agency, "users": (chair, regent), "co": co}
    for fmt in FORMATS:
        response = head.get(_url("report_written_download", report.pk, fmt))
        assert response.status_code == 200
        assert f"laporan-opd-{agency.pk}-2026-q2" in response["Content-Disposition"]
        files[fmt] = _body(response)
    path = tmp_path / "agency.pdf"
    path.write_bytes(files["pdf"])
    files["text"] = _tool("pdftotext", "-layout", str(path), "-")
    files["info"] = _tool("pdfinfo", str(path))
    return files


def test_s3_r12_r17_r33_an_agency_report_counts_only_the_complaints_the_agency_leads(
    issued,
) -> None:
    """Pasal 12/13 (R12, R17, R33), S3, S1: every figure of dpupr's Q2 report — PDF text and
    XLSX — equals an independent count over the Q2 complaints dpupr leads; its indicators are
    dpupr's; no other agency's complaint is listed (not even one dpupr co-handles)."""
    agency: Agency = issued["agency"]
    everything = rows()
    q2_all = [r for r in everything if Q2[0] <= r["date"] <= Q2[1]]
    q2 = [r for r in q2_all if r["agency"] == agency.pk]
    others = [r for r in everything if r["agency"] != agency.pk]
    assert 3 <= len(q2) < len(q2_all)  # the agency cuts the period's complaints
    total = len(q2)
    text = issued["text"]
    with translation.override("id"):
        title = f"{_('Complaint handling report')} — {agency.name}"
        assert title in " ".join(text.split())
        assert agency.name in issued["info"]  # the PDF's title names the agency
        assert row_in(text, _("Complaints received"), str(total))
        assert row_in(text, _("Dispatched to an agency"), str(sum(r["dispatched"] for r in q2)))
        assert row_in(text, _("Answered by an agency"), str(sum(r["responded"] for r in q2)))
        assert row_in(text, _("Confidential complaints"), str(sum(r["private"] for r in q2)))
        for labels, counted in (
            (dict(Kind.choices), Counter(r["kind"] for r in q2)),
            (dict(Channel.choices), Counter(r["channel"] for r in q2)),
            (dict(Status.choices), Counter(r["status"] for r in q2)),
        ):
            for value, n in counted.items():
                assert row_in(text, str(labels[value]), str(n), share(n, total)), value
        ratings = Counter(r["satisfaction"] for r in q2 if r["satisfaction"])
        for score in range(1, 6):
            assert row_in(text, f"{_('Rating')} {score}", str(ratings.get(score, 0)))
        overall = indicator_values(*Q2, agency=agency)[agency.pk]
        deadline = overall[Indicator.ANSWERED_BY_DEADLINE]
        if deadline is not None:
            label = str(Indicator.ANSWERED_BY_DEADLINE.label)
            assert row_in(text, label, f"{deadline:.2f}".replace(".", ","))
        assert "Catatan kepala OPD." in text
    listed = sorted((r for r in q2 if not r["private"]), key=lambda r: (r["obj"].received_at, r["pk"]))  # fmt: skip
    for r in listed:
        assert r["obj"].tracking_code in text
    for r in [*others, *(r for r in q2 if r["private"])]:
        assert r["obj"].tracking_code not in text, r["obj"].tracking_code
    assert issued["co"].tracking_code not in text and issued["co"].pk in {r["pk"] for r in others}
    for planted in PLANTED:
        assert planted not in text

    book = openpyxl.load_workbook(io.BytesIO(issued["xlsx"]))
    summary = {
        str(r[0]): r[1] for r in book.worksheets[0].iter_rows(values_only=True) if r and r[0]
    }
    with translation.override("id"):
        assert summary[_("Complaints received")] == total
        assert summary[_("Agency")] == agency.name
        assert summary[str(Indicator.ANSWERED_BY_DEADLINE.label)] == (
            float(deadline) if deadline is not None else None
        )
        status_rows = {
            str(r[0]): r[1] for r in book.worksheets[3].iter_rows(values_only=True) if r and r[0]
        }
        for value, n in Counter(r["status"] for r in q2).items():
            assert status_rows[str(dict(Status.choices)[value])] == n
    # section 8: this agency only
    performance = [r for r in book.worksheets[7].iter_rows(min_row=5, values_only=True) if r[0]]
    assert performance and {r[0] for r in performance} == {agency.short_name or agency.name}
    annex = list(book.worksheets[-1].iter_rows(min_row=4, values_only=True))
    assert [r[0] for r in annex] == [r["obj"].tracking_code for r in listed]
    by_code = {r["obj"].tracking_code: r for r in listed}
    for code, *_rest, days in annex:
        first = by_code[code]["obj"].first_responded_at
        if first is not None:
            assert days == working_days(by_code[code]["date"], first.astimezone(WITA).date())
    archive = zipfile.ZipFile(io.BytesIO(issued["csv"]))
    name = next(n for n in archive.namelist() if n.endswith("-lampiran.csv"))
    lines = list(csv.reader(io.StringIO(archive.read(name).decode("utf-8-sig"))))
    assert {line[0] for line in lines[2:]} == set(by_code)


def test_s3_s14_only_the_agency_and_the_readers_see_an_agency_report(issued) -> None:
    """S3: another agency's head and liaison get 404 on dpupr's report (page, download,
    issue), do not see it in their list, and the attempts are audited; dpupr's liaison reads
    and downloads but does not issue or annotate; the regent reads. S14: every download is one
    audit row naming the report's agency. The issue notice goes to the chair and dpupr's head
    only."""
    report: IssuedReport = issued["report"]
    agency: Agency = issued["agency"]
    chair, regent = issued["users"]
    downloads = AuditEntry.objects.filter(action="report_download", object_id=str(report.pk))
    assert downloads.count() == 3  # the fixture's three downloads
    assert {e.data["format"] for e in downloads.all()} == set(FORMATS)
    assert all(e.data["agency"] == agency.pk for e in downloads.all())
    pages = [
        _url("report_written", report.pk),
        *(_url("report_written_download", report.pk, fmt) for fmt in FORMATS),
    ]
    for role in (Role.AGENCY_HEAD, Role.LIAISON):
        stranger = signed_in(Client(), f.staff(role, f.agency("dinkes")))
        listing = stranger.get(_url("report_written_list")).content.decode()
        assert pages[0] not in listing and agency.name not in listing, role
        for url in pages:
            response = stranger.get(url)
            assert response.status_code == 404, (role, url)
            assert agency.name not in response.content.decode()
        assert stranger.post(_url("report_written_issue", report.pk)).status_code == 404
    denied = AuditEntry.objects.filter(action="access.denied", object_id=str(report.pk))
    assert denied.count() == 2 * (len(pages) + 1)
    assert downloads.count() == 3  # nothing served to them
    liaison = signed_in(Client(), f.staff(Role.LIAISON, agency))
    assert pages[0] in liaison.get(_url("report_written_list")).content.decode()
    for url in pages:
        assert liaison.get(url).status_code == 200, url
    assert downloads.count() == 3 + len(FORMATS)
    assert liaison.post(_url("report_written_issue", report.pk)).status_code == 403
    for reader in (signed_in(Client(), regent), signed_in(Client(), chair)):
        assert reader.get(pages[1]).status_code == 200
    assert downloads.count() == 3 + len(FORMATS) + 2
    notices = OutboxMessage.objects.filter(template="report_issued")
    head = issued["report"].issued_by
    assert {m.to_user_id for m in notices} == {chair.pk, head.pk}
    assert all(agency.name in m.context["period"] for m in notices)


def test_s3_liaison_drafts_own_agency_head_cannot_make_the_regency_report_chair_picks_any(
    ref, time_machine, settings, tmp_path
) -> None:
    """S3: a liaison makes a draft of their own agency's report (not the notes, not the issue);
    an agency role cannot make or reach the regency-wide report; the chair makes the report
    of any agency with the form's agency select, and the regency's beside it."""
    media_in(settings, tmp_path / "media")
    time_machine.move_to(dt.datetime(2026, 7, 6, 9, tzinfo=WITA), tick=False)
    dinkes = f.agency("dinkes")
    liaison = signed_in(Client(), f.staff(Role.LIAISON, dinkes))
    page = liaison.get(_url("report_written_list")).content.decode()
    assert 'name="agency"' not in page and dinkes.name in page
    liaison.post(_url("report_written_list"), {"period_kind": "month", "month": "2026-06"})
    draft = IssuedReport.objects.get()
    assert draft.agency_id == dinkes.pk and not draft.is_issued
    detail = _url("report_written", draft.pk)
    assert liaison.post(detail, {"narrative": "x", "recommendations": ""}).status_code == 403
    assert liaison.post(_url("report_written_issue", draft.pk)).status_code == 403
    assert liaison.get(detail).status_code == 200
    chair = signed_in(Client(), f.staff(Role.CHAIR))
    assert 'name="agency"' in chair.get(_url("report_written_list")).content.decode()
    chair.post(_url("report_written_list"), {"period_kind": "month", "month": "2026-06"})
    regency = IssuedReport.objects.get(agency__isnull=True)
    dpupr = f.agency("dpupr")
    chair.post(
        _url("report_written_list"),
        {"period_kind": "month", "month": "2026-06", "agency": dpupr.pk},
    )
    assert set(IssuedReport.objects.values_list("agency_id", flat=True)) == {
        None,
        dinkes.pk,
        dpupr.pk,
    }
    # the same agency and period twice: the existing draft (one per agency and period)
    liaison.post(_url("report_written_list"), {"period_kind": "month", "month": "2026-06"})
    assert IssuedReport.objects.count() == 3
    assert liaison.get(_url("report_written", regency.pk)).status_code == 404
    page = liaison.get(_url("report_written_list")).content.decode()
    assert _url("report_written", regency.pk) not in page
    head = signed_in(Client(), f.staff(Role.AGENCY_HEAD, dinkes))
    assert head.post(detail, {"narrative": "Dari kepala.", "recommendations": ""}).status_code == 302  # fmt: skip
    draft.refresh_from_db()
    assert draft.narrative == "Dari kepala."


# --- one snapshot (PostgreSQL) ----------------------------------------------------------------


def _from_another_connection(change: Any) -> None:
    """Run `change` in a thread: its own database connection, committed at once."""

    def run() -> None:
        try:
            change()
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()


def _agree(data: Any) -> list[str]:
    """The sections' totals that must be equal in one consistent report."""
    problems = []
    closed = next(r.count for r in data.by_status if r.label == str(Status.CLOSED.label))
    if closed != data.funnel.closed:
        problems.append(f"closed: status {closed} != summary {data.funnel.closed}")
    for name in ("by_status", "by_channel", "by_kind", "by_agency"):
        total = sum(r.count for r in getattr(data, name))
        if total != data.received:
            problems.append(f"{name}: {total} != received {data.received}")
    if data.annex_listed + data.annex_private != data.received:
        problems.append("annex")
    return problems


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_r17_r33_one_report_is_one_snapshot_on_postgresql(ref, time_machine, monkeypatch) -> None:
    """Pasal 12 (R17, R33): a complaint closed, and one moved into the period, by another
    connection while the figures are being gathered (right after the summary) do not make the
    report's sections disagree: the gathering runs in one REPEATABLE READ READ ONLY
    transaction. Without it (the same gathering in autocommit) they do disagree — the test can
    fail."""
    time_machine.move_to(dt.datetime(2026, 6, 10, 10, tzinfo=WITA), tick=False)
    opened = [f.received(channel="sms"), f.received(channel="sms")]
    f.closed("dpupr", satisfaction=4)
    time_machine.move_to(dt.datetime(2026, 5, 20, 10, tzinfo=WITA), tick=False)
    earlier = [f.received(channel="web"), f.received(channel="web")]
    time_machine.move_to(dt.datetime(2026, 7, 6, 10, tzinfo=WITA), tick=False)
    june = (dt.date(2026, 6, 1), dt.date(2026, 6, 30))
    seen: list[tuple[str, str]] = []
    real_trend = aggregates.trend

    def trend_then_change(*args: Any, **kwargs: Any) -> Any:
        result = real_trend(*args, **kwargs)
        with connection.cursor() as cursor:
            cursor.execute("SHOW transaction_isolation")
            isolation = cursor.fetchone()[0]
            cursor.execute("SHOW transaction_read_only")
            seen.append((isolation, cursor.fetchone()[0]))
        step = len(seen) - 1

        def change() -> None:
            Complaint.objects.filter(pk=opened[step].pk).update(status=Status.CLOSED)
            Complaint.objects.filter(pk=earlier[step].pk).update(
                received_at=dt.datetime(2026, 6, 15, 9, tzinfo=WITA)
            )

        _from_another_connection(change)
        return result

    monkeypatch.setattr(aggregates, "trend", trend_then_change)
    assert not connection.in_atomic_block
    data = report_data_build(PeriodKind.MONTH, *june)
    assert seen == [("repeatable read", "on")]
    assert data.received == 3 and data.funnel.closed == 1
    assert _agree(data) == []
    # the changes were made and committed meanwhile: a new count sees them
    assert aggregates.filtered(*june).count() == 4
    # the same gathering without the snapshot (autocommit): the sections disagree
    loose = _build(
        PeriodKind.MONTH,
        *june,
        agency=None,
        narrative="",
        recommendations="",
        as_of=None,
    )
    assert seen[1][0] == "read committed" or seen[1][1] == "off"
    assert _agree(loose) != []

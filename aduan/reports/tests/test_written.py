"""The written report to the Bupati (Pasal 12, 13; issue 7): on a generated dataset (k2_support:
40 complaints over May-July 2026 through the real workflow, three agencies, four channels, every
state, ratings with comments naming the complainant, 20% confidential; the Buton holiday
calendar) every figure in the PDF (text from `pdftotext -layout`) and in the XLSX (read back
with openpyxl) equals an independent count in plain Python over the rows; the annex's working
days are recomputed from the holidays package and the Holiday table; the PDF is tagged
(PDF/UA) with a real text layer; no identity anywhere (S1). The report is rendered once."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import shutil
import subprocess
import zipfile
import zlib
from collections import Counter
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import holidays as holidays_package
import openpyxl
import pytest
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from aduan.complaints.models import Channel, Complaint, Kind
from aduan.complaints.workflow.states import Status
from aduan.reports.indicators import indicator_values
from aduan.reports.models import Indicator, PeriodKind
from aduan.reports.tests.k2_support import WITA, generate, rows
from aduan.reports.written.build import report_write
from aduan.reports.written.data import WorkingDayIndex, report_data_build
from aduan.reports.written.periods import period_label, period_of, period_slug, previous_month
from aduan.workdays.models import Holiday

pytestmark = pytest.mark.django_db

Q2 = (dt.date(2026, 4, 1), dt.date(2026, 6, 30))
PLANTED = ("Warga Uji", "081234567890", "warga@contoh.id", "1234567890")


def non_working(year: int) -> set[dt.date]:
    """The calendar, independently: the holidays package plus the Holiday table's overrides."""
    days = set(
        holidays_package.country_holidays(
            settings.ADUAN_HOLIDAY_COUNTRY,
            years=[year],
            categories=tuple(settings.ADUAN_HOLIDAY_CATEGORIES),
        ).keys()
    )
    for day, active in Holiday.objects.filter(date__year=year).values_list("date", "is_active"):
        (days.add if active else days.discard)(day)
    return days


def working_days(start: dt.date, end: dt.date) -> int:
    off = non_working(start.year) | non_working(end.year)
    n, day = 0, start
    while day < end:
        day += dt.timedelta(days=1)
        n += day.weekday() < 5 and day not in off
    return n


def share(part: int, whole: int) -> str:
    value = (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)
    return f"{value}".replace(".", ",")


def row_in(text: str, label: str, *numbers: str) -> bool:
    """A line of the PDF text with the label followed by the numbers (the table's columns)."""
    pattern = r"^\s*" + re.escape(label) + "".join(r"\s+" + re.escape(n) for n in numbers) + r"\s*$"
    return re.search(pattern, text, re.MULTILINE) is not None


def pdf_objects(pdf: bytes) -> bytes:
    """The PDF's bytes with every Flate stream inflated (object streams hold the catalog)."""
    out = [pdf]
    for match in re.finditer(rb"stream\r?\n", pdf):
        try:
            out.append(zlib.decompressobj().decompress(pdf[match.end() :]))
        except zlib.error:
            continue
    return b"\n".join(out)


def test_periods() -> None:
    assert period_of(PeriodKind.MONTH, dt.date(2026, 2, 14)) == (
        dt.date(2026, 2, 1),
        dt.date(2026, 2, 28),
    )
    assert period_of(PeriodKind.QUARTER, dt.date(2026, 5, 3)) == Q2
    assert period_of(PeriodKind.SEMESTER, dt.date(2026, 12, 31)) == (
        dt.date(2026, 7, 1),
        dt.date(2026, 12, 31),
    )
    assert period_of(PeriodKind.YEAR, dt.date(2026, 5, 3)) == (
        dt.date(2026, 1, 1),
        dt.date(2026, 12, 31),
    )
    assert previous_month(dt.date(2026, 1, 5)) == (dt.date(2025, 12, 1), dt.date(2025, 12, 31))
    assert period_slug(PeriodKind.QUARTER, Q2[0]) == "2026-q2"
    with translation.override("id"):
        assert period_label(PeriodKind.MONTH, dt.date(2026, 6, 1)) == "Juni 2026"


def test_working_day_index_matches_the_calendar(ref) -> None:
    """The annex's O(1) working-day counter equals an independent count over the holidays
    (1 and 16 June 2026 are holidays in the Buton data, 17 August too)."""
    index = WorkingDayIndex(dt.date(2026, 5, 1))
    for start, end in [
        (dt.date(2026, 5, 29), dt.date(2026, 6, 2)),
        (dt.date(2026, 6, 12), dt.date(2026, 6, 17)),
        (dt.date(2026, 8, 14), dt.date(2026, 8, 18)),
        (dt.date(2026, 5, 4), dt.date(2026, 5, 4)),
    ]:
        assert index.between(start, end) == working_days(start, end), (start, end)


def _tool(*args: str) -> str:
    """A poppler-utils tool (installed by scripts/ensure_test_tools.sh; missing: the test fails)."""
    return subprocess.run(  # noqa: S603
        [shutil.which(args[0]) or args[0], *args[1:]], capture_output=True, text=True, check=True
    ).stdout


@pytest.fixture
def rendered(ref, time_machine, settings, tmp_path) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    settings.ADUAN_REPORT_PDF_ANNEX_MAX = 5
    generate(time_machine, n=40)
    time_machine.move_to(dt.datetime(2026, 8, 3, 10, tzinfo=WITA), tick=False)
    data = report_data_build(
        PeriodKind.QUARTER,
        *Q2,
        narrative="Catatan ketua: volume naik.",
        recommendations="Rekomendasi: percepat jawaban.",
    )
    files: dict[str, Any] = {"data": data}
    for fmt in ("pdf", "xlsx", "csv"):
        buffer = io.BytesIO()
        files[f"{fmt}_sha"] = report_write(data, fmt, buffer)
        files[fmt] = buffer.getvalue()
    path = tmp_path / "report.pdf"
    path.write_bytes(files["pdf"])
    files["text"] = _tool("pdftotext", "-layout", str(path), "-")
    files["info"] = _tool("pdfinfo", str(path))
    files["struct"] = _tool("pdfinfo", "-struct", str(path))
    files["path"] = path
    return files


def test_pasal12_every_figure_of_the_pdf_and_xlsx_equals_an_independent_count(rendered) -> None:
    """Pasal 12/13 (R-reporting) and S1: sections 1-7 and the annex of the Q2 2026 report — in the
    PDF text and in the XLSX — against counts over the rows; the PDF tagged; no identity."""
    everything = rows()
    q2 = [r for r in everything if Q2[0] <= r["date"] <= Q2[1]]
    assert 15 <= len(q2) < len(everything)  # the period cuts the data
    total = len(q2)
    text = rendered["text"]
    with translation.override("id"):
        # 1 summary
        assert row_in(text, _("Complaints received"), str(total))
        assert row_in(text, _("Dispatched to an agency"), str(sum(r["dispatched"] for r in q2)))
        assert row_in(text, _("Answered by an agency"), str(sum(r["responded"] for r in q2)))
        assert row_in(text, _("Confidential complaints"), str(sum(r["private"] for r in q2)))
        previous = [r for r in everything if dt.date(2025, 12, 31) <= r["date"] < Q2[0]]
        assert row_in(text, _("Change against the previous period").split("(")[0].strip(), "+" + str(total - len(previous)))  # fmt: skip
        # 2 kind, category, agency; 3 channel; 4 status
        for key, labels, counted in (
            ("kind", dict(Kind.choices), Counter(r["kind"] for r in q2)),
            ("channel", dict(Channel.choices), Counter(r["channel"] for r in q2)),
            ("status", dict(Status.choices), Counter(r["status"] for r in q2)),
        ):
            for value, n in counted.items():
                assert row_in(text, str(labels[value]), str(n), share(n, total)), (key, value)
        names = {c.pk: c.name for c in _categories()}
        for pk, n in Counter(r["category"] for r in q2).items():
            label = names[pk] if pk else _("Not set")
            assert row_in(text, label, str(n), share(n, total)), label
        agencies = dict(_agencies())
        for pk, n in Counter(r["agency"] for r in q2).items():
            label = agencies[pk] if pk else _("Not set")
            assert row_in(text, label, str(n), share(n, total)), label
        # 6 satisfaction distribution
        ratings = Counter(r["satisfaction"] for r in q2 if r["satisfaction"])
        for score in range(1, 6):
            assert row_in(text, f"{_('Rating')} {score}", str(ratings.get(score, 0)))
        assert row_in(text, _("Rated complaints"), str(sum(ratings.values())))
        # 7 causes
        causes = Counter(r["cause"] for r in q2 if r["cause"])
        assert sum(b.count for b in rendered["data"].by_cause) == sum(causes.values())
        # 9 the chair's notes
        assert "Catatan ketua: volume naik." in text and "Rekomendasi: percepat jawaban." in text
        # the summary's timeliness is the indicators' (tested against the holidays there)
        overall = indicator_values(*Q2)[None]
        deadline = overall[Indicator.ANSWERED_BY_DEADLINE]
        if deadline is not None:
            label = str(Indicator.ANSWERED_BY_DEADLINE.label)
            assert row_in(text, label, f"{deadline:.2f}".replace(".", ","))
        # the annex: only non-confidential complaints, the first 5 in the PDF, the total stated
        listed = sorted(
            (r for r in q2 if not r["private"]), key=lambda r: (r["obj"].received_at, r["pk"])
        )
        for r in listed[:5]:
            assert r["obj"].tracking_code in text
        for r in listed[5:]:
            assert r["obj"].tracking_code not in text
        for r in q2:
            if r["private"]:
                assert r["obj"].tracking_code not in text
        assert f"{len(listed)} " in text and "XLSX" in text
    # tagged PDF/UA with a text layer, language and title
    assert "Tagged:          yes" in rendered["info"]
    assert "Title:" in rendered["info"] and "Kabupaten Buton" in rendered["info"]
    assert "Table" in rendered["struct"] and "H1" in rendered["struct"]
    objects = pdf_objects(rendered["pdf"])
    assert b"/StructTreeRoot" in objects and b"/MarkInfo" in objects
    assert b"/Lang (id-ID)" in objects
    # S1: no identity in the PDF (the comments named the complainant; they are masked)
    for planted in PLANTED:
        assert planted not in text, planted

    # XLSX: one sheet per section and the annex; numbers are numbers, dates are dates
    book = openpyxl.load_workbook(io.BytesIO(rendered["xlsx"]))
    assert len(book.sheetnames) == 10
    values = {
        str(row[0]): row[1]
        for row in book.worksheets[0].iter_rows(values_only=True)
        if row and row[0] is not None and len(row) > 1
    }
    with translation.override("id"):
        assert values[_("Complaints received")] == total
        assert isinstance(values[_("From")], dt.datetime) and values[_("From")].date() == Q2[0]
        status_sheet = book.worksheets[3]
        status_rows = {
            str(r[0]): r[1] for r in status_sheet.iter_rows(values_only=True) if r and r[0]
        }
        for value, n in Counter(r["status"] for r in q2).items():
            assert status_rows[str(dict(Status.choices)[value])] == n
    annex = book.worksheets[-1]
    data_rows = list(annex.iter_rows(min_row=4))
    assert len(data_rows) == len(listed)  # every row, not only the PDF's 5
    by_code = {r["obj"].tracking_code: r for r in listed}
    for cells in data_rows:
        code, received, responded, days = (
            cells[0].value,
            cells[1],
            cells[7].value,
            cells[8].value,
        )
        r = by_code[code]
        assert isinstance(received.value, dt.datetime) and received.is_date
        assert "DD/MM/YYYY" in received.number_format
        assert received.value.date() == r["date"]
        first = r["obj"].first_responded_at
        if first is None:
            assert days is None and responded is None
        else:
            assert isinstance(days, int)
            assert days == working_days(r["date"], first.astimezone(WITA).date()), code
    strings = [
        str(c) for ws in book.worksheets for row in ws.iter_rows(values_only=True) for c in row if c
    ]
    for planted in PLANTED:
        assert not any(planted in s for s in strings), planted

    # CSV: a zip of one UTF-8 (BOM) file per section plus the annex, every row; no identity
    archive = zipfile.ZipFile(io.BytesIO(rendered["csv"]))
    assert len(archive.namelist()) == 10
    annex_name = next(n for n in archive.namelist() if n.endswith("-lampiran.csv"))
    raw = archive.read(annex_name)
    assert raw.startswith(b"\xef\xbb\xbf")
    lines = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert len(lines) == 2 + len(listed)
    assert {line[0] for line in lines[2:]} == set(by_code)
    everything_csv = b"".join(archive.read(n) for n in archive.namelist()).decode("utf-8-sig")
    for planted in PLANTED:
        assert planted not in everything_csv, planted
    # sha256 returned by the writer is the hash of the bytes
    import hashlib

    assert rendered["pdf_sha"] == hashlib.sha256(rendered["pdf"]).hexdigest()
    assert Complaint.objects.count() == len(everything)


def _categories() -> list[Any]:
    from aduan.agencies.models import Category

    return list(Category.objects.all())


def _agencies() -> list[tuple[int, str]]:
    from aduan.agencies.models import Agency

    return [(a.pk, a.short_name or a.name) for a in Agency.objects.all()]


def test_the_default_emblem_is_data_and_a_logo_setting_replaces_it(settings, tmp_path) -> None:
    """The kop surat's logo is a file path per pemda (ADUAN_REPORT_LOGO)."""
    from aduan.reports.written.pdf import logo_data_uri

    assert logo_data_uri().startswith("data:image/svg+xml;base64,")
    logo = Path(tmp_path) / "logo.png"
    logo.write_bytes(b"\x89PNG\r\n\x1a\n")
    settings.ADUAN_REPORT_LOGO = str(logo)
    assert logo_data_uri().startswith("data:image/png;base64,iVBORw0KGgo")

"""The report as a tagged PDF (PDF/UA-1, WeasyPrint) from the Django template
`reports/written/document.html`: real text, a structure tree, the document language id-ID and
a title. The same body template is the back-office preview."""

from __future__ import annotations

import base64
import datetime as dt
import mimetypes
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from aduan.reports import charts
from aduan.reports.models import Indicator

from .data import AnnexRow, ReportData, annex_rows

DEFAULT_LOGO = Path(__file__).with_name("emblem.svg")
DEFAULT_ANNEX_MAX = 2000
SUMMARY_INDICATORS = (
    Indicator.DISPATCHED_ON_TIME,
    Indicator.ANSWERED_BY_DEADLINE,
    Indicator.MEDIAN_DAYS,
    Indicator.SATISFACTION,
)
REPORT_LANGUAGE = "id"


def annex_max() -> int:
    return int(getattr(settings, "ADUAN_REPORT_PDF_ANNEX_MAX", DEFAULT_ANNEX_MAX))


def logo_data_uri() -> str:
    """The pemda's logo (ADUAN_REPORT_LOGO: a file path; data, not code) as a data: URI; the
    project's neutral emblem when none is set."""
    path = Path(getattr(settings, "ADUAN_REPORT_LOGO", "") or DEFAULT_LOGO)
    mime = mimetypes.guess_type(path.name)[0] or "image/png"
    return f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


def report_context(
    data: ReportData,
    *,
    annex: Iterable[AnnexRow],
    limit: int,
    status: str = "draft",
    issued_at: dt.datetime | None = None,
) -> dict[str, Any]:
    return {
        "d": data,
        "title": report_title(data),
        "annex": annex,
        "annex_listed": data.annex_listed,
        "annex_private": data.annex_private,
        "annex_max": limit,
        "logo_src": logo_data_uri(),
        "status": status,
        "issued_at": issued_at,
        "summary_indicators": [(i, data.overall.get(i)) for i in SUMMARY_INDICATORS],
        "satisfaction_rows": sorted(data.satisfaction.distribution.items()),
        "chart_category": charts.bars((r.label, r.count) for r in data.by_category),
        "chart_channel": charts.bars((r.label, r.count) for r in data.by_channel),
        "chart_status": charts.bars((r.label, r.count) for r in data.by_status if r.count),
        "chart_time": charts.columns(
            (day.strftime("%d/%m") if data.over_time_unit == "week" else day.strftime("%m/%Y"), n)
            for day, n in data.over_time
        ),
    }


def report_html(
    data: ReportData, *, status: str = "draft", issued_at: dt.datetime | None = None
) -> str:
    """The whole document (what WeasyPrint renders), in Bahasa Indonesia."""
    limit = annex_max()
    with translation.override(REPORT_LANGUAGE):
        return render_to_string(
            "reports/written/document.html",
            report_context(
                data,
                annex=annex_rows(data.start, data.end, agency=data.agency_id, limit=limit),
                limit=limit,
                status=status,
                issued_at=issued_at,
            ),
        )


def report_pdf_write(
    data: ReportData,
    out: IO[bytes],
    *,
    status: str = "draft",
    issued_at: dt.datetime | None = None,
    html: str | None = None,
) -> None:
    """Render the PDF into `out`. `html`: the document already rendered by `report_html` (in
    the report's snapshot: the layout, which takes long and reads nothing, then runs outside
    the transaction)."""
    from weasyprint import HTML

    if html is None:
        html = report_html(data, status=status, issued_at=issued_at)
    document = HTML(string=html, base_url=str(settings.BASE_DIR))
    document.write_pdf(out, pdf_variant="pdf/ua-1")


def report_title(data: ReportData) -> str:
    """The report's title: the regency's report to the Regent, or an agency's report naming the
    agency ("Laporan Pengelolaan Pengaduan — <agency>"). In the active language."""
    if data.agency_id is not None:
        return f"{_('Complaint handling report')} — {data.agency_name}"
    return _("Report on complaint handling to the Regent")


def pdf_title(data: ReportData) -> str:
    with translation.override(REPORT_LANGUAGE):
        return f"{report_title(data)} — {data.pemda} — {data.label}"

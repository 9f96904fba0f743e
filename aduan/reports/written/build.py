"""Producing a report's files: one `ReportData` for the period, then the PDF, XLSX and CSV
written to file objects (bounded memory: the annex is streamed from a server-side cursor).

`report_render` is the entry point for benchmarks and scripts; the archive
(services.report_issue) uses `report_write`, which also returns the SHA-256 of each file."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from collections.abc import Callable
from typing import IO

from aduan.agencies.models import Agency

from .csvzip import report_csv_write
from .data import ReportData, report_data_build, report_snapshot
from .pdf import report_pdf_write
from .periods import period_of
from .xlsx import report_xlsx_write

FORMATS = ("pdf", "xlsx", "csv")
Writer = Callable[..., None]
WRITERS: dict[str, Writer] = {
    "pdf": report_pdf_write,
    "xlsx": report_xlsx_write,
    "csv": report_csv_write,
}
SUFFIX = {"pdf": "pdf", "xlsx": "xlsx", "csv": "csv.zip"}
CONTENT_TYPE = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "application/zip",
}


class HashingWriter(io.RawIOBase):
    """A write-only file object that forwards to `target` and hashes what passes (SHA-256).
    Seeks are refused, so writers that need them (zipfile) use data descriptors instead."""

    def __init__(self, target: IO[bytes]) -> None:
        self.target = target
        self.sha256 = hashlib.sha256()
        self.size = 0

    def writable(self) -> bool:
        return True

    def write(self, b: bytes) -> int:  # type: ignore[override]
        data = bytes(b)
        self.target.write(data)
        self.sha256.update(data)
        self.size += len(data)
        return len(data)

    def tell(self) -> int:
        return self.size

    def flush(self) -> None:
        self.target.flush()


def report_write(
    data: ReportData,
    fmt: str,
    out: IO[bytes],
    *,
    status: str = "draft",
    issued_at: dt.datetime | None = None,
    html: str | None = None,
) -> str:
    """Write one format into `out`; returns its SHA-256 (hex). `html`: the PDF's document,
    rendered beforehand by `pdf.report_html` (see there)."""
    sink = HashingWriter(out)
    if fmt == "pdf":
        report_pdf_write(data, sink, status=status, issued_at=issued_at, html=html)  # type: ignore[arg-type]
    else:
        WRITERS[fmt](data, sink)
    return sink.sha256.hexdigest()


def report_render(
    period_kind: str,
    start: dt.date,
    *,
    fmt: str = "pdf",
    agency: Agency | None = None,
    narrative: str = "",
    recommendations: str = "",
) -> bytes:
    """The report of the period of `period_kind` containing `start` (of `agency` if given), as
    bytes (benchmarks, the sample script), its figures and annex from one snapshot. For very
    large periods prefer `report_write` into a file."""
    first, last = period_of(period_kind, start)
    buffer = io.BytesIO()
    with report_snapshot():
        data = report_data_build(
            period_kind,
            first,
            last,
            agency=agency,
            narrative=narrative,
            recommendations=recommendations,
        )
        report_write(data, fmt, buffer)
    return buffer.getvalue()

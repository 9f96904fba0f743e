"""The report as CSV: a zip with one CSV file per section and one for the annex (every
complaint of the period, streamed). UTF-8 with a byte-order mark so that Excel opens the
Indonesian text correctly; comma-separated; dates ISO 8601 (YYYY-MM-DD), decimals with a point;
each section file holds its tables one after another, each under its caption."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Iterable
from typing import IO, Any

from django.utils import translation

from .data import ReportData, annex_rows
from .pdf import REPORT_LANGUAGE
from .periods import period_slug
from .tables import annex_header, annex_note, annex_values, sections

# A fixed timestamp for every member so that the same data gives the same zip.
ZIP_TIME = (2000, 1, 1, 0, 0, 0)


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return "" if value is None else value


def _write(archive: zipfile.ZipFile, name: str, rows: Iterable[list[Any]]) -> None:
    info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    with archive.open(info, "w") as raw:
        text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
        writer = csv.writer(text)
        for row in rows:
            writer.writerow([_plain(v) for v in row])
        text.flush()
        text.detach()


def report_csv_write(data: ReportData, out: IO[bytes]) -> None:
    """Write the zip of CSV files into `out`."""
    slug = period_slug(data.period_kind, data.start)
    with translation.override(REPORT_LANGUAGE), zipfile.ZipFile(out, "w") as archive:
        for section in sections(data):
            rows: list[list[Any]] = []
            for table in section.tables:
                if rows:
                    rows.append([])
                rows.extend([[table.caption], table.header, *table.rows])
            _write(archive, f"laporan-{slug}-{section.key}.csv", rows)

        def annex() -> Iterable[list[Any]]:
            yield [annex_note(data)]
            yield annex_header()
            for row in annex_rows(data.start, data.end, agency=data.agency_id):
                yield annex_values(row)

        _write(archive, f"laporan-{slug}-lampiran.csv", annex())

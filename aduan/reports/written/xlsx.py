"""The report as an XLSX workbook (openpyxl write-only, streamed): one sheet per section with
header rows, numbers as numbers, dates as dates (with a date format), and the annex sheet
written row by row from a server-side cursor (every complaint of the period, no limit)."""

from __future__ import annotations

import datetime as dt
from typing import IO, Any

from django.utils import translation
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from .data import ReportData, annex_rows
from .pdf import REPORT_LANGUAGE, pdf_title
from .tables import annex_header, annex_note, annex_title, annex_values, sections

DATE_FORMAT = "DD/MM/YYYY"
DATETIME_FORMAT = "DD/MM/YYYY HH:MM"
BOLD = Font(bold=True)


def _cell(sheet: WriteOnlyWorksheet, value: Any, *, bold: bool = False) -> Any:
    if not bold and not isinstance(value, dt.date):
        return value
    cell = WriteOnlyCell(sheet, value=value)
    if bold:
        cell.font = BOLD
    if isinstance(value, dt.datetime):
        cell.number_format = DATETIME_FORMAT
    elif isinstance(value, dt.date):
        cell.number_format = DATE_FORMAT
    return cell


def _row(sheet: WriteOnlyWorksheet, values: list[Any], *, bold: bool = False) -> None:
    sheet.append([_cell(sheet, v, bold=bold) for v in values])


def report_xlsx_write(data: ReportData, out: IO[bytes]) -> None:
    """Write the workbook into `out` (a binary file object)."""
    with translation.override(REPORT_LANGUAGE):
        book = Workbook(write_only=True)
        book.properties.title = pdf_title(data)
        book.properties.language = "id-ID"
        for section in sections(data):
            sheet = book.create_sheet(section.title[:31])
            sheet.column_dimensions["A"].width = 48
            _row(sheet, [pdf_title(data)], bold=True)
            for table in section.tables:
                _row(sheet, [])
                _row(sheet, [table.caption], bold=True)
                _row(sheet, table.header, bold=True)
                for values in table.rows:
                    _row(sheet, values)
        sheet = book.create_sheet(annex_title())
        sheet.column_dimensions["A"].width = 24
        _row(sheet, [pdf_title(data)], bold=True)
        _row(sheet, [annex_note(data)])
        _row(sheet, annex_header(), bold=True)
        for row in annex_rows(data.start, data.end, agency=data.agency_id):
            _row(sheet, annex_values(row))
        book.save(out)

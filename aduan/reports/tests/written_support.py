"""Helpers for the written-report tests (and the back-office sweeps)."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path
from typing import Any

from django.core.files.base import ContentFile

from aduan.agencies.models import Agency
from aduan.core import clock
from aduan.reports.models import IssuedReport, PeriodKind, ReportStatus


def media_in(settings: Any, folder: Path) -> None:
    """Point the default file storage at `folder` (its location is fixed in STORAGES, so
    overriding MEDIA_ROOT alone is not enough)."""
    settings.MEDIA_ROOT = folder
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(folder), "base_url": None},
        },
    }


def issued_report_stub(
    start: dt.date = dt.date(2025, 1, 1), agency: Agency | None = None
) -> IssuedReport:
    """An issued monthly report (of the regency, or of `agency`) whose files are small
    placeholders (no rendering): for page sweeps that only need the URLs to answer."""
    report = IssuedReport(
        agency=agency,
        period_kind=PeriodKind.MONTH,
        period_start=start,
        period_end=start.replace(day=28),
        status=ReportStatus.ISSUED,
        issued_at=clock.now(),
        generated_at=clock.now(),
    )
    for fmt, content in (("pdf", b"%PDF-1.7 stub"), ("xlsx", b"PK stub"), ("csv", b"PK stub")):
        field = getattr(report, fmt)
        name = f"laporan/stub.{fmt}"
        # The same constant content every time: reuse the stored stub instead of piling up copies.
        if field.storage.exists(name) and field.storage.size(name) == len(content):
            field.name = name
        else:
            field.save(f"stub.{fmt}", ContentFile(content), save=False)
        setattr(report, f"{fmt}_sha256", hashlib.sha256(content).hexdigest())
    report.save()
    return report

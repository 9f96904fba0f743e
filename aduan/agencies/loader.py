"""Loading a pemda's reference data from files: regions, agencies, categories, holidays, causes.

The files are the ones in data/buton/ (columns in Bahasa Indonesia, as the sources give them);
another pemda prepares the same files and loads them the same way. Loading is idempotent
(rows are matched by code/date and updated) and atomic: a bad file changes nothing.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.db import transaction

from aduan.workdays.models import Holiday

from .models import Agency, Category, Cause, Region

REGION_LEVELS = {
    "provinsi": Region.Level.PROVINCE,
    "kabupaten": Region.Level.REGENCY,
    "kota": Region.Level.REGENCY,
    "kecamatan": Region.Level.DISTRICT,
    "kelurahan": Region.Level.URBAN_VILLAGE,
    "desa": Region.Level.VILLAGE,
}
HOLIDAY_KINDS = {
    "libur_nasional": Holiday.Kind.NATIONAL,
    "cuti_bersama": Holiday.Kind.JOINT_LEAVE,
    "libur_daerah": Holiday.Kind.LOCAL,
    "libur_lokal": Holiday.Kind.LOCAL,
}


class ReferenceDataError(Exception):
    """A file is missing, malformed or inconsistent; nothing was loaded."""


@dataclass
class LoadReport:
    counts: dict[str, int] = field(default_factory=dict)

    def __str__(self) -> str:
        return ", ".join(f"{name}: {count}" for name, count in self.counts.items())


def _rows(path: Path) -> list[dict[str, str]]:
    if not path.exists():
        raise ReferenceDataError(f"{path} is missing")
    with path.open(newline="", encoding="utf-8") as handle:
        return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(handle)]


def _decimal(value: str, where: str) -> Decimal | None:
    if not value:
        return None
    try:
        return Decimal(value).quantize(Decimal("0.000001"))
    except InvalidOperation as exc:
        raise ReferenceDataError(f"{where}: {value!r} is not a number") from exc


def load_regions(path: Path) -> int:
    by_code: dict[str, Region] = {}
    rows = sorted(_rows(path), key=lambda r: len(r["kode"]))  # parents first
    for row in rows:
        level = REGION_LEVELS.get(row["tingkat"])
        if level is None:
            raise ReferenceDataError(
                f"{path.name}: region {row['kode']} has unknown level {row['tingkat']!r}"
            )
        parent_code = row.get("kode_induk", "")
        parent = (
            by_code.get(parent_code) or Region.objects.filter(code=parent_code).first()
            if parent_code
            else None
        )
        region, _created = Region.objects.update_or_create(
            code=row["kode"],
            defaults={
                "name": row["nama"],
                "level": level,
                "parent": parent,
                "latitude": _decimal(row.get("lat", ""), f"{path.name} {row['kode']}"),
                "longitude": _decimal(row.get("lon", ""), f"{path.name} {row['kode']}"),
                "notes": row.get("catatan", ""),
            },
        )
        by_code[region.code] = region
    return len(rows)


def load_agencies(path: Path, coordinator: str) -> int:
    rows = _rows(path)
    codes = {row["kode"] for row in rows}
    if coordinator not in codes:
        raise ReferenceDataError(
            f"{path.name}: the coordinating agency {coordinator!r} is not in the file"
        )
    Agency.objects.exclude(code=coordinator).filter(is_coordinator=True).update(
        is_coordinator=False
    )
    for row in rows:
        Agency.objects.update_or_create(
            code=row["kode"],
            defaults={
                "name": row["nama"],
                "short_name": row.get("singkatan", "")[:60],
                "kind": row.get("jenis", "")[:40],
                "affairs": row.get("urusan", ""),
                "is_coordinator": row["kode"] == coordinator,
                "confidence": row.get("confidence", "")[:20],
                "source": row.get("sumber", "")[:200],
                "notes": row.get("catatan", ""),
            },
        )
    return len(rows)


def load_categories(path: Path) -> int:
    rows = _rows(path)
    agencies = {a.code: a for a in Agency.objects.all()}
    by_code: dict[str, Category] = {}
    for row in sorted(rows, key=lambda r: (bool(r.get("induk")), r["kode"])):  # parents first
        default_code = row.get("opd_default", "")
        if default_code and default_code not in agencies:
            raise ReferenceDataError(
                f"{path.name}: category {row['kode']} routes to unknown agency {default_code!r}"
            )
        parent_code = row.get("induk", "")
        parent = None
        if parent_code:
            parent = by_code.get(parent_code) or Category.objects.filter(code=parent_code).first()
            if parent is None:
                raise ReferenceDataError(
                    f"{path.name}: category {row['kode']} has unknown parent {parent_code!r}"
                )
        category, _created = Category.objects.update_or_create(
            code=row["kode"],
            defaults={
                "name": row["nama"],
                "parent": parent,
                "topic": row.get("topik_umum", "")[:80],
                "default_agency": agencies.get(default_code),
                "source": row.get("sumber", "")[:200],
                "notes": row.get("catatan", ""),
            },
        )
        alternatives = [code for code in row.get("opd_alternatif", "").split(";") if code]
        unknown = [code for code in alternatives if code not in agencies]
        if unknown:
            raise ReferenceDataError(
                f"{path.name}: category {row['kode']} names unknown agencies {unknown}"
            )
        category.alternative_agencies.set([agencies[code] for code in alternatives])
        by_code[category.code] = category
    return len(rows)


def load_holidays(path: Path) -> int:
    rows = _rows(path)
    for row in rows:
        kind = HOLIDAY_KINDS.get(row["jenis"])
        if kind is None:
            raise ReferenceDataError(
                f"{path.name}: {row['tanggal']} has unknown kind {row['jenis']!r}"
            )
        try:
            day = dt.date.fromisoformat(row["tanggal"])
        except ValueError as exc:
            raise ReferenceDataError(
                f"{path.name}: {row['tanggal']!r} is not a date (YYYY-MM-DD)"
            ) from exc
        Holiday.objects.update_or_create(
            date=day,
            defaults={
                "kind": kind,
                "name": row["nama"][:200],
                "legal_basis": row.get("dasar", "")[:300],
                "notes": row.get("catatan", ""),
            },
        )
    return len(rows)


def load_causes(path: Path) -> int:
    rows = _rows(path)
    for row in rows:
        Cause.objects.update_or_create(
            code=row["kode"], defaults={"name": row["nama"], "order": int(row.get("urutan") or 0)}
        )
    return len(rows)


def load_reference_data(directory: Path) -> LoadReport:
    manifest_path = directory / "pemda.json"
    if not manifest_path.exists():
        raise ReferenceDataError(f"{manifest_path} is missing")
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    files = manifest.get("files", {})
    report = LoadReport()
    with transaction.atomic():
        report.counts["regions"] = load_regions(directory / files["regions"])
        report.counts["agencies"] = load_agencies(
            directory / files["agencies"], manifest["coordinator"]
        )
        report.counts["categories"] = load_categories(directory / files["categories"])
        report.counts["holidays"] = load_holidays(directory / files["holidays"])
        if files.get("causes"):
            report.counts["causes"] = load_causes(directory / files["causes"])
    return report

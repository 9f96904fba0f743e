#!/usr/bin/env python3
"""Render the sample written report (docs/samples/) from a fresh demo database.

    .venv/bin/python scripts/render_sample_report.py [--kind month] [--out docs/samples]

Makes a throw-away SQLite database in a temporary folder (ADUAN_VAR_DIR), migrates it, loads
the Buton reference data and the demo data exactly as `make run` does, then writes
laporan-contoh-<period>.pdf and .xlsx for the last full month of the demo data (or the quarter
/ semester / year containing it) and PNG previews of the first pages (pdftoppm -png -r 60).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess  # nosec B404: runs our own manage.py and pdftoppm, fixed arguments
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kind", default="month", choices=["month", "quarter", "semester", "year"])
    parser.add_argument("--out", default=str(ROOT / "docs" / "samples"))
    parser.add_argument("--pages", type=int, default=3, help="PNG previews of the first N pages")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="aduan-sample-") as var:
        env = {
            **os.environ,
            "ADUAN_DEMO": "1",
            "ADUAN_VAR_DIR": var,
            "DJANGO_SETTINGS_MODULE": "config.settings.base",
            "DATABASE_URL": f"sqlite:///{var}/aduan.sqlite3",
            "REDIS_URL": "",
        }
        python = sys.executable
        for command in (["migrate", "--noinput", "-v0"], ["load_reference_data"], ["load_demo"]):
            subprocess.run(  # noqa: S603  # nosec B603: fixed arguments
                [python, "manage.py", *command],
                cwd=ROOT,
                env=env,
                check=True,
                stdout=subprocess.DEVNULL,
            )
        code = (
            "from scripts.render_sample_report import render; "
            f"render({args.kind!r}, {str(out)!r}, {args.pages})"
        )
        subprocess.run(  # noqa: S603  # nosec B603: fixed arguments
            [python, "manage.py", "shell", "-c", code], cwd=ROOT, env=env, check=True
        )
    return 0


def _with_fragments() -> None:
    """Inside Django: use the Indonesian translations waiting in locale/fragments/*.po on top of
    the project's catalogue, so that the sample reads right before the fragments are merged."""
    from django.conf import settings
    from django.utils.translation import trans_real

    fragments = sorted((ROOT / "locale" / "fragments").glob("*.po"))
    msgcat, msgfmt = shutil.which("msgcat"), shutil.which("msgfmt")
    if not fragments or not msgcat or not msgfmt:
        return
    base = Path(tempfile.mkdtemp(prefix="aduan-locale-"))
    folder = base / "id" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    catalogue = ROOT / "locale" / "id" / "LC_MESSAGES" / "django.po"
    merged = folder / "django.po"
    subprocess.run(  # noqa: S603  # nosec B603: gettext tools, fixed arguments
        [msgcat, "--use-first", "-o", str(merged), *map(str, fragments), str(catalogue)],
        check=True,
        stderr=subprocess.DEVNULL,
    )
    subprocess.run(  # noqa: S603  # nosec B603: gettext tools, fixed arguments
        [msgfmt, "-o", str(folder / "django.mo"), str(merged)], check=True
    )
    settings.LOCALE_PATHS = [str(base), *settings.LOCALE_PATHS]
    # Forget the catalogues loaded so far, so the next lookup reads LOCALE_PATHS again.
    setattr(trans_real, "_translations", {})  # noqa: B010
    setattr(trans_real, "_default", None)  # noqa: B010


def render(kind: str, out_dir: str, pages: int) -> None:
    """Inside Django (demo database): write the files of the last full month's period."""
    _with_fragments()
    import logging
    import time

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)

    from aduan.core import clock
    from aduan.reports.written.build import report_write
    from aduan.reports.written.data import report_data_build
    from aduan.reports.written.periods import period_of, period_slug, previous_month

    last_month, _end = previous_month(clock.local_date())
    start, end = period_of(kind, last_month)
    data = report_data_build(
        kind,
        start,
        end,
        narrative=(
            "Contoh laporan dari data demo Aduan (bukan data nyata). Volume pengaduan bulan ini "
            "didominasi kategori infrastruktur; sebagian besar dijawab dalam batas waktu."
        ),
        recommendations=(
            "1. OPD dengan status merah menyampaikan rencana percepatan kepada Ketua Tim.\n"
            "2. Dinas Kominfo memperluas sosialisasi kanal SMS 1708 di kecamatan terpencil."
        ),
    )
    slug = period_slug(kind, start)
    folder = Path(out_dir)
    for fmt, suffix in (("pdf", "pdf"), ("xlsx", "xlsx")):
        path = folder / f"laporan-contoh-{slug}.{suffix}"
        began = time.monotonic()
        with path.open("wb") as handle:
            report_write(data, fmt, handle, status="issued", issued_at=clock.now())
        print(f"{path} ({path.stat().st_size:,} bytes, {time.monotonic() - began:.1f} s)")
    pdf = folder / f"laporan-contoh-{slug}.pdf"
    prefix = folder / f"laporan-contoh-{slug}"
    subprocess.run(  # noqa: S603  # nosec B603, B607: pdftoppm (poppler-utils), fixed arguments
        [
            shutil.which("pdftoppm") or "pdftoppm",
            "-png",
            "-r",
            "60",
            "-f",
            "1",
            "-l",
            str(pages),
            str(pdf),
            str(prefix),
        ],
        check=True,
    )
    print(f"previews: {sorted(p.name for p in folder.glob(prefix.name + '-*.png'))}")
    print(f"period {start:%d/%m/%Y} - {end:%d/%m/%Y}; generated {clock.now():%Y-%m-%d %H:%M} UTC")


if __name__ == "__main__":
    raise SystemExit(main())

#!/usr/bin/env python3
"""Generate complaints in bulk in a separate benchmark database, then time the queues.

    .venv/bin/python bench/generate_complaints.py --count 100000 --database sqlite
    .venv/bin/python bench/generate_complaints.py --count 100000 --database postgres

The benchmark database is dropped and created again on every run: var/bench.sqlite3, or the
PostgreSQL database `aduan_bench` (127.0.0.1:5432, user postgres). It never touches the demo
database or the test databases. See bench/README.md for what the figures mean.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

import _setup
from _setup import ROOT

SQLITE_PATH = ROOT / "var" / "bench.sqlite3"
PG_DATABASE = "aduan_bench"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=100_000, help="complaints (max 1,000,000)")
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--batch-size", type=int, default=2000, help="complaints per transaction")
    parser.add_argument("--days", type=int, default=365, help="received over this many days")
    parser.add_argument("--seed", type=int, default=1708)
    _setup.add_pg_server_argument(parser)
    args = parser.parse_args(argv)
    if not 1 <= args.count <= 1_000_000:
        parser.error("--count must be between 1 and 1,000,000")
    return args


def fresh_database(args: argparse.Namespace) -> str:
    """Drop and create the benchmark database; returns its DATABASE_URL."""
    return _setup.fresh_database(
        args.database, pg_server=args.pg_server, pg_database=PG_DATABASE, sqlite_path=SQLITE_PATH
    )


def setup_django(database_url: str) -> None:
    # Bulk batches and ANALYZE may take longer than the web tier's 30 s statement limit.
    os.environ.setdefault("ADUAN_DB_STATEMENT_TIMEOUT_MS", "0")
    _setup.setup_django(database_url)


def timed(run: Callable[[], Any], repeat: int = 5) -> tuple[float, float, Any]:
    """(first run, median of the next `repeat`) in milliseconds, and the first result."""
    started = time.perf_counter()
    result = run()
    first = (time.perf_counter() - started) * 1000
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append((time.perf_counter() - started) * 1000)
    return first, statistics.median(times), result


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.perf_counter()
    url = fresh_database(args)
    setup_django(url)

    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Count

    from aduan.agencies.loader import load_reference_data
    from aduan.agencies.models import Agency
    from aduan.complaints import selectors
    from aduan.complaints.bulk import generate_complaints
    from aduan.complaints.models import Complaint
    from aduan.complaints.workflow.states import Status

    where = SQLITE_PATH.relative_to(ROOT) if args.database == "sqlite" else PG_DATABASE
    print(f"Aduan bulk benchmark: {args.count:,} complaints into {args.database} ({where})")
    call_command("migrate", verbosity=0)
    load_reference_data(ROOT / "data" / "buton")
    print(
        f"  fresh database, migrations, Buton reference data: {time.perf_counter() - started:.1f} s"
    )

    step = max(args.count // 10, args.batch_size)

    def progress(done: int, total: int) -> None:
        if done % step < args.batch_size or done == total:
            print(f"    {done:>9,} / {total:,}", flush=True)

    report = generate_complaints(
        args.count, seed=args.seed, days=args.days, batch_size=args.batch_size, progress=progress
    )
    total_rows = sum(report.rows.values())
    print(
        f"  generated {report.complaints:,} complaints in {report.seconds:.1f} s: "
        f"{report.per_second:,.0f} complaints/s, {total_rows / report.seconds:,.0f} rows/s"
    )
    print("  rows written: " + ", ".join(f"{t} {n:,}" for t, n in report.rows.items()))
    share = 100 * report.encrypt_seconds / report.seconds
    print(
        f"  identity encryption: {report.encrypted_values:,} values, about "
        f"{report.encrypt_seconds:.1f} s ({share:.1f} % of the run, "
        f"{1e6 * report.encrypt_seconds / max(report.encrypted_values, 1):.0f} µs each)"
    )
    states = ", ".join(
        f"{state} {100 * n / report.complaints:.1f} %"
        for state, n in sorted(report.by_state.items(), key=lambda item: -item[1])
    )
    print(f"  states: {states}")

    analyze_started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"  ANALYZE: {time.perf_counter() - analyze_started:.1f} s")
    if args.database == "sqlite":
        print(f"  database size: {SQLITE_PATH.stat().st_size / 2**20:,.0f} MiB")
    else:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_database_size(current_database())")
            print(f"  database size: {cursor.fetchone()[0] / 2**20:,.0f} MiB")

    busiest = (
        Complaint.objects.filter(status__in=[Status.DISPATCHED, Status.IN_PROGRESS])
        .values("lead_agency")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    agency = Agency.objects.get(pk=busiest["lead_agency"]) if busiest else Agency.objects.first()
    checks: list[tuple[str, Callable[[], Any]]] = [
        ("admin inbox, first 50", lambda: list(selectors.complaint_list_admin_inbox()[:50])),
        (
            f"agency queue ({agency.code}), first 50",
            lambda: list(selectors.complaint_list_agency_queue(agency)[:50]),
        ),
        ("overdue count", lambda: selectors.complaint_list_overdue().count()),
    ]
    sizes = {
        "admin inbox, first 50": selectors.complaint_list_admin_inbox().count(),
        f"agency queue ({agency.code}), first 50": selectors.complaint_list_agency_queue(
            agency
        ).count(),
    }
    print("Selectors (ms: first run / median of the next 5):")
    for label, run in checks:
        first, median, result = timed(run)
        detail = f"{result:,} overdue" if isinstance(result, int) else f"of {sizes[label]:,}"
        print(f"  {label:<36} {first:8.1f} / {median:8.1f}   ({detail})")
    print(f"Total: {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())

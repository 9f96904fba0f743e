#!/usr/bin/env python3
"""Time the reports (issue 7) on a large `aduan_bench`: aggregates, dashboards, written report.

    .venv/bin/python bench/reports.py --reuse                    # the existing aduan_bench
    .venv/bin/python bench/reports.py --count 1000000            # generate it first (long)
    .venv/bin/python bench/reports.py --reuse --only aggregates  # or: pages, written

Three parts, each printed as a table with the dataset size (see bench/README.md, "Reports"):

1. **aggregates**: every function of `aduan/reports/aggregates.py` and `indicators.py` that a
   dashboard calls, for a month, a quarter and twelve months, for all agencies (the regent's
   `visible`) and for one agency (a head's `visible` and `agency=`): median and 90th percentile
   of --runs calls after one warm-up, in milliseconds.
2. **pages**: the dashboard page (`/kantor/laporan/`, when the dashboards exist) through Django's
   test client, signed in with a verified second factor as the regent and as a head, for the
   same three periods.
3. **written**: the written report of twelve months (PDF, XLSX, CSV; when
   `aduan/reports/written/` exists), each produced in a fresh subprocess so that its peak
   resident memory (`ru_maxrss`) is its own: seconds, peak RSS, and the growth over the process
   before it started.

Before measuring, `migrate` (the report indexes, complaints 0006) and `VACUUM (ANALYZE)` of the
tables read — the visibility map that index-only scans need, which autovacuum builds after a
bulk load anyway; --no-vacuum skips it.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import importlib.util
import json
import os
import resource
import statistics
import subprocess  # nosec B404 - runs this same script in a child process
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))

import _setup  # noqa: E402
import generate_complaints as generator  # noqa: E402

DASHBOARD_TARGET_MS = 1000
REPORT_TARGET_S = 60
TABLES = (
    "complaints_complaint",
    "complaints_clock",
    "complaints_event",
    "complaints_complaint_co_agencies",
    "reports_rollup_complaint",
    "reports_rollup_clock",
    "reports_rollup_closed",
    "reports_rollup_dispatch",
)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=1_000_000, help="complaints to generate")
    parser.add_argument("--runs", type=int, default=5, help="timed calls after one warm-up")
    parser.add_argument(
        "--reuse", action="store_true", help="keep aduan_bench if it already has complaints"
    )
    parser.add_argument(
        "--only", choices=("aggregates", "pages", "written"), action="append", default=None
    )
    parser.add_argument(
        "--periods", default="month,quarter,year", help="comma-separated: month,quarter,year"
    )
    parser.add_argument("--no-vacuum", action="store_true")
    parser.add_argument(
        "--fill-to",
        type=int,
        default=0,
        help="copy the generated complaints (with their rows) in SQL up to this many",
    )
    parser.add_argument(
        "--no-migrate", action="store_true", help="do not migrate (to time without 0006)"
    )
    parser.add_argument(
        "--timeout", type=float, default=120, help="statement timeout in seconds (0: none)"
    )
    _setup.add_pg_server_argument(parser)
    # Internal: produce one written report in this (child) process and print JSON.
    parser.add_argument(
        "--no-rollup",
        action="store_true",
        help="the dashboard pages without the daily rollup (ADUAN_REPORT_ROLLUP off)",
    )
    parser.add_argument(
        "--rollup-rebuild", action="store_true", help="time a recount of the whole rollup"
    )
    parser.add_argument("--written-child", nargs=3, metavar=("FORMAT", "START", "END"))
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    server = args.pg_server.rstrip("/")
    url = f"{server}/{generator.PG_DATABASE}"
    if args.written_child:
        generator.setup_django(url)
        return written_child(*args.written_child)
    existing = _setup.complaints_in(server, generator.PG_DATABASE) if args.reuse else 0
    if existing:
        print(f"Reusing {generator.PG_DATABASE}: {existing:,} complaints")
        generator.setup_django(url)
    else:
        generator.main(["--count", str(args.count), "--database", "postgres"])
    from django.core.management import call_command
    from django.db import connection

    if args.fill_to:
        fill_to(args.fill_to)
    if not args.no_migrate:
        started = time.perf_counter()
        call_command("migrate", verbosity=0)  # the report indexes (complaints 0006)
        print(f"migrate: {time.perf_counter() - started:.1f} s")
    print_indexes()
    rollup_prepare(rebuild=args.rollup_rebuild, off=args.no_rollup)
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('statement_timeout', %s, false)", [f"{args.timeout}s"])
    if not args.no_vacuum:
        vacuum()
    periods = choose_periods(args.periods.split(","))
    print_dataset(periods)
    if not args.no_rollup:
        rollup_check(periods)
    parts = args.only or ["aggregates", "pages", "written"]
    failed = False
    if "aggregates" in parts:
        failed |= time_aggregates(periods, args.runs)
    if "pages" in parts:
        failed |= time_pages(periods, args.runs)
    if "written" in parts:
        failed |= time_written(periods, url)
    return 1 if failed else 0


# --- set-up -----------------------------------------------------------------------------------


COPIED_TABLES = (
    "complaints_complainant",
    "complaints_clock",
    "complaints_event",
    "complaints_message",
    "complaints_complaint_co_agencies",
)


def _columns(cursor: Any, table: str) -> list[str]:
    cursor.execute(
        "SELECT column_name FROM information_schema.columns"
        " WHERE table_schema = current_schema() AND table_name = %s ORDER BY ordinal_position",
        [table],
    )
    return [row[0] for row in cursor.fetchall()]


def fill_to(target: int) -> None:
    """Copy the complaints already there, with their complainant, clocks, events, messages and
    co-agencies, until there are `target`: the same lives at the same moments, under new ids,
    tracking codes (suffix -B, -C...) and token hashes. Far faster than generating under load;
    the distribution of every figure stays that of the generator."""
    from django.db import connection, transaction

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*), coalesce(max(id), 0) FROM complaints_complaint")
        count, top = cursor.fetchone()
    if count != top:
        raise SystemExit("--fill-to needs complaints numbered 1..n (a fresh generator run)")
    tags = iter("BCDEFGHIJKLMNOPQRSTUVWXYZ")
    started = time.perf_counter()
    while count and count < target:
        upto, tag = min(count, target - count), next(tags)
        with transaction.atomic(), connection.cursor() as cursor:
            columns = _columns(cursor, "complaints_complaint")
            special = {
                "id": f"id + {count}",
                "tracking_code": f"tracking_code || '-{tag}'",
                "access_token_hash": (
                    f"encode(sha256(convert_to(access_token_hash || '{tag}', 'UTF8')), 'hex')"
                ),
                "duplicate_of_id": f"duplicate_of_id + {count}",
            }
            values = ", ".join(special.get(c, c) for c in columns)
            cursor.execute(
                f"INSERT INTO complaints_complaint ({', '.join(columns)})"  # noqa: S608  # nosec B608
                f" SELECT {values} FROM complaints_complaint WHERE id <= {int(upto)}"
            )
            for table in COPIED_TABLES:
                columns = [c for c in _columns(cursor, table) if c != "id"]
                values = ", ".join(
                    f"complaint_id + {count}" if c == "complaint_id" else c for c in columns
                )
                cursor.execute(
                    f"INSERT INTO {table} ({', '.join(columns)})"  # noqa: S608  # nosec B608
                    f" SELECT {values} FROM {table} WHERE complaint_id <= {int(upto)}"
                )
        count += upto
        print(f"  copied {upto:,} complaints: {count:,} ({time.perf_counter() - started:.0f} s)")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('complaints_complaint', 'id'),"
            " (SELECT max(id) FROM complaints_complaint))"
        )


def rollup_prepare(*, rebuild: bool, off: bool) -> None:
    """Take what the change log holds (a bulk load logs every day), or recount everything, and
    print how long it took and how big the rollup is."""
    from django.conf import settings
    from django.db import connection

    from aduan.reports import rollup

    if off:
        settings.ADUAN_REPORT_ROLLUP = False
        print("daily rollup: off (the dashboard counts live)")
        return
    started = time.perf_counter()
    logged = rollup.pending()
    done = rollup.rollup_rebuild() if rebuild else rollup.rollup_refresh()
    what = "rebuilt" if rebuild else f"refreshed ({logged:,} logged changes)"
    print(f"daily rollup {what}: days {done.days}, {time.perf_counter() - started:.1f} s")
    with connection.cursor() as cursor:
        for table in rollup.ROLLUP_TABLES:
            # our own table names
            cursor.execute(
                f"SELECT count(*), pg_total_relation_size('{table}') FROM {table}"  # noqa: S608 # nosec B608
            )
            rows, size = cursor.fetchone()
            print(f"  {table}: {rows:,} rows, {size / 1e6:.1f} MB")


def rollup_check(periods: dict[str, tuple[dt.date, dt.date]]) -> None:
    """The rollup's figures equal the live counts on this dataset too (the tests prove it on
    small ones): every breakdown, the funnel and every indicator per agency, per period."""
    from aduan.agencies.models import Agency
    from aduan.reports import aggregates as agg
    from aduan.reports import indicators

    agencies = list(Agency.objects.filter(is_active=True))
    for name, (start, end) in periods.items():
        granularity = "day" if (end - start).days < 62 else "month"
        same = agg.breakdown(start, end, granularity=granularity, rollup=True) == agg.breakdown(
            start, end, granularity=granularity
        ) and indicators.indicator_values(
            start, end, agencies=agencies, rollup=True
        ) == indicators.indicator_values(start, end, agencies=agencies)
        if not same:
            raise SystemExit(f"the rollup differs from the live counts for the {name}")
        print(f"  rollup = live counts for the {name}: every breakdown and indicator")


def vacuum() -> None:
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cursor:
        for table in TABLES:
            cursor.execute(f"VACUUM (ANALYZE) {table}")  # nosec B608 - our own table names
    print(f"VACUUM (ANALYZE): {time.perf_counter() - started:.1f} s")


def print_indexes() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, pg_size_pretty(pg_relation_size(indexname::regclass))"
            " FROM pg_indexes WHERE tablename LIKE %s AND indexname LIKE %s ORDER BY indexname",
            ["complaints%", "%report%"],
        )
        found = [f"{name} ({size})" for name, size in cursor.fetchall()]
    print(f"Report indexes: {', '.join(found) or 'none'}")


def choose_periods(names: list[str]) -> dict[str, tuple[dt.date, dt.date]]:
    """The last full month and quarter before the newest complaint, and the twelve months
    (365 days) ending on the newest complaint's day: the whole dataset of a default run."""
    from django.db.models import Max
    from django.utils import timezone

    from aduan.complaints.models import Complaint

    newest = Complaint.objects.aggregate(m=Max("received_at"))["m"]
    last = timezone.localtime(newest).date() if newest else timezone.localdate()
    month_end = last.replace(day=1) - dt.timedelta(days=1)
    quarter_first_month = 3 * ((last.month - 1) // 3) + 1
    quarter_end = last.replace(month=quarter_first_month, day=1) - dt.timedelta(days=1)
    quarter_start = (quarter_end.replace(day=1) - dt.timedelta(days=62)).replace(day=1)
    every = {
        "month": (month_end.replace(day=1), month_end),
        "quarter": (quarter_start, quarter_end),
        "year": (last - dt.timedelta(days=364), last),
    }
    return {name: every[name] for name in names}


def print_dataset(periods: dict[str, tuple[dt.date, dt.date]]) -> None:
    from django.db import connection

    from aduan.reports.aggregates import filtered

    with connection.cursor() as cursor:
        sizes = []
        for table in TABLES[:3]:
            cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608  # nosec B608
            sizes.append(f"{table.removeprefix('complaints_')} {cursor.fetchone()[0]:,}")
        cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        size = cursor.fetchone()[0]
    print(f"Dataset: {', '.join(sizes)}; database {size}")
    for name, (start, end) in periods.items():
        print(f"  {name:<8} {start} .. {end}: {filtered(start, end).count():,} complaints received")


def timed(run: Callable[[], Any], runs: int) -> tuple[float, float, float]:
    """(first call, median, 90th percentile) in ms; the first call is the warm-up."""
    started = time.perf_counter()
    run()
    first = (time.perf_counter() - started) * 1000
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        run()
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    p90 = times[min(len(times) - 1, max(0, round(0.9 * len(times)) - 1))]
    return first, statistics.median(times), p90


def bench_users() -> dict[str, Any]:
    """A regent and the head of the agency with the most complaints (created once)."""
    from django.db.models import Count

    from aduan.accounts.models import User
    from aduan.accounts.roles import Role
    from aduan.agencies.models import Agency
    from aduan.complaints.models import Complaint

    busiest = (
        Complaint.objects.exclude(lead_agency=None)
        .values("lead_agency")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    agency = Agency.objects.get(pk=busiest["lead_agency"]) if busiest else Agency.objects.first()
    if agency is None:
        raise SystemExit("no agency: load the reference data first")
    regent = User.objects.get_or_create(
        username="bench.regent", defaults={"role": Role.REGENT, "email": "r@bench.test"}
    )[0]
    head = User.objects.get_or_create(
        username=f"bench.head.{agency.code}",
        defaults={"role": Role.AGENCY_HEAD, "agency": agency, "email": "h@bench.test"},
    )[0]
    return {"regent": regent, "head": head, "agency": agency}


# --- 1. aggregates --------------------------------------------------------------------------


def dashboard_calls(
    start: dt.date, end: dt.date, scope: dict[str, Any]
) -> list[tuple[str, Callable[[], Any]]]:
    """The aggregate calls a dashboard makes for one period and scope."""
    from aduan.reports import aggregates as agg
    from aduan.reports import indicators

    f = scope["filters"]
    granularity = "day" if (end - start).days < 62 else "month"
    calls: list[tuple[str, Callable[[], Any]]] = [
        (
            "volume_by period (day/month)",
            lambda: agg.volume_by("period", start, end, granularity=granularity, **f),
        )
    ]
    for dimension in agg.DIMENSIONS[1:]:
        calls.append(
            (
                f"volume_by {dimension}",
                lambda d=dimension: agg.volume_by(d, start, end, **f),  # type: ignore[misc]
            )
        )
    calls += [
        ("status_funnel", lambda: agg.status_funnel(start, end, **f)),
        ("trend (2 funnels)", lambda: agg.trend(start, end, **f)),
        ("overdue_now", lambda: agg.overdue_now(**f)),
        ("causes", lambda: agg.causes(start, end, **f)),
        ("satisfaction", lambda: agg.satisfaction(start, end, **f)),
        (
            "indicator_values",
            lambda: indicators.indicator_values(start, end, **scope["indicators"]),
        ),
        (
            "agency_scorecard",
            lambda: indicators.agency_scorecard(start, end, agency=scope["agency"]),
        ),
    ]
    return calls


def scopes() -> dict[str, dict[str, Any]]:
    from aduan.accounts.access import complaints_visible_to
    from aduan.agencies.models import Agency

    users = bench_users()
    agency = users["agency"]
    return {
        "all agencies (regent)": {
            "filters": {"visible": complaints_visible_to(users["regent"])},
            "indicators": {"agencies": list(Agency.objects.filter(is_active=True))},
            "agency": None,
        },
        f"one agency ({agency.code}, head)": {
            "filters": {"visible": complaints_visible_to(users["head"]), "agency": agency},
            "indicators": {"agency": agency},
            "agency": agency,
        },
    }


def time_aggregates(periods: dict[str, tuple[dt.date, dt.date]], runs: int) -> bool:
    from django.db import OperationalError, connection
    from django.test.utils import CaptureQueriesContext

    print(
        f"\nAggregates (ms: median / p90 of {runs} calls after a warm-up; "
        "'sum' is every call once, as a dashboard would make them)"
    )
    header = "".join(f" {name + ' p50/p90':>22}" for name in periods)
    for scope_name, scope in scopes().items():
        print(f"\n  {scope_name}")
        print(f"  {'function':<32}{header}")
        totals = dict.fromkeys(periods, 0.0)
        rows: dict[str, list[str]] = {}
        for period, (start, end) in periods.items():
            for label, call in dashboard_calls(start, end, scope):
                try:
                    _, median, p90 = timed(call, runs)
                except OperationalError:  # the statement timeout
                    rows.setdefault(label, []).append("timeout")
                    totals[period] = float("inf")
                    continue
                totals[period] += median
                rows.setdefault(label, []).append(f"{median:10.1f} / {p90:9.1f}")
        for label, cells in rows.items():
            print(f"  {label:<32}" + "".join(f" {c:>22}" for c in cells))
        print(f"  {'sum of medians':<32}" + "".join(f" {totals[p]:>22.1f}" for p in periods))
        start, end = periods[next(iter(periods))]
        with CaptureQueriesContext(connection) as queries:
            for _, call in dashboard_calls(start, end, scope):
                with contextlib.suppress(OperationalError):
                    call()
        print(f"  ({len(queries.captured_queries)} queries for one period)")
    return False


# --- 2. the dashboard page ------------------------------------------------------------------


def dashboard_path() -> str | None:
    from django.urls import NoReverseMatch, reverse

    for name in ("backoffice:reports", "backoffice:report_dashboard"):
        try:
            return reverse(name)
        except NoReverseMatch:
            continue
    return None


def page_scenarios() -> list[tuple[str, str, str]]:
    """(user, label, extra query): the regent's and the head's default views, and the regent's
    view filtered by channel, by a top-level category and by a kecamatan (counted live on the
    indexes led by those columns, complaints 0008)."""
    from aduan.agencies.models import Category, Region

    category = Category.objects.filter(parent__isnull=True).order_by("code").first()
    area = Region.objects.filter(level=Region.Level.DISTRICT).order_by("code").first()
    scenarios = [("regent", "regent", ""), ("head", "head", "")]
    scenarios.append(("regent", "regent, channel web", "&channel=web"))
    if category is not None:
        scenarios.append(("regent", f"regent, {category.code}", f"&category={category.pk}"))
    if area is not None:
        scenarios.append(("regent", f"regent, {area.code}", f"&area={area.pk}"))
    return scenarios


def time_pages(periods: dict[str, tuple[dt.date, dt.date]], runs: int) -> bool:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from aduan.backoffice.tests.support import signed_in

    path = dashboard_path()
    if path is None:
        print("\nDashboard page: not there yet (no backoffice:report_dashboard URL); skipped")
        return False
    users = bench_users()
    print(
        f"\nDashboard page {path} through the test client (ms: median / p90 of {runs} requests"
        f" after a warm-up; target median < {DASHBOARD_TARGET_MS} ms)"
    )
    print(f"  {'who':<24} {'period':<10} {'first':>9} {'median':>9} {'p90':>9} {'queries':>8}")
    failed = False
    for who, label, extra in page_scenarios():
        client = signed_in(Client(), users[who])
        for period, (start, end) in periods.items():
            url = f"{path}?{period_query(start, end)}{extra}"

            def get(url: str = url, client: Client = client) -> None:
                response = client.get(url)
                if response.status_code != 200:
                    raise SystemExit(f"{url}: HTTP {response.status_code}")

            first, median, p90 = timed(get, runs)
            with CaptureQueriesContext(connection) as queries:
                get()
            print(
                f"  {label:<24} {period:<10} {first:9.1f} {median:9.1f} {p90:9.1f} "
                f"{len(queries.captured_queries):8d}"
            )
            failed |= median >= DASHBOARD_TARGET_MS
    return failed


def period_query(start: dt.date, end: dt.date) -> str:
    return f"period=custom&start={start.isoformat()}&end={end.isoformat()}"


# --- 3. the written report ------------------------------------------------------------------


def written_available() -> bool:
    return importlib.util.find_spec("aduan.reports.written.build") is not None


def written_child(fmt: str, start: str, end: str) -> int:
    """Produce one report in this process into a temporary file; print seconds (gathering the
    figures, then writing the file), bytes and peak RSS as JSON."""
    import tempfile

    from aduan.reports.written.build import report_write
    from aduan.reports.written.data import report_data_build

    first, last = dt.date.fromisoformat(start), dt.date.fromisoformat(end)
    kind = (
        "month" if (last - first).days < 40 else "quarter" if (last - first).days < 100 else "year"
    )
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    data = report_data_build(kind, first, last)
    gathered = time.perf_counter() - started
    with tempfile.TemporaryFile() as out:
        report_write(data, fmt, out)
        size = out.tell()
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        json.dumps(
            {
                "seconds": seconds,
                "data_seconds": gathered,
                "bytes": size,
                "peak_kb": peak,
                "before_kb": before,
            }
        )
    )
    return 0


def time_written(periods: dict[str, tuple[dt.date, dt.date]], url: str) -> bool:
    if not written_available():
        print("\nWritten report: aduan/reports/written/ not there yet; skipped")
        return False
    print(
        f"\nWritten report, one fresh process each (target: a year's PDF < {REPORT_TARGET_S} s,"
        " memory bounded)"
    )
    print(
        f"  {'period':<10} {'format':<6} {'seconds':>9} {'figures':>9} {'bytes':>12}"
        f" {'peak RSS':>10} {'growth':>9}"
    )
    failed = False
    for period, (start, end) in periods.items():
        for fmt in ("pdf", "xlsx", "csv"):
            env = dict(os.environ, BENCH_PG_SERVER=url.rsplit("/", 1)[0])
            done = subprocess.run(  # noqa: S603  # nosec B603 - our own script, fixed arguments
                [sys.executable, __file__, "--written-child", fmt, str(start), str(end)],
                capture_output=True,
                text=True,
                env=env,
                check=False,
            )
            if done.returncode != 0:
                print(f"  {period:<10} {fmt:<6} FAILED: {done.stderr.strip()[-400:]}")
                failed = True
                continue
            r = json.loads(done.stdout.strip().splitlines()[-1])
            print(
                f"  {period:<10} {fmt:<6} {r['seconds']:9.1f} {r['data_seconds']:9.1f}"
                f" {r['bytes']:>12,} "
                f"{r['peak_kb'] / 1024:8.0f} MB {(r['peak_kb'] - r['before_kb']) / 1024:6.0f} MB"
            )
            if period == "year" and fmt == "pdf":
                failed |= r["seconds"] >= REPORT_TARGET_S
    return failed


if __name__ == "__main__":
    sys.exit(main())

"""What the daily rollup's change-log triggers cost the writers, and what a refresh costs.

    .venv/bin/python bench/rollup_writes.py --count 300

Drops and creates the PostgreSQL database `aduan_bench_rollup` (127.0.0.1:5432, user postgres),
migrates it and loads the Buton reference data. Then, alternately with the triggers of
`aduan/reports/rollup.py` on and off (`ALTER TABLE ... DISABLE TRIGGER`), `--rounds` rounds of
`--count` complaints each taken through their whole life by the real workflow: submitted,
dispatched, acknowledged, answered, confirmed with a rating (five transactions, the clocks, the
events). It prints the complaints per second with and without the triggers, the log rows each
complaint leaves, and how long the refresh of one round's log takes (what the dashboard or the
minute task does). It never touches the demo database or the test databases.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time

import _setup
from _setup import ROOT

PG_DATABASE = "aduan_bench_rollup"
TRIGGERS = (
    ("complaints_complaint", "reports_rollup_complaint"),
    ("complaints_clock", "reports_rollup_clock"),
    ("complaints_event", "reports_rollup_event"),
)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=300, help="complaints per round")
    parser.add_argument("--rounds", type=int, default=3, help="rounds with and without")
    _setup.add_pg_server_argument(parser)
    return parser.parse_args(argv)


def triggers(enabled: bool) -> None:
    from django.db import connection

    verb = "ENABLE" if enabled else "DISABLE"
    with connection.cursor() as cursor:
        for table, trigger in TRIGGERS:
            # our own table and trigger names above
            cursor.execute(f"ALTER TABLE {table} {verb} TRIGGER {trigger}")


def lives(count: int) -> float:
    """Seconds for `count` complaints taken from submission to a rated closure."""
    from aduan.accounts.roles import Role
    from aduan.agencies.models import Cause
    from aduan.complaints.models import Resolution
    from aduan.complaints.tests import factories as f
    from aduan.complaints.workflow import transitions as t
    from aduan.complaints.workflow.actors import Actor

    admin = f.actor(Role.ADMIN)
    agency = f.agency("dpupr")
    liaison = f.actor(Role.LIAISON, agency)
    cause = Cause.objects.order_by("pk")[0]
    started = time.perf_counter()
    for i in range(count):
        c = f.submit(title=f"Jalan rusak {i}")
        c = t.complaint_dispatch(complaint=c, by=admin, agency=agency)
        c = t.complaint_acknowledge(complaint=c, by=liaison)
        c = t.complaint_respond(
            complaint=c,
            by=liaison,
            text="Sudah diperbaiki.",
            cause=cause,
            resolution=Resolution.RESOLVED,
        )
        t.complaint_confirm(complaint=c, by=Actor.complainant(), satisfaction=4)
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    url = _setup.fresh_database("postgres", pg_server=args.pg_server, pg_database=PG_DATABASE)
    os.environ.pop("REDIS_URL", None)
    _setup.setup_django(
        url,
        {
            "ADUAN_DB_STATEMENT_TIMEOUT_MS": "0",
            "ADUAN_VAR_DIR": tempfile.mkdtemp(prefix="aduan-bench-rollup-"),
        },
    )
    from django.core.management import call_command

    from aduan.agencies.loader import load_reference_data
    from aduan.reports import rollup

    call_command("migrate", verbosity=0)
    load_reference_data(ROOT / "data" / "buton")
    print(f"{args.rounds} rounds of {args.count} complaints, submitted to a rated closure")
    on: list[float] = []
    off: list[float] = []
    logged: list[int] = []
    refresh: list[float] = []
    lives(20)  # warm-up
    rollup.rollup_refresh()
    for _ in range(args.rounds):
        triggers(False)
        off.append(args.count / lives(args.count))
        triggers(True)
        on.append(args.count / lives(args.count))
        logged.append(rollup.pending())
        started = time.perf_counter()
        rollup.rollup_refresh()
        refresh.append(time.perf_counter() - started)
    change = 100 * (statistics.median(on) / statistics.median(off) - 1)
    print(f"  without the triggers: {statistics.median(off):6.1f} complaints/s (median)")
    print(
        f"  with the triggers:    {statistics.median(on):6.1f} complaints/s "
        f"({change:+.1f}% against without)"
    )
    print(f"  log rows per complaint: {statistics.median(logged) / args.count:.1f}")
    print(
        f"  refresh of one round's log ({statistics.median(logged):,.0f} rows): "
        f"{1000 * statistics.median(refresh):.0f} ms (median)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

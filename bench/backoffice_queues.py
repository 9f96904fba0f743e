#!/usr/bin/env python3
"""Time the back-office queue pages with 100,000 complaints in PostgreSQL.

    .venv/bin/python bench/backoffice_queues.py                 # generate, then time
    .venv/bin/python bench/backoffice_queues.py --reuse         # time the existing aduan_bench

The complaints come from bench/generate_complaints.py (the same generator, the same separate
database `aduan_bench`, dropped and created again unless --reuse finds it filled). The pages are
rendered through Django's test client, signed in with a verified second factor
(aduan.backoffice.tests.support.signed_in), so the figures include the middleware, the session,
the access checks, the queries and the templates — everything but the network. Each page is
requested twice to warm up, then --requests times (default 20); the median is the figure to
compare with the 300 ms target. See bench/README.md.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import _setup  # noqa: E402
import generate_complaints as generator  # noqa: E402

TARGET_MS = 300


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=100_000, help="complaints to generate")
    parser.add_argument("--requests", type=int, default=20, help="timed requests per page")
    parser.add_argument(
        "--reuse", action="store_true", help="keep aduan_bench if it already has complaints"
    )
    _setup.add_pg_server_argument(parser)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    server = args.pg_server.rstrip("/")
    existing = _setup.complaints_in(server, generator.PG_DATABASE) if args.reuse else 0
    if existing:
        print(f"Reusing {generator.PG_DATABASE}: {existing:,} complaints")
        generator.setup_django(f"{server}/{generator.PG_DATABASE}")
        from django.core.management import call_command

        call_command("migrate", verbosity=0)  # e.g. the staff search index (0005)
    else:
        generator.main(["--count", str(args.count), "--database", "postgres"])
    return time_pages(args.requests)


def _check(response: object, label: str) -> None:
    status = getattr(response, "status_code", None)
    if status != 200:
        raise SystemExit(f"{label}: HTTP {status}")


def time_pages(requests: int) -> int:
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from aduan.accounts.models import User
    from aduan.accounts.roles import Role
    from aduan.agencies.models import Agency
    from aduan.backoffice.tests.support import signed_in
    from aduan.complaints.models import Complaint
    from aduan.complaints.workflow.states import Status

    busiest = (
        Complaint.objects.filter(status__in=[Status.DISPATCHED, Status.IN_PROGRESS])
        .values("lead_agency")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    agency = Agency.objects.get(pk=busiest["lead_agency"]) if busiest else Agency.objects.first()
    users = {
        "admin": User.objects.get_or_create(
            username="bench.admin", defaults={"role": Role.ADMIN, "email": "a@bench.test"}
        )[0],
        "liaison": User.objects.get_or_create(
            username=f"bench.liaison.{agency.code}",
            defaults={"role": Role.LIAISON, "agency": agency, "email": "l@bench.test"},
        )[0],
        "member": User.objects.get_or_create(
            username="bench.member", defaults={"role": Role.MEMBER, "email": "m@bench.test"}
        )[0],
    }
    pages = [
        ("admin inbox (/kantor/)", "admin", "/kantor/"),
        (f"liaison queue, {agency.code} (/kantor/)", "liaison", "/kantor/"),
        ("coordination team (/kantor/)", "member", "/kantor/"),
        ("admin list, page 1 (/kantor/aduan/)", "admin", "/kantor/aduan/"),
        ("admin list, search 'jalan'", "admin", "/kantor/aduan/?q=jalan"),
        ("admin list, overdue only", "admin", "/kantor/aduan/?overdue=on"),
        ("admin list, by deadline", "admin", "/kantor/aduan/?sort=deadline"),
        (f"liaison list, {agency.code}", "liaison", "/kantor/aduan/"),
    ]
    print(
        f"Back-office pages through the test client ({requests} requests each after 2 warm-ups;"
        f" ms; target: median < {TARGET_MS} ms for the inbox and the liaison queue)"
    )
    print(f"  {'page':<44} {'median':>8} {'p90':>8} {'min':>8} {'queries':>8}")
    failed = False
    for label, who, path in pages:
        client = signed_in(Client(), users[who])
        for _ in range(2):
            _check(client.get(path), label)
        times = []
        for _ in range(requests):
            started = time.perf_counter()
            response = client.get(path)
            times.append((time.perf_counter() - started) * 1000)
            _check(response, label)
        with CaptureQueriesContext(connection) as queries:
            client.get(path)
        median = statistics.median(times)
        p90 = sorted(times)[max(int(len(times) * 0.9) - 1, 0)]
        print(
            f"  {label:<44} {median:8.1f} {p90:8.1f} {min(times):8.1f} "
            f"{len(queries.captured_queries):8d}"
        )
        if who in ("admin", "liaison") and path == "/kantor/" and median >= TARGET_MS:
            failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

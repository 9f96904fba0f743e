#!/usr/bin/env python3
"""Load the machine interfaces over loopback: complaints created per second through Open311
POST and `POST /api/v1/complaints`, and request-list latency, with 100,000 complaints in
PostgreSQL behind gunicorn.

    .venv/bin/python bench/api_load.py                  # fill aduan_bench_api, then load it
    .venv/bin/python bench/api_load.py --reuse          # keep aduan_bench_api if it is filled

The database `aduan_bench_api` (127.0.0.1:5432, user postgres) is dropped and created again
unless --reuse finds it filled: migrations, the Buton reference data, --count complaints from
the bulk generator (aduan/complaints/bulk.py, the one bench/generate_complaints.py uses), a
third of the public ones approved for publication, and the demo integrator key `demo-api-key`
with its per-minute limit raised to --key-rate so the limiter does not cut the run short.

Then `gunicorn config.wsgi -w 2` starts on 127.0.0.1:--port (settings
`bench/api_load_settings.py` = config.settings.base with the REST per-IP submission limit
lifted; ADUAN_DEMO=1), and threads with `http.client` (one connection each, reopened when the
server closes it) send --requests requests per POST scenario and --list-requests per list
scenario. Printed per scenario: requests, errors, req/s, p50/p90/max in ms. The server is
stopped at the end. Bounded: at most 5,000 requests per scenario, 64 threads.
See bench/README.md.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

import _setup
from _setup import ROOT

PG_DATABASE = "aduan_bench_api"
DEMO_KEY = "demo-api-key"
MAX_REQUESTS = 5000
MAX_THREADS = 64


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=100_000, help="complaints in the database")
    parser.add_argument("--requests", type=int, default=500, help="requests per POST scenario")
    parser.add_argument(
        "--list-requests", type=int, default=100, help="requests per GET list scenario"
    )
    parser.add_argument("--threads", type=int, default=8, help="client threads")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--port", type=int, default=8311)
    parser.add_argument("--key-rate", type=int, default=1_000_000, help="demo key's limit/min")
    parser.add_argument("--reuse", action="store_true", help="keep a filled aduan_bench_api")
    _setup.add_pg_server_argument(parser)
    args = parser.parse_args(argv)
    if not (1 <= args.requests <= MAX_REQUESTS and 1 <= args.list_requests <= MAX_REQUESTS):
        parser.error(f"--requests and --list-requests must be between 1 and {MAX_REQUESTS}")
    if not 1 <= args.threads <= MAX_THREADS:
        parser.error(f"--threads must be between 1 and {MAX_THREADS}")
    return args


def _server_env(url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="api_load_settings",
        DATABASE_URL=url,
        ADUAN_DEMO="1",
        PYTHONPATH=f"{ROOT}{os.pathsep}{ROOT / 'bench'}",
    )
    return env


FILL = """
import django, sys, time
django.setup()
from pathlib import Path
from django.core.management import call_command
from aduan.agencies.loader import load_reference_data
from aduan.complaints.bulk import generate_complaints
count, root = int(sys.argv[1]), Path(sys.argv[2])
call_command("migrate", verbosity=0)
load_reference_data(root / "data" / "buton")
started = time.perf_counter()
report = generate_complaints(count)
print(f"  generated {report.complaints:,} complaints in {time.perf_counter() - started:.1f} s")
"""

FINISH = """
import django, sys
django.setup()
from django.core.management import call_command
from django.db import connection
from aduan.api.keys import ensure_demo_api_key
from aduan.api.models import ApiKey
from aduan.complaints.models import Complaint
rate = int(sys.argv[1])
call_command("migrate", verbosity=0)
with connection.cursor() as cursor:
    # a third of the public complaints approved for publication (the generator publishes none)
    cursor.execute(
        "UPDATE complaints_complaint SET published = true, published_at = received_at, "
        "public_title = title, public_body = body "
        "WHERE NOT private AND NOT published AND mod(id, 3) = 0"
    )
    cursor.execute("ANALYZE")
key = ensure_demo_api_key()
ApiKey.objects.filter(pk=key.pk).update(rate_per_minute=rate)
print(f"  {Complaint.objects.count():,} complaints, "
      f"{Complaint.objects.filter(published=True).count():,} published; demo key {rate:,}/min")
"""


def prepare(args: argparse.Namespace) -> str:
    """The filled benchmark database's URL (dropped and filled again unless --reuse)."""
    server = args.pg_server.rstrip("/")
    url = f"{server}/{PG_DATABASE}"
    env = _server_env(url)
    env["ADUAN_DB_STATEMENT_TIMEOUT_MS"] = "0"
    if args.reuse and _setup.complaints_in(server, PG_DATABASE) >= args.count:
        print(f"Reusing {PG_DATABASE} ({_setup.complaints_in(server, PG_DATABASE):,} complaints)")
    else:
        _setup.fresh_database("postgres", pg_server=server, pg_database=PG_DATABASE)
        print(f"Filling {PG_DATABASE} with {args.count:,} complaints")
        command = [sys.executable, "-c", FILL, str(args.count), str(ROOT)]
        subprocess.run(command, env=env, cwd=ROOT, check=True)  # noqa: S603
    command = [sys.executable, "-c", FINISH, str(args.key_rate)]
    subprocess.run(command, env=env, cwd=ROOT, check=True)  # noqa: S603
    return url


# --- the load ---------------------------------------------------------------------------------


@dataclass
class Result:
    label: str
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)

    def line(self) -> str:
        ok = sum(n for status, n in self.statuses.items() if 200 <= status < 300)
        errors = sum(self.statuses.values()) - ok
        ms = sorted(1000 * s for s in self.latencies)
        p50 = statistics.median(ms)
        p90 = ms[min(len(ms) - 1, int(0.9 * len(ms)))]
        return (
            f"  {self.label:<44} {len(ms):>5} req  {errors:>3} err  "
            f"{len(ms) / self.seconds:8.1f} req/s  p50 {p50:7.1f}  p90 {p90:7.1f}  "
            f"max {ms[-1]:7.1f} ms"
        )


Request = tuple[str, str, bytes | None, dict[str, str]]  # method, path, body, headers


def run(label: str, make: Callable[[int], Request], n: int, threads: int, port: int) -> Result:
    """`n` requests from `threads` threads, each on its own keep-alive connection."""
    result = Result(label)
    lock = threading.Lock()
    counter = iter(range(n))

    def worker() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        while True:
            with lock:
                i = next(counter, None)
            if i is None:
                break
            method, path, body, headers = make(i)
            started = time.perf_counter()
            try:
                connection.request(method, path, body=body, headers=headers)
                response = connection.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException):
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                status = 0
            elapsed = time.perf_counter() - started
            with lock:
                result.latencies.append(elapsed)
                result.statuses[status] = result.statuses.get(status, 0) + 1
        connection.close()

    started = time.perf_counter()
    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    result.seconds = time.perf_counter() - started
    return result


def _get(path: str) -> Callable[[int], Request]:
    return lambda i: ("GET", path, None, {"Accept-Language": "id"})


def open311_post(i: int) -> Request:
    form = {
        "api_key": DEMO_KEY,
        "service_code": SERVICE_CODES[i % len(SERVICE_CODES)],
        "description": f"Lampu jalan mati sejak minggu lalu (beban {i}).",
        "lat": "-5.4531",
        "long": "122.6122",
        "attribute[anonymous]": "true" if i % 4 == 0 else "false",
        "first_name": "Warga",
        "last_name": f"Uji {i}",
        "email": f"warga{i}@contoh.id",
    }
    body = urllib.parse.urlencode(form).encode()
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "Idempotency-Key": str(uuid.uuid4()),
    }
    return "POST", "/open311/v2/requests.json", body, headers


def rest_post(i: int) -> Request:
    payload = {
        "body": f"Lampu jalan mati sejak minggu lalu (beban {i}).",
        "title": "Lampu jalan mati",
        "category": SERVICE_CODES[i % len(SERVICE_CODES)],
        "anonymous": i % 4 == 0,
        "identity": {"name": f"Warga Uji {i}", "email": f"warga{i}@contoh.id"},
        "privacy_consent": True,
    }
    headers = {
        "Content-Type": "application/json",
        "Idempotency-Key": str(uuid.uuid4()),
    }
    return "POST", "/api/v1/complaints", json.dumps(payload).encode(), headers


SERVICE_CODES: list[str] = []


def _fetch(port: int, path: str) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def start_server(url: str, args: argparse.Namespace) -> subprocess.Popen[bytes]:
    command = [
        str(ROOT / ".venv" / "bin" / "gunicorn"),
        "config.wsgi",
        "-w",
        str(args.workers),
        "-b",
        f"127.0.0.1:{args.port}",
        "--log-level",
        "warning",
    ]
    server = subprocess.Popen(  # noqa: S603
        command, env=_server_env(url), cwd=ROOT, start_new_session=True
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if _fetch(args.port, "/healthz")[0] == 200:
                return server
        except OSError:
            pass
        time.sleep(0.3)
    stop_server(server)
    raise SystemExit("gunicorn did not come up within 60 s")


def stop_server(server: subprocess.Popen[bytes]) -> None:
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.kill()


def _rest_paths(port: int) -> dict[str, str]:
    """What /api/v1 offers now (J1 builds it): the submit path and a public list path."""
    status, body = _fetch(port, "/api/v1/openapi.json")
    if status != 200:
        return {}
    paths = json.loads(body).get("paths", {})
    found: dict[str, str] = {}
    if "post" in paths.get("/api/v1/complaints", {}):
        found["submit"] = "/api/v1/complaints"
    for candidate in ("/api/v1/complaints", "/api/v1/reports", "/api/v1/public/complaints"):
        if "get" in paths.get(candidate, {}):
            found["list"] = candidate
            break
    return found


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    url = prepare(args)
    print(
        f"gunicorn config.wsgi -w {args.workers} on 127.0.0.1:{args.port}; "
        f"{args.requests} requests per POST scenario, {args.list_requests} per list, "
        f"from {args.threads} threads"
    )
    server = start_server(url, args)
    try:
        status, body = _fetch(args.port, "/open311/v2/services.json")
        if status != 200:
            raise SystemExit(f"services.json answered {status}")
        SERVICE_CODES.extend(s["service_code"] for s in json.loads(body))
        rest = _rest_paths(args.port)
        # warm up both workers
        for _ in range(4):
            _fetch(args.port, "/open311/v2/requests.json")
        scenarios: list[tuple[str, Callable[[int], Request]]] = [
            ("Open311 POST requests.json (create)", open311_post),
            ("Open311 GET requests.json (1000 rows)", _get("/open311/v2/requests.json")),
            (
                "Open311 GET requests.xml (1000 rows)",
                _get("/open311/v2/requests.xml"),
            ),
        ]
        if "submit" in rest:
            scenarios.insert(1, ("REST POST /api/v1/complaints (create)", rest_post))
        else:
            print("  (POST /api/v1/complaints is not in /api/v1/openapi.json: not measured)")
        if "list" in rest:
            scenarios.append((f"REST GET {rest['list']}", _get(rest["list"])))
        else:
            print("  (no public complaint list in /api/v1/openapi.json: not measured)")
        for label, make in scenarios:
            n = args.requests if "POST" in label else args.list_requests
            result = run(label, make, n, args.threads, args.port)
            print(result.line(), flush=True)
            if set(result.statuses) - set(range(200, 300)):
                print(f"    statuses: {dict(sorted(result.statuses.items()))}")
    finally:
        stop_server(server)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Helpers for the reliability drills: subprocesses, ports, plain HTTP and a private PostgreSQL.

Drills start and stop real services. They never touch the shared PostgreSQL cluster on 5432:
outages are staged on a private cluster (`pg_createcluster <version> drill --port 5433`).
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parents[3]
PYTHON = sys.executable
DRILL_CLUSTER = "drill"
DRILL_PORT = int(os.environ.get("ADUAN_DRILL_PG_PORT", "5433"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def app_env(**values: str) -> dict[str, str]:
    """The environment for an app subprocess: ours minus the test-run variables, plus values."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key
        not in {
            "DJANGO_SETTINGS_MODULE",
            "DATABASE_URL",
            "REDIS_URL",
            "TEST_DATABASE_URL",
            "ADUAN_TEST_DB",
            "ADUAN_DEMO",
            "PYTEST_XDIST_WORKER",
            "PYTEST_CURRENT_TEST",
        }
    }
    env.update({"PYTHONUNBUFFERED": "1", "LOG_LEVEL": "WARNING"})
    env.update(values)
    return env


def manage(
    *args: str, env: dict[str, str], timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(  # noqa: S603 - fixed argv
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if result.returncode != 0:
        raise AssertionError(
            f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
        )
    return result


@dataclass
class Process:
    popen: subprocess.Popen[bytes]
    log: Path

    def output(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def alive(self) -> bool:
        return self.popen.poll() is None

    def kill(self, sig: int = signal.SIGKILL) -> None:
        """Signal the whole process group (gunicorn's workers, huey's threads)."""
        if self.alive():
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.popen.pid, sig)

    def stop(self, timeout: float = 10) -> None:
        self.kill(signal.SIGTERM)
        try:
            self.popen.wait(timeout)
        except subprocess.TimeoutExpired:
            self.kill(signal.SIGKILL)
            self.popen.wait(timeout)


def start(argv: list[str], *, env: dict[str, str], log: Path) -> Process:
    """Start argv in its own process group, output to `log`."""
    handle = log.open("ab")
    popen = subprocess.Popen(  # noqa: S603 - fixed argv
        argv, cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT, start_new_session=True
    )
    handle.close()
    return Process(popen, log)


@contextlib.contextmanager
def running(argv: list[str], *, env: dict[str, str], log: Path) -> Iterator[Process]:
    process = start(argv, env=env, log=log)
    try:
        yield process
    finally:
        process.stop()


def gunicorn(port: int, *, workers: int = 2) -> list[str]:
    return [
        PYTHON,
        "-m",
        "gunicorn",
        "config.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--timeout",
        "60",
        "--graceful-timeout",
        "5",
    ]


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: str
    seconds: float


def get(url: str, *, timeout: float = 60, accept: str = "text/html") -> Answer:
    request = urllib.request.Request(url, headers={"Accept": accept})  # noqa: S310 - local URL
    started = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            body = response.read().decode(errors="replace")
            status, headers = response.status, dict(response.headers)
    except urllib.error.HTTPError as error:
        body = error.read().decode(errors="replace")
        status, headers = error.code, dict(error.headers)
    return Answer(status, headers, body, time.monotonic() - started)


def wait_for_http(url: str, process: Process, *, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not process.alive():
            raise AssertionError(f"the server exited:\n{process.output()[-3000:]}")
        try:
            if get(url, timeout=5).status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"{url} did not answer 200 in {timeout} s:\n{process.output()[-3000:]}")


# --- the private PostgreSQL cluster ----------------------------------------------------------


def pg_version() -> str:
    versions = sorted(os.listdir("/etc/postgresql"), key=lambda v: int(v) if v.isdigit() else 0)
    if not versions:
        raise AssertionError("no PostgreSQL installation under /etc/postgresql")
    return versions[-1]


def _run(argv: list[str], timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(argv, capture_output=True, text=True, timeout=timeout)  # noqa: S603


def drill_cluster_status() -> str:
    """'online', 'down' or 'missing' for the private drill cluster."""
    result = _run(["pg_lsclusters", "--no-header"])
    for line in result.stdout.splitlines():
        fields = line.split()
        if len(fields) >= 4 and fields[0] == pg_version() and fields[1] == DRILL_CLUSTER:
            if fields[2] != str(DRILL_PORT):
                raise AssertionError(
                    f"cluster {DRILL_CLUSTER} exists on port {fields[2]}, not {DRILL_PORT}"
                )
            return "online" if fields[3].startswith("online") else "down"
    return "missing"


def drill_cluster_create() -> None:
    if drill_cluster_status() != "missing":
        return
    result = _run(
        [
            "pg_createcluster",
            pg_version(),
            DRILL_CLUSTER,
            "--port",
            str(DRILL_PORT),
            "--",
            "--auth-local=trust",
            "--auth-host=trust",
        ]
    )
    if result.returncode != 0:
        raise AssertionError(f"pg_createcluster failed:\n{result.stdout}\n{result.stderr}")


def drill_cluster_ctl(action: str) -> float:
    """start / stop (fast) the private cluster; returns the seconds it took."""
    argv = ["pg_ctlcluster", "--skip-systemctl-redirect", pg_version(), DRILL_CLUSTER, action]
    if action == "stop":
        argv += ["-m", "fast"]
    started = time.monotonic()
    result = _run(argv)
    if result.returncode != 0 and not (
        action == "start" and "already running" in result.stderr + result.stdout
    ):
        raise AssertionError(f"pg_ctlcluster {action} failed:\n{result.stdout}\n{result.stderr}")
    return time.monotonic() - started


def drill_connect(dbname: str = "postgres", timeout: float = 30) -> psycopg.Connection:
    deadline = time.monotonic() + timeout
    while True:
        try:
            return psycopg.connect(
                host="127.0.0.1",
                port=DRILL_PORT,
                user="postgres",
                dbname=dbname,
                connect_timeout=3,
                autocommit=True,
            )
        except psycopg.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def drill_url(dbname: str) -> str:
    return f"postgres://postgres@127.0.0.1:{DRILL_PORT}/{dbname}"


@contextlib.contextmanager
def drill_postgres(dbname: str) -> Iterator[str]:
    """The private cluster, created if missing, started (also if a previous run left it up),
    with database `dbname`; stopped at the end. Yields its DATABASE_URL."""
    drill_cluster_create()
    drill_cluster_ctl("start")
    try:
        with drill_connect() as conn:
            exists = conn.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [dbname]
            ).fetchone()
            if not exists:
                conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(dbname)))
        yield drill_url(dbname)
    finally:
        if drill_cluster_status() == "online":
            drill_cluster_ctl("stop")


@contextlib.contextmanager
def black_hole() -> Iterator[int]:
    """A local TCP port that accepts connections and never answers (a black-holed server)."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(64)
        yield listener.getsockname()[1]

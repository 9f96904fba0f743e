"""URLs for the outage tests: views that fail the way a real outage (or a real bug) makes them."""

from __future__ import annotations

import socket
import sqlite3
import tempfile
from pathlib import Path

import psycopg
import redis
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.urls import path


def closed_port() -> int:
    """A local TCP port with nothing listening on it (connections are refused at once)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def postgres_down(request: HttpRequest) -> HttpResponse:
    psycopg.connect(host="127.0.0.1", port=closed_port(), dbname="x", connect_timeout=2)
    return HttpResponse("unreachable")


def postgres_down_through_django(request: HttpRequest) -> HttpResponse:
    try:
        psycopg.connect(host="127.0.0.1", port=closed_port(), dbname="x", connect_timeout=2)
    except psycopg.OperationalError as exc:
        with connection.wrap_database_errors:  # what Django's backend does with driver errors
            raise exc from None
    return HttpResponse("unreachable")


def refusing_redis() -> redis.Redis:
    """A client for a Redis that is not there, pooled as config/settings/huey.py does it (no
    client-side retries: a bare redis.Redis() retries 3 times with backoff)."""
    pool = redis.ConnectionPool.from_url(
        f"redis://127.0.0.1:{closed_port()}/0", socket_connect_timeout=1, socket_timeout=1
    )
    return redis.Redis(connection_pool=pool)


def redis_down(request: HttpRequest) -> HttpResponse:
    refusing_redis().ping()
    return HttpResponse("unreachable")


def sqlite_locked(request: HttpRequest) -> HttpResponse:
    with tempfile.TemporaryDirectory() as tmp:
        path_ = Path(tmp) / "locked.sqlite3"
        holder = sqlite3.connect(path_, isolation_level=None)
        holder.execute("CREATE TABLE t (x int)")
        holder.execute("BEGIN IMMEDIATE")
        other = sqlite3.connect(path_, timeout=0, isolation_level=None)
        try:
            other.execute("INSERT INTO t VALUES (1)")
        finally:
            other.close()
            holder.close()
    return HttpResponse("unreachable")


def bad_sql(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELEC 1")
    return HttpResponse("unreachable")


def missing_table(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM aduan_no_such_table")
    return HttpResponse("unreachable")


def plain_bug(request: HttpRequest) -> HttpResponse:
    raise ValueError("a bug, not an outage")


urlpatterns = [
    path("postgres-down", postgres_down),
    path("postgres-down-django", postgres_down_through_django),
    path("redis-down", redis_down),
    path("sqlite-locked", sqlite_locked),
    path("bad-sql", bad_sql),
    path("missing-table", missing_table),
    path("bug", plain_bug),
]

handler500 = "aduan.core.views.server_error"

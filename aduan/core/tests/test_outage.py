"""S15: only connection failures become 503 (with Retry-After); real SQL errors stay errors.

The exceptions here are real ones, produced by real drivers against real (or deliberately
absent) servers — not hand-built instances.
"""

from __future__ import annotations

import socket
import sqlite3
import time

import psycopg
import pytest
import redis
from django.db import connection
from django.db import utils as db_utils
from django.test import Client, RequestFactory, override_settings

from aduan.core.outage import is_connection_failure
from aduan.core.views import RETRY_AFTER_SECONDS, server_error

from .outage_urls import closed_port, refusing_redis

# --- helpers ---------------------------------------------------------------------------------


def _pg_params() -> dict[str, object]:
    """The test server's address, on its always-present `postgres` database."""
    settings_dict = connection.settings_dict
    return {
        "host": settings_dict.get("HOST") or "127.0.0.1",
        "port": int(settings_dict.get("PORT") or 5432),
        "user": settings_dict.get("USER") or "postgres",
        "password": settings_dict.get("PASSWORD") or None,
        "dbname": "postgres",
        "connect_timeout": 5,
        "autocommit": True,
    }


def _raise(fn):  # type: ignore[no-untyped-def]
    try:
        fn()
    except Exception as exc:
        return exc
    raise AssertionError("expected an exception")


def _wrapped_by_django(exc: Exception) -> Exception:
    """The same driver error as Django's database layer hands it to a view."""
    try:
        with connection.wrap_database_errors:
            raise exc
    except Exception as wrapped:
        return wrapped
    raise AssertionError("not re-raised")


# --- PostgreSQL ------------------------------------------------------------------------------


def test_s15_postgres_refused_connection_is_a_connection_failure():
    """S15: psycopg cannot connect (closed port) → connection failure, raw and Django-wrapped."""
    exc = _raise(
        lambda: psycopg.connect(host="127.0.0.1", port=closed_port(), dbname="x", connect_timeout=2)
    )
    assert isinstance(exc, psycopg.OperationalError)
    assert is_connection_failure(exc)
    wrapped = _wrapped_by_django(exc)
    if connection.vendor == "postgresql":  # Django wraps only its own backend's driver errors
        assert isinstance(wrapped, db_utils.OperationalError)
        assert isinstance(wrapped.__cause__, psycopg.OperationalError)
    assert is_connection_failure(wrapped)


@pytest.mark.postgres
def test_s15_postgres_admin_shutdown_57P01_is_a_connection_failure():
    """S15: the server terminating our session (pg_terminate_backend → 57P01) → failure."""
    params = _pg_params()
    victim = psycopg.connect(**params)
    killer = psycopg.connect(**params)
    try:
        pid = victim.info.backend_pid
        killer.execute("SELECT pg_terminate_backend(%s)", [pid])
        for _ in range(100):  # the signal is asynchronous: wait until the backend is gone
            gone = killer.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s", [pid])
            if gone.fetchone() is None:
                break
            time.sleep(0.05)
        exc = _raise(lambda: victim.execute("SELECT 1"))
    finally:
        killer.close()
        victim.close()
    assert isinstance(exc, psycopg.OperationalError)
    assert getattr(exc, "sqlstate", None) in ("57P01", None)  # None: "server closed connection"
    assert is_connection_failure(exc)
    assert is_connection_failure(_wrapped_by_django(exc))
    # And the SQLSTATE alone decides, for the class the server sent:
    shutdown = psycopg.errors.lookup("57P01")
    assert issubclass(shutdown, psycopg.OperationalError)
    assert is_connection_failure(shutdown("terminating connection due to administrator command"))


@pytest.mark.postgres
@pytest.mark.parametrize(
    ("sql", "sqlstate"),
    [
        ("SELEC 1", "42601"),  # syntax error
        ("SELECT * FROM aduan_no_such_table", "42P01"),  # undefined table
        ("SELECT 1/0", "22012"),  # division by zero
    ],
    ids=["syntax-error", "undefined-table", "division-by-zero"],
)
def test_s15_postgres_real_sql_errors_are_not_connection_failures(sql, sqlstate):
    """S15: a real SQL error stays an error (500), never a 503 that hides a bug."""
    with psycopg.connect(**_pg_params()) as conn:
        exc = _raise(lambda: conn.execute(sql))
    assert exc.sqlstate == sqlstate
    assert not is_connection_failure(exc)
    assert not is_connection_failure(_wrapped_by_django(exc))


@pytest.mark.postgres
def test_s15_postgres_statement_timeout_57014_is_not_a_connection_failure():
    """S15: a statement timeout is an OperationalError subclass, but the server is up: not 503."""
    with psycopg.connect(**_pg_params()) as conn:
        conn.execute("SET statement_timeout = 1")
        exc = _raise(lambda: conn.execute("SELECT pg_sleep(1)"))
    assert isinstance(exc, psycopg.OperationalError)
    assert exc.sqlstate == "57014"
    assert not is_connection_failure(exc)
    assert not is_connection_failure(_wrapped_by_django(exc))


# --- SQLite ----------------------------------------------------------------------------------


def test_s15_sqlite_database_is_locked_is_a_connection_failure(tmp_path):
    """S15: SQLite's "database is locked" (another writer holds it) → try again later (503)."""
    path = tmp_path / "db.sqlite3"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("CREATE TABLE t (x int)")
    holder.execute("BEGIN IMMEDIATE")
    other = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        exc = _raise(lambda: other.execute("INSERT INTO t VALUES (1)"))
    finally:
        other.close()
        holder.close()
    assert "database is locked" in str(exc)
    assert is_connection_failure(exc)
    assert is_connection_failure(_wrapped_by_django(exc))


@pytest.mark.parametrize(
    "sql", ["SELEC 1", "SELECT * FROM no_such_table"], ids=["syntax-error", "no-such-table"]
)
def test_s15_sqlite_real_sql_errors_are_not_connection_failures(sql):
    """S15: SQLite reports bad SQL as OperationalError too; it must still be a 500."""
    conn = sqlite3.connect(":memory:")
    try:
        exc = _raise(lambda: conn.execute(sql))
    finally:
        conn.close()
    assert isinstance(exc, sqlite3.OperationalError)
    assert not is_connection_failure(exc)
    assert not is_connection_failure(_wrapped_by_django(exc))


# --- Redis -----------------------------------------------------------------------------------


def test_s15_redis_connection_refused_is_a_connection_failure():
    """S15: Redis not listening → redis.ConnectionError → connection failure."""
    exc = _raise(refusing_redis().ping)
    assert isinstance(exc, redis.exceptions.ConnectionError)
    assert is_connection_failure(exc)


def test_s15_redis_black_hole_times_out_and_is_a_connection_failure():
    """S15: Redis accepts but never answers → the socket timeout fires → connection failure."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)  # the kernel completes handshakes; nobody ever answers
        port = listener.getsockname()[1]
        # A pool from a URL, as config/settings/huey.py builds it: no client-side retries
        # (redis.Redis() without a pool would retry 3 times with backoff, ~15 s here).
        pool = redis.ConnectionPool.from_url(
            f"redis://127.0.0.1:{port}/0", socket_connect_timeout=1, socket_timeout=1
        )
        client = redis.Redis(connection_pool=pool)
        started = time.monotonic()
        exc = _raise(client.ping)
        assert time.monotonic() - started < 5
    assert isinstance(exc, redis.exceptions.TimeoutError | redis.exceptions.ConnectionError)
    assert is_connection_failure(exc)


def test_s15_redis_command_error_is_not_a_connection_failure():
    """S15: Redis answering with an error (a bug on our side) is not an outage. Needs Redis."""
    client = redis.Redis(host="127.0.0.1", port=6379, db=15, socket_timeout=5)
    exc = _raise(lambda: client.execute_command("AN_UNKNOWN_COMMAND"))
    assert isinstance(exc, redis.exceptions.ResponseError)
    assert not is_connection_failure(exc)


# --- anything else ---------------------------------------------------------------------------


def test_s15_other_exceptions_and_chains():
    """S15: bugs are not outages; an outage wrapped in another exception still is one."""
    assert not is_connection_failure(None)
    assert not is_connection_failure(ValueError("bug"))
    assert not is_connection_failure(db_utils.IntegrityError("duplicate key"))
    refused = _raise(refusing_redis().ping)
    try:
        try:
            raise refused
        except redis.exceptions.ConnectionError as inner:
            raise RuntimeError("task failed") from inner
    except RuntimeError as outer:
        assert is_connection_failure(outer)
    # A cycle in the chain must not loop forever.
    a, b = ValueError("a"), ValueError("b")
    a.__context__, b.__context__ = b, a
    assert not is_connection_failure(a)


# --- over HTTP: the middleware and handler500 ------------------------------------------------

OUTAGE_VIEWS = ["postgres-down", "postgres-down-django", "redis-down", "sqlite-locked"]


def _assert_503(response) -> None:  # type: ignore[no-untyped-def]
    assert response.status_code == 503
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert response["Cache-Control"] == "no-store"


@pytest.mark.urls("aduan.core.tests.outage_urls")
@pytest.mark.parametrize("view", OUTAGE_VIEWS)
def test_s15_view_hitting_an_outage_answers_503_with_retry_after(view, db):
    """S15: a view failing on an unreachable database/queue → 503 + Retry-After (middleware)."""
    client = Client(raise_request_exception=False)
    response = client.get(f"/{view}")
    _assert_503(response)
    assert "try again" in response.content.decode() or "coba" in response.content.decode()
    json_response = client.get(f"/{view}", HTTP_ACCEPT="application/json")
    _assert_503(json_response)
    assert json_response.json()["status"] == 503


@pytest.mark.urls("aduan.core.tests.outage_urls")
@pytest.mark.parametrize("view", ["bad-sql", "missing-table", "bug"])
def test_s15_view_with_a_real_error_answers_500_not_503(view, db):
    """S15: a real SQL error or a bug stays a 500 (no Retry-After): it must be fixed, not retried."""
    client = Client(raise_request_exception=False)
    response = client.get(f"/{view}")
    assert response.status_code == 500
    assert "Retry-After" not in response


@pytest.mark.urls("aduan.core.tests.outage_urls")
@pytest.mark.parametrize(
    ("view", "status"),
    [("postgres-down", 503), ("redis-down", 503), ("sqlite-locked", 503), ("bad-sql", 500)],
)
def test_s15_handler500_makes_the_same_distinction_without_the_middleware(view, status, db):
    """S15: failures that reach handler500 (outside the middleware's reach) → 503 or 500."""
    from django.conf import settings

    middleware = [
        m for m in settings.MIDDLEWARE if m != "aduan.core.middleware.ServiceUnavailableMiddleware"
    ]
    with override_settings(MIDDLEWARE=middleware):
        response = Client(raise_request_exception=False).get(f"/{view}")
    assert response.status_code == status
    if status == 503:
        _assert_503(response)
    else:
        assert "Retry-After" not in response


def test_s15_handler500_called_directly():
    """S15: server_error() reads the exception being handled."""
    request = RequestFactory().get("/")
    refused = _raise(refusing_redis().ping)
    try:
        raise refused
    except redis.exceptions.ConnectionError:
        response = server_error(request)
    _assert_503(response)
    try:
        raise ValueError("bug")
    except ValueError:
        response = server_error(request)
    assert response.status_code == 500

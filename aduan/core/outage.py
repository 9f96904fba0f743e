"""Telling a service outage (→ 503, try again) from a real error (→ 500, fix the code). S15."""

from __future__ import annotations

import sqlite3

from django.db import utils as db_utils

try:
    import psycopg
except ImportError:  # pragma: no cover - psycopg is a dependency
    psycopg = None  # type: ignore[assignment]

try:
    import redis
except ImportError:  # pragma: no cover - redis is a dependency
    redis = None  # type: ignore[assignment]

# SQLSTATE classes that mean "the server is not there or going away".
_PG_CONNECTION_STATES = ("08",)  # connection exception
_PG_SHUTDOWN_STATES = {
    "57P01",
    "57P02",
    "57P03",
    "53300",
}  # admin/crash shutdown, cannot connect now, too many connections
_SQLITE_BUSY_MESSAGES = ("database is locked", "unable to open database file", "disk i/o error")


def is_connection_failure(exc: BaseException | None) -> bool:
    """True when `exc` (or what it wraps) says the database or the queue cannot be reached."""
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if redis is not None and isinstance(
            exc, redis.exceptions.ConnectionError | redis.exceptions.TimeoutError
        ):
            return True
        if psycopg is not None and isinstance(exc, psycopg.OperationalError):
            state = getattr(exc, "sqlstate", None)
            if state is None:
                # Raised by the client: could not connect, connection lost, timeout expired.
                return True
            return state.startswith(_PG_CONNECTION_STATES) or state in _PG_SHUTDOWN_STATES
        if psycopg is not None and isinstance(exc, psycopg.InterfaceError):
            return True  # the connection is closed
        if isinstance(exc, sqlite3.OperationalError):
            return str(exc).lower().startswith(_SQLITE_BUSY_MESSAGES)
        if isinstance(exc, db_utils.InterfaceError):
            return True
        exc = exc.__cause__ or exc.__context__
    return False

"""Database configuration from DATABASE_URL, with the timeouts S15 asks for."""

from __future__ import annotations

from typing import Any

import dj_database_url

from config.env import env_int


def database_config(url: str) -> dict[str, Any]:
    config: dict[str, Any] = dict(dj_database_url.parse(url))
    engine = config["ENGINE"]
    if engine == "django.db.backends.sqlite3":
        # The embedded default: WAL so readers never block the writer; IMMEDIATE so a write
        # transaction takes the lock at BEGIN (no "database is locked" upgrade deadlocks).
        config["OPTIONS"] = {
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
                "PRAGMA busy_timeout=5000;"
            ),
            "transaction_mode": "IMMEDIATE",
            "timeout": 5,
        }
    elif engine == "django.db.backends.postgresql":
        statement_ms = env_int("ADUAN_DB_STATEMENT_TIMEOUT_MS", 30_000)
        lock_ms = env_int("ADUAN_DB_LOCK_TIMEOUT_MS", 10_000)
        config["CONN_MAX_AGE"] = env_int("ADUAN_DB_CONN_MAX_AGE", 60)
        config["CONN_HEALTH_CHECKS"] = True
        config["OPTIONS"] = {
            # A black-holed database must not hang a worker (S15).
            "connect_timeout": env_int("ADUAN_DB_CONNECT_TIMEOUT", 5),
            "options": (
                f"-c statement_timeout={statement_ms} -c lock_timeout={lock_ms} "
                "-c idle_in_transaction_session_timeout=60000"
            ),
            "application_name": "aduan",
        }
    return config

"""What the benchmarks share: the PostgreSQL server option, a benchmark database dropped and
created again, counting the complaints of an existing one, and Django set up on it.

A benchmark never touches the demo database or the test databases: each has its own database
name (or SQLite file) here.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_SERVER = "postgres://postgres@127.0.0.1:5432"


def add_pg_server_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--pg-server",
        default=os.environ.get("BENCH_PG_SERVER", PG_SERVER),
        help="PostgreSQL server URL without database (default: %(default)s)",
    )


def fresh_database(
    database: str, *, pg_server: str, pg_database: str, sqlite_path: Path | None = None
) -> str:
    """Drop and create the benchmark database (`database` "sqlite": the file at `sqlite_path`
    and its WAL; "postgres": `pg_database` on `pg_server`); returns its DATABASE_URL."""
    if database == "sqlite":
        if sqlite_path is None:
            raise ValueError("a SQLite benchmark needs its file")
        sqlite_path.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{sqlite_path}{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{sqlite_path}"
    import psycopg

    server = pg_server.rstrip("/")
    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{pg_database}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{pg_database}"')
    return f"{server}/{pg_database}"


def complaints_in(server: str, pg_database: str) -> int:
    """The complaints in an existing PostgreSQL benchmark database (0 if there is none)."""
    import psycopg

    try:
        with psycopg.connect(f"{server}/{pg_database}") as connection:
            row = connection.execute("SELECT count(*) FROM complaints_complaint").fetchone()
            return int(row[0]) if row else 0
    except psycopg.Error:
        return 0


def setup_django(database_url: str, env: dict[str, str] | None = None) -> None:
    """Django on the benchmark database, with the demo off; `env` sets further variables
    (settings read from the environment) before the settings load."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.base"
    os.environ["DATABASE_URL"] = database_url
    os.environ["ADUAN_DEMO"] = "0"
    os.environ.update(env or {})
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()

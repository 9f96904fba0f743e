"""Creating Gammu SMSD's tables (schema version 17, the Debian package's) in a database."""

from __future__ import annotations

from pathlib import Path

from django.db import connections, transaction

SCHEMA_DIR = Path(__file__).resolve().parent / "schema"
SCHEMA_VERSION = 17
TABLES = ("gammu", "inbox", "outbox", "outbox_multipart", "phones", "sentitems")
# Aduan's own addition: the poller reads the unprocessed rows of an inbox that keeps every SMS.
EXTRA_INDEX = {
    "postgresql": (
        'CREATE INDEX IF NOT EXISTS aduan_inbox_unprocessed ON inbox ("ID") WHERE NOT "Processed"'
    ),
    "sqlite": (
        "CREATE INDEX IF NOT EXISTS aduan_inbox_unprocessed ON inbox (ID) WHERE Processed = 'false'"
    ),
}


def gammu_tables_present(*, using: str = "default") -> list[str]:
    """The Gammu tables that exist in the database `using`."""
    existing = set(connections[using].introspection.table_names())
    return [table for table in TABLES if table in existing]


def gammu_schema_version(*, using: str = "default") -> int | None:
    if "gammu" not in gammu_tables_present(using=using):
        return None
    with connections[using].cursor() as cursor:
        cursor.execute('SELECT MAX("Version") FROM gammu')
        row = cursor.fetchone()
    return int(row[0]) if row and row[0] is not None else None


def gammu_schema_create(*, using: str = "default") -> bool:
    """Create the Gammu tables unless they are there. Returns True when it created them.
    Half a schema (some tables missing) is an error to look at, not something to patch."""
    connection = connections[using]
    present = gammu_tables_present(using=using)
    if len(present) == len(TABLES):
        _extra_index(using)
        return False
    if present:
        raise RuntimeError(
            f"only some Gammu tables exist ({', '.join(present)}); drop them or complete them "
            "by hand before running this again"
        )
    vendor = connection.vendor
    if vendor == "postgresql":
        sql = (SCHEMA_DIR / "pgsql.sql").read_text(encoding="utf-8")
        sql = sql.replace("CREATE LANGUAGE plpgsql;", "")
        with transaction.atomic(using=using), connection.cursor() as cursor:
            cursor.execute(sql)
    elif vendor == "sqlite":
        sql = (SCHEMA_DIR / "sqlite.sql").read_text(encoding="utf-8")
        connection.ensure_connection()
        with transaction.atomic(using=using):
            raw = connection.connection
            # The script's statements one by one (triggers end with "END;").
            for statement in _sqlite_statements(sql):
                raw.execute(statement)
    else:
        raise RuntimeError(f"Gammu tables on {vendor} are not supported by Aduan")
    _extra_index(using)
    return True


def _extra_index(using: str) -> None:
    connection = connections[using]
    statement = EXTRA_INDEX.get(connection.vendor)
    if statement:
        with connection.cursor() as cursor:
            cursor.execute(statement)


def _sqlite_statements(script: str) -> list[str]:
    import sqlite3

    statements, current = [], ""
    for line in script.splitlines(keepends=True):
        if not current and (not line.strip() or line.lstrip().startswith("--")):
            continue
        current += line
        if sqlite3.complete_statement(current):
            statements.append(current.strip())
            current = ""
    return statements

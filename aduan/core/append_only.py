"""Append-only tables (S14): the application can insert rows, never change or remove them.

Three layers: the model refuses save-as-update and delete; its manager's queryset refuses bulk
update/delete; and the database refuses UPDATE (and on PostgreSQL DELETE) with a trigger, so
even raw SQL from the application account cannot rewrite history. A retention purge on
PostgreSQL must say so explicitly in its transaction: SET LOCAL aduan.allow_purge = 'on'.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.migrations.operations.base import Operation


class AppendOnlyError(Exception):
    pass


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError(f"{self.model.__name__} rows are append-only")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError(f"{self.model.__name__} rows are append-only")


class AppendOnlyModel(models.Model):
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError(f"{type(self).__name__} rows are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError(f"{type(self).__name__} rows are append-only")


class MakeAppendOnly(Operation):
    """Migration operation installing the database-level guard on `table`."""

    reduces_to_sql = True
    reversible = True

    def __init__(self, table: str):
        self.table = table

    def state_forwards(self, app_label: str, state: Any) -> None:
        pass

    def database_forwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        for statement in _forward_sql(schema_editor.connection.vendor, self.table):
            schema_editor.execute(statement, params=None)

    def database_backwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        for statement in _backward_sql(schema_editor.connection.vendor, self.table):
            schema_editor.execute(statement, params=None)

    def describe(self) -> str:
        return f"Make {self.table} append-only"

    def deconstruct(self) -> tuple[str, list[Any], dict[str, Any]]:
        return (self.__class__.__qualname__, [], {"table": self.table})


def _forward_sql(vendor: str, table: str) -> list[str]:
    if vendor == "postgresql":
        return [
            """
            CREATE OR REPLACE FUNCTION aduan_append_only() RETURNS trigger AS $$
            BEGIN
              IF TG_OP = 'DELETE' AND current_setting('aduan.allow_purge', true) = 'on' THEN
                RETURN OLD;
              END IF;
              RAISE EXCEPTION 'aduan: % on % is not allowed (append-only)', TG_OP, TG_TABLE_NAME
                USING ERRCODE = 'insufficient_privilege';
            END;
            $$ LANGUAGE plpgsql
            """,
            f'CREATE TRIGGER "{table}_append_only" BEFORE UPDATE OR DELETE ON "{table}" '
            "FOR EACH ROW EXECUTE FUNCTION aduan_append_only()",
        ]
    if vendor == "sqlite":
        # DELETE stays possible on SQLite so the test runner can empty tables between tests;
        # the model and queryset guards still refuse it.
        return [
            f'CREATE TRIGGER "{table}_append_only" BEFORE UPDATE ON "{table}" '
            "BEGIN SELECT RAISE(ABORT, 'aduan: append-only table'); END"
        ]
    return []


def _backward_sql(vendor: str, table: str) -> list[str]:
    if vendor == "postgresql":
        return [f'DROP TRIGGER IF EXISTS "{table}_append_only" ON "{table}"']
    if vendor == "sqlite":
        return [f'DROP TRIGGER IF EXISTS "{table}_append_only"']
    return []

"""Gammu's tables in the test database (created once per test database, emptied per test)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection

from aduan.complaints.tests.factories import ref
from aduan.intake.sms.schema import gammu_schema_create

__all__ = ["ref"]

GAMMU_DATA_TABLES = ("inbox", "outbox", "outbox_multipart", "sentitems", "phones")


@pytest.fixture(scope="session")
def gammu_schema(django_db_setup: Any, django_db_blocker: Any) -> None:
    with django_db_blocker.unblock():
        gammu_schema_create(using="default")


def _empty() -> None:
    with connection.cursor() as cursor:
        for table in GAMMU_DATA_TABLES:
            cursor.execute(f"DELETE FROM {table}")  # noqa: S608 - constants


@pytest.fixture
def gammu_tables(gammu_schema: None, db: None) -> Iterator[None]:
    """Empty Gammu tables for a test in a rolled-back transaction."""
    _empty()
    yield


@pytest.fixture
def gammu_tables_committed(gammu_schema: None, transactional_db: None) -> Iterator[None]:
    """Empty Gammu tables for a test whose writes are committed (other connections, smsd);
    emptied again afterwards (Django's flush does not know these tables)."""
    _empty()
    yield
    _empty()


@pytest.fixture
def sms_backend(settings: Any) -> Any:
    settings.ADUAN_SMS_BACKEND = "gammu"
    settings.ADUAN_SENDERS = {**settings.ADUAN_SENDERS, "sms": "aduan.intake.sms.gammu.GammuSender"}
    return settings

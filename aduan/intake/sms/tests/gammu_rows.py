"""Rows in Gammu's tables written the way gammu-smsd 1.42 writes them (checked against the
real daemon with the dummy phone: tests/test_smsd.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import connection


def ucs2_hex(text: str) -> str:
    return text.encode("utf-16-be").hex().upper()


def inbox_insert(
    text: str,
    *,
    sender: str = "+6281234567890",
    udh: str = "",
    text_decoded: str | None = None,
    coding: str = "Default_No_Compression",
    sms_class: int = -1,
    received: dt.datetime | None = None,
    updated: dt.datetime | None = None,
    text_hex: str | None = None,
) -> int:
    """One inbox row; returns its ID. smsd fills Text with the part's UCS-2 hex and, for a
    concatenated SMS, TextDecoded of the first part with the whole text (the others empty)."""
    columns: dict[str, Any] = {
        "ReceivingDateTime": received or dt.datetime(2026, 11, 27, 9, 30),
        "Text": ucs2_hex(text) if text_hex is None else text_hex,
        "SenderNumber": sender,
        "Coding": coding,
        "UDH": udh,
        "SMSCNumber": "+62816124",
        "Class": sms_class,
        "TextDecoded": text if text_decoded is None else text_decoded,
        "RecipientID": "aduan-test",
    }
    if updated is not None:
        columns["UpdatedInDB"] = updated
    names = ", ".join(f'"{name}"' for name in columns)
    marks = ", ".join(["%s"] * len(columns))
    with connection.cursor() as cursor:
        cursor.execute(
            f'INSERT INTO inbox ({names}) VALUES ({marks}) RETURNING "ID"',  # noqa: S608
            list(columns.values()),
        )
        return int(cursor.fetchone()[0])


def concatenated(
    text: str, *, reference: int = 0xA7, per_part: int = 153, smsd_style: bool = True, **kwargs: Any
) -> list[int]:
    """A long SMS as smsd stores it: one row per part with the 8-bit concatenation UDH."""
    parts = [text[i : i + per_part] for i in range(0, len(text), per_part)]
    ids = []
    for number, part in enumerate(parts, start=1):
        udh = f"050003{reference:02X}{len(parts):02X}{number:02X}"
        decoded = (text if number == 1 else "") if smsd_style else part
        ids.append(inbox_insert(part, udh=udh, text_decoded=decoded, **kwargs))
    return ids


def inbox_processed() -> dict[int, bool]:
    with connection.cursor() as cursor:
        cursor.execute('SELECT "ID", "Processed" FROM inbox ORDER BY "ID"')
        return {int(i): value in (True, "true") for i, value in cursor.fetchall()}


def fetch(sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])
        return list(cursor.fetchall())

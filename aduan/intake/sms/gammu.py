"""Gammu SMSD's SQL tables: the inbox read by the poller, the outbox written by the sender,
sentitems read back for delivery status.

Reading (`gammu_poll`): unprocessed `inbox` rows are taken with SELECT ... FOR UPDATE SKIP
LOCKED on PostgreSQL (two pollers never take the same row; SQLite's IMMEDIATE transaction
serialises them), the parts of a concatenated SMS are joined by their UDH (reference, total,
sequence), and each message is stored as an InboundRecord and its rows marked Processed in
the same transaction (S16, S17). The message is processed after the commit; a crash there
leaves a RECEIVED record that the inbound sweep processes. Parts still missing after
ADUAN_SMS_GAMMU_MULTIPART_WAIT seconds are given up on: the message is stored with "[...]"
where they would be.

With the Gammu tables in a separate database (ADUAN_SMS_GAMMU_DATABASE_URL) the two cannot
share a transaction: the record is stored (and committed) first, then the rows are marked;
a crash in between stores nothing twice because the provider message id is derived from
the row (ID plus a keyed hash of its sender, time and text).

Sending (`GammuSender`): one `outbox` row (and `outbox_multipart` rows for a long text,
with the concatenation UDH) per outbox message, CreatorID "aduan:<idempotency key>"; a resend
finds the earlier row (outbox or sentitems) and inserts nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper

from aduan.core import clock, crypto
from aduan.notifications.gsm7 import gsm7_length
from aduan.notifications.senders import PermanentFailure, RenderedMessage

from ..inbound import inbound_process, inbound_store
from ..models import InboundRecord
from ..types import InboundMessage

logger = logging.getLogger(__name__)

CREATOR_PREFIX = "aduan:"
TEXT_CODINGS = {"Default_No_Compression", "Unicode_No_Compression"}
GAP = " [...] "
USSD_CLASS = 127
# Gammu's sentitems status -> the outbox's delivery status.
DELIVERY_STATUS = {
    "SendingOK": "sent",
    "SendingOKNoReport": "sent",
    "DeliveryPending": "pending",
    "DeliveryUnknown": "unknown",
    "DeliveryOK": "delivered",
    "DeliveryFailed": "failed",
    "SendingError": "failed",
    "Error": "failed",
}
# When the parts of one message disagree, the worst one counts.
_SEVERITY = ["delivered", "sent", "pending", "unknown", "failed"]
FINAL_DELIVERY = {"delivered", "failed"}


def gammu_alias() -> str:
    return str(getattr(settings, "ADUAN_SMS_GAMMU_DATABASE", "default"))


# --- concatenated SMS (UDH) ----------------------------------------------------------------


@dataclass(frozen=True)
class Concat:
    reference: int
    total: int
    sequence: int


def parse_concat_udh(udh_hex: str) -> Concat | None:
    """The concatenation information element of a User Data Header written as hex: IEI 0x00
    (8-bit reference) or 0x08 (16-bit reference). None for no UDH or a UDH without one."""
    try:
        udh = bytes.fromhex((udh_hex or "").strip())
    except ValueError:
        return None
    if len(udh) < 2:
        return None
    end = min(len(udh), 1 + udh[0])
    position = 1
    while position + 2 <= end:
        iei, length = udh[position], udh[position + 1]
        data = udh[position + 2 : position + 2 + length]
        if len(data) < length:
            return None
        if iei == 0x00 and length == 3:
            reference, total, sequence = data[0], data[1], data[2]
        elif iei == 0x08 and length == 4:
            reference, total, sequence = (data[0] << 8) | data[1], data[2], data[3]
        else:
            position += 2 + length
            continue
        if total < 1 or not 1 <= sequence <= total:
            return None
        return Concat(reference, total, sequence)
    return None


# --- reading the inbox ---------------------------------------------------------------------


@dataclass
class InboxRow:
    id: int
    sender: str
    text_hex: str
    text_decoded: str
    coding: str
    udh: str
    received: Any  # naive datetime (PostgreSQL) or "YYYY-MM-DD HH:MM:SS" (SQLite)
    updated: Any
    recipient_id: str
    sms_class: int
    smsc: str

    @property
    def concat(self) -> Concat | None:
        return parse_concat_udh(self.udh)


INBOX_COLUMNS = (
    '"ID", "SenderNumber", "Text", "TextDecoded", "Coding", "UDH", "ReceivingDateTime", '
    '"UpdatedInDB", "RecipientID", "Class", "SMSCNumber"'
)


def _row(values: Sequence[Any]) -> InboxRow:
    return InboxRow(
        id=int(values[0]),
        sender=str(values[1] or ""),
        text_hex=str(values[2] or ""),
        text_decoded=str(values[3] or ""),
        coding=str(values[4] or ""),
        udh=str(values[5] or ""),
        received=values[6],
        updated=values[7],
        recipient_id=str(values[8] or ""),
        sms_class=int(values[9] if values[9] is not None else -1),
        smsc=str(values[10] or ""),
    )


def _false(connection: BaseDatabaseWrapper) -> str:
    return "false" if connection.vendor == "postgresql" else "'false'"


def _true(connection: BaseDatabaseWrapper) -> str:
    return "true" if connection.vendor == "postgresql" else "'true'"


def _lock(connection: BaseDatabaseWrapper) -> str:
    return " FOR UPDATE SKIP LOCKED" if connection.vendor == "postgresql" else ""


def _select_unprocessed(
    connection: BaseDatabaseWrapper, limit: int, after_id: int = 0
) -> list[InboxRow]:
    with connection.cursor() as cursor:
        cursor.execute(
            f'SELECT {INBOX_COLUMNS} FROM inbox WHERE "Processed" = {_false(connection)} '  # noqa: S608  # nosec B608
            f'AND "ID" > %s ORDER BY "ID" LIMIT %s{_lock(connection)}',
            [after_id, limit],
        )
        return [_row(values) for values in cursor.fetchall()]


def _select_siblings(
    connection: BaseDatabaseWrapper, sender: str, exclude: Iterable[int]
) -> list[InboxRow]:
    """The other unprocessed parts from one sender (a long message may straddle a batch)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f'SELECT {INBOX_COLUMNS} FROM inbox WHERE "Processed" = {_false(connection)} '  # noqa: S608  # nosec B608
            f'AND "SenderNumber" = %s AND "UDH" <> \'\' ORDER BY "ID"{_lock(connection)}',
            [sender],
        )
        skip = set(exclude)
        return [row for row in (_row(v) for v in cursor.fetchall()) if row.id not in skip]


def _mark_processed(connection: BaseDatabaseWrapper, ids: Sequence[int]) -> None:
    if not ids:
        return
    placeholders = ", ".join(["%s"] * len(ids))
    with connection.cursor() as cursor:
        cursor.execute(
            f'UPDATE inbox SET "Processed" = {_true(connection)} '  # noqa: S608  # nosec B608
            f'WHERE "ID" IN ({placeholders})',
            list(ids),
        )


def _database_now(connection: BaseDatabaseWrapper) -> dt.datetime:
    """The database's local time as smsd writes it in UpdatedInDB (LOCALTIMESTAMP in the
    server's default time zone on PostgreSQL, UTC datetime('now') on SQLite)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT now() AT TIME ZONE "
                "(SELECT reset_val FROM pg_settings WHERE name = 'TimeZone')"
            )
        else:
            cursor.execute("SELECT datetime('now')")
        value = cursor.fetchone()[0]
    return _naive(value) or dt.datetime.now()  # noqa: DTZ005 - naive like the column


def _naive(value: Any) -> dt.datetime | None:
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, str) and value.strip():
        try:
            return dt.datetime.fromisoformat(value.strip()).replace(tzinfo=None)
        except ValueError:
            return None
    return None


@dataclass
class Assembled:
    parts: list[InboxRow | None]  # by sequence; None where a part never came
    extra_ids: list[int] = field(default_factory=list)  # repeated copies of a part

    @property
    def rows(self) -> list[InboxRow]:
        return [part for part in self.parts if part is not None]

    @property
    def ids(self) -> list[int]:
        return sorted([row.id for row in self.rows] + self.extra_ids)

    @property
    def complete(self) -> bool:
        return all(part is not None for part in self.parts)

    @property
    def first(self) -> InboxRow:
        return min(self.rows, key=lambda row: row.id)


def _assemble(rows: Iterable[InboxRow]) -> tuple[list[Assembled], list[Assembled]]:
    """Single messages and complete concatenations, and the incomplete concatenations."""
    singles: list[Assembled] = []
    groups: dict[tuple[str, int, int], Assembled] = {}
    for row in sorted(rows, key=lambda r: r.id):
        concat = row.concat
        if concat is None or concat.total == 1:
            singles.append(Assembled([row]))
            continue
        key = (row.sender, concat.reference, concat.total)
        group = groups.setdefault(key, Assembled([None] * concat.total))
        existing = group.parts[concat.sequence - 1]
        if existing is None:
            group.parts[concat.sequence - 1] = row
        elif existing.text_hex == row.text_hex and existing.text_decoded == row.text_decoded:
            group.extra_ids.append(row.id)  # the same part delivered twice
        # else: another message with the same reference; it waits for the next poll
    complete = [group for group in groups.values() if group.complete]
    incomplete = [group for group in groups.values() if not group.complete]
    return singles + complete, incomplete


def _part_bytes(row: InboxRow) -> bytes | None:
    """The part's text as UCS-2/UTF-16BE bytes (smsd's hex "Text" column), or None."""
    if row.coding not in TEXT_CODINGS or not row.text_hex:
        return None
    try:
        data = bytes.fromhex(row.text_hex)
    except ValueError:
        return None
    return data if len(data) % 2 == 0 else None


def assembled_text(message: Assembled) -> str:
    """The message's text, parts joined in order. Decoded from the UCS-2 bytes of all parts
    at once (an emoji whose surrogate pair is split between two parts survives); a part
    without usable bytes contributes its TextDecoded. Invalid sequences become U+FFFD."""
    pieces: list[str] = []
    buffer = b""
    for part in message.parts:
        data = _part_bytes(part) if part is not None else None
        if data is not None:
            buffer += data
            continue
        if buffer:
            pieces.append(buffer.decode("utf-16-be", errors="replace"))
            buffer = b""
        if part is None:
            pieces.append(GAP)
        elif part.coding in TEXT_CODINGS:
            pieces.append(part.text_decoded)
        # 8-bit (binary) parts carry no text
    if buffer:
        pieces.append(buffer.decode("utf-16-be", errors="replace"))
    return "".join(pieces).replace("\x00", "").strip()


def _received_at(row: InboxRow) -> dt.datetime:
    naive = _naive(row.received)
    if naive is None:
        return clock.now()
    zone = ZoneInfo(getattr(settings, "ADUAN_SMS_GAMMU_TIME_ZONE", settings.TIME_ZONE))
    aware = naive.replace(tzinfo=zone)
    now = clock.now()
    # A phone with a wrong clock must not put a message in the future.
    return now if aware > now + dt.timedelta(hours=1) else aware


def provider_message_id(row: InboxRow) -> str:
    """gammu:<ID of the first part>:<keyed hash of its sender, time and text>. The ID alone
    would repeat when the Gammu tables are created again (IDs start at 1 again): a new SMS
    must not be taken for an old one (S16 would then drop it)."""
    fingerprint = crypto.keyed_hash(
        f"{row.sender}|{row.received}|{row.text_hex or row.text_decoded}", purpose="gammu-inbox"
    )
    return f"gammu:{row.id}:{fingerprint[:12]}"


def inbound_message(message: Assembled) -> InboundMessage:
    first = message.first
    rows = message.rows
    return InboundMessage(
        channel="sms",
        provider_message_id=provider_message_id(first),
        sender=first.sender.strip(),
        text=assembled_text(message),
        received_at=_received_at(first),
        raw={
            "backend": "gammu",
            "ids": message.ids,
            "parts": len(message.parts),
            "missing_parts": [i + 1 for i, part in enumerate(message.parts) if part is None],
            "coding": sorted({row.coding for row in rows}),
            "udh": [row.udh for row in rows if row.udh],
            "recipient_id": first.recipient_id,
            "smsc": first.smsc,
            "class": first.sms_class,
        },
    )


@dataclass
class PollReport:
    rows: int = 0  # inbox rows marked processed
    stored: int = 0  # new inbound records
    duplicates: int = 0  # messages already stored (a repeat after a crash)
    ignored: int = 0  # USSD replies and rows with no sender: marked, not stored
    waiting: int = 0  # parts of concatenated SMS still waiting for the others
    failed: int = 0  # messages that could not be stored (their rows stay unprocessed)
    processed: int = 0
    last_id: int = 0  # the highest inbox ID this batch looked at (0: the inbox had nothing)
    records: list[int] = field(default_factory=list)


def gammu_poll(*, limit: int = 200, process: bool = True, after_id: int = 0) -> PollReport:
    """One batch: take up to `limit` unprocessed inbox rows (with an ID above `after_id`),
    store their messages and mark the rows in one transaction, then process the stored
    messages (unless `process` is False: the inbound sweep does it then)."""
    alias = gammu_alias()
    connection = connections[alias]
    report = PollReport()
    records: list[InboundRecord] = []
    with transaction.atomic(using=alias):
        rows = _select_unprocessed(connection, limit, after_id)
        if not rows:
            return report
        report.last_id = max(row.id for row in rows)
        ready, incomplete = _assemble(rows)
        if incomplete:
            taken = {row.id for row in rows}
            for sender in {group.first.sender for group in incomplete}:
                rows.extend(_select_siblings(connection, sender, taken))
            ready, incomplete = _assemble(rows)
        wait = dt.timedelta(seconds=getattr(settings, "ADUAN_SMS_GAMMU_MULTIPART_WAIT", 600))
        if incomplete:
            cutoff = _database_now(connection) - wait
            for group in incomplete:
                newest = max((_naive(row.updated) or cutoff for row in group.rows), default=cutoff)
                if newest <= cutoff:
                    ready.append(group)  # the missing parts are not coming
                else:
                    report.waiting += len(group.rows)
        for message in ready:
            first = message.first
            if first.sms_class == USSD_CLASS or not first.sender.strip():
                report.ignored += 1
            else:
                try:
                    # a savepoint (same database) or its own transaction (separate one)
                    with transaction.atomic():
                        record, created = inbound_store(inbound_message(message))
                except Exception as exc:
                    # One row that cannot be stored must not hold up the inbox: it stays
                    # unprocessed (tried again next poll) and the others go on. No content or
                    # number in the log (S1).
                    logger.error(
                        "gammu inbox rows %s could not be stored: %s",
                        message.ids,
                        type(exc).__name__,
                    )
                    report.failed += 1
                    continue
                if created:
                    report.stored += 1
                else:
                    report.duplicates += 1
                records.append(record)
            _mark_processed(connection, message.ids)
            report.rows += len(message.ids)
    for record in records:
        if process and record.status == InboundRecord.Status.RECEIVED:
            inbound_process(record)
            report.processed += 1
        report.records.append(record.pk)
    return report


def gammu_poll_all(*, limit: int = 200, max_batches: int = 100, process: bool = True) -> PollReport:
    """Poll batch after batch through the whole inbox (or `max_batches` batches). Rows left
    unprocessed (parts waiting for the others, a row that could not be stored) do not stop
    the rows after them: each batch starts after the last ID the previous one saw."""
    total = PollReport()
    after_id = 0
    for _batch in range(max_batches):
        report = gammu_poll(limit=limit, process=process, after_id=after_id)
        total.rows += report.rows
        total.stored += report.stored
        total.duplicates += report.duplicates
        total.ignored += report.ignored
        total.failed += report.failed
        total.processed += report.processed
        total.records += report.records
        total.waiting += report.waiting
        if report.last_id == 0:
            break
        after_id = report.last_id
    return total


# --- sending -------------------------------------------------------------------------------

GSM7_SINGLE, GSM7_PART = 160, 153
UCS2_SINGLE, UCS2_PART = 70, 67


def sms_parts(text: str, *, max_parts: int | None = None) -> tuple[str, list[str]]:
    """(Gammu coding, parts): GSM-7 when every character is in the GSM alphabet (160 septets
    in one SMS, 153 per part of a long one, an extension character never split from its
    escape), otherwise UCS-2 (70 UTF-16 units, 67 per part, a surrogate pair never split).
    A text longer than `max_parts` parts is cut, ending in "..."."""
    limit = max_parts or int(getattr(settings, "ADUAN_SMS_MAX_PARTS", 6))
    if gsm7_length(text) is not None:
        coding, single, per_part = "Default_No_Compression", GSM7_SINGLE, GSM7_PART

        def size(ch: str) -> int:
            return gsm7_length(ch) or 1
    else:
        coding, single, per_part = "Unicode_No_Compression", UCS2_SINGLE, UCS2_PART

        def size(ch: str) -> int:
            return 2 if ord(ch) > 0xFFFF else 1

    if sum(size(ch) for ch in text) <= single:
        return coding, [text]
    parts: list[str] = []
    current, used = "", 0
    for ch in text:
        if used + size(ch) > per_part:
            parts.append(current)
            current, used = "", 0
        current += ch
        used += size(ch)
    if current:
        parts.append(current)
    if len(parts) > limit:
        parts = parts[:limit]
        last = parts[-1]
        while last and sum(size(ch) for ch in last) > per_part - 3:
            last = last[:-1]
        parts[-1] = last + "..."
    return coding, parts


def _reference(key: str) -> int:
    return hashlib.sha256(key.encode()).digest()[0]


def _returning_id(cursor: Any) -> int:
    return int(cursor.fetchone()[0])


class GammuSender:
    """Writes the SMS into Gammu's outbox; smsd sends it. Returns "gammu:<outbox ID>"."""

    def send(self, message: RenderedMessage) -> str:
        number = "".join(message.to_address.split())
        if not number or len(number) > 20:
            raise PermanentFailure("not a phone number Gammu can send to")
        creator = f"{CREATOR_PREFIX}{message.idempotency_key}"
        alias = gammu_alias()
        connection = connections[alias]
        with transaction.atomic(using=alias), connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # Two workers resending the same message one after the other, not at once.
                cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [creator])
            existing = self._existing(cursor, number, creator)
            if existing is not None:
                return f"gammu:{existing}"
            coding, parts = sms_parts(message.body)
            multipart = len(parts) > 1
            reference = _reference(creator)
            udh = [
                f"050003{reference:02X}{len(parts):02X}{position:02X}" if multipart else ""
                for position in range(1, len(parts) + 1)
            ]
            phone_id = getattr(settings, "ADUAN_SMS_GAMMU_PHONE_ID", "") or None
            report = getattr(settings, "ADUAN_SMS_GAMMU_DELIVERY_REPORT", "default")
            cursor.execute(
                'INSERT INTO outbox ("DestinationNumber", "TextDecoded", "Coding", "UDH", '
                '"MultiPart", "CreatorID", "SenderID", "DeliveryReport", "Class") '
                'VALUES (%s, %s, %s, %s, %s, %s, %s, %s, -1) RETURNING "ID"',
                [
                    number,
                    parts[0],
                    coding,
                    udh[0],
                    ("true" if multipart else "false")
                    if connection.vendor == "sqlite"
                    else multipart,
                    creator,
                    phone_id,
                    report,
                ],
            )
            gammu_id = _returning_id(cursor)
            for position in range(2, len(parts) + 1):
                cursor.execute(
                    'INSERT INTO outbox_multipart ("ID", "SequencePosition", "TextDecoded", '
                    '"Coding", "UDH", "Class") VALUES (%s, %s, %s, %s, %s, -1)',
                    [gammu_id, position, parts[position - 1], coding, udh[position - 1]],
                )
        return f"gammu:{gammu_id}"

    @staticmethod
    def _existing(cursor: Any, number: str, creator: str) -> int | None:
        for table in ("outbox", "sentitems"):
            cursor.execute(
                f'SELECT "ID" FROM {table} WHERE "DestinationNumber" = %s '  # noqa: S608  # nosec B608
                'AND "CreatorID" = %s ORDER BY "ID" LIMIT 1',
                [number, creator],
            )
            row = cursor.fetchone()
            if row is not None:
                return int(row[0])
        return None


# --- delivery status -----------------------------------------------------------------------


def _worst(statuses: Iterable[str]) -> str:
    mapped = [DELIVERY_STATUS.get(status, "unknown") for status in statuses]
    return max(mapped, key=_SEVERITY.index) if mapped else ""


def gammu_delivery_sync(*, days: int = 3, limit: int = 1000) -> int:
    """Record what sentitems says about the SMS sent through Gammu in the last `days` days
    whose delivery is not final yet. Returns how many outbox messages changed."""
    from aduan.notifications.models import OutboxMessage
    from aduan.notifications.services import outbox_record_delivery

    since = clock.now() - dt.timedelta(days=days)
    candidates = dict(
        OutboxMessage.objects.filter(
            channel="sms",
            status=OutboxMessage.Status.SENT,
            provider_message_id__startswith="gammu:",
            sent_at__gte=since,
        )
        .exclude(delivery_status__in=FINAL_DELIVERY)
        .order_by("sent_at")
        .values_list("provider_message_id", "delivery_status")[:limit]
    )
    by_gammu_id: dict[int, str] = {}
    for provider_id in candidates:
        suffix = provider_id.split(":", 1)[1]
        if suffix.isdigit():
            by_gammu_id[int(suffix)] = provider_id
    if not by_gammu_id:
        return 0
    statuses: dict[int, list[str]] = {}
    connection = connections[gammu_alias()]
    ids = list(by_gammu_id)
    with connection.cursor() as cursor:
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            placeholders = ", ".join(["%s"] * len(chunk))
            cursor.execute(
                f'SELECT "ID", "Status" FROM sentitems WHERE "ID" IN ({placeholders})',  # noqa: S608  # nosec B608
                chunk,
            )
            for gammu_id, status in cursor.fetchall():
                statuses.setdefault(int(gammu_id), []).append(str(status))
    changed = 0
    for gammu_id, parts in statuses.items():
        provider_id = by_gammu_id[gammu_id]
        status = _worst(parts)
        if status and status != candidates[provider_id]:
            changed += outbox_record_delivery(
                channel="sms", provider_message_id=provider_id, status=status
            )
    return changed

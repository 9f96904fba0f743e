"""Gammu's SQL tables read and written directly (rows as gammu-smsd 1.42 writes them)."""

from __future__ import annotations

import datetime as dt
import random
import threading
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection, connections

from aduan.complaints.models import Complaint
from aduan.intake import inbound as inbound_module
from aduan.intake.models import InboundRecord
from aduan.intake.sms import gammu
from aduan.intake.sms.gammu import (
    GammuSender,
    gammu_delivery_sync,
    gammu_poll,
    gammu_poll_all,
    parse_concat_udh,
    sms_parts,
)
from aduan.intake.sms.schema import gammu_schema_create, gammu_schema_version
from aduan.notifications.models import OutboxMessage
from aduan.notifications.senders import PermanentFailure, RenderedMessage
from aduan.notifications.services import outbox_enqueue

from .gammu_rows import concatenated, fetch, inbox_insert, inbox_processed, ucs2_hex

pytestmark = pytest.mark.usefixtures("ref")


def number() -> str:
    """A fresh sender for each message (the per-sender rate limits stay out of the way)."""
    return f"+62812{random.randint(10_000_000, 99_999_999)}"  # nosec B311


def record_for(row_id: int) -> InboundRecord:
    return InboundRecord.objects.get(provider_message_id__startswith=f"gammu:{row_id}:")


# --- UDH and splitting ----------------------------------------------------------------------


def test_concatenation_udh_8_and_16_bit_references() -> None:
    assert parse_concat_udh("050003A70302") == gammu.Concat(0xA7, 3, 2)
    assert parse_concat_udh("0608041234020") is None  # odd hex: broken, not a guess
    assert parse_concat_udh("060804123402 01") == gammu.Concat(0x1234, 2, 1)
    # another element (port addressing) before the concatenation element
    assert parse_concat_udh("0B05040B8423F00003A70201") == gammu.Concat(0xA7, 2, 1)
    assert parse_concat_udh("") is None
    assert parse_concat_udh("050003A70204") is None  # part 4 of 2


def test_replies_fit_one_gsm7_segment_or_split_without_breaking_characters() -> None:
    coding, parts = sms_parts("Aduan BTN-7K3QX diterima. Cek status: CEK BTN-7K3QX")
    assert coding == "Default_No_Compression" and len(parts) == 1
    coding, parts = sms_parts("x" * 159 + "€")  # the euro sign takes two septets: 161
    assert coding == "Default_No_Compression" and len(parts) == 2
    assert all(len(p) + p.count("€") <= 153 for p in parts) and "".join(parts).endswith("€")
    coding, parts = sms_parts("Lapor 😀 " * 20)
    assert coding == "Unicode_No_Compression"
    assert all(len(p.encode("utf-16-be")) // 2 <= 67 for p in parts)
    assert "".join(parts) == "Lapor 😀 " * 20  # no surrogate pair cut in two
    coding, parts = sms_parts("a" * 5000, max_parts=3)
    assert len(parts) == 3 and parts[-1].endswith("...")


# --- reading the inbox ----------------------------------------------------------------------


def test_an_sms_in_gammus_inbox_is_stored_processed_and_marked(gammu_tables: None) -> None:
    sender = number()
    row = inbox_insert("LAPOR Jalan ke Pasarwajo berlubang besar", sender=sender)
    report = gammu_poll()
    assert (report.rows, report.stored, report.processed) == (1, 1, 1)
    assert inbox_processed() == {row: True}
    record = record_for(row)
    assert record.channel == "sms" and record.sender == sender
    assert record.text == "LAPOR Jalan ke Pasarwajo berlubang besar"
    assert record.status == InboundRecord.Status.PROCESSED and record.complaint is not None
    assert record.complaint.channel == "sms"
    assert "berlubang" in record.complaint.body
    # the SMSC time, read in the configured time zone (WITA)
    assert record.received_at == dt.datetime(2026, 11, 27, 1, 30, tzinfo=dt.UTC)
    # a second poll finds nothing
    assert gammu_poll().rows == 0


def test_concatenated_sms_is_joined_into_one_message_s16(gammu_tables: None) -> None:
    text = "LAPOR " + " ".join(f"kalimat nomor {i} tentang lampu jalan mati." for i in range(12))
    ids = concatenated(text, sender=number())
    assert len(ids) == 4
    report = gammu_poll()
    assert (report.rows, report.stored) == (4, 1)
    record = record_for(ids[0])
    assert record.text == text.strip()
    assert all(inbox_processed().values())
    assert Complaint.objects.count() == 1


def test_parts_in_any_order_with_each_parts_own_text(gammu_tables: None) -> None:
    sender = number()
    text = "LAPOR " + "air PDAM tidak mengalir sejak tiga hari di Kelurahan Bone-Bone. " * 4
    parts = [text[i : i + 153] for i in range(0, len(text), 153)]
    total = len(parts)
    for position in reversed(range(1, total + 1)):  # the last part arrives first
        part = parts[position - 1]
        inbox_insert(part, sender=sender, udh=f"050003C1{total:02X}{position:02X}")
    report = gammu_poll()
    assert report.stored == 1
    (record,) = InboundRecord.objects.filter(channel="sms")
    assert record.text == text.strip()


def test_a_part_that_never_comes_is_waited_for_then_given_up_on(gammu_tables: None) -> None:
    sender = number()

    def arrive(updated: dt.datetime | None = None) -> int:
        first = inbox_insert(
            "LAPOR jembatan di Lasalimu", sender=sender, udh="050003D10301", updated=updated
        )
        inbox_insert("mulai retak.", sender=sender, udh="050003D10303", updated=updated)
        return first  # part 2 of 3 is missing

    arrive(updated=gammu._database_now(connection))  # just now, in smsd's clock
    report = gammu_poll()
    assert (report.rows, report.waiting) == (0, 2)
    assert not any(inbox_processed().values())
    # the same two parts, stored by smsd long ago (the update trigger keeps UpdatedInDB fresh,
    # so they are written again with an old one)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM inbox")
    first = arrive(updated=dt.datetime(2020, 1, 1))
    report = gammu_poll()
    assert (report.rows, report.stored) == (2, 1)
    record = record_for(first)
    assert record.text == "LAPOR jembatan di Lasalimu [...] mulai retak."
    assert record.complaint is not None


def test_ten_thousand_character_sms_becomes_one_complaint(gammu_tables: None) -> None:
    body = ("Laporan panjang tentang kerusakan jalan provinsi di Kapontori. " * 200)[:9994]
    text = "LAPOR " + body
    assert len(text) == 10_000
    ids = concatenated(text, sender=number(), reference=0x3C)
    assert len(ids) == 66
    report = gammu_poll()
    assert (report.rows, report.stored) == (66, 1)
    record = record_for(ids[0])
    assert record.text == text.strip()
    assert record.complaint is not None and record.complaint.body == body.strip()


def test_emoji_split_between_parts_and_invalid_ucs2_do_not_break_anything(
    gammu_tables: None,
) -> None:
    sender = number()
    raw = "LAPOR banjir 🌊 di Pasarwajo".encode("utf-16-be")
    cut = raw.index("🌊".encode("utf-16-be")) + 2  # between the two halves of the surrogate pair
    first = inbox_insert(
        "",
        sender=sender,
        udh="050003E10201",
        coding="Unicode_No_Compression",
        text_hex=raw[:cut].hex().upper(),
        text_decoded="LAPOR banjir 🌊 di Pasarwajo",
    )
    inbox_insert(
        "",
        sender=sender,
        udh="050003E10202",
        coding="Unicode_No_Compression",
        text_hex=raw[cut:].hex().upper(),
        text_decoded="",
    )
    lone = inbox_insert(
        "",
        sender=number(),
        coding="Unicode_No_Compression",
        text_hex="004C0041D83D0020",
        text_decoded="LA? ",  # a lone high surrogate
    )
    report = gammu_poll()
    assert report.stored == 2
    assert record_for(first).text == "LAPOR banjir 🌊 di Pasarwajo"
    assert record_for(lone).text == "LA\ufffd"
    assert record_for(lone).status != InboundRecord.Status.FAILED


def test_empty_sms_and_binary_sms_are_stored_and_answered_not_crashed(gammu_tables: None) -> None:
    empty = inbox_insert("", sender=number())
    binary = inbox_insert(
        "", sender=number(), coding="8bit", text_hex="0605040B8423F0", text_decoded=""
    )
    report = gammu_poll()
    assert report.stored == 2
    for row in (empty, binary):
        record = record_for(row)
        assert record.text == ""
        assert record.status == InboundRecord.Status.PROCESSED
        assert record.complaint is None
    assert Complaint.objects.count() == 0


def test_ussd_replies_and_rows_without_sender_are_marked_not_stored(gammu_tables: None) -> None:
    inbox_insert("Sisa pulsa Anda Rp 5.000", sender="", sms_class=127)
    inbox_insert("tanpa pengirim", sender="")
    report = gammu_poll()
    assert (report.rows, report.ignored, report.stored) == (2, 2, 0)
    assert all(inbox_processed().values())


def test_same_id_after_the_tables_are_recreated_is_a_new_message_s16(gammu_tables: None) -> None:
    """IDs start at 1 again when a pemda recreates Gammu's tables: the provider message id
    carries a keyed hash of the row too, so a new SMS with an old ID is not dropped."""
    sender = number()
    row = inbox_insert("LAPOR lampu mati di Wabula", sender=sender)
    gammu_poll()
    old = record_for(row).provider_message_id
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM inbox")
    with connection.cursor() as cursor:
        cursor.execute(
            'INSERT INTO inbox ("ID", "Text", "TextDecoded", "SenderNumber", "UDH", '
            "\"RecipientID\", \"ReceivingDateTime\") VALUES (%s, %s, %s, %s, '', 'x', %s)",
            [
                row,
                ucs2_hex("LAPOR sampah di Banabungi"),
                "LAPOR sampah di Banabungi",
                sender,
                dt.datetime(2026, 11, 28, 8, 0),
            ],
        )
    assert gammu_poll().stored == 1
    ids = set(
        InboundRecord.objects.filter(provider_message_id__startswith=f"gammu:{row}:").values_list(
            "provider_message_id", flat=True
        )
    )
    assert len(ids) == 2 and old in ids


class Crash(BaseException):
    """The process dying (SIGKILL, OOM): nothing in the process gets to handle it."""


def test_worker_killed_between_reading_and_committing_loses_and_duplicates_nothing_s16_s17(
    gammu_tables: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    sender = number()
    row = inbox_insert("LAPOR drainase tersumbat di Pasarwajo", sender=sender)
    real_store = inbound_module.inbound_store

    def store_then_die(message: Any) -> Any:
        real_store(message)
        raise Crash("killed after inbound_store, before the commit")

    monkeypatch.setattr(gammu, "inbound_store", store_then_die)
    with pytest.raises(Crash):
        gammu_poll()
    # rolled back together: no record, the row still unprocessed
    assert InboundRecord.objects.count() == 0
    assert inbox_processed() == {row: False}
    monkeypatch.setattr(gammu, "inbound_store", real_store)
    assert gammu_poll().stored == 1
    assert gammu_poll().rows == 0
    assert InboundRecord.objects.count() == 1
    assert Complaint.objects.count() == 1
    assert inbox_processed() == {row: True}


def test_a_row_that_cannot_be_stored_does_not_hold_up_the_others(
    gammu_tables: None, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    sender = number()
    bad = inbox_insert("LAPOR pesan yang gagal disimpan", sender=sender)
    good = inbox_insert("LAPOR pesan yang berhasil", sender=number())
    real_store = inbound_module.inbound_store

    def store_or_fail(message: Any) -> Any:
        if "gagal" in message.text:
            raise ValueError("cannot store this one")
        return real_store(message)

    monkeypatch.setattr(gammu, "inbound_store", store_or_fail)
    report = gammu_poll_all(limit=1)  # the failing row first in every batch: no stall
    assert (report.stored, report.failed) == (1, 1)
    assert inbox_processed() == {bad: False, good: True}
    assert "could not be stored: ValueError" in caplog.text
    assert sender not in caplog.text and "gagal" not in caplog.text  # S1
    monkeypatch.setattr(gammu, "inbound_store", real_store)
    assert gammu_poll().stored == 1
    assert inbox_processed() == {bad: True, good: True}


@pytest.mark.postgres
def test_two_pollers_at_once_take_each_row_once_s16(gammu_tables_committed: None) -> None:
    rows = [inbox_insert(f"LAPOR jalan rusak nomor {i}", sender=number()) for i in range(40)]
    barrier = threading.Barrier(2)
    reports: list[Any] = []
    errors: list[BaseException] = []

    def poller() -> None:
        try:
            barrier.wait()
            reports.append(gammu_poll_all(limit=5))
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=poller) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors
    assert sum(r.stored for r in reports) == 40 and sum(r.duplicates for r in reports) == 0
    assert all(r.rows > 0 for r in reports), "both pollers took rows (SKIP LOCKED)"
    assert InboundRecord.objects.filter(channel="sms").count() == 40
    assert Complaint.objects.count() == 40
    assert all(inbox_processed()[row] for row in rows)


# --- sending --------------------------------------------------------------------------------


def rendered(
    body: str, *, key: str = "k1", to: str = "+6281234500001", pk: int = 7
) -> RenderedMessage:
    return RenderedMessage(
        outbox_id=pk, channel="sms", to_address=to, subject="", body=body, idempotency_key=key
    )


def test_sender_writes_one_gsm7_outbox_row_and_a_resend_writes_nothing(gammu_tables: None) -> None:
    sender = GammuSender()
    provider_id = sender.send(rendered("Aduan BTN-7K3QX diterima.", key="complaint:1:received"))
    rows = fetch(
        'SELECT "ID", "DestinationNumber", "TextDecoded", "Coding", "CreatorID", "MultiPart" '
        "FROM outbox"
    )
    assert len(rows) == 1
    gammu_id, to, text, coding, creator, multipart = rows[0]
    assert provider_id == f"gammu:{gammu_id}"
    assert (to, text, coding) == (
        "+6281234500001",
        "Aduan BTN-7K3QX diterima.",
        "Default_No_Compression",
    )
    assert creator == "aduan:complaint:1:received" and multipart in (False, "false")
    # a resend after a crash (same idempotency key): the same row, nothing new
    assert (
        sender.send(rendered("Aduan BTN-7K3QX diterima.", key="complaint:1:received"))
        == provider_id
    )
    assert len(fetch("SELECT 1 FROM outbox")) == 1
    # ... also once smsd has moved it to sentitems
    with connection.cursor() as cursor:
        cursor.execute(
            'INSERT INTO sentitems ("ID", "DestinationNumber", "TextDecoded", "Text", "UDH", '
            '"SenderID", "CreatorID", "Status") SELECT "ID", "DestinationNumber", "TextDecoded", '
            "'', '', 'aduan-test', \"CreatorID\", 'SendingOKNoReport' FROM outbox"
        )
        cursor.execute("DELETE FROM outbox")
    assert (
        sender.send(rendered("Aduan BTN-7K3QX diterima.", key="complaint:1:received"))
        == provider_id
    )
    assert fetch("SELECT COUNT(*) FROM outbox") == [(0,)]


def test_sender_splits_long_and_unicode_texts_with_udh(gammu_tables: None) -> None:
    body = "Jawaban Dinas PUPR: " + "perbaikan jalan dijadwalkan minggu depan. " * 8
    provider_id = GammuSender().send(rendered(body, key="long"))
    gammu_id = int(provider_id.split(":")[1])
    (first,) = fetch('SELECT "UDH", "MultiPart", "TextDecoded", "Coding" FROM outbox')
    rest = fetch(
        'SELECT "ID", "SequencePosition", "UDH", "TextDecoded" FROM outbox_multipart '
        'ORDER BY "SequencePosition"'
    )
    total = 1 + len(rest)
    assert total == 3 and first[1] in (True, "true") and first[3] == "Default_No_Compression"
    assert parse_concat_udh(first[0]) is not None
    assert parse_concat_udh(first[0]).sequence == 1  # type: ignore[union-attr]
    assert [r[1] for r in rest] == [2, 3] and all(r[0] == gammu_id for r in rest)
    assert {parse_concat_udh(r[2]).reference for r in rest} == {  # type: ignore[union-attr]
        parse_concat_udh(first[0]).reference  # type: ignore[union-attr]
    }
    assert first[2] + "".join(r[3] for r in rest) == body
    GammuSender().send(rendered("Terima kasih 🙏", key="unicode"))
    assert fetch('SELECT "Coding" FROM outbox WHERE "CreatorID" = %s', ["aduan:unicode"]) == [
        ("Unicode_No_Compression",)
    ]


def test_sender_refuses_what_is_no_phone_number(gammu_tables: None) -> None:
    with pytest.raises(PermanentFailure):
        GammuSender().send(rendered("x", to=""))
    with pytest.raises(PermanentFailure):
        GammuSender().send(rendered("x", to="+62" + "1" * 30))


def test_delivery_status_is_read_back_from_sentitems(gammu_tables: None, sms_backend: Any) -> None:
    message = outbox_enqueue(
        channel="sms", template="inbound_help", idempotency_key="dlr-test", address="+6281234500002"
    )
    from aduan.notifications.services import outbox_deliver_due

    outbox_deliver_due()
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT
    gammu_id = int(message.provider_message_id.split(":")[1])
    (count,) = fetch('SELECT COUNT(*) FROM outbox WHERE "ID" = %s', [gammu_id])[0]
    assert count == 1
    with connection.cursor() as cursor:  # what smsd does: sent, then the delivery report
        cursor.execute(
            'INSERT INTO sentitems ("ID", "SequencePosition", "DestinationNumber", "Text", "UDH", '
            "\"SenderID\", \"CreatorID\", \"Status\") VALUES (%s, 1, %s, '', '', 'p', %s, "
            "'SendingOK')",
            [gammu_id, "+6281234500002", "aduan:dlr-test"],
        )
    assert gammu_delivery_sync() == 1
    message.refresh_from_db()
    assert message.delivery_status == "sent"
    assert gammu_delivery_sync() == 0  # nothing changed
    with connection.cursor() as cursor:
        cursor.execute("UPDATE sentitems SET \"Status\" = 'DeliveryOK'")
    assert gammu_delivery_sync() == 1
    message.refresh_from_db()
    assert message.delivery_status == "delivered"


# --- the schema command ---------------------------------------------------------------------


def test_schema_command_is_idempotent(
    gammu_tables: None, capsys: pytest.CaptureFixture[str]
) -> None:
    assert gammu_schema_version() == 17
    call_command("sms_gammu_schema")
    assert "already present" in capsys.readouterr().out
    assert gammu_schema_create() is False


# --- channels_check -------------------------------------------------------------------------


def test_check_fails_without_a_running_smsd_and_passes_with_one(
    gammu_tables: None, sms_backend: Any
) -> None:
    from aduan.intake.sms.checks import sms_check

    with pytest.raises(RuntimeError, match="gammu-smsd is not running"):
        sms_check()
    with connection.cursor() as cursor:  # what smsd writes when it starts
        cursor.execute(
            'INSERT INTO phones ("ID", "IMEI", "IMSI", "Client", "Signal", "Sent", "Received", '
            '"Send", "Receive", "UpdatedInDB") VALUES (%s, %s, %s, %s, 42, 3, 5, true, true, %s)',
            [
                "1708",
                "999999999999999",
                "994299429942994",
                "Gammu 1.42.0",
                gammu._database_now(connection),
            ],
        )
    assert "smsd phone '1708' seen 0 s ago (signal 42%, 3 sent, 5 received)" in str(sms_check())
    with connection.cursor() as cursor:  # an smsd that was killed leaves its row behind
        cursor.execute("DELETE FROM phones")
        cursor.execute(
            'INSERT INTO phones ("ID", "IMEI", "IMSI", "Client", "Send", "Receive", '
            '"UpdatedInDB") VALUES (%s, %s, %s, %s, true, true, %s)',
            ["1708", "999999999999999", "994299429942994", "Gammu 1.42.0", dt.datetime(2020, 1, 1)],
        )
    with pytest.raises(RuntimeError, match="gammu-smsd is not running"):
        sms_check()


def test_check_says_not_configured_when_sms_is_off(settings: Any) -> None:
    from aduan.intake.sms.checks import sms_check

    settings.ADUAN_SMS_BACKEND = "off"
    assert sms_check() is None


def test_poll_command_for_smsds_run_on_receive(
    gammu_tables: None, capsys: pytest.CaptureFixture[str]
) -> None:
    inbox_insert("LAPOR got tersumbat di Lapandewa", sender=number())
    call_command("sms_gammu_poll")
    assert "1 inbox rows: 1 messages stored" in capsys.readouterr().out
    assert Complaint.objects.count() == 1

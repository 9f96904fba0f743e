"""Inbound SMS per second from Gammu SMSD's inbox on PostgreSQL.

    .venv/bin/python bench/sms_inbox.py --count 5000

Drops and creates the PostgreSQL database `aduan_bench_sms` (127.0.0.1:5432, user postgres),
migrates it, loads the Buton reference data and creates Gammu's tables (schema 17). Then, twice
(`--count` rows each, written as gammu-smsd writes them: one row per SMS, every tenth SMS a
two-part concatenated one, each from its own number):

1. store: the poller takes the rows (FOR UPDATE SKIP LOCKED), joins the parts, stores each
   message as an InboundRecord and marks its rows processed in the same transaction, without
   processing it (what a burst costs before the conversation runs);
2. store + process: the same, and every message is then processed (`LAPOR ...`: a complaint
   is created, its confirmation SMS written to the outbox), as `sms_gammu_poll` does.

It prints inbox rows and messages per second for both. It never touches the demo database,
the test databases or the demo's task queue (Huey runs on a throwaway SQLite file).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import tempfile
import time

import _setup
from _setup import ROOT

PG_DATABASE = "aduan_bench_sms"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=5000, help="SMS per round (max 100,000)")
    parser.add_argument("--batch", type=int, default=200, help="inbox rows per transaction")
    _setup.add_pg_server_argument(parser)
    args = parser.parse_args(argv)
    if not 1 <= args.count <= 100_000:
        parser.error("--count must be between 1 and 100,000")
    return args


def setup_django(database_url: str) -> None:
    os.environ.pop("REDIS_URL", None)  # the task queue on a throwaway SQLite file, below
    _setup.setup_django(
        database_url,
        {
            "ADUAN_SMS_BACKEND": "gammu",
            "ADUAN_DB_STATEMENT_TIMEOUT_MS": "0",
            "ADUAN_VAR_DIR": tempfile.mkdtemp(prefix="aduan-bench-sms-"),
        },
    )


def fill_inbox(count: int, round_number: int) -> int:
    """`count` SMS as smsd writes them; returns the number of inbox rows."""
    from django.db import connection, transaction

    def ucs2(text: str) -> str:
        return text.encode("utf-16-be").hex().upper()

    rows = []
    received = dt.datetime(2026, 11, 27, 9, 0)  # noqa: DTZ001 - naive, as smsd writes it
    for i in range(count):
        sender = f"+6281{round_number}{i:08d}"
        text = f"LAPOR jalan rusak di RT {i % 40} kelurahan nomor {i} (putaran {round_number})"
        if i % 10 == 9:  # a two-part concatenated SMS
            text = f"{text}. " + "Sudah lama tidak diperbaiki dan membahayakan pengendara. " * 3
            parts = [text[:153], text[153:]]
            reference = i % 256
            for position, part in enumerate(parts, start=1):
                rows.append(
                    (
                        received,
                        ucs2(part),
                        sender,
                        f"050003{reference:02X}02{position:02X}",
                        text if position == 1 else "",
                    )
                )
        else:
            rows.append((received, ucs2(text), sender, "", text))
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany(
            'INSERT INTO inbox ("ReceivingDateTime", "Text", "SenderNumber", "UDH", '
            '"TextDecoded", "RecipientID", "Coding", "SMSCNumber", "Class") '
            "VALUES (%s, %s, %s, %s, %s, 'bench', 'Default_No_Compression', '+62816124', -1)",
            rows,
        )
    return len(rows)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    url = _setup.fresh_database("postgres", pg_server=args.pg_server, pg_database=PG_DATABASE)
    setup_django(url)
    from django.core.management import call_command
    from django.db import connection

    from aduan.agencies.loader import load_reference_data
    from aduan.complaints.models import Complaint
    from aduan.intake.models import InboundRecord
    from aduan.intake.sms.gammu import gammu_poll_all
    from aduan.intake.sms.schema import gammu_schema_create

    call_command("migrate", verbosity=0)
    load_reference_data(ROOT / "data" / "buton")
    gammu_schema_create()
    print(f"PostgreSQL {connection.pg_version}, database {PG_DATABASE}, batch {args.batch}")  # type: ignore[attr-defined]

    for round_number, process in ((1, False), (2, True)):
        rows = fill_inbox(args.count, round_number)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE inbox")
        started = time.perf_counter()
        report = gammu_poll_all(limit=args.batch, max_batches=1_000_000, process=process)
        seconds = time.perf_counter() - started
        label = "store + process" if process else "store only     "
        print(
            f"{label}: {report.rows} inbox rows, {report.stored} messages in {seconds:.1f} s = "
            f"{report.rows / seconds:,.0f} rows/s, {report.stored / seconds:,.0f} messages/s"
        )
        if report.rows != rows or report.stored != args.count:
            raise SystemExit(f"expected {rows} rows and {args.count} messages: {report}")
    print(
        f"records: {InboundRecord.objects.count()}, complaints created: "
        f"{Complaint.objects.count()} (round 2 only)"
    )


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Email intake throughput: mails per second from a real IMAP server into complaints.

    .venv/bin/python bench/email_imap.py                  # 500 mails, PostgreSQL
    .venv/bin/python bench/email_imap.py --mails 2000 --database sqlite

A throwaway dovecot (aduan/intake/email/tests/dovecot.py) on a loopback port; the mails are
APPENDed to one mailbox (one sender each, as many citizens would write; one in five with a
small photo). Then `email_fetch` runs in batches of --batch until the mailbox is read: each
mail is downloaded, parsed, stored (InboundRecord, one transaction with the remembered UID),
flagged \\Seen, and processed into a complaint with its receipt in the outbox. A second mailbox
with the same mails is read with `process=False` to show the cost of IMAP + parse + store alone.

Its own database (`aduan_bench_email` on PostgreSQL, var/bench-email.sqlite3 on SQLite),
dropped and created again; the Huey queue goes to a temporary directory (nothing is sent).
See bench/README.md.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from email.message import EmailMessage

import _setup
from _setup import ROOT

sys.path.insert(0, str(ROOT))  # the dovecot test helper is imported before Django is set up
PG_DATABASE = "aduan_bench_email"
SQLITE_PATH = ROOT / "var" / "bench-email.sqlite3"
PLACES = ["Pasarwajo", "Lasalimu", "Kapontori", "Lakudo", "Wabula", "Siotapina", "Wolowa"]
PROBLEMS = [
    "lampu jalan mati sejak dua minggu",
    "jalan berlubang dan membahayakan pengendara motor",
    "sampah pasar tidak diangkut seminggu",
    "air PDAM keruh dan berbau",
    "jembatan kayu retak di tengah",
]


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mails", type=int, default=500, help="mails to fetch (1-20,000)")
    parser.add_argument("--batch", type=int, default=100, help="mails per fetch run")
    parser.add_argument("--database", choices=["postgres", "sqlite"], default="postgres")
    _setup.add_pg_server_argument(parser)
    args = parser.parse_args(argv)
    if not 1 <= args.mails <= 20_000:
        parser.error("--mails must be between 1 and 20,000")
    return args


def make_mail(n: int, photo: bytes) -> bytes:
    place, problem = PLACES[n % len(PLACES)], PROBLEMS[n % len(PROBLEMS)]
    mail = EmailMessage()
    mail["From"] = f"Warga {n} <warga{n}@example.id>"
    mail["To"] = "aduan@buton.example"
    mail["Subject"] = f"Aduan: {problem} di {place}"
    mail["Message-ID"] = f"<bench-{n}@example.id>"
    mail.set_content(
        f"Selamat pagi,\n\nDi {place}, {problem}. Mohon segera ditindaklanjuti.\n\n"
        f"Terima kasih.\n\nDikirim dari iPhone saya\n"
    )
    if n % 5 == 0:
        mail.add_attachment(photo, maintype="image", subtype="png", filename=f"foto-{n}.png")
    return bytes(mail)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    from aduan.intake.email.tests.dovecot import PASSWORD, dovecot_server
    from aduan.intake.email.tests.make_fixtures import png

    with dovecot_server() as server, tempfile.TemporaryDirectory() as var_dir:
        url = _setup.fresh_database(
            args.database,
            pg_server=args.pg_server,
            pg_database=PG_DATABASE,
            sqlite_path=SQLITE_PATH,
        )
        _setup.setup_django(
            url,
            {
                "ADUAN_VAR_DIR": var_dir,
                "REDIS_URL": "",
                "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
                "ADUAN_IMAP_HOST": server.host,
                "ADUAN_IMAP_PORT": str(server.port),
                "ADUAN_IMAP_SECURITY": "none",
                "ADUAN_IMAP_USER": "bench",
                "ADUAN_IMAP_PASSWORD": PASSWORD,
                "ADUAN_IMAP_BATCH": str(args.batch),
            },
        )
        from django.conf import settings
        from django.core.management import call_command
        from imap_tools import MailBoxUnencrypted

        from aduan.agencies.loader import load_reference_data
        from aduan.complaints.models import Complaint
        from aduan.intake.email.fetch import email_fetch
        from aduan.intake.models import InboundRecord

        call_command("migrate", verbosity=0)
        load_reference_data(ROOT / "data" / "buton")
        photo = png(64, 64)
        mails = [make_mail(n, photo) for n in range(args.mails)]
        size = sum(len(m) for m in mails)
        print(
            f"Aduan email intake benchmark: {args.mails:,} mails ({size / 1e6:.1f} MB, "
            f"1 in 5 with a photo), dovecot on {server.host}:{server.port}, {args.database}"
        )
        for user in ("bench", "bench-store"):
            started = time.perf_counter()
            with MailBoxUnencrypted(server.host, server.port).login(user, PASSWORD) as box:
                for mail in mails:
                    box.append(mail, "INBOX")
            print(
                f"  APPEND to {user}: {args.mails / (time.perf_counter() - started):,.0f} mails/s"
            )

        def run(process: bool) -> tuple[float, int]:
            fetched, started = 0, time.perf_counter()
            while True:
                report = email_fetch(process=process)
                fetched += report.fetched
                if report.fetched == 0:
                    return time.perf_counter() - started, fetched

        elapsed, fetched = run(process=True)
        complaints = Complaint.objects.filter(channel="email").count()
        print(
            f"  fetch + parse + store + process: {fetched:,} mails in {elapsed:.1f} s = "
            f"{fetched / elapsed:,.1f} mails/s ({complaints:,} complaints created)"
        )
        settings.ADUAN_IMAP_USER = "bench-store"
        InboundRecord.objects.all().delete()
        elapsed, fetched = run(process=False)
        print(
            f"  fetch + parse + store only:      {fetched:,} mails in {elapsed:.1f} s = "
            f"{fetched / elapsed:,.1f} mails/s"
        )
        if complaints != args.mails:
            print(f"  ERROR: {args.mails - complaints} mails did not become complaints")
            return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

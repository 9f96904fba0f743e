"""Read the complaint mailbox once now: `manage.py email_fetch [--limit N]`."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from aduan.intake.email.fetch import email_fetch


class Command(BaseCommand):
    help = "Fetch new mail from the complaint mailbox (IMAP) and process it."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--limit", type=int, default=None, help="at most this many mails")

    def handle(self, *args: Any, **options: Any) -> None:
        report = email_fetch(limit=options["limit"])
        self.stdout.write(
            f"{report.fetched} fetched, {report.stored} stored, {report.duplicates} duplicate, "
            f"{report.ignored} ignored, {report.processed} processed"
        )

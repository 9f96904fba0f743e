from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.dateparse import parse_datetime

from aduan.integrations.lapor.client import lapor_enabled
from aduan.integrations.lapor.services import lapor_import


class Command(BaseCommand):
    help = "Import the reports the national LAPOR!-SP4N forwarded to this pemda (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--since",
            help="ISO 8601 time to import from (default: where the last run stopped)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not lapor_enabled():
            self.stdout.write("LAPOR! connector disabled (ADUAN_LAPOR_ENABLED=0): nothing done.")
            return
        since: dt.datetime | None = None
        if options.get("since"):
            since = parse_datetime(options["since"])
            if since is None or since.tzinfo is None:
                raise CommandError("--since needs an ISO 8601 time with an offset")
        report = lapor_import(since=since)
        self.stdout.write(
            f"fetched {report.fetched}, created {report.created}, "
            f"already there {report.existing}, refused {report.failed}"
        )
        if report.error:
            raise CommandError(f"LAPOR! import failed: {report.error}")

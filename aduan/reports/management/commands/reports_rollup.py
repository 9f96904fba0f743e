"""`manage.py reports_rollup [--rebuild]`: refresh (or recount from scratch) the daily rollup
of the dashboards (aduan/reports/rollup.py; PostgreSQL only)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from aduan.reports import rollup


class Command(BaseCommand):
    help = "Refresh the dashboards' daily rollup; --rebuild recounts every day."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--rebuild",
            action="store_true",
            help="recount every day (after a bulk import or a change of TIME_ZONE)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not rollup.available():
            raise CommandError(
                "The daily rollup needs PostgreSQL (and ADUAN_REPORT_ROLLUP on); "
                "on SQLite the dashboards count live."
            )
        began = time.monotonic()
        done = rollup.rollup_rebuild() if options["rebuild"] else rollup.rollup_refresh()
        self.stdout.write(
            f"{done.logged} logged changes taken; days recounted per source "
            f"(1 received, 2 closed, 3 clocks, 4 dispatches): {done.days}; "
            f"{time.monotonic() - began:.1f} s"
        )

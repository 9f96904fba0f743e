"""Take what gammu-smsd put in its inbox now (for smsd's RunOnReceive), or keep polling."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from aduan.intake.sms.gammu import gammu_delivery_sync, gammu_poll_all


class Command(BaseCommand):
    help = "Store and process the SMS in Gammu's inbox, and record delivery status."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--loop", type=float, default=0, help="poll again every N seconds (0: once)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        interval = float(options["loop"])
        while True:
            report = gammu_poll_all()
            gammu_delivery_sync()
            if report.rows or not interval:
                self.stdout.write(
                    f"{report.rows} inbox rows: {report.stored} messages stored, "
                    f"{report.duplicates} already stored, {report.ignored} ignored, "
                    f"{report.waiting} parts waiting"
                )
            if not interval:
                return
            time.sleep(interval)

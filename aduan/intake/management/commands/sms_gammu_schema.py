"""Create Gammu SMSD's tables (schema version 17) in Aduan's database or the Gammu database."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from aduan.intake.sms.gammu import gammu_alias
from aduan.intake.sms.schema import SCHEMA_VERSION, gammu_schema_create


class Command(BaseCommand):
    help = "Create Gammu SMSD's SQL tables (inbox, outbox, sentitems...) for a fresh install."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--database",
            default=None,
            help="database alias (default: the one ADUAN_SMS_GAMMU_DATABASE_URL configures, "
            "else Aduan's own)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        alias = options["database"] or gammu_alias()
        try:
            created = gammu_schema_create(using=alias)
        except RuntimeError as exc:
            raise CommandError(str(exc)) from exc
        if created:
            self.stdout.write(
                f"Gammu tables (schema version {SCHEMA_VERSION}) created in '{alias}'."
            )
        else:
            self.stdout.write(f"Gammu tables already present in '{alias}'; nothing to do.")

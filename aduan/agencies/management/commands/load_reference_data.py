from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from aduan.agencies.loader import ReferenceDataError, load_reference_data


class Command(BaseCommand):
    help = "Load a pemda's reference data (regions, agencies, categories, holidays, causes) from a folder with pemda.json."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dir",
            default=str(Path(settings.BASE_DIR) / "data" / "buton"),
            help="Folder holding pemda.json and the CSV files it names (default: data/buton).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = load_reference_data(Path(options["dir"]))
        except (ReferenceDataError, KeyError) as exc:
            raise CommandError(f"Nothing was loaded: {exc}") from exc
        self.stdout.write(self.style.SUCCESS(f"Reference data loaded ({report})."))

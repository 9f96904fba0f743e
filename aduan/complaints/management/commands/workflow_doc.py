from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from aduan.complaints.workflow.docs import render_generated, replace_generated


class Command(BaseCommand):
    help = "Print (or --write into docs/workflow.md) the state table and diagram generated from TRANSITIONS."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--write", action="store_true", help="Rewrite the generated part of docs/workflow.md"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["write"]:
            self.stdout.write(render_generated())
            return
        path = Path(settings.BASE_DIR) / "docs" / "workflow.md"
        path.write_text(replace_generated(path.read_text(encoding="utf-8")), encoding="utf-8")
        self.stdout.write(self.style.SUCCESS(f"{path} updated."))

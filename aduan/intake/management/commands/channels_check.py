"""Test the connection to every configured channel: `manage.py channels_check`."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from aduan.intake.checks import registered_checks


class Command(BaseCommand):
    help = "Test the connection to each configured channel (SMS gateway, IMAP/SMTP, WhatsApp, Telegram)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("channels", nargs="*", help="only these channels")

    def handle(self, *args: Any, **options: Any) -> None:
        checks = registered_checks()
        wanted = options["channels"] or sorted(checks)
        failed = []
        for name in wanted:
            check = checks.get(name)
            if check is None:
                raise CommandError(f"unknown channel {name!r}; known: {', '.join(sorted(checks))}")
            try:
                result = check()
            except Exception as exc:
                failed.append(name)
                self.stdout.write(self.style.ERROR(f"{name}: FAILED: {type(exc).__name__}: {exc}"))
                continue
            if result is None:
                self.stdout.write(f"{name}: not configured")
            else:
                self.stdout.write(self.style.SUCCESS(f"{name}: ok — {result}"))
        if failed:
            raise CommandError(f"{len(failed)} channel(s) failed: {', '.join(failed)}")

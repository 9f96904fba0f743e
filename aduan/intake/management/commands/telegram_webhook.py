"""Point the Telegram bot at this server: `manage.py telegram_webhook https://aduan.example/`.

Calls setWebhook with ADUAN_TELEGRAM_WEBHOOK_SECRET as the secret_token, so that Telegram
sends it in `X-Telegram-Bot-Api-Secret-Token` on every update (S11).
"""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from aduan.intake.telegram.client import TelegramClient, TelegramError


class Command(BaseCommand):
    help = "Register this server's Telegram webhook (setWebhook with the secret token)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "site_url", nargs="?", help="public https base URL (default: ADUAN_SITE_URL)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        secret = settings.ADUAN_TELEGRAM_WEBHOOK_SECRET
        if not settings.ADUAN_TELEGRAM_BOT_TOKEN or not secret:
            raise CommandError(
                "Set ADUAN_TELEGRAM_BOT_TOKEN and ADUAN_TELEGRAM_WEBHOOK_SECRET first."
            )
        if not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", secret):
            raise CommandError(
                "ADUAN_TELEGRAM_WEBHOOK_SECRET may hold only A-Z a-z 0-9 _ - (1-256)."
            )
        site = (options["site_url"] or settings.ADUAN_SITE_URL).rstrip("/")
        if not site.startswith("https://"):
            raise CommandError("Telegram sends webhooks only to an https:// URL.")
        url = site + reverse("intake_telegram_webhook")
        try:
            TelegramClient().set_webhook(url, secret)
        except TelegramError as exc:
            raise CommandError(f"setWebhook failed: {exc}") from None
        self.stdout.write(self.style.SUCCESS(f"Telegram webhook set to {url}"))

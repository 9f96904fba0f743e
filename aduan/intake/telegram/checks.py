"""`manage.py channels_check telegram` (the bot's getMe), and the settings check."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Warning, register

from aduan.intake.checks import register_check

from .client import TelegramClient, telegram_enabled


@register_check("telegram")
def telegram_check() -> str | None:
    if not telegram_enabled():
        return None
    bot = TelegramClient().get_me()
    if not bot.get("is_bot"):
        raise RuntimeError("getMe did not describe a bot")
    return f"bot @{bot.get('username') or '?'} (id {bot.get('id')})"


@register("aduan")
def telegram_settings_check(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """An enabled channel needs its bot token and the webhook secret (S11)."""
    if not telegram_enabled():
        return []
    problems: list[CheckMessage] = []
    for name in ("ADUAN_TELEGRAM_BOT_TOKEN", "ADUAN_TELEGRAM_WEBHOOK_SECRET"):
        if not getattr(settings, name, ""):
            problems.append(
                Error(f"ADUAN_TELEGRAM_ENABLED is on but {name} is empty.", id="telegram.E001")
            )
    if not settings.ADUAN_TELEGRAM_API_URL.startswith("https://") and not settings.DEBUG:
        problems.append(
            Warning(
                "ADUAN_TELEGRAM_API_URL is not HTTPS: the token would travel in clear.",
                id="telegram.W001",
            )
        )
    return problems

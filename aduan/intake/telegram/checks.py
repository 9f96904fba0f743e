"""`manage.py channels_check telegram` (the bot's getMe), and the settings check."""

from __future__ import annotations

from typing import Any

from django.core.checks import CheckMessage, register

from aduan.intake.checks import messenger_settings_problems, register_check

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
    return messenger_settings_problems(
        "telegram", ("ADUAN_TELEGRAM_BOT_TOKEN", "ADUAN_TELEGRAM_WEBHOOK_SECRET")
    )

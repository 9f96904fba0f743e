"""`manage.py channels_check whatsapp`: GET the business phone number from the Graph API."""

from __future__ import annotations

from typing import Any

from django.core.checks import CheckMessage, register

from aduan.intake.checks import messenger_settings_problems, register_check

from .client import WhatsAppClient, whatsapp_enabled


@register_check("whatsapp")
def whatsapp_check() -> str | None:
    if not whatsapp_enabled():
        return None
    number = WhatsAppClient().phone_number()
    name = number.get("verified_name") or "?"
    display = number.get("display_phone_number") or "?"
    return f"phone number {display} ({name}), quality {number.get('quality_rating') or '?'}"


@register("aduan")
def whatsapp_settings_check(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """An enabled channel needs its token, number, app secret (S11) and verify token; the
    token travels only over HTTPS."""
    if not whatsapp_enabled():
        return []
    return messenger_settings_problems(
        "whatsapp",
        (
            "ADUAN_WHATSAPP_ACCESS_TOKEN",
            "ADUAN_WHATSAPP_PHONE_NUMBER_ID",
            "ADUAN_WHATSAPP_APP_SECRET",
            "ADUAN_WHATSAPP_VERIFY_TOKEN",
        ),
    )

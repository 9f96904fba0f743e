"""Phone numbers normalised to E.164 (+62…): the identity of SMS and WhatsApp senders."""

from __future__ import annotations

import phonenumbers
from django.conf import settings
from django.utils.translation import gettext as _

from .exceptions import ApplicationError


def normalize_phone(raw: str, *, region: str | None = None) -> str:
    """'0812-3456-7890', '62812…', '+62 812…' → '+6281234567890'. Raises ApplicationError."""
    text = (raw or "").strip()
    if not text:
        raise ApplicationError(_("Enter a phone number."), code="phone_missing")
    if text.startswith("62") and not text.startswith("+"):
        text = "+" + text
    try:
        number = phonenumbers.parse(text, region or settings.ADUAN_DEFAULT_PHONE_REGION)
    except phonenumbers.NumberParseException as exc:
        raise ApplicationError(
            _("This is not a valid phone number."), code="phone_invalid"
        ) from exc
    if not phonenumbers.is_valid_number(number):
        raise ApplicationError(_("This is not a valid phone number."), code="phone_invalid")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)

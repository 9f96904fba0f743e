"""Masking personal data in free text (phone numbers, email addresses, 16-digit NIK).

Used for error messages stored in the outbox, log lines and (later) moderated public text.
"""

from __future__ import annotations

import re

EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
NIK_RE = re.compile(r"(?<!\d)\d{16}(?!\d)")
PHONE_RE = re.compile(r"(?<![\w])(?:\+?62|0)[\s.-]?8\d(?:[\s.-]?\d){6,11}(?!\d)")


def mask_pii(text: str, replacement: str = "[…]") -> str:
    text = EMAIL_RE.sub(replacement, text)
    text = NIK_RE.sub(replacement, text)
    return PHONE_RE.sub(replacement, text)

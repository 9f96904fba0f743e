"""The complainant's identity taken out of text that anyone may read (S1).

Agencies write "Bapak <name>, we called you at 0812-..." in responses, and complainants sign
their own text; the public copy of a report and its responses go through `public_text` before
any public page shows them (the tracking page, the public report list, the home page)."""

from __future__ import annotations

import re

from aduan.core.pii import mask_pii

from .models import Complainant

PLACEHOLDER = "[…]"
NAME_PART_MIN = 4


def _phone_pattern(phone: str) -> str | None:
    digits = re.sub(r"\D", "", phone)
    if digits.startswith("62"):
        national = digits[2:]
    elif digits.startswith("0"):
        national = digits[1:]
    else:
        national = digits
    if len(national) < 6:
        return None
    body = r"[\s.-]?".join(re.escape(d) for d in national)
    return rf"(?<!\d)(?:\+?62|0)?[\s.-]?{body}(?!\d)"


def public_text(text: str, complainant: Complainant | None) -> str:
    """Text for a page anyone may see: phone numbers, emails and NIK masked, and the
    complainant's own name, phone, email and address replaced (agencies write "Bapak <name>")."""
    if not text:
        return ""
    if complainant is not None:
        patterns = []
        if complainant.email:
            patterns.append(re.escape(complainant.email))
        if complainant.phone:
            phone = _phone_pattern(complainant.phone)
            if phone:
                patterns.append(phone)
        for value in (complainant.address, complainant.nik):
            if value and len(value) >= NAME_PART_MIN:
                patterns.append(re.escape(value))
        name = " ".join(complainant.name.split())
        if name:
            patterns.append(r"\b" + r"\s+".join(re.escape(p) for p in name.split()) + r"\b")
            patterns.extend(
                rf"\b{re.escape(part)}\b"
                for part in name.split()
                if len(part.strip(".,")) >= NAME_PART_MIN
            )
        for pattern in patterns:
            text = re.sub(pattern, PLACEHOLDER, text, flags=re.IGNORECASE)
    return mask_pii(text, PLACEHOLDER)

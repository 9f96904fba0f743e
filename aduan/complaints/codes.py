"""Tracking codes and private access tokens.

A tracking code like BTN-7K3R-9FF is short, random (not guessable in sequence) and easy to
read aloud or type on a phone keypad: its alphabet has no 0/O/Q, 1/I/L, S, Z, B, G, U/V
(S, Z, B, G typed by mistake are read as 5, 2, 8, 6), and its last character is a check
character (Luhn mod 24) that catches every mistyped character and almost every swap of two
neighbours. The secret access token for the complainant's private
view is separate: 192 random bits, stored encrypted and looked up by keyed hash.
"""

from __future__ import annotations

import re
import secrets

from django.conf import settings

from aduan.core import crypto

ALPHABET = "23456789ACDEFHJKMNPRTWXY"  # 24 symbols: Luhn mod N needs an even N
# Characters people type for those we left out.
CONFUSABLE = str.maketrans({"S": "5", "Z": "2", "B": "8", "G": "6"})
RANDOM_LENGTH = 6
_INDEX = {ch: i for i, ch in enumerate(ALPHABET)}


def _check_character(payload: str) -> str:
    """Luhn mod N over the alphabet."""
    n = len(ALPHABET)
    factor = 2
    total = 0
    for ch in reversed(payload):
        addend = factor * _INDEX[ch]
        factor = 1 if factor == 2 else 2
        total += addend // n + addend % n
    return ALPHABET[(n - total % n) % n]


def new_tracking_code(prefix: str | None = None) -> str:
    prefix = prefix or settings.ADUAN_TRACKING_PREFIX
    payload = "".join(secrets.choice(ALPHABET) for _ in range(RANDOM_LENGTH))
    body = payload + _check_character(payload)
    return f"{prefix}-{body[:4]}-{body[4:]}"


def normalize_tracking_code(text: str, prefix: str | None = None) -> str | None:
    """What a person typed ('btn 7k3r9ff', '7K3R-9FF') → 'BTN-7K3R-9FF', or None if invalid."""
    prefix = (prefix or settings.ADUAN_TRACKING_PREFIX).upper()
    compact = re.sub(r"[\s\-_.]", "", text.upper())
    if compact.startswith(prefix):
        compact = compact[len(prefix) :]
    compact = compact.translate(CONFUSABLE)
    if len(compact) != RANDOM_LENGTH + 1 or any(ch not in _INDEX for ch in compact):
        return None
    if _check_character(compact[:-1]) != compact[-1]:
        return None
    return f"{prefix}-{compact[:4]}-{compact[4:]}"


# A lookahead, so candidates may overlap: in "your report BTN-7K3R-9F2" the false candidate
# "report BTN" must not swallow the prefix of the real code.
TRACKING_CODE_RE = re.compile(
    r"(?=\b([A-Z]{2,5})[\s-]?([0-9A-Z]{4})[\s-]?([0-9A-Z]{3})\b)", re.IGNORECASE
)


def find_tracking_code(text: str, prefix: str | None = None) -> str | None:
    """The first valid tracking code in free text (an SMS, an email subject)."""
    for match in TRACKING_CODE_RE.finditer(text):
        code = normalize_tracking_code("".join(match.groups()), prefix)
        if code is not None:
            return code
    return None


def new_access_token() -> str:
    return secrets.token_urlsafe(24)


def access_token_hash(token: str) -> str:
    return crypto.keyed_hash(token, purpose="access-token")

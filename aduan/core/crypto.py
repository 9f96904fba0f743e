"""Encryption at rest for identity fields, and keyed hashes for looking them up.

Fernet (AES-128-CBC + HMAC-SHA256) through MultiFernet: the first key in ADUAN_FIELD_KEYS
encrypts, every key decrypts, so keys can be rotated (`manage.py rotate_field_keys`).
Lookups never decrypt: a keyed HMAC-SHA256 of the normalised value is stored beside it.
"""

from __future__ import annotations

import functools
import hashlib
import hmac

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


@functools.cache
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise ImproperlyConfigured("ADUAN_FIELD_KEYS is empty.")
    try:
        return MultiFernet([Fernet(key.encode()) for key in keys])
    except (ValueError, TypeError) as exc:
        raise ImproperlyConfigured(
            "ADUAN_FIELD_KEYS must be Fernet keys (32 url-safe base64 bytes); "
            "generate one with `manage.py generate_keys`."
        ) from exc


def fernet() -> MultiFernet:
    return _fernet(tuple(settings.ADUAN_FIELD_KEYS))


def encrypt(plaintext: str) -> str:
    return fernet().encrypt(plaintext.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return fernet().decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise ImproperlyConfigured(
            "An encrypted field cannot be decrypted with ADUAN_FIELD_KEYS (wrong or rotated-out key)."
        ) from exc


def rotate(token: str) -> str:
    """Re-encrypt a token under the first (newest) key."""
    return fernet().rotate(token.encode()).decode()


def keyed_hash(value: str, *, purpose: str) -> str:
    """HMAC-SHA256 of `value` under ADUAN_HASH_KEY, separated by purpose ("phone", "email"...)."""
    key = hashlib.sha256(f"{purpose}:{settings.ADUAN_HASH_KEY}".encode()).digest()
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()


def generate_field_key() -> str:
    return Fernet.generate_key().decode()

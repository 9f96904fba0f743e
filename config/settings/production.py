"""Production: PostgreSQL, Redis-backed Huey, HTTPS. Refuses demo keys, demo mode and DEBUG."""

from __future__ import annotations

from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_int

from .base import *
from .base import (
    ADUAN_DEMO,
    ADUAN_FIELD_KEYS,
    ADUAN_HASH_KEY,
    ALLOWED_HOSTS,
    DEBUG,
    DEMO_FIELD_KEY,
    DEMO_HASH_KEY,
    DEMO_SECRET_KEY,
    SECRET_KEY,
    STORAGES,
)


def _refuse(reason: str) -> None:
    raise ImproperlyConfigured(f"Production settings refuse to start: {reason}")


if DEBUG:
    _refuse("DJANGO_DEBUG is on.")
if ADUAN_DEMO:
    _refuse("ADUAN_DEMO is on (demo accounts have the password 'demo').")
if SECRET_KEY == DEMO_SECRET_KEY or len(SECRET_KEY) < 50:
    _refuse("SECRET_KEY is missing, the demo key, or shorter than 50 characters.")
if DEMO_FIELD_KEY in ADUAN_FIELD_KEYS:
    _refuse("ADUAN_FIELD_KEYS holds the demo key; generate one with `manage.py generate_keys`.")
for _key in ADUAN_FIELD_KEYS:
    try:
        Fernet(_key.encode())
    except (ValueError, TypeError):
        _refuse(
            "ADUAN_FIELD_KEYS must be Fernet keys (32 url-safe base64 bytes), comma-separated; "
            "generate one with `manage.py generate_keys`."
        )
if ADUAN_HASH_KEY == DEMO_HASH_KEY or len(ADUAN_HASH_KEY) < 32:
    _refuse("ADUAN_HASH_KEY is missing, the demo key, or shorter than 32 characters.")
if "testserver" in ALLOWED_HOSTS:
    ALLOWED_HOSTS = [host for host in ALLOWED_HOSTS if host != "testserver"]

DEBUG = False
# S23: no interactive API docs in production unless enabled on purpose.
ADUAN_API_DOCS = env_bool("ADUAN_API_DOCS", default=False)
WHITENOISE_USE_FINDERS = False
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
if env_bool("ADUAN_BEHIND_PROXY", default=True):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 3600)

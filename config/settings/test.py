"""Test settings: a real PostgreSQL by default (ADUAN_TEST_DB=sqlite for the SQLite run)."""

from __future__ import annotations

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *
from .database import database_config
from .huey import huey_config

ADUAN_TEST_DB = os.environ.get("ADUAN_TEST_DB", "postgres")
if ADUAN_TEST_DB == "postgres":
    DATABASES = {
        "default": database_config(
            os.environ.get("TEST_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/aduan")
        )
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
elif ADUAN_TEST_DB == "sqlite":
    DATABASES = {"default": database_config("sqlite:///:memory:")}
    DATABASES["default"]["TEST"] = {"NAME": ""}
else:
    raise ImproperlyConfigured(
        f"ADUAN_TEST_DB must be 'postgres' or 'sqlite', not {ADUAN_TEST_DB!r}."
    )

TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
# Unit tests run tasks in-process; the Redis-backed consumer is exercised by its own tests.
HUEY = huey_config(redis_url="", sqlite_path=VAR_DIR / "test-huey.sqlite3", immediate=True)

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
ADUAN_DEMO = False
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
LOGGING = {**LOGGING, "root": {"handlers": ["console"], "level": "WARNING"}}

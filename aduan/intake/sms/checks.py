"""`manage.py channels_check` for SMS: Gammu's tables and a live smsd, or the HTTP gateway."""

from __future__ import annotations

import contextlib

from django.conf import settings
from django.db import connections

from aduan.notifications.senders import PermanentFailure

from ..checks import register_check
from . import tasks as _tasks  # noqa: F401 - registers the periodic task with Huey
from .gammu import _database_now, _naive, gammu_alias
from .http import gateway_request
from .schema import SCHEMA_VERSION, TABLES, gammu_schema_version, gammu_tables_present

STALE_PHONE_SECONDS = 600


@register_check("sms")
def sms_check() -> str | None:
    backend = getattr(settings, "ADUAN_SMS_BACKEND", "off")
    if backend == "gammu":
        return gammu_check()
    if backend == "http":
        return http_check()
    return None


def gammu_check() -> str:
    alias = gammu_alias()
    missing = sorted(set(TABLES) - set(gammu_tables_present(using=alias)))
    if missing:
        raise RuntimeError(
            f"Gammu tables missing in database '{alias}': {', '.join(missing)} "
            "(run manage.py sms_gammu_schema)"
        )
    version = gammu_schema_version(using=alias)
    if version != SCHEMA_VERSION:
        raise RuntimeError(f"Gammu schema version {version}, Aduan expects {SCHEMA_VERSION}")
    connection = connections[alias]
    with connection.cursor() as cursor:
        cursor.execute(
            'SELECT "ID", "Signal", "Sent", "Received", "UpdatedInDB" FROM phones '
            'ORDER BY "UpdatedInDB" DESC'
        )
        phones = cursor.fetchall()
    if not phones:
        raise RuntimeError("no phone in Gammu's phones table: gammu-smsd is not running")
    phone_id, signal, sent, received, updated = phones[0]
    # smsd refreshes its row every StatusFrequency seconds (60 by default); a row left by an
    # smsd that was killed stays behind, so an old one means smsd is gone.
    seen = _naive(updated)
    age = (_database_now(connection) - seen).total_seconds() if seen else None
    if age is None or age > STALE_PHONE_SECONDS:
        raise RuntimeError(
            f"smsd phone '{phone_id}' was last seen {int(age or 0)} s ago: gammu-smsd is not "
            "running (or StatusFrequency is 0)"
        )
    return (
        f"Gammu tables version {version} in '{alias}'; smsd phone '{phone_id}' seen "
        f"{int(age)} s ago (signal {signal}%, {sent} sent, {received} received)"
    )


def http_check() -> str:
    if not settings.ADUAN_SMS_HTTP_SECRET:
        raise RuntimeError("ADUAN_SMS_HTTP_SECRET is empty: the webhook would refuse every SMS")
    # No recipient: a gateway answers 400 ("missing to") without sending anything; 401/403
    # (wrong credentials), 5xx or no answer raise GatewayUnavailable and fail the check.
    with contextlib.suppress(PermanentFailure):
        gateway_request({"username": settings.ADUAN_SMS_HTTP_USERNAME})
    return "the SMS gateway's send URL answers"

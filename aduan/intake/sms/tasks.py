"""Huey tasks of the SMS channel (registered by checks.py, which the intake app imports)."""

from __future__ import annotations

from django.conf import settings
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from .gammu import gammu_delivery_sync, gammu_poll_all


@db_periodic_task(crontab(minute="*"))
def sms_gammu_poll() -> int:
    """Every minute (Gammu backend): store and process what smsd put in its inbox, then
    record delivery status from sentitems. For faster answers run `manage.py sms_gammu_poll`
    from smsd's RunOnReceive as well (README)."""
    if getattr(settings, "ADUAN_SMS_BACKEND", "off") != "gammu":
        return 0
    report = gammu_poll_all()
    gammu_delivery_sync()
    return report.stored

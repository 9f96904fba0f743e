"""The periodic IMAP fetch (Huey). One run at a time: a slow run is not overlapped."""

from __future__ import annotations

import logging

from django.conf import settings
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, lock_task

from .fetch import email_fetch

logger = logging.getLogger(__name__)


@db_periodic_task(crontab(minute=f"*/{min(59, max(1, settings.ADUAN_IMAP_POLL_MINUTES))}"))
def email_fetch_task() -> int:
    """Read the complaint mailbox (when ADUAN_IMAP_HOST is set); returns the mails stored."""
    if not settings.ADUAN_IMAP_HOST:
        return 0
    with lock_task("intake-email-fetch"):
        report = email_fetch()
    if report.fetched:
        logger.info(
            "email: %d fetched, %d stored, %d duplicate, %d ignored, %d processed",
            report.fetched,
            report.stored,
            report.duplicates,
            report.ignored,
            report.processed,
        )
    return report.stored

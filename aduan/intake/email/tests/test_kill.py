"""The worker killed between reading a mail and committing it (S16): a real `manage.py
email_fetch` process, SIGKILLed while its transaction is open, then a fresh run."""

from __future__ import annotations

import os
import signal
import subprocess  # nosec B404 - runs our own manage.py
import sys
import time
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from aduan.complaints.models import Complaint
from aduan.intake.email.fetch import email_fetch, mailbox_key
from aduan.intake.email.models import MailboxState
from aduan.intake.models import InboundRecord

from .conftest import Mailbox
from .test_imap import citizen_mail

ROOT = Path(__file__).resolve().parents[4]


def _waiting_on_a_lock(dsn: str) -> bool:
    """The worker's UPDATE of the mailbox position (after its INSERT of the record, in the same
    transaction) waits for our lock."""
    with psycopg.connect(dsn, autocommit=True) as probe:
        row = probe.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
            " AND wait_event_type = 'Lock' AND query ILIKE 'UPDATE %intake_email_mailboxstate%'"
        ).fetchone()
    return bool(row and row[0])


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_before_its_commit_loses_nothing_and_duplicates_nothing(
    ref, mailbox: Mailbox, settings
):
    """S16: `manage.py email_fetch` has downloaded the first mail and written its record, and
    is killed (SIGKILL) before COMMIT — held there by a lock on the mailbox position, so the
    kill falls exactly between reading and committing. Nothing of it remains; the mail is not
    flagged; the next run stores all three mails once each and creates three complaints."""
    mailbox.append(*(citizen_mail(f"Saluran air tersumbat di RT {n}.") for n in range(3)))
    with mailbox.connect() as box:
        uidvalidity = int(box.folder.status("INBOX", ["UIDVALIDITY"])["UIDVALIDITY"])
    MailboxState.objects.create(mailbox=mailbox_key(), uidvalidity=uidvalidity, last_uid=0)

    db = connection.settings_dict
    dsn = f"postgresql://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "DJANGO_"))},
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "ADUAN_TEST_DB": "postgres",
        "TEST_DATABASE_URL": dsn,
        "ADUAN_IMAP_HOST": settings.ADUAN_IMAP_HOST,
        "ADUAN_IMAP_PORT": str(settings.ADUAN_IMAP_PORT),
        "ADUAN_IMAP_SECURITY": "none",
        "ADUAN_IMAP_USER": settings.ADUAN_IMAP_USER,
        "ADUAN_IMAP_PASSWORD": settings.ADUAN_IMAP_PASSWORD,
    }
    with psycopg.connect(dsn) as holder:
        holder.execute("SELECT 1 FROM intake_email_mailboxstate FOR UPDATE")  # hold the row
        worker = subprocess.Popen(  # nosec B603 - fixed argv
            [sys.executable, "manage.py", "email_fetch"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + 60
            while not _waiting_on_a_lock(dsn):
                if worker.poll() is not None or time.monotonic() > deadline:
                    output = worker.stdout.read().decode() if worker.stdout else ""
                    pytest.fail(f"the worker never reached its commit:\n{output}")
                time.sleep(0.05)
            worker.send_signal(signal.SIGKILL)
            worker.wait(timeout=10)
        finally:
            if worker.poll() is None:
                worker.kill()
                worker.wait()
            if worker.stdout:
                worker.stdout.close()
        holder.rollback()

    assert worker.returncode == -signal.SIGKILL
    assert InboundRecord.objects.count() == 0  # its uncommitted record died with it
    assert MailboxState.objects.get().last_uid == 0
    assert mailbox.status()["UNSEEN"] == 3

    report = email_fetch()
    assert (report.fetched, report.stored, report.duplicates, report.processed) == (3, 3, 0, 3)
    assert InboundRecord.objects.count() == Complaint.objects.count() == 3
    MailboxState.objects.update(last_uid=0)  # and reading them all again stores nothing
    assert email_fetch().duplicates == 3
    assert InboundRecord.objects.count() == Complaint.objects.count() == 3

"""End to end with the real gammu-smsd: Gammu's `dummy` phone driver (a directory on disk)
and the SQL service (native_pgsql) on the test database.

A message file placed in the dummy phone's inbox folder (sms/1/) is read by smsd into the
`inbox` table, becomes a complaint through the poller; the admin dispatches it, the liaison
answers, and smsd sends the answer through the dummy phone. Gammu 1.42's dummy driver keeps
no copy of what it sends on disk (DUMMY_SendSMS only reports success), so "sent" is what
smsd records after the phone accepted it: the `sentitems` row, and its log line.
"""

from __future__ import annotations

import random
import shutil
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest
from django.db import connection

from aduan.accounts.roles import Role
from aduan.agencies.models import Cause
from aduan.complaints.models import Resolution
from aduan.complaints.tests.factories import actor, agency
from aduan.complaints.workflow import transitions as t
from aduan.intake.models import InboundRecord
from aduan.intake.sms.gammu import gammu_delivery_sync, gammu_poll
from aduan.notifications.models import OutboxMessage

from .gammu_rows import fetch, ucs2_hex

pytestmark = [pytest.mark.postgres, pytest.mark.usefixtures("ref")]

T = TypeVar("T")


def wait_for(what: str, probe: Callable[[], T | None], timeout: float = 30.0) -> T:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = probe()
        if value:
            return value
        time.sleep(0.2)
    pytest.fail(f"timed out after {timeout:.0f} s waiting for {what}")


class Smsd:
    def __init__(self, root: Path, process: subprocess.Popen[bytes], log: Path) -> None:
        self.root = root
        self.process = process
        self.log = log
        self._next = 1

    def receive(self, sender: str, text: str) -> Path:
        """Put an SMS in the dummy phone's inbox (folder 1), in Gammu's SMS backup format."""
        path = self.root / "sms" / "1" / str(self._next)
        self._next += 1
        path.write_text(
            "[SMSBackup000]\n"
            'SMSC = "+62816124"\n'
            "State = UnRead\n"
            f'Number = "{sender}"\n'
            "Coding = Default\n"
            "Folder = 1\n"
            "Sent = 20261127T093000\n"
            f"Text00 = {ucs2_hex(text)}\n",
            encoding="ascii",
        )
        return path


@pytest.fixture
def smsd(tmp_path: Path, gammu_tables_committed: None, sms_backend: Any) -> Iterator[Smsd]:
    binary = shutil.which("gammu-smsd")
    if binary is None:
        pytest.fail("gammu-smsd is missing: run scripts/ensure_test_tools.sh (make test does)")
    phone = tmp_path / "phone"
    for folder in range(1, 6):
        (phone / "sms" / str(folder)).mkdir(parents=True)
    db = connection.settings_dict
    log = tmp_path / "smsd.log"
    config = tmp_path / "smsdrc"
    config.write_text(
        "[gammu]\n"
        "model = dummy\n"
        "connection = none\n"
        f"port = {phone}\n"
        "gammuloc = /dev/null\n"
        "\n[smsd]\n"
        "service = sql\n"
        "driver = native_pgsql\n"
        f"host = {db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}\n"
        f"user = {db['USER']}\n"
        f"password = {db['PASSWORD'] or ''}\n"
        f"database = {db['NAME']}\n"
        f"logfile = {log}\n"
        "debuglevel = 1\n"
        "phoneid = aduan-test\n"
        "commtimeout = 1\n"
        "receivefrequency = 1\n"
        "statusfrequency = 0\n"
        "loopsleep = 1\n"
        "multiparttimeout = 2\n",
        encoding="utf-8",
    )
    process = subprocess.Popen(  # noqa: S603 - our own config, a fixed binary  # nosec B603
        [binary, "-c", str(config)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        wait_for(
            "gammu-smsd to register its phone",
            lambda: process.poll() is None and fetch('SELECT "ID" FROM phones'),
            timeout=20,
        )
        yield Smsd(phone, process, log)
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:  # pragma: no cover
            process.kill()
            process.wait(5)
    if process.returncode not in (0, -15):
        pytest.fail(f"gammu-smsd ended with {process.returncode}: {log.read_text()[-2000:]}")


def test_sms_in_the_dummy_phone_becomes_a_complaint_and_the_answer_goes_out_by_smsd(
    smsd: Smsd,
) -> None:
    sender = f"+62813{random.randint(10_000_000, 99_999_999)}"  # nosec B311
    inbox_file = smsd.receive(sender, "LAPOR Lampu jalan di depan SDN 1 Pasarwajo mati")

    def complaint_record() -> InboundRecord | None:
        gammu_poll()
        return InboundRecord.objects.filter(channel="sms", complaint__isnull=False).first()

    record = wait_for("smsd's inbox row to become a complaint", complaint_record)
    assert not inbox_file.exists(), "smsd took the message off the phone"
    assert record.sender == sender and record.provider_message_id.startswith("gammu:")
    complaint = record.complaint
    assert complaint is not None and complaint.channel == "sms"
    assert "Lampu jalan" in complaint.body

    # the admin dispatches, the liaison acknowledges and answers
    dpupr = agency("dpupr")
    t.complaint_dispatch(complaint=complaint, by=actor(Role.ADMIN), agency=dpupr)
    liaison = actor(Role.LIAISON, dpupr)
    complaint.refresh_from_db()
    t.complaint_acknowledge(complaint=complaint, by=liaison)
    complaint.refresh_from_db()
    t.complaint_respond(
        complaint=complaint,
        by=liaison,
        text="Lampu sudah diganti petugas kemarin sore.",
        cause=Cause.objects.get(code="sarana_rusak"),
        resolution=Resolution.RESOLVED,
    )
    answer = OutboxMessage.objects.get(complaint=complaint, template="complaint_responded")
    assert answer.channel == "sms" and answer.status == OutboxMessage.Status.SENT
    gammu_id = int(answer.provider_message_id.split(":")[1])

    sent = wait_for(
        "smsd to send the answer through the dummy phone",
        lambda: fetch(
            'SELECT "DestinationNumber", "TextDecoded", "Status", "CreatorID" FROM sentitems '
            'WHERE "ID" = %s',
            [gammu_id],
        ),
    )
    (destination, text, status, creator) = sent[0]
    assert destination == sender
    assert complaint.tracking_code in text and "dijawab" in text
    assert status == "SendingOKNoReport"
    assert creator == f"aduan:{answer.idempotency_key}"
    assert f"Transmitted {gammu_id} " in smsd.log.read_text()
    wait_for(
        "smsd to take the sent message out of its outbox",
        lambda: fetch('SELECT COUNT(*) FROM outbox WHERE "ID" = %s', [gammu_id]) == [(0,)],
    )

    assert gammu_delivery_sync() >= 1
    answer.refresh_from_db()
    assert answer.delivery_status == "sent"

"""What the Telegram and WhatsApp tests share: their captured payload fixtures, the one inbound
record a webhook post left, the outbox driven as the worker would, and a complaint taken
through dispatch, acknowledgement and response (so the response notification goes out)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from aduan.accounts.roles import Role
from aduan.agencies.models import Cause
from aduan.complaints.models import Complaint, Resolution
from aduan.complaints.tests import factories as f
from aduan.complaints.workflow import transitions as t
from aduan.core import clock
from aduan.intake.models import InboundRecord
from aduan.notifications.models import OutboxMessage
from aduan.notifications.services import outbox_deliver_due


def load_fixture(directory: Path, name: str) -> dict[str, Any]:
    """The captured payload `<directory>/<name>.json`."""
    data: dict[str, Any] = json.loads((directory / f"{name}.json").read_text())
    return data


def only_record(channel: str) -> InboundRecord:
    """The channel's one inbound record (fails if there are none or several)."""
    (record,) = InboundRecord.objects.filter(channel=channel)
    return record


def assert_location_taken(channel: str, lat: float, lon: float) -> None:
    """A shared location went along as raw["location"] = {lat, lon}, and was processed."""
    from aduan.intake.inbound import record_message

    record = only_record(channel)
    assert record_message(record).raw["location"] == {"lat": lat, "lon": lon}
    assert record.status != InboundRecord.Status.RECEIVED


def assert_media_lost(channel: str, error: str, text: str) -> None:
    """A photo that could not be downloaded: its error's name is noted on the record, and the
    complaint was still made from the message's `text`."""
    from aduan.intake.inbound import record_message

    assert record_message(only_record(channel)).raw["media_error"] == error
    assert text in Complaint.objects.get().body


def assert_retried_then_sent(message: OutboxMessage, error: str = "") -> None:
    """S17: one delivery run leaves `message` pending (`error` in its last error); the outbox
    driven on then sends it."""
    outbox_deliver_due()
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.PENDING
    assert error in message.last_error
    deliver_until_settled()
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT


def deliver_until_settled(rounds: int = 6) -> None:
    """Drive the outbox as the worker would, without waiting out the backoff."""
    for _ in range(rounds):
        OutboxMessage.objects.filter(status=OutboxMessage.Status.PENDING).update(
            next_attempt_at=clock.now()
        )
        if not outbox_deliver_due().claimed:
            return


def complaint_answered(complaint: Complaint, text: str) -> Complaint:
    """The admin dispatches the complaint to DPUPR, its liaison acknowledges it and responds
    with `text` (resolved); the response notification is then in the outbox."""
    agency = f.agency("dpupr")
    complaint = t.complaint_dispatch(complaint=complaint, by=f.actor(Role.ADMIN), agency=agency)
    liaison = f.actor(Role.LIAISON, agency)
    complaint = t.complaint_acknowledge(complaint=complaint, by=liaison)
    return t.complaint_respond(
        complaint=complaint,
        by=liaison,
        text=text,
        cause=Cause.objects.get(code="sarana_rusak"),
        resolution=Resolution.RESOLVED,
    )

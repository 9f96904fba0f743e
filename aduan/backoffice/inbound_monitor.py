"""The inbound monitor (issue 5): what came in on the channels, for the Dinas admin.

Selectors for `/kantor/kelola/masuk/` (the list of InboundRecords, filtered and masked, and a
24-hour health overview per channel) and the one service behind its retry button. Senders are
shown masked (`aduan.intake.abuse.mask_address`) and texts PII-masked and truncated: the monitor is for seeing that the channels
work, not for reading who wrote (S1); the complaint page shows the identity to those allowed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count, Max, Q, QuerySet
from django.utils.translation import gettext as _

from aduan.accounts.models import User
from aduan.audit.services import audit_record
from aduan.complaints.models import Channel
from aduan.core import clock
from aduan.core.exceptions import ApplicationError
from aduan.core.pii import mask_pii
from aduan.intake.abuse import address_hash
from aduan.intake.inbound import InboundOutcome, inbound_process
from aduan.intake.models import InboundRecord, SenderBlock

Status = InboundRecord.Status
# The channels with an adapter; others appear once a record of theirs exists.
INBOUND_CHANNELS: tuple[str, ...] = ("sms", "email", "whatsapp", "telegram")
TEXT_LENGTH = 140
HEALTH_WINDOW = dt.timedelta(hours=24)


def text_preview(subject: str, text: str, length: int = TEXT_LENGTH) -> str:
    """The subject and text on one line, phone numbers, email addresses and NIKs masked."""
    joined = " — ".join(
        part for part in (" ".join(subject.split()), " ".join(text.split())) if part
    )
    masked = mask_pii(joined)
    return masked if len(masked) <= length else masked[: length - 1].rstrip() + "…"


def channel_label(value: str) -> str:
    return str(Channel(value).label) if value in Channel.values else value


def inbound_channels(seen: set[str] | frozenset[str] = frozenset()) -> list[str]:
    """The channels with an adapter, then any other channel seen in the records."""
    return list(INBOUND_CHANNELS) + sorted(set(seen) - set(INBOUND_CHANNELS))


def inbound_list(*, channel: str = "", status: str = "") -> QuerySet[InboundRecord]:
    """Newest first; the raw payload and headers are not loaded (nor decrypted)."""
    records = (
        InboundRecord.objects.select_related("complaint")
        .defer("raw", "headers")
        .order_by("-stored_at", "-id")
    )
    if channel:
        records = records.filter(channel=channel)
    if status:
        records = records.filter(status=status)
    return records


@dataclass
class ChannelHealth:
    channel: str
    label: str
    last_received: dt.datetime | None
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def failed(self) -> int:
        return self.counts.get(Status.FAILED, 0)

    @property
    def per_status(self) -> list[tuple[str, int]]:
        """(status, count) in the order of InboundRecord.Status, zeros included."""
        return [(status, self.counts.get(status, 0)) for status in Status.values]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def inbound_health(*, now: dt.datetime | None = None) -> list[ChannelHealth]:
    """Per channel: when the last message was stored, and the last 24 hours per status."""
    since = (now or clock.now()) - HEALTH_WINDOW
    last = dict(
        InboundRecord.objects.order_by()
        .values("channel")
        .annotate(last=Max("stored_at"))
        .values_list("channel", "last")
    )
    rows = (
        InboundRecord.objects.filter(stored_at__gte=since)
        .order_by()
        .values("channel", "status")
        .annotate(n=Count("id"))
    )
    health = {
        channel: ChannelHealth(channel, channel_label(channel), last.get(channel))
        for channel in inbound_channels(set(last))
    }
    for row in rows:
        health[row["channel"]].counts[row["status"]] = row["n"]
    return list(health.values())


def inbound_retry(*, record_id: int, by: User) -> InboundOutcome:
    """Process a FAILED record once more (after the cause was fixed): back to RECEIVED, then
    the one inbound path. Audited (`inbound.retry`). Anything but a FAILED record is refused."""
    with transaction.atomic():
        record = InboundRecord.objects.select_for_update().filter(pk=record_id).first()
        if record is None or record.status != Status.FAILED:
            raise ApplicationError(
                _("Only a message that failed can be processed again."), code="not_failed"
            )
        record.status = Status.RECEIVED
        record.save(update_fields=["status"])
        audit_record(
            "inbound.retry",
            actor=by,
            obj=record,
            data={"channel": record.channel, "attempts": record.attempts},
        )
    return inbound_process(record)


def blocked_records(records: list[InboundRecord]) -> set[int]:
    """The ids of those records whose sender is blocked now (one query for the page)."""
    hashes = {record.pk: address_hash(record.channel, record.sender) for record in records}
    now = clock.now()
    blocked = set(
        SenderBlock.objects.filter(address_hash__in=set(hashes.values()))
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
        .values_list("channel", "address_hash")
    )
    return {
        record.pk
        for record in records
        if (record.channel, hashes[record.pk]) in blocked
        or (SenderBlock.ALL_CHANNELS, hashes[record.pk]) in blocked
    }

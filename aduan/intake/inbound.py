"""The one inbound path every channel adapter uses (issue 5).

    record, created = inbound_store(message)   # inside the adapter's own transaction
    outcome = inbound_process(record)          # creates/threads, replies through the outbox

or `inbound_receive(message)` for both at once. Storing is idempotent on (channel, provider
message id), S16; processing a record twice does nothing the second time. Records left
RECEIVED by a crash are processed by `inbound_process_pending` (the periodic sweep).
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction

from aduan.core import clock, crypto
from aduan.core.pii import mask_pii

from .models import InboundRecord, InboundRecordAttachment

if TYPE_CHECKING:
    from aduan.notifications.models import OutboxMessage
from .types import InboundAttachment, InboundMessage

logger = logging.getLogger(__name__)

Status = InboundRecord.Status


@dataclass
class InboundOutcome:
    record: InboundRecord
    action: str  # what happened: created, supplement, follow_up, message, status, help, ...
    complaint_id: int | None = None
    replies: list[int] = field(default_factory=list)  # OutboxMessage ids written for the sender
    duplicate: bool = False


def sender_hash(channel: str, sender: str) -> str:
    """The sender's keyed hash per channel, over one spelling of the address (a phone in
    E.164), so that 0812... and +62812... are the same sender for drafts and repeats."""
    from .abuse import address_key

    return crypto.keyed_hash(f"{channel}:{address_key(channel, sender)}", purpose="inbound-sender")


def clean_text(value: str) -> str:
    """Text the database takes: NUL removed (PostgreSQL refuses it in text) and lone
    surrogates (from a bad decode) replaced, so a malformed message is kept, not lost."""
    if not value:
        return ""
    value = value.replace("\x00", "")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        value = value.encode("utf-8", "replace").decode("utf-8")
    return value


def _clean_headers(headers: dict[str, str]) -> dict[str, str]:
    return {clean_text(str(k))[:100]: clean_text(str(v))[:2000] for k, v in (headers or {}).items()}


def _raw_json(raw: dict[str, Any]) -> str:
    return (
        clean_text(json.dumps(raw, ensure_ascii=False, default=str, sort_keys=True)) if raw else ""
    )


def inbound_store(message: InboundMessage) -> tuple[InboundRecord, bool]:
    """Keep a message as received. Call inside the transaction that takes it off the provider.
    Returns (record, created); a second delivery of the same provider message id returns the
    first record and created=False."""
    provider_id = clean_text(message.provider_message_id)[:200]
    existing = InboundRecord.objects.filter(
        channel=message.channel, provider_message_id=provider_id
    ).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            record = InboundRecord.objects.create(
                channel=message.channel,
                provider_message_id=provider_id,
                sender=clean_text(message.sender)[:500],
                sender_hash=sender_hash(message.channel, clean_text(message.sender)[:500]),
                sender_name=clean_text(message.sender_name)[:200],
                subject=clean_text(message.subject)[:1000],
                text=clean_text(message.text),
                headers=_clean_headers(message.headers),
                raw=_raw_json(message.raw),
                received_at=message.received_at,
            )
            InboundRecordAttachment.objects.bulk_create(
                InboundRecordAttachment(
                    record=record,
                    filename=clean_text(attachment.filename)[:255],
                    content_type=clean_text(attachment.content_type)[:100],
                    content=attachment.content,
                )
                for attachment in message.attachments
            )
    except IntegrityError:
        return InboundRecord.objects.get(
            channel=message.channel, provider_message_id=provider_id
        ), False
    return record, True


def record_message(record: InboundRecord) -> InboundMessage:
    """The message as it was received, rebuilt from its record."""
    return InboundMessage(
        channel=record.channel,
        provider_message_id=record.provider_message_id,
        sender=record.sender,
        sender_name=record.sender_name,
        subject=record.subject,
        text=record.text,
        received_at=record.received_at,
        headers=dict(record.headers or {}),
        raw=json.loads(record.raw) if record.raw else {},
        attachments=tuple(
            InboundAttachment(a.filename, a.content_type, bytes(a.content))
            for a in record.attachments.all()
        ),
    )


def inbound_process(record: InboundRecord) -> InboundOutcome:
    """Act on a stored message once: the conversation decides (new report, command, threaded
    reply, question back) and writes its replies to the outbox in the same transaction."""
    from .conversation import AWAITING, converse

    with transaction.atomic():
        locked = InboundRecord.objects.select_for_update().get(pk=record.pk)
        if locked.status != Status.RECEIVED:
            return InboundOutcome(
                locked, locked.action or locked.status, locked.complaint_id, duplicate=True
            )
        locked.attempts += 1
        try:
            with transaction.atomic():
                outcome = converse(locked, record_message(locked))
        except Exception as exc:
            logger.exception("inbound %s could not be processed", locked.pk)
            locked.error = mask_pii(f"{type(exc).__name__}: {exc}")[:500]
            if locked.attempts >= 5:
                locked.status = Status.FAILED
            locked.save(update_fields=["attempts", "error", "status"])
            return InboundOutcome(locked, "error")
        locked.status = outcome.status
        locked.action = outcome.action[:30]
        locked.complaint_id = outcome.complaint_id
        locked.processed_at = clock.now()
        locked.error = outcome.error
        locked.save(
            update_fields=["status", "action", "complaint", "processed_at", "error", "attempts"]
        )
        if outcome.action != AWAITING:  # a draft keeps its files until YA (or expiry)
            locked.attachments.all().delete()
        return InboundOutcome(locked, outcome.action, outcome.complaint_id, outcome.replies)


def inbound_receive(message: InboundMessage) -> InboundOutcome:
    """Store and process in one go (webhooks). A repeat delivery is a no-op."""
    with transaction.atomic():
        record, created = inbound_store(message)
    if not created and record.status != Status.RECEIVED:
        return InboundOutcome(record, record.action, record.complaint_id, duplicate=True)
    return inbound_process(record)


def inbound_process_pending(limit: int = 200) -> int:
    """Process records a crash left behind (the sweep); returns how many were processed.
    Also expires the drafts nobody confirmed."""
    from .conversation import inbound_drafts_expire

    inbound_drafts_expire()
    done = 0
    for record in InboundRecord.objects.filter(status=Status.RECEIVED).order_by("stored_at")[
        :limit
    ]:
        inbound_process(record)
        done += 1
    return done


def inbound_reply(
    record: InboundRecord, template: str, context: dict[str, Any] | None = None
) -> OutboxMessage | None:
    """Answer the sender of a record on its channel (see conversation.inbound_reply)."""
    from .conversation import inbound_reply as reply

    return reply(record, template, context)


def inbound_ignore(record: InboundRecord, reason: str) -> InboundRecord:
    """Mark a stored record IGNORED with no reply (auto-replies, bounces: the email adapter)."""
    from .conversation import inbound_ignore as ignore

    return ignore(record, reason)


def inbound_records_erase(complaint: Any) -> bool:
    """Blank the sender, their name, the headers and the raw payload of the messages that came
    in for this complaint (with the complainant's identity, S18). Returns whether there were any."""
    return bool(
        InboundRecord.objects.filter(complaint=complaint)
        .exclude(sender="", sender_name="", raw="")
        .update(sender="", sender_name="", sender_hash="", raw="", headers={})
    )

"""One sender per outbound channel, behind one interface.

A sender raises `PermanentFailure` when retrying cannot help (a malformed address) and any
other exception for a temporary failure (the outbox retries with backoff). It passes the
message's idempotency key to the channel so that a resend after a crash can be recognised.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from typing import Protocol

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


class PermanentFailure(Exception):
    """Retrying will not help."""


@dataclass(frozen=True)
class RenderedMessage:
    outbox_id: int
    channel: str
    to_address: str
    subject: str
    body: str
    idempotency_key: str
    thread_id: str = ""
    headers: dict[str, str] = field(default_factory=dict)


class Sender(Protocol):
    def send(self, message: RenderedMessage) -> str:
        """Send and return the provider's message id."""
        ...


def message_id_for(key: str) -> str:
    safe = "".join(ch if ch.isalnum() or ch in ".-_" else "." for ch in key)
    return f"<{safe}@{settings.ADUAN_MESSAGE_ID_DOMAIN}>"


_MESSAGE_ID = re.compile(r"<[^<>\s]{1,250}>")


def citizen_message_ids(outbox_id: int) -> list[str]:
    """The Message-IDs of the complainant's own mails in this complaint (first and latest),
    when the message goes to the complainant of a complaint that came by email: our mail then
    answers theirs, and their mail program threads it under their own message."""
    from aduan.intake.models import InboundRecord

    from .models import OutboxMessage

    row = (
        OutboxMessage.objects.filter(pk=outbox_id)
        .values("to_complainant", "complaint_id", "complaint__channel")
        .first()
    )
    if not row or not row["to_complainant"] or row["complaint__channel"] != "email":
        return []
    found = []
    for headers in (
        InboundRecord.objects.filter(complaint_id=row["complaint_id"], channel="email")
        .exclude(status=InboundRecord.Status.IGNORED)
        .order_by("stored_at", "id")
        .values_list("headers", flat=True)
    ):
        value = str((headers or {}).get("Message-ID", "")).strip()
        if _MESSAGE_ID.fullmatch(value):  # never a header injection (no spaces, no newlines)
            found.append(value)
    return [found[0], found[-1]] if len(found) > 1 else found


class EmailSender:
    """Django's email backend (SMTP in production).

    - Message-ID derived from the idempotency key (a resend after a crash has the same id).
    - Threading: every mail of one complaint references the same root `<thread.CODE@domain>`
      (intake finds the tracking code there when the citizen replies); when the complaint came
      by email, our mail to the complainant also replies to their own Message-IDs
      (In-Reply-To their latest mail, References their first and latest).
    - Auto-Submitted (RFC 3834: "auto-replied" when answering the citizen's mail, otherwise
      "auto-generated") and X-Auto-Response-Suppress, so that auto-responders do not answer
      and no mail loop starts (S17); Reply-To the complaint mailbox (ADUAN_EMAIL_REPLY_TO).
    """

    def send(self, message: RenderedMessage) -> str:
        if "@" not in message.to_address:
            raise PermanentFailure("not an email address")
        message_id = message_id_for(message.idempotency_key)
        citizen = citizen_message_ids(message.outbox_id) if message.thread_id else []
        headers = {
            "Message-ID": message_id,
            "Auto-Submitted": "auto-replied" if citizen else "auto-generated",
            "X-Auto-Response-Suppress": "All",
            "X-Aduan-Idempotency-Key": message.idempotency_key,
            **message.headers,
        }
        if message.thread_id:
            root = message_id_for(f"thread.{message.thread_id}")
            references = list(dict.fromkeys([*citizen[:1], root, *citizen[1:]]))
            headers.setdefault("References", " ".join(references))
            headers.setdefault("In-Reply-To", citizen[-1] if citizen else root)
        reply_to = settings.ADUAN_EMAIL_REPLY_TO
        email = EmailMessage(
            subject=message.subject,
            body=message.body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[message.to_address],
            headers=headers,
            reply_to=[reply_to] if reply_to else None,
        )
        email.send(fail_silently=False)
        return message_id


class ConsoleSender:
    """Logs that a message would be sent, without its address or text (no identity in logs, S1)."""

    def send(self, message: RenderedMessage) -> str:
        logger.info(
            "outbox %s: %s message %s (%d characters) — no sender configured for this channel",
            message.outbox_id,
            message.channel,
            message.idempotency_key,
            len(message.body),
        )
        return f"console-{message.outbox_id}"


def get_sender(channel: str) -> Sender:
    path = settings.ADUAN_SENDERS.get(channel)
    if not path:
        raise PermanentFailure(f"no sender for channel {channel}")
    sender: Sender = import_string(path)()
    return sender

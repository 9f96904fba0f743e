"""One sender per outbound channel, behind one interface.

A sender raises `PermanentFailure` when retrying cannot help (a malformed address) and any
other exception for a temporary failure (the outbox retries with backoff). It passes the
message's idempotency key to the channel so that a resend after a crash can be recognised.
"""

from __future__ import annotations

import logging
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


class EmailSender:
    """Django's email backend (SMTP in production). The Message-ID is derived from the
    idempotency key, and every mail of one complaint references the same thread root."""

    def send(self, message: RenderedMessage) -> str:
        if "@" not in message.to_address:
            raise PermanentFailure("not an email address")
        message_id = message_id_for(message.idempotency_key)
        headers = {
            "Message-ID": message_id,
            "Auto-Submitted": "auto-generated",
            "X-Aduan-Idempotency-Key": message.idempotency_key,
            **message.headers,
        }
        if message.thread_id:
            root = message_id_for(f"thread.{message.thread_id}")
            headers.setdefault("References", root)
            headers.setdefault("In-Reply-To", root)
        email = EmailMessage(
            subject=message.subject,
            body=message.body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[message.to_address],
            headers=headers,
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

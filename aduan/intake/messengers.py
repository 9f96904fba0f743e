"""What the WhatsApp and Telegram webhooks and senders share: fetching a message's photo
(once: not again for a repeat delivery), handing a parsed message to the one inbound path, and
answering a message type Aduan cannot take (a sticker, a voice note...) with one polite
`inbound_unsupported` reply. A repeat delivery of the same provider message id does nothing
(S16).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from typing import TypeVar

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from .inbound import inbound_receive
from .models import InboundRecord
from .types import InboundAttachment, InboundMessage

Client = TypeVar("Client")

logger = logging.getLogger(__name__)


def media_max_bytes() -> int:
    """The largest photo downloaded from a messenger: the portal's per-file upload limit."""
    return int(settings.ADUAN_UPLOAD_MAX_BYTES)


def messenger_client(provider: str, factory: Callable[[], Client]) -> Client:
    """A sender's client; a missing setting is retried by the outbox (RuntimeError, not a
    permanent failure): an admin completing the configuration makes the message deliverable."""
    try:
        return factory()
    except ImproperlyConfigured as exc:
        raise RuntimeError(f"{provider} is misconfigured: {exc}") from None


def messenger_attachments(
    message: InboundMessage,
    fetch: Callable[[], tuple[InboundAttachment, ...]],
    *,
    errors: tuple[type[Exception], ...],
    what: str,
) -> tuple[InboundAttachment, ...]:
    """The attachments `fetch` downloads for `message`, unless the message is a repeat
    delivery (stored already). A failed download keeps the text: the error's name is noted in
    the record's raw payload (`media_error`) and the message goes on without the file."""
    if InboundRecord.objects.filter(
        channel=message.channel, provider_message_id=message.provider_message_id
    ).exists():
        return ()
    caught: tuple[type[Exception], ...] = (*errors, ImproperlyConfigured)
    try:
        return fetch()
    except caught as exc:
        logger.warning("%s %s not downloaded: %s", message.channel, what, exc)
        message.raw["media_error"] = type(exc).__name__
        return ()


def messenger_inbound(
    message: InboundMessage,
    *,
    location: object | None,
    unsupported: str | None,
    fetch: Callable[[], tuple[InboundAttachment, ...]],
    errors: tuple[type[Exception], ...],
    what: str,
) -> InboundMessage:
    """A messenger's message ready for the inbound path: its location and, for a type Aduan
    cannot take (a sticker, a voice note), that type noted in the raw payload
    (`raw["unsupported"]`: the conversation answers it once, behind its guards), and the
    attachments `fetch` downloads (`messenger_attachments`: the text still counts if they
    cannot be had)."""
    if location is not None:
        message.raw["location"] = location
    if unsupported is not None:
        message.raw["unsupported"] = unsupported
    attachments = messenger_attachments(message, fetch, errors=errors, what=what)
    return replace(message, attachments=attachments)


def messenger_hand_over(message: InboundMessage) -> str:
    """Store and process a message; returns the action ("duplicate" for a repeat)."""
    outcome = inbound_receive(message)
    return "duplicate" if outcome.duplicate else outcome.action

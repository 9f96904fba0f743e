"""What the WhatsApp and Telegram webhooks share: handing a parsed message to the one inbound
path, and answering a message type Aduan cannot take (a sticker, a voice note...) with one
polite `inbound_unsupported` reply. A repeat delivery of the same provider message id does
nothing (S16).
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import transaction

from .inbound import inbound_receive, inbound_store
from .types import InboundMessage

logger = logging.getLogger(__name__)


def media_max_bytes() -> int:
    """The largest photo downloaded from a messenger: the portal's per-file upload limit."""
    return int(settings.ADUAN_UPLOAD_MAX_BYTES)


def messenger_hand_over(message: InboundMessage) -> str:
    """Store and process a message; returns the action ("duplicate" for a repeat)."""
    outcome = inbound_receive(message)
    return "duplicate" if outcome.duplicate else outcome.action


def messenger_unsupported(message: InboundMessage) -> str:
    """Keep a message of a type we cannot take, answer it once, and mark it ignored."""
    from . import abuse
    from .inbound import inbound_ignore, inbound_reply

    with transaction.atomic():
        record, created = inbound_store(message)
        if not created:
            return "duplicate"
        # The conversation's guards, for a message it never sees: a blocked or flooding
        # sender gets no answer (the rate budget counts these messages too).
        if abuse.sender_is_blocked(message.channel, message.sender):
            inbound_ignore(record, "blocked")
            return "blocked"
        if not abuse.inbound_rate_hit(message.channel, message.sender).allowed:
            inbound_ignore(record, "rate_limited")
            return "rate_limited"
        inbound_reply(record, "inbound_unsupported", {})
        inbound_ignore(record, "unsupported")
    logger.info("%s message %s of an unsupported type answered", message.channel, record.pk)
    return "unsupported"

"""What every inbound channel adapter produces (intake/<channel>/ turns a provider payload into this)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class InboundAttachment:
    filename: str
    content_type: str
    content: bytes


@dataclass(frozen=True)
class InboundMessage:
    channel: str
    provider_message_id: str
    sender: str
    text: str
    received_at: dt.datetime
    subject: str = ""
    sender_name: str = ""
    attachments: tuple[InboundAttachment, ...] = ()
    headers: dict[str, str] = field(default_factory=dict)
    raw: dict[str, Any] = field(default_factory=dict)

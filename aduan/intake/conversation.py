"""What a message means: a new report, a command (SMS/WhatsApp/Telegram), or a reply threaded
into the sender's complaint. Replies to the sender go through the outbox on the same channel.

(First cut: threading by tracking code through intake_receive; commands, asking back,
rate limits and the blocklist come next.)
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .models import InboundRecord
from .services import intake_receive
from .types import InboundMessage


@dataclass
class Decision:
    status: str
    action: str
    complaint_id: int | None = None
    replies: list[int] = field(default_factory=list)


def converse(record: InboundRecord, message: InboundMessage) -> Decision:
    result = intake_receive(message)
    return Decision(InboundRecord.Status.PROCESSED, result.action, result.complaint.pk)

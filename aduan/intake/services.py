"""The one intake service every inbound channel calls (DESIGN.md: one way in).

A message either creates a complaint or, when it carries the tracking code of a complaint
whose complainant sent it (same phone/email/messenger id), is threaded into that complaint:
the answer to a pending question, a follow-up within the 10 days, or a plain message. Each
provider message id is processed once (S16). Channel-specific commands (SMS `LAPOR`, `CEK`...)
are parsed by the channel adapters before calling here.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.db import IntegrityError, transaction

from aduan.complaints.codes import find_tracking_code
from aduan.complaints.models import Complaint, InboundKey
from aduan.complaints.models.complainant import HASHED_FIELDS, identity_hash
from aduan.complaints.services import (
    ComplaintSubmission,
    IdentityInput,
    complaint_add_complainant_message,
    complaint_submit,
)
from aduan.complaints.workflow.actors import Actor
from aduan.complaints.workflow.states import Status
from aduan.complaints.workflow.transitions import complaint_follow_up, complaint_supplement
from aduan.core.exceptions import ApplicationError
from aduan.core.phones import normalize_phone

from .types import InboundMessage

PHONE_CHANNELS = {"sms", "whatsapp"}


@dataclass(frozen=True)
class IntakeResult:
    complaint: Complaint
    action: str  # "created", "supplement", "follow_up", "message", "duplicate"
    access_token: str = ""


def _identity(message: InboundMessage) -> IdentityInput:
    if message.channel in PHONE_CHANNELS:
        return IdentityInput(name=message.sender_name, phone=normalize_phone(message.sender))
    if message.channel == "email":
        return IdentityInput(name=message.sender_name, email=message.sender)
    return IdentityInput(name=message.sender_name, messenger_id=message.sender)


def _sender_matches(complaint: Complaint, identity: IdentityInput) -> bool:
    """Whether the sender is this complaint's complainant: their first address (phone, email or
    messenger id) has the same keyed hash."""
    complainant = getattr(complaint, "complainant", None)
    if complainant is None:
        return False
    for field in ("phone", "email", "messenger_id"):
        value = getattr(identity, field).strip()
        if value:
            value = value.lower() if field == "email" else value
            column, _purpose = HASHED_FIELDS[field]
            return bool(getattr(complainant, column) == identity_hash(field, value))
    return False


def _fingerprint(message: InboundMessage) -> str:
    return hashlib.sha256(
        f"{message.sender}\n{message.subject}\n{message.text}".encode()
    ).hexdigest()


@transaction.atomic
def intake_receive(message: InboundMessage) -> IntakeResult:
    identity = _identity(message)
    code = find_tracking_code(f"{message.subject}\n{message.text}")
    target = (
        Complaint.objects.filter(tracking_code=code).select_related("complainant").first()
        if code
        else None
    )
    if target is None or not target.is_open or not _sender_matches(target, identity):
        result = complaint_submit(
            submission=ComplaintSubmission(
                channel=message.channel, title=message.subject, body=message.text, identity=identity
            ),
            idempotency_key=message.provider_message_id,
            idempotency_source=message.channel,
        )
        return IntakeResult(
            result.complaint, "created" if result.created else "duplicate", result.access_token
        )

    try:
        with transaction.atomic():
            InboundKey.objects.create(
                source=message.channel,
                key=message.provider_message_id,
                fingerprint=_fingerprint(message),
                complaint=target,
            )
    except IntegrityError:
        return IntakeResult(target, "duplicate")
    if target.status == Status.PENDING:
        complaint_supplement(
            complaint=target, by=Actor.complainant(), text=message.text, channel=message.channel
        )
        action = "supplement"
    elif target.status == Status.RESPONDED:
        try:
            complaint_follow_up(
                complaint=target, by=Actor.complainant(), text=message.text, channel=message.channel
            )
            action = "follow_up"
        except ApplicationError:
            complaint_add_complainant_message(
                complaint=target, text=message.text, channel=message.channel
            )
            action = "message"
    else:
        complaint_add_complainant_message(
            complaint=target, text=message.text, channel=message.channel
        )
        action = "message"
    return IntakeResult(target, action)

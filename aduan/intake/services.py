"""The one intake service every inbound channel calls (DESIGN.md: one way in).

A message either creates a complaint or, when it carries the tracking code of a complaint
whose complainant sent it (same phone/email/messenger id), is threaded into that complaint:
the answer to a pending question, a follow-up within the 10 days, or a plain message. Each
provider message id is processed once (S16). Channel-specific commands (SMS `LAPOR`, `CEK`...)
are parsed by the channel adapters before calling here.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet

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
from aduan.complaints.workflow.states import OPEN_STATES, Status
from aduan.complaints.workflow.transitions import complaint_follow_up, complaint_supplement
from aduan.core import clock
from aduan.core.exceptions import ApplicationError
from aduan.core.phones import normalize_phone

from .types import InboundMessage

PHONE_CHANNELS = {"sms", "whatsapp"}
# Our outgoing emails' thread root: <thread.BTN-7K3R-9FF@...> (notifications/senders.py).
THREAD_HEADER_RE = re.compile(r"<thread\.([A-Za-z0-9.\-_]+)@", re.IGNORECASE)


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


def sender_identity(message: InboundMessage) -> IdentityInput:
    """The sender as a complainant identity (phone for SMS/WhatsApp, email, messenger id)."""
    return _identity(message)


def sender_matches(complaint: Complaint, message: InboundMessage) -> bool:
    """Whether the message comes from this complaint's complainant (keyed hash, S1)."""
    try:
        return _sender_matches(complaint, _identity(message))
    except ApplicationError:  # not a phone number: nobody's
        return False


def sender_complaints(message: InboundMessage) -> QuerySet[Complaint]:
    """The open complaints whose complainant has the sender's address (by keyed hash)."""
    try:
        identity = _identity(message)
    except ApplicationError:
        return Complaint.objects.none()
    for field in ("phone", "email", "messenger_id"):
        value = getattr(identity, field).strip()
        if value:
            value = value.lower() if field == "email" else value
            column, _purpose = HASHED_FIELDS[field]
            return Complaint.objects.filter(
                **{f"complainant__{column}": identity_hash(field, value)},
                status__in=OPEN_STATES,
            ).order_by("received_at", "id")
    return Complaint.objects.none()


def awaiting_sender(message: InboundMessage) -> list[Complaint]:
    """The sender's conversations that wait for their input: a pending question, or a
    response within its 10 days (R26, R31)."""
    now = clock.now()
    return list(
        sender_complaints(message).filter(
            Q(status=Status.PENDING) | Q(status=Status.RESPONDED, autoclose_at__gt=now)
        )
    )


def code_in_message(message: InboundMessage) -> str | None:
    """The tracking code a message refers to: in the subject or text, or (email) in the
    In-Reply-To/References headers our own Message-IDs put there."""
    headers = {k.lower(): v for k, v in (message.headers or {}).items()}
    for name in ("in-reply-to", "references"):
        for found in THREAD_HEADER_RE.findall(str(headers.get(name, ""))):
            code = find_tracking_code(found.replace(".", "-"))
            if code:
                return code
    return find_tracking_code(f"{message.subject}\n{message.text}")


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

    return intake_thread(target, message, message.text)


def intake_thread(complaint: Complaint, message: InboundMessage, text: str) -> IntakeResult:
    """Thread the complainant's message into their open complaint: the answer to a pending
    question (supplement), a follow-up within the 10 days after a response, or else a plain
    message. The provider message id is claimed first, so a redelivery changes nothing (S16).
    The caller has checked that the sender is the complainant."""
    try:
        with transaction.atomic():
            InboundKey.objects.create(
                source=message.channel,
                key=message.provider_message_id,
                fingerprint=_fingerprint(message),
                complaint=complaint,
            )
    except IntegrityError:
        return IntakeResult(complaint, "duplicate")
    target = complaint
    if target.status == Status.PENDING:
        complaint_supplement(
            complaint=target, by=Actor.complainant(), text=text, channel=message.channel
        )
        action = "supplement"
    elif target.status == Status.RESPONDED:
        try:
            with transaction.atomic():
                complaint_follow_up(
                    complaint=target, by=Actor.complainant(), text=text, channel=message.channel
                )
            action = "follow_up"
        except ApplicationError:
            complaint_add_complainant_message(complaint=target, text=text, channel=message.channel)
            action = "message"
    else:
        complaint_add_complainant_message(complaint=target, text=text, channel=message.channel)
        action = "message"
    return IntakeResult(target, action)

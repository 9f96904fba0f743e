"""Abuse guards on inbound messages (issue 5): rate limits per sender, the admins' blocklist,
and no reply storms.

- A sender over ADUAN_INBOUND_RATE_10MIN messages per 10 minutes or ADUAN_INBOUND_RATE_DAY per
  day (per channel) gets ONE polite `inbound_rate_limited` reply per window; their messages
  are kept, REJECTED, and not acted on.
- A blocked sender (SenderBlock, managed by admins at /kantor/kelola/blokir/) is REJECTED
  without any reply. The address is kept only as a keyed hash and a masked form.
- Never answer an address that cannot be a person (an SMS from "TELKOMSEL" or a short code),
  at most ADUAN_INBOUND_REPLIES_PER_HOUR automatic replies to one address per hour, and an
  exact repeat of the same text within ADUAN_INBOUND_REPEAT_SECONDS is ignored.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from aduan.accounts.roles import Role
from aduan.audit.services import audit_record
from aduan.core import clock, crypto, ratelimit
from aduan.core.exceptions import ApplicationError, PermissionDenied
from aduan.core.phones import normalize_phone

from .models import InboundRecord, SenderBlock

PHONE_CHANNELS = frozenset({"sms", "whatsapp"})
CHANNELS = ("sms", "whatsapp", "telegram", "email", "social_media")


def address_key(channel: str, sender: str) -> str:
    """One spelling of an address: a phone in E.164 (the same for SMS and WhatsApp), an email
    address in lower case, a messenger id as it is."""
    value = (sender or "").strip()
    if channel in PHONE_CHANNELS:
        try:
            return normalize_phone(value)
        except ApplicationError:
            return value.lower()
    return value.lower()


def address_hash(channel: str, sender: str) -> str:
    return crypto.keyed_hash(address_key(channel, sender), purpose="sender-address")


def mask_address(channel: str, sender: str) -> str:
    """+62812****789, wa****@contoh.id, 12****89: enough for an admin to recognise it."""
    value = address_key(channel, sender)
    if "@" in value:
        local, _at, domain = value.partition("@")
        return f"{local[:2]}****@{domain}"[:60]
    if len(value) <= 4:
        return "*" * len(value)
    if value.startswith("+") and len(value) >= 10:
        return f"{value[:6]}****{value[-3:]}"
    keep_start = min(6, max(1, len(value) // 3))
    keep_end = min(3, max(1, len(value) // 4))
    return f"{value[:keep_start]}****{value[-keep_end:]}"[:60]


_PERSON_NUMBER = re.compile(r"^\+?\d{6,15}$")


def is_person_address(channel: str, sender: str) -> bool:
    """False for senders that are machines: an SMS from an alphanumeric sender id
    ("TELKOMSEL", "INFO") or a short code (fewer than 6 digits)."""
    value = (sender or "").strip()
    if not value:
        return False
    if channel in PHONE_CHANNELS:
        return bool(_PERSON_NUMBER.match(re.sub(r"[\s\-().]", "", value)))
    if channel == "telegram":
        return bool(re.match(r"^-?\d{1,20}$", value))
    return True


# --- the blocklist -----------------------------------------------------------------------------


def _active_blocks() -> Any:
    now = clock.now()
    return SenderBlock.objects.filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))


def sender_is_blocked(channel: str, sender: str) -> bool:
    return (
        _active_blocks()
        .filter(
            address_hash=address_hash(channel, sender),
            channel__in=[channel, SenderBlock.ALL_CHANNELS],
        )
        .exists()
    )


def _require_admin(by: Any) -> None:
    user = getattr(by, "user", by)
    if user is None or not user.is_active or user.role != Role.ADMIN:
        raise PermissionDenied(_("Only an admin can manage the blocklist."), code="forbidden")


@transaction.atomic
def sender_block(
    *,
    by: Any,
    channel: str,
    sender: str | None = None,
    record: InboundRecord | None = None,
    note: str = "",
    expires_at: dt.datetime | None = None,
) -> SenderBlock:
    """Block an address (typed by the admin, or the sender of an inbound record) on one channel
    or on all ("*"). Admins only; audited without the address."""
    _require_admin(by)
    if record is not None:
        sender = record.sender
        channel = channel or record.channel
    sender = (sender or "").strip()
    if channel != SenderBlock.ALL_CHANNELS and channel not in CHANNELS:
        raise ApplicationError(_("Choose a channel."), code="invalid", extra={"field": "channel"})
    if not sender:
        raise ApplicationError(
            _("Enter the address to block."), code="required", extra={"field": "sender"}
        )
    key_channel = channel if channel != SenderBlock.ALL_CHANNELS else _guess_channel(sender)
    digest = address_hash(key_channel, sender)
    try:
        with transaction.atomic():
            block = SenderBlock.objects.create(
                channel=channel,
                address_hash=digest,
                masked_address=mask_address(key_channel, sender),
                note=note.strip()[:300],
                created_by=getattr(by, "user", by),
                expires_at=expires_at,
            )
    except IntegrityError:
        raise ApplicationError(
            _("This address is already blocked on this channel."),
            code="duplicate",
            extra={"field": "sender"},
        ) from None
    audit_record(
        "intake.sender_block",
        actor=by,
        obj=block,
        data={
            "channel": channel,
            "masked": block.masked_address,
            "record": getattr(record, "pk", None),
        },
    )
    return block


def _guess_channel(sender: str) -> str:
    """For a block on every channel: read a phone-like address as a phone number (so that it
    matches SMS and WhatsApp), an email address as email, the rest as a messenger id."""
    if "@" in sender:
        return "email"
    digits = re.sub(r"[\s\-().]", "", sender)
    if _PERSON_NUMBER.match(digits) and (digits.startswith(("+", "0", "62"))):
        return "sms"
    return "telegram"


@transaction.atomic
def sender_unblock(*, by: Any, block: SenderBlock) -> None:
    _require_admin(by)
    audit_record(
        "intake.sender_unblock",
        actor=by,
        obj=block,
        data={"channel": block.channel, "masked": block.masked_address},
    )
    block.delete()


def sender_block_matches(block: SenderBlock, channel: str, sender: str) -> bool:
    return block.address_hash == address_hash(channel, sender)


# --- rate limits, repeats, reply caps -------------------------------------------------------------


@dataclass(frozen=True)
class RateVerdict:
    allowed: bool
    retry_after: int = 0  # seconds
    scope: str = ""


def _limits(channel: str) -> list[ratelimit.Limit]:
    return [
        ratelimit.Limit(f"inbound-10m-{channel}", settings.ADUAN_INBOUND_RATE_10MIN, 600),
        ratelimit.Limit(f"inbound-day-{channel}", settings.ADUAN_INBOUND_RATE_DAY, 86400),
    ]


def inbound_rate_hit(channel: str, sender: str) -> RateVerdict:
    """Count one message of this sender; the first limit exceeded decides."""
    key = address_key(channel, sender)
    for limit in _limits(channel):
        verdict = ratelimit.hit(limit, key)
        if not verdict.allowed:
            return RateVerdict(False, verdict.retry_after, limit.scope)
    return RateVerdict(True)


def rate_notice_allowed(channel: str, sender: str, verdict: RateVerdict) -> bool:
    """One `inbound_rate_limited` reply per sender per window that was exceeded."""
    seconds = 600 if "-10m-" in verdict.scope else 86400
    notice = ratelimit.Limit(f"{verdict.scope}-notice", 1, seconds)
    return ratelimit.hit(notice, address_key(channel, sender)).allowed


def reply_allowed(channel: str, address: str) -> bool:
    """At most ADUAN_INBOUND_REPLIES_PER_HOUR automatic replies to one address per hour, and
    none to an address that cannot be a person."""
    if not is_person_address(channel, address):
        return False
    cap = ratelimit.Limit(
        f"inbound-replies-{channel}", settings.ADUAN_INBOUND_REPLIES_PER_HOUR, 3600
    )
    return ratelimit.hit(cap, address_key(channel, address)).allowed


def is_repeat(record: InboundRecord) -> bool:
    """The same text from the same sender on the same channel a moment ago (a phone or a robot
    sending again): nothing to do a second time."""
    since = record.stored_at - dt.timedelta(seconds=settings.ADUAN_INBOUND_REPEAT_SECONDS)
    earlier = (
        InboundRecord.objects.filter(
            channel=record.channel,
            sender_hash=record.sender_hash,
            stored_at__gte=since,
            stored_at__lte=record.stored_at,
        )
        .exclude(pk=record.pk)
        .exclude(status=InboundRecord.Status.RECEIVED)
        .order_by("-stored_at")[:20]
    )
    text = " ".join((record.text or "").split())
    if not text:
        return False
    return any(
        " ".join((other.text or "").split()) == text and other.subject == record.subject
        for other in earlier
    )

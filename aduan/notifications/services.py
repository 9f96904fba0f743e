"""The outbox: writing messages (inside the caller's transaction) and delivering them."""

from __future__ import annotations

import datetime as dt
import logging
import os
import random
import socket
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F
from django.utils import translation

from aduan.core import clock
from aduan.core.outage import is_connection_failure
from aduan.core.pii import mask_pii

from .gsm7 import gsm7_prefer
from .messages import MESSAGES
from .models import OutboxMessage
from .senders import PermanentFailure, RenderedMessage, get_sender

if TYPE_CHECKING:
    from aduan.accounts.models import User
    from aduan.complaints.models import Complaint

logger = logging.getLogger(__name__)

Status = OutboxMessage.Status
BACKOFF_BASE_SECONDS = 60
BACKOFF_MAX_SECONDS = 6 * 3600
LEASE_SECONDS = 600
SMS_CHANNELS = {"sms", "whatsapp"}


# --- writing -------------------------------------------------------------------------------


def outbox_enqueue(
    *,
    channel: str,
    template: str,
    idempotency_key: str,
    context: dict[str, Any] | None = None,
    complaint: Complaint | None = None,
    to_user: User | None = None,
    to_complainant: bool = False,
    address: str = "",
    language: str = "id",
) -> OutboxMessage:
    """Add a message to the outbox. Call inside the transaction of the change that causes it;
    the same idempotency key never adds a second row."""
    if template not in MESSAGES:
        raise ValueError(f"unknown message template {template!r}")
    message, created = OutboxMessage.objects.get_or_create(
        idempotency_key=idempotency_key[:200],
        defaults={
            "channel": channel,
            "template": template,
            "context": context or {},
            "complaint": complaint,
            "to_user": to_user,
            "to_complainant": to_complainant,
            "address": address,
            "language": language,
            "next_attempt_at": clock.now(),
        },
    )
    if created and not _kick_scheduled():
        transaction.on_commit(outbox_kick)
    return message


def _kick_scheduled() -> bool:
    """One delivery kick per transaction is enough, however many messages it wrote."""
    return any(
        getattr(entry[1], "__name__", "") == "outbox_kick" for entry in connection.run_on_commit
    )


def complainant_channel(complaint: Complaint) -> str | None:
    """Answer on the channel the citizen used; web and operator intake answer by email, else SMS."""
    complainant = getattr(complaint, "complainant", None)
    if complainant is None:
        return None
    preferred = {
        "sms": "sms",
        "whatsapp": "whatsapp",
        "telegram": "telegram",
        "email": "email",
    }.get(complaint.channel)
    available = {
        "email": bool(complainant.email),
        "sms": bool(complainant.phone),
        "whatsapp": bool(complainant.phone),
        "telegram": bool(complainant.messenger_id),
    }
    if preferred and available[preferred]:
        return preferred
    for channel in ("email", "sms"):
        if available[channel]:
            return channel
    return None


def notify_complainant(
    complaint: Complaint, template: str, *, key: str, context: dict[str, Any]
) -> OutboxMessage | None:
    """Tell the complainant on the channel they used and, when they gave an email address and
    used another channel, by email as well (issue 5). Separate outbox rows with their own
    idempotency keys: a failing channel never blocks the other. Returns the main channel's."""
    channel = complainant_channel(complaint)
    if channel is None:
        return None
    message = outbox_enqueue(
        channel=channel,
        template=template,
        idempotency_key=f"{key}:complainant",
        context=context,
        complaint=complaint,
        to_complainant=True,
        language=complaint.language,
    )
    complainant = getattr(complaint, "complainant", None)
    if channel != "email" and complainant is not None and complainant.email:
        outbox_enqueue(
            channel="email",
            template=template,
            idempotency_key=f"{key}:complainant:email",
            context=context,
            complaint=complaint,
            to_complainant=True,
            language=complaint.language,
        )
    return message


def notify_users(
    users: Iterable[User],
    template: str,
    *,
    key: str,
    context: dict[str, Any],
    complaint: Complaint | None = None,
) -> list[OutboxMessage]:
    messages = []
    for user in users:
        if not user.email:
            continue
        messages.append(
            outbox_enqueue(
                channel="email",
                template=template,
                idempotency_key=f"{key}:user{user.pk}",
                context=context,
                complaint=complaint,
                to_user=user,
                language=user.language or "id",
            )
        )
    return messages


def outbox_kick() -> None:
    """Ask a worker to deliver now. The periodic sweep delivers anyway, so a queue outage here
    only delays delivery; it never loses a message or fails the request that caused it."""
    from .tasks import outbox_deliver_task

    try:
        outbox_deliver_task()
    except Exception as exc:
        if not is_connection_failure(exc):
            raise
        logger.warning("outbox kick skipped: queue unreachable (%s)", type(exc).__name__)


# --- rendering -----------------------------------------------------------------------------


class _SafeDict(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return ""


def render(message: OutboxMessage) -> RenderedMessage:
    text = MESSAGES[message.template]
    to_address = _resolve_address(message)
    context: dict[str, Any] = _SafeDict(message.context)
    context.setdefault("site_url", settings.ADUAN_SITE_URL)
    context.setdefault("pemda", settings.ADUAN_PEMDA_NAME)
    complaint = message.complaint
    if complaint is not None:
        context.setdefault("code", complaint.tracking_code)
        context.setdefault("title", complaint.title)
        context.setdefault(
            "staff_link",
            f"{settings.ADUAN_SITE_URL}/admin/complaints/complaint/{complaint.pk}/change/",
        )
        if text.with_private_link and message.to_complainant:
            context["private_link"] = (
                f"{settings.ADUAN_SITE_URL}/lacak/{complaint.tracking_code}/?t={complaint.access_token}"
            )
    with translation.override(message.language or "id"):
        subject = str(text.subject) % context
        body = (str(text.sms) if message.channel in SMS_CHANNELS else str(text.body)) % context
    if message.channel == "sms":
        body = gsm7_prefer(body)  # one 160-character segment where possible (issue 5)
    return RenderedMessage(
        outbox_id=message.pk,
        channel=message.channel,
        to_address=to_address,
        subject=" ".join(subject.split()),
        body=body,
        idempotency_key=message.idempotency_key,
        thread_id=complaint.tracking_code if complaint is not None else "",
    )


def _resolve_address(message: OutboxMessage) -> str:
    if message.address:
        return message.address
    if message.to_user_id is not None:
        user = message.to_user
        if user is None or not user.is_active:
            raise PermanentFailure("recipient account is inactive")
        return user.phone if message.channel in SMS_CHANNELS else user.email
    if message.to_complainant and message.complaint is not None:
        complainant = getattr(message.complaint, "complainant", None)
        if complainant is None:
            raise PermanentFailure("the complainant's identity is gone")
        if message.channel == "email":
            return complainant.email
        if message.channel == "telegram":
            return complainant.messenger_id
        return complainant.phone
    return ""


# --- delivery ------------------------------------------------------------------------------


@dataclass
class DeliveryReport:
    claimed: int = 0
    sent: int = 0
    retrying: int = 0
    dead: int = 0
    cancelled: int = 0


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def outbox_claim(*, limit: int = 50, worker: str | None = None) -> list[int]:
    """Claim due messages for this worker. A row is claimed by one worker only: row locks with
    SKIP LOCKED on PostgreSQL, the IMMEDIATE write lock on SQLite, and a conditional update."""
    now = clock.now()
    with transaction.atomic():
        due = OutboxMessage.objects.filter(
            status=Status.PENDING, next_attempt_at__lte=now
        ).order_by("next_attempt_at", "id")
        if connection.features.has_select_for_update_skip_locked:
            due = due.select_for_update(skip_locked=True)
        ids = list(due.values_list("id", flat=True)[:limit])
        if not ids:
            return []
        claimant = worker or worker_name()
        OutboxMessage.objects.filter(id__in=ids, status=Status.PENDING).update(
            status=Status.SENDING, claimed_at=now, claimed_by=claimant, attempts=F("attempts") + 1
        )
        return list(
            OutboxMessage.objects.filter(
                id__in=ids, status=Status.SENDING, claimed_by=claimant
            ).values_list("id", flat=True)
        )


def outbox_deliver_claimed(message_id: int, claimant: str | None = None) -> str:
    """Send one claimed message and record the outcome. Returns the new status.

    With `claimant`, the claim is renewed just before sending and dropped if the row was
    released meanwhile (its lease expired and another worker may have it): the lease then only
    has to outlast one send, not a whole batch.
    """
    if claimant is not None:
        renewed = OutboxMessage.objects.filter(
            pk=message_id, status=Status.SENDING, claimed_by=claimant
        ).update(claimed_at=clock.now())
        if not renewed:
            return OutboxMessage.objects.values_list("status", flat=True).get(pk=message_id)
    message = OutboxMessage.objects.select_related("complaint", "to_user").get(pk=message_id)
    if message.status != Status.SENDING:
        return message.status
    try:
        rendered = render(message)
        if not rendered.to_address:
            raise PermanentFailure("no address for this channel")
        provider_id = get_sender(message.channel).send(rendered)
    except PermanentFailure as exc:
        return _finish(
            message,
            Status.DEAD if message.to_user_id or message.address else Status.CANCELLED,
            error=str(exc),
        )
    except Exception as exc:
        if message.attempts >= message.max_attempts:
            return _finish(message, Status.DEAD, error=_describe(exc))
        return _retry_later(message, exc)
    return _finish(message, Status.SENT, provider_id=provider_id)


def _describe(exc: BaseException) -> str:
    return mask_pii(f"{type(exc).__name__}: {exc}")[:500]


def backoff_seconds(attempts: int) -> float:
    base = min(BACKOFF_BASE_SECONDS * 2 ** max(attempts - 1, 0), BACKOFF_MAX_SECONDS)
    return base * (1 + random.random() * 0.1)  # noqa: S311 - jitter, not security  # nosec B311


def _retry_later(message: OutboxMessage, exc: BaseException) -> str:
    OutboxMessage.objects.filter(
        pk=message.pk, status=Status.SENDING, claimed_by=message.claimed_by
    ).update(
        status=Status.PENDING,
        next_attempt_at=clock.now() + dt.timedelta(seconds=backoff_seconds(message.attempts)),
        last_error=_describe(exc),
        claimed_at=None,
        claimed_by="",
    )
    logger.warning(
        "outbox %s: attempt %s failed (%s), will retry",
        message.pk,
        message.attempts,
        type(exc).__name__,
    )
    return Status.PENDING


def _finish(message: OutboxMessage, status: str, *, provider_id: str = "", error: str = "") -> str:
    fields: dict[str, Any] = {"status": status, "last_error": mask_pii(error)[:500]}
    if status == Status.SENT:
        fields.update(sent_at=clock.now(), provider_message_id=provider_id[:200])
    OutboxMessage.objects.filter(
        pk=message.pk, status=Status.SENDING, claimed_by=message.claimed_by
    ).update(**fields)
    if status != Status.SENT:
        logger.warning("outbox %s: %s (%s)", message.pk, status, mask_pii(error)[:200])
    return status


def outbox_release_stale(*, lease_seconds: int | None = None) -> int:
    """Put back messages whose worker died while sending (they may be sent twice: idempotency
    keys let the channel or the recipient recognise the repeat). The lease is
    settings.ADUAN_OUTBOX_LEASE_SECONDS (default LEASE_SECONDS); it must be longer than a
    worker needs to send one claimed batch, or a live worker's claims are released too."""
    if lease_seconds is None:
        lease_seconds = getattr(settings, "ADUAN_OUTBOX_LEASE_SECONDS", LEASE_SECONDS)
    cutoff = clock.now() - dt.timedelta(seconds=lease_seconds)
    return OutboxMessage.objects.filter(status=Status.SENDING, claimed_at__lt=cutoff).update(
        status=Status.PENDING, claimed_at=None, claimed_by="", next_attempt_at=clock.now()
    )


def outbox_deliver_due(*, limit: int = 100, worker: str | None = None) -> DeliveryReport:
    report = DeliveryReport()
    claimant = worker or worker_name()
    for message_id in outbox_claim(limit=limit, worker=claimant):
        report.claimed += 1
        status = outbox_deliver_claimed(message_id, claimant)
        if status == Status.SENT:
            report.sent += 1
        elif status == Status.PENDING:
            report.retrying += 1
        elif status == Status.DEAD:
            report.dead += 1
        elif status == Status.CANCELLED:
            report.cancelled += 1
    return report


def outbox_record_delivery(*, channel: str, provider_message_id: str, status: str) -> int:
    """Record what a channel reported later about a message it accepted (delivered, read,
    failed...). Returns the number of outbox rows updated (0 for an id we never sent)."""
    if not provider_message_id:
        return 0
    return OutboxMessage.objects.filter(
        channel=channel, provider_message_id=provider_message_id[:200]
    ).update(delivery_status=status[:20], delivery_updated_at=clock.now())


def outbox_cancel_pending(*, created_before: dt.datetime, reason: str) -> int:
    """Cancel the messages still waiting that were written before `created_before` (the demo's
    replayed history, which nobody should receive)."""
    return OutboxMessage.objects.filter(
        status=Status.PENDING, created_at__lt=created_before
    ).update(status=Status.CANCELLED, last_error=reason[:500])


def outbox_retry_dead(ids: Iterable[int]) -> int:
    """An admin sends dead letters again (after fixing an address or a provider)."""
    return OutboxMessage.objects.filter(id__in=list(ids), status=Status.DEAD).update(
        status=Status.PENDING, attempts=0, next_attempt_at=clock.now(), last_error=""
    )

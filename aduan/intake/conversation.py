"""What an inbound message means, and the reply it gets (issue 5). Called once per stored
message by `inbound_process`, inside its transaction: everything here (the complaint, the
transition, the replies in the outbox) commits together or not at all.

Order of decisions:

1. Guards (aduan/intake/abuse.py): a blocked sender → REJECTED, no reply; an SMS/WhatsApp/
   Telegram sender that cannot be a person (alphanumeric sender id, short code) → IGNORED;
   over the rate limit → REJECTED with one `inbound_rate_limited` reply per window; the exact
   same text again within a few minutes → IGNORED.
2. Short-text channels (sms, whatsapp, telegram) read a command first (aduan/intake/commands.py):
   BANTUAN → `inbound_help`; CEK <kode> → `inbound_status` (public status only, never an
   identity; someone else's code gives the same public status); LAPOR <isi> → a new complaint;
   BALAS <kode> <isi> → supplement (pending), follow-up (responded, within 10 days) or a
   message; PUAS <kode> [1-5] → confirm (responded) or rate (closed, not rated yet);
   BELUM <kode> [isi] → follow-up. Only the complainant (same address by keyed hash) may act
   on a complaint: others get `inbound_not_yours`; an unknown code `inbound_unknown_code`.
   Without a code, BALAS/PUAS/BELUM act on the sender's ONE conversation waiting for them; with
   two or more, `inbound_which_complaint` lists the codes (never a guess).
3. A plain message: with a tracking code (text, subject, or the email In-Reply-To/References
   headers) of the sender's own open complaint → threaded into it. Without one: into the
   sender's one waiting conversation; with two or more → `inbound_which_complaint`. Otherwise
   email (deliberate) creates a complaint at once; on the short-text channels the message is
   kept as a draft (action "awaiting_confirmation") and the sender asked `inbound_confirm_new`:
   "YA" within ADUAN_INBOUND_DRAFT_HOURS creates the complaint from all their waiting drafts,
   "BATAL" drops them; drafts expire otherwise (`inbound_drafts_expire`).
4. Attachments become the complaint's uploads through the portal's checks (S4, S10); a refused
   file is counted and the sender told once (`inbound_attachment_refused`); the text is kept.
   A location in InboundMessage.raw {"location": {"lat": .., "lon": ..}} sets the complaint's
   position.

Replies go through the outbox on the channel the message came in on (`inbound_reply`), to the
sender's address, capped per address per hour and never to a machine sender. Notifications
caused by a transition (receipt, supplement received...) go by `notify_complainant`.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from aduan.complaints.models import Complaint
from aduan.complaints.services import ComplaintSubmission, complaint_submit
from aduan.complaints.uploads import check_batch, upload_accept, upload_discard
from aduan.complaints.workflow.actors import Actor
from aduan.complaints.workflow.states import Status as ComplaintStatus
from aduan.complaints.workflow.transitions import (
    complaint_confirm,
    complaint_follow_up,
    complaint_rate,
)
from aduan.core import clock
from aduan.core.exceptions import ApplicationError
from aduan.notifications.models import OutboxMessage
from aduan.notifications.services import outbox_enqueue

from . import abuse
from .commands import BALAS, BANTUAN, BATAL, BELUM, CEK, LAPOR, PUAS, YA, Command, parse_command
from .models import InboundRecord
from .services import (
    awaiting_sender,
    code_in_message,
    intake_thread,
    sender_complaints,
    sender_identity,
    sender_matches,
)
from .types import InboundAttachment, InboundMessage

SHORT_CHANNELS = frozenset({"sms", "whatsapp", "telegram"})
AWAITING = "awaiting_confirmation"
REPLY_CHANNELS = frozenset(OutboxMessage.Channel.values) - {"console"}

RecordStatus = InboundRecord.Status


@dataclass
class Decision:
    status: str
    action: str
    complaint_id: int | None = None
    replies: list[int] = field(default_factory=list)
    error: str = ""


# --- replies ---------------------------------------------------------------------------------


def inbound_reply(
    record: InboundRecord, template: str, context: dict[str, Any] | None = None
) -> OutboxMessage | None:
    """Answer the sender of `record` on the channel it came in on, through the outbox (inside
    the caller's transaction). None when the sender must not be answered: a machine sender,
    more than ADUAN_INBOUND_REPLIES_PER_HOUR replies this hour, or a channel without replies.
    One reply per record and template (idempotent)."""
    if record.channel not in REPLY_CHANNELS or not abuse.reply_allowed(
        record.channel, record.sender
    ):
        return None
    values = {"example": f"{settings.ADUAN_TRACKING_PREFIX}-7K3R-9FF", **(context or {})}
    return outbox_enqueue(
        channel=record.channel,
        template=template,
        idempotency_key=f"inbound:{record.channel}:{record.pk}:{template}",
        context=values,
        address=record.sender,
        language=_sender_language(record),
    )


def inbound_ignore(record: InboundRecord, reason: str) -> InboundRecord:
    """Mark a stored message IGNORED without any reply (auto-replies, bounces, mailing lists,
    receipts: the email adapter detects those). Does nothing to a record already processed."""
    with transaction.atomic():
        locked = InboundRecord.objects.select_for_update().get(pk=record.pk)
        if locked.status == RecordStatus.RECEIVED:
            locked.status = RecordStatus.IGNORED
            locked.action = reason[:30]
            locked.processed_at = clock.now()
            locked.save(update_fields=["status", "action", "processed_at"])
            locked.attachments.all().delete()
        return locked


def _sender_language(record: InboundRecord) -> str:
    return "id"


def _status_words(complaint: Complaint, language: str = "id") -> str:
    with translation.override(language):
        return str(ComplaintStatus(complaint.status).label)


def _reply(record: InboundRecord, template: str, **context: Any) -> list[int]:
    message = inbound_reply(record, template, context)
    return [message.pk] if message is not None else []


# --- the decision ----------------------------------------------------------------------------


def converse(record: InboundRecord, message: InboundMessage) -> Decision:
    guarded = _guards(record)
    if guarded is not None:
        return guarded
    if message.raw.get("unsupported"):
        # A message type the adapter cannot take (a sticker, a voice note): answered once.
        return Decision(
            RecordStatus.IGNORED, "unsupported", replies=_reply(record, "inbound_unsupported")
        )
    command = parse_command(message.text) if record.channel in SHORT_CHANNELS else Command("")
    first_reply = OutboxMessage.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    try:
        with transaction.atomic():
            decision = _act(record, message, command)
    except ApplicationError as exc:
        # The message cannot be taken (e.g. a sender number that is no phone number): kept,
        # refused, nothing half-done (the savepoint is rolled back).
        return Decision(RecordStatus.REJECTED, f"refused:{exc.code}"[:30], error=str(exc)[:500])
    if decision.complaint_id is not None:
        decision.replies = sorted(
            set(decision.replies)
            | set(
                OutboxMessage.objects.filter(
                    pk__gt=first_reply, complaint_id=decision.complaint_id, to_complainant=True
                ).values_list("pk", flat=True)
            )
        )
    return decision


def _guards(record: InboundRecord) -> Decision | None:
    channel, sender = record.channel, record.sender
    if abuse.sender_is_blocked(channel, sender):
        return Decision(RecordStatus.REJECTED, "blocked")
    if channel in SHORT_CHANNELS and not abuse.is_person_address(channel, sender):
        return Decision(RecordStatus.IGNORED, "not_a_person")
    verdict = abuse.inbound_rate_hit(channel, sender)
    if not verdict.allowed:
        replies: list[int] = []
        if abuse.rate_notice_allowed(channel, sender, verdict):
            replies = _reply(
                record, "inbound_rate_limited", minutes=max(1, math.ceil(verdict.retry_after / 60))
            )
        return Decision(RecordStatus.REJECTED, "rate_limited", replies=replies)
    if abuse.is_repeat(record):
        return Decision(RecordStatus.IGNORED, "repeat")
    return None


def _act(record: InboundRecord, message: InboundMessage, command: Command) -> Decision:
    name = command.name
    if name == BANTUAN:
        return Decision(RecordStatus.PROCESSED, "help", replies=_reply(record, "inbound_help"))
    if name == YA:
        return _confirm_drafts(record, message)
    if name == BATAL:
        return _cancel_drafts(record)
    if name == CEK:
        return _status(record, message, command)
    if name == LAPOR:
        if not command.text and not message.attachments:
            return Decision(RecordStatus.PROCESSED, "help", replies=_reply(record, "inbound_help"))
        return _create(record, message, command.text or message.text)
    if name in (BALAS, BELUM, PUAS):
        decided = _complaint_command(record, message, command)
        if decided is not None:
            return decided
    return _plain(record, message)


def _status(record: InboundRecord, message: InboundMessage, command: Command) -> Decision:
    """CEK: the public status only (S1): the same answer whoever asks."""
    if command.code is None:
        own = list(sender_complaints(message)[:6])
        if len(own) == 1:
            return _status_reply(record, own[0])
        if len(own) > 1:
            return _which(record, own, "status")
        return Decision(
            RecordStatus.PROCESSED, "unknown_code", replies=_reply(record, "inbound_unknown_code")
        )
    complaint = Complaint.objects.filter(tracking_code=command.code).first()
    if complaint is None:
        return Decision(
            RecordStatus.PROCESSED, "unknown_code", replies=_reply(record, "inbound_unknown_code")
        )
    return _status_reply(record, complaint)


def _status_reply(record: InboundRecord, complaint: Complaint) -> Decision:
    language = _sender_language(record)
    return Decision(
        RecordStatus.PROCESSED,
        "status",
        replies=_reply(
            record,
            "inbound_status",
            code=complaint.tracking_code,
            status=_status_words(complaint, language),
        ),
    )


def _which(
    record: InboundRecord, complaints: list[Complaint], action: str = "ambiguous"
) -> Decision:
    codes = [c.tracking_code for c in complaints[:5]]
    return Decision(
        RecordStatus.PROCESSED,
        action if action != "status" else "ambiguous",
        replies=_reply(record, "inbound_which_complaint", codes=", ".join(codes), first=codes[0]),
    )


def _complaint_command(
    record: InboundRecord, message: InboundMessage, command: Command
) -> Decision | None:
    """BALAS, PUAS, BELUM. None: not a command after all (read it as a plain message)."""
    if command.code is not None:
        complaint = (
            Complaint.objects.filter(tracking_code=command.code)
            .select_related("complainant")
            .first()
        )
        if complaint is None:
            return Decision(
                RecordStatus.PROCESSED,
                "unknown_code",
                replies=_reply(record, "inbound_unknown_code"),
            )
        if not sender_matches(complaint, message):
            return Decision(
                RecordStatus.PROCESSED,
                "not_yours",
                replies=_reply(
                    record,
                    "inbound_not_yours",
                    code=complaint.tracking_code,
                    status=_status_words(complaint, _sender_language(record)),
                ),
            )
    else:
        waiting = awaiting_sender(message)
        if command.name in (PUAS, BELUM):
            waiting = [c for c in waiting if c.status == ComplaintStatus.RESPONDED]
        if len(waiting) > 1:
            return _which(record, waiting)
        if not waiting:
            if command.exact and command.name == BALAS:
                return Decision(
                    RecordStatus.PROCESSED, "need_code", replies=_reply(record, "inbound_need_code")
                )
            if command.exact and command.name == PUAS and not command.text:
                return Decision(
                    RecordStatus.PROCESSED, "need_code", replies=_reply(record, "inbound_need_code")
                )
            return None
        complaint = waiting[0]
    if command.name == BALAS:
        return _thread(record, message, complaint, command.text or message.text)
    if command.name == BELUM:
        return _not_solved(record, message, complaint, command)
    return _solved(record, complaint, command)


def _not_now(record: InboundRecord, complaint: Complaint) -> Decision:
    return Decision(
        RecordStatus.PROCESSED,
        "not_now",
        complaint.pk,
        replies=_reply(
            record,
            "inbound_not_now",
            code=complaint.tracking_code,
            status=_status_words(complaint, complaint.language),
        ),
    )


def _thread(
    record: InboundRecord, message: InboundMessage, complaint: Complaint, text: str
) -> Decision:
    if not complaint.is_open:
        return _not_now(record, complaint)
    if not text.strip():
        if not message.attachments:
            return _not_now(record, complaint)
        text = _("(photo without text)")
    result = intake_thread(complaint, message, text)
    replies = _attach(record, message, complaint)
    return Decision(RecordStatus.PROCESSED, result.action, complaint.pk, replies=replies)


def _not_solved(
    record: InboundRecord, message: InboundMessage, complaint: Complaint, command: Command
) -> Decision:
    """BELUM: not solved: a follow-up within the 10 days after the response (R31)."""
    if complaint.status != ComplaintStatus.RESPONDED:
        if command.text and complaint.is_open:
            return _thread(record, message, complaint, command.text)
        return _not_now(record, complaint)
    text = command.text or _("Not solved yet (BELUM).")
    try:
        with transaction.atomic():
            complaint_follow_up(
                complaint=complaint, by=Actor.complainant(), text=text, channel=record.channel
            )
    except ApplicationError:
        return _not_now(record, complaint)
    return Decision(RecordStatus.PROCESSED, "follow_up", complaint.pk)


def _solved(record: InboundRecord, complaint: Complaint, command: Command) -> Decision:
    """PUAS: solved (confirm, with the rating if given), or the rating of a closed complaint."""
    try:
        with transaction.atomic():
            if complaint.status == ComplaintStatus.RESPONDED:
                complaint_confirm(
                    complaint=complaint,
                    by=Actor.complainant(),
                    satisfaction=command.rating,
                    comment=command.text,
                )
                return Decision(RecordStatus.PROCESSED, "confirm", complaint.pk)
            if (
                complaint.status == ComplaintStatus.CLOSED
                and command.rating is not None
                and complaint.rated_at is None
            ):
                complaint_rate(
                    complaint=complaint,
                    by=Actor.complainant(),
                    satisfaction=command.rating,
                    comment=command.text,
                )
                return Decision(
                    RecordStatus.PROCESSED,
                    "rate",
                    complaint.pk,
                    replies=_reply(record, "inbound_rated", code=complaint.tracking_code),
                )
    except ApplicationError:
        pass
    return _not_now(record, complaint)


def _plain(record: InboundRecord, message: InboundMessage) -> Decision:
    code = code_in_message(message)
    if code is not None:
        complaint = (
            Complaint.objects.filter(tracking_code=code).select_related("complainant").first()
        )
        if complaint is not None and complaint.is_open and sender_matches(complaint, message):
            return _thread(record, message, complaint, message.text)
    # A fresh email (not a reply) is a new report even when the sender has a conversation
    # waiting; on the short-text channels every message may be the answer.
    waiting = awaiting_sender(message) if _may_be_an_answer(record, message) else []
    if len(waiting) == 1:
        return _thread(record, message, waiting[0], message.text)
    if len(waiting) > 1:
        return _which(record, waiting)
    if record.channel not in SHORT_CHANNELS:
        return _create(record, message, message.text)
    if not message.text.strip() and not message.attachments:
        return Decision(RecordStatus.PROCESSED, "help", replies=_reply(record, "inbound_help"))
    if _drafts(record).exists():
        return Decision(RecordStatus.PROCESSED, AWAITING)  # asked already: no second question
    return Decision(RecordStatus.PROCESSED, AWAITING, replies=_reply(record, "inbound_confirm_new"))


def _may_be_an_answer(record: InboundRecord, message: InboundMessage) -> bool:
    if record.channel in SHORT_CHANNELS:
        return True
    headers = {k.lower() for k in (message.headers or {})}
    subject = message.subject.strip().lower()
    return bool(headers & {"in-reply-to", "references"}) or subject.startswith(
        ("re:", "re :", "aw:", "balas:", "bls:")
    )


# --- drafts (a plain message waiting for YA) -----------------------------------------------------


def _drafts(record: InboundRecord) -> Any:
    since = clock.now() - dt.timedelta(hours=settings.ADUAN_INBOUND_DRAFT_HOURS)
    return (
        InboundRecord.objects.filter(
            channel=record.channel,
            sender_hash=record.sender_hash,
            action=AWAITING,
            stored_at__gte=since,
        )
        .exclude(pk=record.pk)
        .order_by("stored_at", "id")
    )


def _nothing_to_confirm(record: InboundRecord) -> Decision:
    """YA or BATAL with no report waiting for it."""
    return Decision(
        RecordStatus.PROCESSED,
        "nothing_to_confirm",
        replies=_reply(record, "inbound_nothing_to_confirm"),
    )


def _confirm_drafts(record: InboundRecord, message: InboundMessage) -> Decision:
    drafts = list(_drafts(record).select_for_update())
    if not drafts:
        return _nothing_to_confirm(record)
    first = drafts[0]
    text = "\n".join(d.text.strip() for d in drafts if d.text.strip())
    attachments = tuple(
        InboundAttachment(a.filename, a.content_type, bytes(a.content))
        for d in drafts
        for a in d.attachments.all()
    )
    location_raw: dict[str, Any] = {}
    for draft in drafts:
        raw = json.loads(draft.raw) if draft.raw else {}
        if isinstance(raw, dict) and "location" in raw:
            location_raw = {"location": raw["location"]}
    draft_message = InboundMessage(
        channel=first.channel,
        provider_message_id=first.provider_message_id,
        sender=first.sender,
        sender_name=first.sender_name or message.sender_name,
        text=text,
        received_at=first.received_at,
        attachments=attachments,
        raw=location_raw,
    )
    decision = _create(first, draft_message, text or str(_("(photo without text)")))
    InboundRecord.objects.filter(pk__in=[d.pk for d in drafts]).update(
        action="confirmed", complaint_id=decision.complaint_id
    )
    for draft in drafts:
        draft.attachments.all().delete()
    return Decision(RecordStatus.PROCESSED, "confirmed", decision.complaint_id, decision.replies)


def _cancel_drafts(record: InboundRecord) -> Decision:
    drafts = list(_drafts(record).select_for_update())
    if not drafts:
        return _nothing_to_confirm(record)
    InboundRecord.objects.filter(pk__in=[d.pk for d in drafts]).update(action="draft_cancelled")
    for draft in drafts:
        draft.attachments.all().delete()
    return Decision(
        RecordStatus.PROCESSED, "draft_cancelled", replies=_reply(record, "inbound_draft_cancelled")
    )


def inbound_drafts_expire() -> int:
    """Drafts nobody confirmed within ADUAN_INBOUND_DRAFT_HOURS: their files are deleted and
    they are marked expired (the text stays in the record). Returns how many expired."""
    cutoff = clock.now() - dt.timedelta(hours=settings.ADUAN_INBOUND_DRAFT_HOURS)
    expired = list(
        InboundRecord.objects.filter(action=AWAITING, stored_at__lt=cutoff).values_list(
            "pk", flat=True
        )
    )
    if not expired:
        return 0
    from .models import InboundRecordAttachment

    with transaction.atomic():
        InboundRecordAttachment.objects.filter(record_id__in=expired).delete()
        InboundRecord.objects.filter(pk__in=expired, action=AWAITING).update(action="draft_expired")
    return len(expired)


# --- creating a complaint --------------------------------------------------------------------


def _location(message: InboundMessage) -> tuple[Decimal | None, Decimal | None]:
    location = (message.raw or {}).get("location") if isinstance(message.raw, dict) else None
    if not isinstance(location, dict):
        return None, None
    try:
        lat = Decimal(str(location.get("lat", location.get("latitude"))))
        lon = Decimal(str(location.get("lon", location.get("longitude"))))
    except (InvalidOperation, ValueError, TypeError):
        return None, None
    if not (lat.is_finite() and lon.is_finite() and -90 <= lat <= 90 and -180 <= lon <= 180):
        return None, None
    return lat.quantize(Decimal("0.000001")), lon.quantize(Decimal("0.000001"))


def _create(record: InboundRecord, message: InboundMessage, text: str) -> Decision:
    latitude, longitude = _location(message)
    if not text.strip():
        text = str(_("(photo without text)")) if message.attachments else text
    uploads, refused = _stage_uploads(record, message)
    result = complaint_submit(
        submission=ComplaintSubmission(
            channel=record.channel,
            title=" ".join(message.subject.split())[:200],
            body=text.strip()[:10_000],
            identity=sender_identity(message),
            latitude=latitude,
            longitude=longitude,
        ),
        idempotency_key=message.provider_message_id,
        idempotency_source=record.channel,
        uploads=uploads,
    )
    complaint = result.complaint
    replies: list[int] = []
    if refused:
        replies = _reply(
            record, "inbound_attachment_refused", code=complaint.tracking_code, count=refused
        )
    return Decision(
        RecordStatus.PROCESSED,
        "created" if result.created else "duplicate",
        complaint.pk,
        replies=replies,
    )


def _stage_uploads(record: InboundRecord, message: InboundMessage) -> tuple[list[Any], int]:
    """Each attachment through the portal's checks (content sniffed, images re-encoded without
    metadata, size limits: S4, S10). Returns the accepted uploads and how many were refused."""
    owner = f"inbound:{record.channel}:{record.pk}"
    accepted: list[Any] = []
    refused = 0
    for attachment in message.attachments:
        try:
            upload = upload_accept(
                SimpleUploadedFile(
                    attachment.filename or "lampiran",
                    attachment.content,
                    attachment.content_type or "application/octet-stream",
                ),
                owner=owner,
            )
        except ApplicationError:
            refused += 1
            continue
        try:
            check_batch(names=[upload.original_name], sizes=[upload.size], kept=accepted)
        except ApplicationError:
            upload_discard(owner, upload.pk)
            refused += 1
            continue
        accepted.append(upload)
    return accepted, refused


def _attach(record: InboundRecord, message: InboundMessage, complaint: Complaint) -> list[int]:
    """Files sent with a threaded message become the complaint's attachments."""
    if not message.attachments:
        return []
    from aduan.complaints.uploads import attachments_from_uploads

    uploads, refused = _stage_uploads(record, message)
    if uploads:
        attachments_from_uploads(complaint=complaint, uploads=uploads)
    if refused:
        return _reply(
            record, "inbound_attachment_refused", code=complaint.tracking_code, count=refused
        )
    return []

"""Writes on complaints that are not state transitions: submission (from every channel),
messages and internal notes. State changes live in workflow/transitions.py."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from aduan.agencies.models import Category, Region
from aduan.audit.services import audit_record
from aduan.core import clock as time
from aduan.core.exceptions import ApplicationError
from aduan.core.phones import normalize_phone
from aduan.notifications.services import notify_complainant
from aduan.workdays.services import working_calendar

from .codes import access_token_hash, new_access_token, new_tracking_code
from .models import (
    Channel,
    Complainant,
    Complaint,
    DeadlinePolicy,
    Event,
    Ground,
    InboundKey,
    Kind,
    Message,
    Upload,
)
from .models.complainant import identity_hashes
from .uploads import attachments_from_uploads, first_position
from .workflow import clocks
from .workflow.actors import Actor
from .workflow.states import Status

TITLE_MAX = 200
BODY_MAX = 10_000


@dataclass(frozen=True)
class IdentityInput:
    """Who complains. Everything optional; normalised and encrypted on submission."""

    name: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""
    nik: str = ""
    messenger_id: str = ""
    ip_address: str = ""


@dataclass(frozen=True)
class ComplaintSubmission:
    """A new complaint as any channel delivers it (web form, app, SMS, email, operator...)."""

    channel: str
    body: str
    title: str = ""
    kind: str = Kind.COMPLAINT
    ground: str = ""
    event_date: dt.date | None = None
    region: Region | None = None
    location_text: str = ""
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    category: Category | None = None
    anonymous: bool = False
    private: bool = False
    protection_requested: bool = False
    identity: IdentityInput = field(default_factory=IdentityInput)
    language: str = "id"
    consent_version: str = ""
    national_reference: str = ""

    def fingerprint(self) -> str:
        data = asdict(self)
        data["region"] = self.region.pk if self.region else None
        data["category"] = self.category.pk if self.category else None
        data["identity"] = {k: v for k, v in data["identity"].items() if k != "ip_address"}
        raw = json.dumps(data, sort_keys=True, default=str)
        return hashlib.sha256(raw.encode()).hexdigest()


@dataclass(frozen=True)
class SubmitResult:
    complaint: Complaint
    created: bool
    access_token: str = ""  # only on creation: shown once on the receipt, never stored in clear


def _invalid(message: str, field_name: str, code: str = "invalid") -> ApplicationError:
    return ApplicationError(message, code=code, extra={"field": field_name})


def _clean_identity(identity: IdentityInput) -> dict[str, str]:
    cleaned = {k: (v or "").strip() for k, v in asdict(identity).items()}
    if cleaned["phone"]:
        try:
            cleaned["phone"] = normalize_phone(cleaned["phone"])
        except ApplicationError as exc:
            raise _invalid(exc.message, "phone", exc.code) from exc
    if cleaned["email"]:
        cleaned["email"] = cleaned["email"].lower()
        try:
            validate_email(cleaned["email"])
        except ValidationError as exc:
            raise _invalid(
                _("This is not a valid email address."), "email", "email_invalid"
            ) from exc
    if cleaned["nik"]:
        digits = "".join(ch for ch in cleaned["nik"] if ch.isdigit())
        if len(digits) != 16:
            raise _invalid(_("A NIK has 16 digits."), "nik", "nik_invalid")
        cleaned["nik"] = digits
    for key, limit in (("name", 200), ("address", 500), ("messenger_id", 100)):
        cleaned[key] = cleaned[key][:limit]
    return cleaned


def _validate(submission: ComplaintSubmission) -> tuple[str, str]:
    if submission.channel not in Channel.values:
        raise _invalid(_("Unknown channel."), "channel", "invalid_channel")
    if submission.kind not in Kind.values:
        raise _invalid(_("Choose what kind of report this is."), "kind", "invalid_kind")
    if submission.ground and (
        submission.ground not in Ground.values or submission.kind != Kind.COMPLAINT
    ):
        raise _invalid(_("A ground applies only to a complaint."), "ground", "invalid_ground")
    body = (submission.body or "").strip()
    if not body:
        raise _invalid(_("Describe what happened."), "body", "required")
    if len(body) > BODY_MAX:
        raise _invalid(
            _("The description is too long (at most %(max)s characters).") % {"max": BODY_MAX},
            "body",
            "too_long",
        )
    title = " ".join((submission.title or "").split())
    if not title:
        title = " ".join(body.split())[:80]
    if len(title) > TITLE_MAX:
        raise _invalid(
            _("The title is too long (at most %(max)s characters).") % {"max": TITLE_MAX},
            "title",
            "too_long",
        )
    if submission.event_date and submission.event_date > time.local_date():
        raise _invalid(
            _("The date of the event cannot be in the future."), "event_date", "future_date"
        )
    for name, value, bound in (
        ("latitude", submission.latitude, 90),
        ("longitude", submission.longitude, 180),
    ):
        if value is not None and not (-bound <= value <= bound):
            raise _invalid(_("The map position is not valid."), name, "invalid_position")
    return title, body


def _claim_key(
    source: str, key: str, fingerprint: str
) -> tuple[InboundKey | None, Complaint | None]:
    """Insert the idempotency key first; if it exists, this is a retry (or a misuse)."""
    try:
        with transaction.atomic():
            return InboundKey.objects.create(source=source, key=key, fingerprint=fingerprint), None
    except IntegrityError:
        existing = InboundKey.objects.select_related("complaint").get(source=source, key=key)
        if existing.fingerprint != fingerprint:
            raise ApplicationError(
                _("This idempotency key was already used for a different submission."),
                code="idempotency_key_reused",
            ) from None
        return None, existing.complaint


@transaction.atomic
def complaint_submit(
    *,
    submission: ComplaintSubmission,
    by: Actor | None = None,
    idempotency_key: str = "",
    idempotency_source: str = "",
    uploads: Sequence[Upload] = (),
    share_location: bool = False,
) -> SubmitResult:
    """Accept a complaint from any channel in one transaction (S16): the complaint, its
    identity (encrypted), its attachments, its dispatch clock, the first Event and the receipt
    in the outbox.

    With an idempotency key (a provider message id or an Idempotency-Key header) the same
    submission delivered twice creates one complaint and returns it the second time.

    `uploads` are staged uploads (complaints/uploads.py) that become the complaint's
    attachments in this transaction. Their photos' GPS position is used only with
    `share_location`, and only when the submission carries no position of its own (S10).
    """
    title, body = _validate(submission)
    identity = _clean_identity(submission.identity)
    key_row = None
    if idempotency_key:
        key_row, existing = _claim_key(
            idempotency_source or submission.channel,
            idempotency_key[:200],
            submission.fingerprint(),
        )
        if existing is not None:
            return SubmitResult(complaint=existing, created=False)

    latitude, longitude = submission.latitude, submission.longitude
    if share_location and (latitude is None or longitude is None):
        latitude, longitude = first_position(uploads)

    now = time.now()
    token = new_access_token()
    complaint = Complaint(
        access_token_hash=access_token_hash(token),
        access_token=token,
        kind=submission.kind,
        ground=submission.ground if submission.kind == Kind.COMPLAINT else "",
        title=title,
        body=body,
        event_date=submission.event_date,
        region=submission.region,
        location_text=submission.location_text.strip()[:300],
        latitude=latitude,
        longitude=longitude,
        channel=submission.channel,
        language=submission.language if submission.language in ("id", "en") else "id",
        category=submission.category,
        anonymous=submission.anonymous,
        private=submission.private,
        protection_requested=submission.protection_requested,
        status=Status.RECEIVED,
        status_changed_at=now,
        received_at=now,
        submitted_by=by.user if by is not None else None,
        national_reference=submission.national_reference[:64],
    )
    _save_with_unique_code(complaint)
    Complainant.objects.create(
        complaint=complaint,
        created_at=now,
        **identity_hashes(identity),
        consented_at=now if submission.consent_version else None,
        consent_version=submission.consent_version[:20],
        **identity,
    )
    policy = DeadlinePolicy.current()
    clocks.start_dispatch_clock(complaint, now, working_calendar(), policy)
    complaint.save(update_fields=["dispatch_due_at"])
    attachments = attachments_from_uploads(complaint=complaint, uploads=uploads, by=by)

    actor = by or Actor.complainant()
    event_data: dict[str, Any] = {"channel": submission.channel}
    if attachments:
        event_data["attachments"] = len(attachments)
    event = Event.objects.create(
        complaint=complaint,
        created_at=now,
        verb="submit",
        actor=actor.user,
        actor_role=actor.role.value,
        actor_agency_id=actor.agency_id,
        from_state="",
        to_state=Status.RECEIVED,
        data=event_data,
    )
    audit_record(
        "complaint.submit",
        actor=actor,
        obj=complaint,
        data={"channel": submission.channel, "event": event.pk},
    )
    if key_row is not None:
        key_row.complaint = complaint
        key_row.save(update_fields=["complaint"])
    notify_complainant(
        complaint,
        "complaint_received",
        key=f"c{complaint.pk}:e{event.pk}:received",
        context={"dispatch_days": policy.dispatch_working_days},
    )
    return SubmitResult(complaint=complaint, created=True, access_token=token)


def _save_with_unique_code(complaint: Complaint, attempts: int = 8) -> None:
    for _attempt in range(attempts):
        complaint.tracking_code = new_tracking_code()
        try:
            with transaction.atomic():
                complaint.save(force_insert=True)
            return
        except IntegrityError:
            if Complaint.objects.filter(tracking_code=complaint.tracking_code).exists():
                complaint.pk = None
                continue
            raise
    raise ApplicationError(
        _("Could not allocate a tracking code; please try again."), code="code_exhausted"
    )


def complaint_by_access_token(token: str) -> Complaint | None:
    """The complaint a private link opens, or None. Lookup by keyed hash only."""
    if not token or len(token) > 100:
        return None
    return Complaint.objects.filter(access_token_hash=access_token_hash(token)).first()


@transaction.atomic
def complaint_add_note(*, complaint: Complaint, by: Actor, text: str) -> Message:
    """An internal note: visible to staff who can see the complaint, never to the complainant."""
    from aduan.accounts.access import complaint_check_staff_access

    complaint_check_staff_access(complaint=complaint, actor=by)
    text = (text or "").strip()
    if not text:
        raise _invalid(_("Write the note."), "text", "required")
    now = time.now()
    note = Message.objects.create(
        complaint=complaint,
        kind=Message.Kind.NOTE,
        author=by.user,
        agency_id=by.agency_id,
        body=text,
        created_at=now,
    )
    Event.aside(complaint, verb="note", by=by, data={"message": note.pk}, at=now)
    return note


@transaction.atomic
def complaint_add_complainant_message(
    *, complaint: Complaint, text: str, channel: str = ""
) -> Message:
    """A message from the complainant that is not an answer or a follow-up (any open state)."""
    complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
    if not complaint.is_open:
        raise ApplicationError(
            _("This report is closed; ask for it to be reopened."), code="closed"
        )
    text = (text or "").strip()
    if not text:
        raise _invalid(_("Write your message."), "text", "required")
    now = time.now()
    message = Message.objects.create(
        complaint=complaint,
        kind=Message.Kind.FROM_COMPLAINANT,
        body=text,
        channel=channel,
        created_at=now,
    )
    Event.aside(
        complaint, verb="message", by=Actor.complainant(), data={"message": message.pk}, at=now
    )
    notify_complainant(
        complaint, "message_received", key=f"c{complaint.pk}:m{message.pk}:ack", context={}
    )
    return message


def submission_from_dict(data: dict[str, Any]) -> ComplaintSubmission:
    """Build a submission from plain data (demo files, fixtures). Region/category by code."""
    data = dict(data)
    identity = IdentityInput(**data.pop("identity", {}))
    region_code = data.pop("region_code", None)
    category_code = data.pop("category_code", None)
    region = Region.objects.get(code=region_code) if region_code else None
    category = Category.objects.get(code=category_code) if category_code else None
    return ComplaintSubmission(identity=identity, region=region, category=category, **data)

"""The complainant's rights over their personal data (UU 27/2022 Art. 32-33, 40-45; S18).

From the private page a complainant can download their data and its processing trail, correct
their identity, withdraw consent and ask for their identity to be erased; and, having lost the
private link, have it sent again to the contact they used. Every action is audited; nothing
here reveals anything about anyone else (other complainants, staff members).

The complaint record itself is kept as the regulation requires (the public-service record of
Perbup 15/2019); what is erased is the identity: when the complaint is already closed or
archived at once, otherwise when it closes (the hook is in the workflow's `_Step.finish`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from aduan.accounts.roles import Role
from aduan.accounts.selectors import staff_list_active
from aduan.agencies.models import Agency
from aduan.audit.services import audit_record
from aduan.core import clock
from aduan.core.exceptions import ApplicationError
from aduan.notifications.services import notify_users, outbox_enqueue

from .models import Complainant, Complaint, Event, Message
from .models.complainant import HASHED_FIELDS, identity_hash
from .services import IdentityInput, _clean_identity
from .workflow.actors import Actor
from .workflow.states import FINAL_STATES, Status

# Fields of the identity a complainant may correct themselves (NIK and messenger ids come from
# an operator or a channel and are corrected there).
CORRECTABLE_FIELDS = ("name", "phone", "email", "address")
IDENTITY_FIELDS = ("name", "phone", "email", "address", "nik", "messenger_id", "ip_address")
# Lost links: complaints still open, or closed/archived within this many days (a closed one can
# still be rated), at most RESEND_MAX of them, newest first.
RESEND_RECENT_DAYS = 90
RESEND_MAX = 10
# Asking again within this window sends nothing new (the idempotency key is the same).
RESEND_WINDOW_SECONDS = 600


def _complainant(complaint: Complaint) -> Complainant:
    complainant = Complainant.objects.filter(complaint=complaint).first()
    if complainant is None:
        raise ApplicationError(
            _("This report has no personal data on record."), code="no_complainant"
        )
    return complainant


def _side(message: Message, coordinator: Agency | None) -> str:
    """Who wrote a message, as the complainant may know it: never a staff member's name."""
    if message.from_complainant:
        return "complainant"
    agency = message.agency or coordinator
    return str(agency) if agency is not None else "Dinas"


# --- (a) access: my data and its processing trail --------------------------------------------


def complainant_data_export(*, complaint: Complaint) -> dict[str, Any]:
    """Everything held about the complainant of `complaint` and its processing, as plain data.

    Own data only: the complaint as written, the identity, the conversation without internal
    notes (the other side named by agency, never by staff member), own attachments' metadata,
    and the public trail of events. Audited.
    """
    complainant = _complainant(complaint)
    coordinator = Agency.coordinator()

    def when(moment: dt.datetime | dt.date | None) -> str | None:
        return moment.isoformat() if moment is not None else None

    messages = [
        {
            "time": when(m.created_at),
            "kind": m.kind,
            "from": _side(m, coordinator),
            "text": m.body,
        }
        for m in complaint.messages.exclude(kind__in=Message.INTERNAL_KINDS).select_related(
            "agency"
        )
    ]
    attachments = [
        {
            "time": when(a.created_at),
            "file_name": a.original_name,
            "type": a.content_type,
            "size": a.size,
        }
        for a in complaint.attachments.filter(is_internal=False, uploaded_by__isnull=True)
    ]
    events = [
        {
            "time": when(e.created_at),
            "action": e.verb,
            "from_state": e.from_state,
            "to_state": e.to_state,
            "agency": str(e.agency) if e.agency_id else None,
        }
        for e in complaint.events.filter(is_public=True).select_related("agency")
    ]
    data = {
        "format": "aduan-data-export/1",
        "exported_at": when(clock.now()),
        "complaint": {
            "tracking_code": complaint.tracking_code,
            "kind": complaint.kind,
            "title": complaint.title,
            "text": complaint.body,
            "event_date": when(complaint.event_date),
            "area": str(complaint.region) if complaint.region_id else None,
            "location": complaint.location_text,
            "latitude": str(complaint.latitude) if complaint.latitude is not None else None,
            "longitude": str(complaint.longitude) if complaint.longitude is not None else None,
            "category": str(complaint.category) if complaint.category_id else None,
            "channel": complaint.channel,
            "anonymous": complaint.anonymous,
            "confidential": complaint.private,
            "protection_requested": complaint.protection_requested,
            "status": complaint.status,
            "received_at": when(complaint.received_at),
            "lead_agency": str(complaint.lead_agency) if complaint.lead_agency_id else None,
            "satisfaction": complaint.satisfaction,
            "satisfaction_comment": complaint.satisfaction_comment,
            "closed_at": when(complaint.closed_at),
        },
        "identity": {
            **{name: getattr(complainant, name) for name in IDENTITY_FIELDS},
            "consented_at": when(complainant.consented_at),
            "privacy_notice_version": complainant.consent_version,
            "consent_withdrawn_at": when(complainant.consent_withdrawn_at),
            "deletion_requested_at": when(complainant.erasure_requested_at),
        },
        "messages": messages,
        "attachments": attachments,
        "events": events,
    }
    audit_record("complainant.export", actor=Actor.complainant(), obj=complaint)
    return data


# --- (b) rectification -------------------------------------------------------------------------


@transaction.atomic
def complainant_correct_identity(
    *, complaint: Complaint, name: str, phone: str, email: str, address: str
) -> list[str]:
    """Correct the complainant's name, phone, email and address: validated and normalised like
    a submission, re-encrypted, re-hashed. Returns the names of the fields that changed.

    Raises ApplicationError (with extra["field"]) on a bad value and changes nothing.
    """
    complainant = Complainant.objects.select_for_update().get(complaint=complaint)
    cleaned = _clean_identity(
        replace(IdentityInput(), name=name, phone=phone, email=email, address=address)
    )
    if not (cleaned["phone"] or cleaned["email"] or complainant.messenger_id):
        raise ApplicationError(
            _("Keep a phone number or an email address, so that we can reach you."),
            code="contact_required",
            extra={"field": "phone"},
        )
    changed = [f for f in CORRECTABLE_FIELDS if getattr(complainant, f) != cleaned[f]]
    if not changed:
        return []
    update_fields = set(changed)
    for field in changed:
        setattr(complainant, field, cleaned[field])
        if field in HASHED_FIELDS:
            column, _purpose = HASHED_FIELDS[field]
            setattr(complainant, column, identity_hash(field, cleaned[field]))
            update_fields.add(column)
    complainant.save(update_fields=sorted(update_fields | {"updated_at"}))
    now = clock.now()
    Event.aside(
        complaint,
        verb="identity_corrected",
        by=Actor.complainant(),
        note="The complainant corrected their identity: " + ", ".join(changed) + ".",
        data={"fields": changed},
        at=now,
    )
    audit_record(
        "complainant.correct", actor=Actor.complainant(), obj=complaint, data={"fields": changed}
    )
    return changed


# --- (c) consent and erasure -------------------------------------------------------------------


def _notify_admins(complaint: Complaint, template: str, key: str) -> None:
    notify_users(
        staff_list_active(roles=[Role.ADMIN]),
        template,
        key=f"c{complaint.pk}:{key}",
        context={},
        complaint=complaint,
    )


@transaction.atomic
def complainant_withdraw_consent(*, complaint: Complaint) -> Complainant:
    """The complainant withdraws consent to the processing of their personal data. The Dinas
    admins are told; the identity is erased when the complaint closes (or now, if it has)."""
    complainant = Complainant.objects.select_for_update().get(complaint=complaint)
    if complainant.consent_withdrawn_at is not None:
        return complainant
    now = clock.now()
    complainant.consent_withdrawn_at = now
    complainant.save(update_fields=["consent_withdrawn_at", "updated_at"])
    audit_record("complainant.withdraw_consent", actor=Actor.complainant(), obj=complaint)
    _notify_admins(complaint, "consent_withdrawn", "consent_withdrawn")
    return complainant


@transaction.atomic
def complainant_request_erasure(*, complaint: Complaint) -> Complainant:
    """The complainant asks for their identity to be deleted (which also withdraws consent).

    The complaint record stays (the regulation keeps it); the identity is erased at once if the
    complaint is closed or archived, otherwise when it closes. The Dinas admins are told.
    """
    complainant = Complainant.objects.select_for_update().get(complaint=complaint)
    if complainant.erasure_requested_at is None:
        now = clock.now()
        complainant.erasure_requested_at = now
        complainant.consent_withdrawn_at = complainant.consent_withdrawn_at or now
        complainant.save(
            update_fields=["erasure_requested_at", "consent_withdrawn_at", "updated_at"]
        )
        audit_record("complainant.request_erasure", actor=Actor.complainant(), obj=complaint)
        _notify_admins(complaint, "erasure_requested", "erasure_requested")
    status = Complaint.objects.values_list("status", flat=True).get(pk=complaint.pk)
    if status in FINAL_STATES:
        complainant_erase(complainant)
    return complainant


@transaction.atomic
def complainant_erase(complainant: Complainant) -> Complainant:
    """Blank the identity (every field and its lookup hash). The row stays, with the dates of
    consent, withdrawal and the deletion request, so the record shows what happened."""
    changed = [f for f in IDENTITY_FIELDS if getattr(complainant, f)]
    hash_columns = [column for column, _purpose in HASHED_FIELDS.values()]
    for field in IDENTITY_FIELDS:
        setattr(complainant, field, "")
    for column in hash_columns:
        setattr(complainant, column, "")
    complainant.save(update_fields=[*IDENTITY_FIELDS, *hash_columns, "updated_at"])
    complaint = complainant.complaint
    # Identity kept elsewhere with the complaint (the social-media post's URL, the channel
    # messages as received) is erased by the app that keeps it (settings.ADUAN_IDENTITY_ERASERS).
    for path in settings.ADUAN_IDENTITY_ERASERS:
        if import_string(path)(complaint):
            changed.append(path.rsplit(".", 1)[-1])
    if changed:
        Event.aside(
            complaint,
            verb="identity_erased",
            by=Actor.system(),
            note="The complainant's identity was erased at their request.",
            data={"fields": changed},
        )
        audit_record(
            "complainant.erase", actor=Actor.system(), obj=complaint, data={"fields": changed}
        )
    return complainant


def complainant_erase_if_requested(complaint: Complaint) -> bool:
    """Called by the workflow when a complaint reaches a final state: erase the identity if the
    complainant asked for it. Returns whether it did."""
    complainant = Complainant.objects.filter(
        complaint=complaint, erasure_requested_at__isnull=False
    ).first()
    if complainant is None:
        return False
    complainant_erase(complainant)
    return True


# --- the lost private link -------------------------------------------------------------------


def normalize_contact(contact: str) -> tuple[str, str]:
    """('email'|'sms', the normalised address) for what the citizen typed. Raises
    ApplicationError (field "contact") when it is neither an email address nor a phone number."""
    text = (contact or "").strip()
    if not text:
        raise ApplicationError(
            _("Enter the phone number or email address you used."),
            code="required",
            extra={"field": "contact"},
        )
    if "@" in text:
        try:
            cleaned = _clean_identity(IdentityInput(email=text))
        except ApplicationError as exc:
            raise ApplicationError(exc.message, code=exc.code, extra={"field": "contact"}) from exc
        return "email", cleaned["email"]
    try:
        cleaned = _clean_identity(IdentityInput(phone=text))
    except ApplicationError as exc:
        raise ApplicationError(exc.message, code=exc.code, extra={"field": "contact"}) from exc
    return "sms", cleaned["phone"]


def private_link_resend(*, contact: str) -> int:
    """Send the private link of each recent complaint made with `contact` (a phone number or an
    email address) to that contact, through the outbox. Returns how many were sent; the caller
    must not tell the citizen (no enumeration). Raises ApplicationError on a malformed contact.
    """
    channel, address = normalize_contact(contact)
    lookup = (
        Q(email_hash=identity_hash("email", address))
        if channel == "email"
        else Q(phone_hash=identity_hash("phone", address))
    )
    now = clock.now()
    recent = now - dt.timedelta(days=RESEND_RECENT_DAYS)
    complaints = list(
        Complaint.objects.filter(complainant__in=Complainant.objects.filter(lookup))
        .filter(~Q(status__in=FINAL_STATES) | Q(status_changed_at__gte=recent))
        .exclude(status=Status.ARCHIVED, archive_reason="spam")
        .order_by("-received_at")[:RESEND_MAX]
    )
    window = int(now.timestamp()) // RESEND_WINDOW_SECONDS
    with transaction.atomic():
        for complaint in complaints:
            outbox_enqueue(
                channel=channel,
                template="private_link_resent",
                idempotency_key=f"c{complaint.pk}:resend:{channel}:{window}",
                complaint=complaint,
                to_complainant=True,  # the address is the complainant's own, of this channel
                language=complaint.language,
            )
            audit_record(
                "complaint.private_link_resent",
                actor=Actor.complainant(),
                obj=complaint,
                data={"channel": channel},
            )
        audit_record(
            "private_link.resend_requested",
            actor=Actor.complainant(),
            object_type="complaints.complainant",
            data={"channel": channel, "matched": len(complaints)},
        )
    return len(complaints)

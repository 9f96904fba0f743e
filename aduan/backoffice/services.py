"""Writes of the complaint page that are not plain workflow transitions (issue 4, area H3).

- identity: shown per the privacy model, every view logged (`identity.view`); an anonymous
  complainant's identity only through an admin's reveal with a reason (`identity.reveal`) —
  R7, S1, S2, S14;
- staff notes with a meaning: a field check, a request for input from a co-agency, the
  coordination team's "coordinate" (Pasal 7(5)a) — each an internal note (never shown to the
  complainant), a non-public Event and an audit row, with notifications through the outbox;
- linking related complaints (Complaint.related);
- the agency head's approval of responses (Agency.requires_head_approval): a liaison's response
  becomes a ResponseDraft; the head approves it (the `respond` transition runs *as the head*, the
  draft keeps its author) or sends it back with a note;
- a response with attachments (`complaint_respond` plus the staged uploads, one transaction);
- `transition_if_unchanged`: the optimistic check for two people acting at once.

Every function is keyword-only, checks who may do it and raises ApplicationError /
PermissionDenied (never an HTTP error).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from aduan.accounts.access import can_see_identity, complaints_visible_to
from aduan.accounts.models import User
from aduan.accounts.roles import AGENCY_ROLES, COORDINATION_ROLES, Role
from aduan.accounts.selectors import staff_list_active
from aduan.agencies.models import Agency, Cause
from aduan.audit.services import audit_record
from aduan.complaints.models import Complaint, Event, Message, Upload
from aduan.complaints.services import complaint_add_note
from aduan.complaints.uploads import attachments_from_uploads
from aduan.complaints.workflow import transitions as wf
from aduan.complaints.workflow.actors import Actor
from aduan.complaints.workflow.states import Status
from aduan.core import clock as time
from aduan.core.exceptions import ApplicationError, PermissionDenied
from aduan.notifications.services import notify_users

from .models import ResponseDraft

OPEN_AGENCY_STATES = frozenset({Status.DISPATCHED, Status.IN_PROGRESS})
NOTE_ROLES = frozenset({Role.ADMIN, Role.LIAISON, Role.AGENCY_HEAD}) | COORDINATION_ROLES
REASON_MIN_LENGTH = 10


def _refuse(message: str, code: str) -> PermissionDenied:
    return PermissionDenied(message, code=code)


def _invalid(message: str, field: str, code: str = "invalid") -> ApplicationError:
    return ApplicationError(message, code=code, extra={"field": field})


def _text(text: str, field: str, message: str) -> str:
    cleaned = (text or "").strip()
    if not cleaned:
        raise _invalid(message, field, "required")
    return cleaned


def _visible(user: User, complaint: Complaint) -> bool:
    return complaints_visible_to(user).filter(pk=complaint.pk).exists()


def _is_lead_agency_staff(actor: Actor, complaint: Complaint) -> bool:
    return (
        actor.role in AGENCY_ROLES
        and actor.agency_id is not None
        and actor.agency_id == complaint.lead_agency_id
    )


# --- identity (R7, S1, S2) -------------------------------------------------------------------


@dataclass(frozen=True)
class IdentityView:
    """What the page shows of a complainant (decrypted for this response only)."""

    name: str
    phone: str
    email: str
    address: str
    nik: str
    messenger_id: str
    revealed: bool = False

    @property
    def is_empty(self) -> bool:
        return not any(
            (self.name, self.phone, self.email, self.address, self.nik, self.messenger_id)
        )


def _identity_of(complaint: Complaint, *, revealed: bool) -> IdentityView | None:
    complainant = getattr(complaint, "complainant", None)
    if complainant is None:
        return None
    return IdentityView(
        name=complainant.name,
        phone=complainant.phone,
        email=complainant.email,
        address=complainant.address,
        nik=complainant.nik,
        messenger_id=complainant.messenger_id,
        revealed=revealed,
    )


def identity_for_staff(*, user: User, complaint: Complaint) -> IdentityView | None:
    """The identity `user` may see without a reveal, or None; each view is logged (S14).

    Anonymous complaints: None for everybody (an admin must reveal, `identity_reveal`).
    """
    if not can_see_identity(user=user, complaint=complaint):
        return None
    identity = _identity_of(complaint, revealed=False)
    if identity is not None:
        audit_record("identity.view", actor=user, obj=complaint, data={"anonymous": False})
    return identity


def identity_reveal(*, user: User, complaint: Complaint, reason: str) -> IdentityView | None:
    """S2: an admin reveals an anonymous complainant's identity, with a reason; logged.

    Nothing is cached: the caller shows the result in this one response.
    """
    if user.role != Role.ADMIN or not user.is_active:
        audit_record("identity.reveal_denied", actor=user, obj=complaint)
        raise _refuse(_("Only the Dinas admin may reveal an identity."), "role_not_allowed")
    if not _visible(user, complaint):
        raise _refuse(_("You do not have access to this complaint."), "no_access")
    reason = _text(reason, "reason", _("Say why you need to see the identity."))
    if len(reason) < REASON_MIN_LENGTH:
        raise _invalid(
            _("Explain the reason in a few words (at least %(min)s characters).")
            % {"min": REASON_MIN_LENGTH},
            "reason",
            "too_short",
        )
    audit_record(
        "identity.reveal",
        actor=user,
        obj=complaint,
        data={"reason": reason[:500], "anonymous": complaint.anonymous},
    )
    return _identity_of(complaint, revealed=True)


# --- staff notes with a meaning ---------------------------------------------------------------


def _staff_note(
    *,
    complaint: Complaint,
    by: Actor,
    text: str,
    verb: str,
    data: dict[str, Any] | None = None,
) -> tuple[Message, Event]:
    """An internal note (Message.Kind.NOTE) with its own Event verb and an audit row."""
    now = time.now()
    note = Message.objects.create(
        complaint=complaint,
        kind=Message.Kind.NOTE,
        author=by.user,
        agency_id=by.agency_id,
        body=text,
        created_at=now,
    )
    event = Event.aside(
        complaint, verb=verb, by=by, data={"message": note.pk, **(data or {})}, at=now
    )
    audit_record(
        f"complaint.{verb}", actor=by, obj=complaint, data={"event": event.pk, **(data or {})}
    )
    return note, event


def check_note(*, complaint: Complaint, by: Actor) -> None:
    """Who may write an internal note: whoever handles or coordinates (not the regent)."""
    if by.role not in NOTE_ROLES:
        raise _refuse(_("Your role may not write notes."), "role_not_allowed")


@transaction.atomic
def complaint_note(*, complaint: Complaint, by: Actor, text: str) -> Message:
    """An internal note (never shown to the complainant)."""
    check_note(complaint=complaint, by=by)
    note = complaint_add_note(complaint=complaint, by=by, text=text)
    audit_record("complaint.note", actor=by, obj=complaint, data={"message": note.pk})
    return note


def check_field_check(*, complaint: Complaint, by: Actor) -> None:
    if not _is_lead_agency_staff(by, complaint):
        raise _refuse(_("Only the lead agency's staff may record a field check."), "not_own_agency")
    if complaint.status not in OPEN_AGENCY_STATES:
        raise ApplicationError(
            _("A field check is recorded while the agency handles the complaint."),
            code="invalid_state",
        )


@transaction.atomic
def complaint_record_field_check(
    *, complaint: Complaint, by: Actor, text: str, checked_on: dt.date | None = None
) -> Message:
    """The lead agency records a field check (cek lapangan): what was found, when."""
    check_field_check(complaint=complaint, by=by)
    text = _text(text, "text", _("Write what the field check found."))
    if checked_on is not None and checked_on > time.local_date():
        raise _invalid(_("The date cannot be in the future."), "checked_on", "future_date")
    note, _event = _staff_note(
        complaint=complaint,
        by=by,
        text=text,
        verb="field_check",
        data={"checked_on": checked_on.isoformat() if checked_on else ""},
    )
    return note


def check_co_agency_input(*, complaint: Complaint, by: Actor) -> None:
    if not (by.role == Role.ADMIN or _is_lead_agency_staff(by, complaint)):
        raise _refuse(
            _("Only the lead agency or the Dinas may ask a co-agency for input."),
            "not_own_agency",
        )
    if complaint.status not in OPEN_AGENCY_STATES or not complaint.co_agencies.exists():
        raise ApplicationError(
            _("Input is asked from a co-agency while the agency handles the complaint."),
            code="invalid_state",
        )


@transaction.atomic
def complaint_request_co_agency_input(
    *, complaint: Complaint, by: Actor, agency: Agency, text: str
) -> Message:
    """Ask one of the complaint's co-agencies for input: a note addressed to it, and its
    liaison officers notified."""
    check_co_agency_input(complaint=complaint, by=by)
    if agency is None or not complaint.co_agencies.filter(pk=agency.pk).exists():
        raise _invalid(_("Choose one of this complaint's co-agencies."), "agency", "not_co_agency")
    text = _text(text, "text", _("Write what you need from the co-agency."))
    note, event = _staff_note(
        complaint=complaint,
        by=by,
        text=text,
        verb="co_agency_input",
        data={"agency": agency.code},
    )
    notify_users(
        staff_list_active(roles=[Role.LIAISON], agency_id=agency.pk),
        "co_agency_assigned",
        key=f"c{complaint.pk}:e{event.pk}:input{agency.pk}",
        context={"agency": str(complaint.lead_agency)},
        complaint=complaint,
    )
    return note


def check_coordinate(*, complaint: Complaint, by: Actor) -> None:
    if by.role not in COORDINATION_ROLES:
        raise _refuse(_("Only the coordination team may coordinate."), "role_not_allowed")
    if complaint.lead_agency_id is None or complaint.status not in OPEN_AGENCY_STATES:
        raise ApplicationError(
            _("Coordination is for complaints an agency is handling."), code="invalid_state"
        )


@transaction.atomic
def complaint_coordinate(*, complaint: Complaint, by: Actor, text: str) -> Message:
    """Pasal 7(5)a: the coordination team records a note on a slow or overdue complaint and the
    lead agency's liaison officers are notified."""
    check_coordinate(complaint=complaint, by=by)
    text = _text(text, "text", _("Write the coordination note."))
    note, event = _staff_note(complaint=complaint, by=by, text=text, verb="coordinate")
    notify_users(
        staff_list_active(roles=[Role.LIAISON], agency_id=complaint.lead_agency_id),
        "coordination_note",
        key=f"c{complaint.pk}:e{event.pk}:coordinate",
        context={
            "agency": str(complaint.lead_agency),
            "note": text,
            "response_due": time.format_local(complaint.response_due_at),
        },
        complaint=complaint,
    )
    return note


# --- related complaints -----------------------------------------------------------------------


def check_link(*, complaint: Complaint, by: Actor) -> None:
    if not (by.role == Role.ADMIN or _is_lead_agency_staff(by, complaint)):
        raise _refuse(_("Your role may not link complaints."), "role_not_allowed")


@transaction.atomic
def complaint_link_related(*, complaint: Complaint, other: Complaint | None, by: Actor) -> None:
    """Mark two complaints as related (both must be visible to the actor); audited."""
    check_link(complaint=complaint, by=by)
    if other is None or by.user is None or not _visible(by.user, other):
        raise _invalid(_("Choose a complaint you can see."), "other", "unknown_complaint")
    if other.pk == complaint.pk:
        raise _invalid(_("A complaint cannot be related to itself."), "other", "same_complaint")
    if complaint.related.filter(pk=other.pk).exists():
        raise _invalid(_("These complaints are already linked."), "other", "already_linked")
    complaint.related.add(other)
    for subject, partner in ((complaint, other), (other, complaint)):
        Event.aside(subject, verb="link", by=by, data={"related": partner.tracking_code})
    audit_record("complaint.link", actor=by, obj=complaint, data={"related": other.tracking_code})


# --- responses: attachments, and the head's approval ------------------------------------------


@transaction.atomic
def complaint_respond_with_files(
    *,
    complaint: Complaint,
    by: Actor,
    text: str,
    cause: Cause | None,
    resolution: str,
    uploads: Sequence[Upload] = (),
) -> Complaint:
    """`complaint_respond` and the response's attachments in one transaction."""
    result = wf.complaint_respond(
        complaint=complaint,
        by=by,
        text=text,
        cause=cause,  # type: ignore[arg-type]
        resolution=resolution,
    )
    if uploads:
        message = (
            Message.objects.filter(complaint=result, kind=Message.Kind.RESPONSE)
            .order_by("-created_at", "-id")
            .first()
        )
        attachments_from_uploads(complaint=result, uploads=uploads, message=message, by=by)
    return result


def needs_head_approval(complaint: Complaint, by: Actor) -> bool:
    """A liaison's response waits for the head when the lead agency asks for it."""
    agency = complaint.lead_agency
    return bool(agency and agency.requires_head_approval and by.role == Role.LIAISON)


def waiting_draft(complaint: Complaint) -> ResponseDraft | None:
    return (
        ResponseDraft.objects.select_related("author", "cause")
        .filter(complaint=complaint, status=ResponseDraft.Status.WAITING)
        .first()
    )


@transaction.atomic
def response_draft_submit(
    *,
    complaint: Complaint,
    by: Actor,
    text: str,
    cause: Cause | None,
    resolution: str,
    uploads: Sequence[Upload] = (),
) -> ResponseDraft:
    """The liaison's response, held for the agency head. Checked as a response would be; its
    files are kept as internal attachments until the head approves."""
    locked = Complaint.objects.select_for_update().get(pk=complaint.pk)
    wf.check_transition("respond", locked, by)
    text = _text(text, "text", _("Write the response to the complainant."))
    if cause is None or not cause.is_active:
        raise _invalid(_("Choose the cause of the complaint."), "cause", "cause_required")
    from aduan.complaints.models import Resolution

    if resolution not in Resolution.values:
        raise _invalid(_("Choose the handling result."), "resolution", "resolution_required")
    if waiting_draft(locked) is not None:
        raise ApplicationError(
            _("A response already waits for the head's approval."), code="draft_waiting"
        )
    draft = ResponseDraft.objects.create(
        complaint=locked,
        author=by.user,  # type: ignore[misc]
        body=text,
        cause=cause,
        resolution=resolution,
    )
    attachments = attachments_from_uploads(complaint=locked, uploads=uploads, by=by)
    for attachment in attachments:
        attachment.is_internal = True
        attachment.save(update_fields=["is_internal"])
    event = Event.aside(
        locked,
        verb="draft_submit",
        by=by,
        data={"draft": draft.pk, "attachments": [a.pk for a in attachments]},
    )
    audit_record("response_draft.submit", actor=by, obj=locked, data={"draft": draft.pk})
    notify_users(
        staff_list_active(roles=[Role.AGENCY_HEAD], agency_id=locked.lead_agency_id),
        "response_draft_waiting",
        key=f"c{locked.pk}:e{event.pk}:draft",
        context={"author": by.label},
        complaint=locked,
    )
    return draft


def check_draft_decision(*, complaint: Complaint, by: Actor) -> ResponseDraft:
    if not (by.role == Role.AGENCY_HEAD and _is_lead_agency_staff(by, complaint)):
        raise _refuse(_("Only the head of the lead agency approves responses."), "not_agency_head")
    draft = waiting_draft(complaint)
    if draft is None:
        raise ApplicationError(_("No response waits for approval."), code="no_draft")
    return draft


def _draft_attachments(draft: ResponseDraft) -> list[int]:
    event = Event.objects.filter(
        complaint_id=draft.complaint_id, verb="draft_submit", data__draft=draft.pk
    ).first()
    return list(event.data.get("attachments", [])) if event else []


@transaction.atomic
def response_draft_approve(*, complaint: Complaint, by: Actor) -> Complaint:
    """The head approves: the response is sent with the draft's text, *as the head* (the head
    takes responsibility for what is sent; the Event names the head, the draft keeps its author
    and the audit row records both)."""
    draft = check_draft_decision(complaint=complaint, by=by)
    ResponseDraft.objects.select_for_update().filter(pk=draft.pk).first()
    result = wf.complaint_respond(
        complaint=complaint,
        by=by,
        text=draft.body,
        cause=draft.cause,  # type: ignore[arg-type]
        resolution=draft.resolution,
    )
    attachment_ids = _draft_attachments(draft)
    if attachment_ids:
        message = (
            Message.objects.filter(complaint=result, kind=Message.Kind.RESPONSE)
            .order_by("-created_at", "-id")
            .first()
        )
        result.attachments.filter(pk__in=attachment_ids).update(is_internal=False, message=message)
    draft.status = ResponseDraft.Status.APPROVED
    draft.decided_by = by.user
    draft.decided_at = time.now()
    draft.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
    audit_record(
        "response_draft.approve",
        actor=by,
        obj=result,
        data={"draft": draft.pk, "author": draft.author.get_username()},
    )
    return result


@transaction.atomic
def response_draft_reject(*, complaint: Complaint, by: Actor, note: str) -> ResponseDraft:
    """The head sends the draft back to the liaison with a note (an internal note too)."""
    draft = check_draft_decision(complaint=complaint, by=by)
    note = _text(note, "note", _("Tell the liaison what to change."))
    draft.status = ResponseDraft.Status.REJECTED
    draft.decided_by = by.user
    draft.decided_at = time.now()
    draft.decision_note = note
    draft.save(update_fields=["status", "decided_by", "decided_at", "decision_note", "updated_at"])
    _staff_note(
        complaint=complaint, by=by, text=note, verb="draft_reject", data={"draft": draft.pk}
    )
    return draft


# --- two people at once -----------------------------------------------------------------------


class ComplaintChanged(ApplicationError):
    """The complaint changed after the form was rendered (someone else acted)."""

    def __init__(self, complaint: Complaint):
        super().__init__(
            _("This complaint was changed by someone else meanwhile; here is its current state."),
            code="stale",
        )
        self.complaint = complaint


def version_of(complaint: Complaint) -> str:
    """The version a form carries: the complaint's `updated_at` in microseconds."""
    stamp = complaint.updated_at
    return str(int(stamp.timestamp() * 1_000_000)) if stamp else ""


@transaction.atomic
def transition_if_unchanged(
    fn: Callable[..., Any],
    *,
    complaint: Complaint,
    state: str,
    version: str,
    **kwargs: Any,
) -> Any:
    """Run `fn(complaint=..., **kwargs)` only if the complaint is still in `state` at `version`.

    The row is locked first (SELECT … FOR UPDATE on PostgreSQL; SQLite serialises writers), so
    of two people acting at once the second waits, then sees the change and gets
    ComplaintChanged; nothing of its action is done.
    """
    locked = Complaint.objects.select_for_update().get(pk=complaint.pk)
    if locked.status != state or (version and version_of(locked) != version):
        raise ComplaintChanged(locked)
    return fn(complaint=locked, **kwargs)

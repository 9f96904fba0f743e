"""Schemas of the staff endpoints (`/api/v1/staff/`): what a row, a complaint and a queue look
like, and the body of each workflow action. Object references in action bodies are database
ids (as in the back-office forms): agencies, categories, causes; a related complaint or a
duplicate by its tracking code."""

from __future__ import annotations

from typing import Any

from ninja import Field, Schema

from .conventions import Moment


class AgencyRef(Schema):
    id: int
    code: str
    name: str


class ComplaintRow(Schema):
    id: int
    tracking_code: str
    title: str
    status: str
    status_label: str
    kind: str
    channel: str
    received_at: Moment | None = None
    status_changed_at: Moment | None = None
    dispatch_due_at: Moment | None = None
    response_target_at: Moment | None = None
    response_due_at: Moment | None = None
    lead_agency: AgencyRef | None = None
    category: str | None = None


class ComplaintPage(Schema):
    items: list[ComplaintRow]
    next: str | None = None


class QueueGroup(Schema):
    key: str
    label: str
    complaints: list[ComplaintRow]
    counts: dict[str, Any] = Field(default_factory=dict)


class QueueOut(Schema):
    """The caller's home queue: what the back-office home page of the role shows."""

    role: str
    kind: str  # admin | agency | coordination | regent
    counts: dict[str, Any]
    groups: list[QueueGroup]


class IdentityOut(Schema):
    """The complainant's identity, only where the privacy model allows (S1)."""

    name: str
    phone: str
    email: str
    address: str
    nik: str
    messenger_id: str
    revealed: bool


class EventOut(Schema):
    id: int
    verb: str
    at: Moment
    actor: str | None = None
    actor_role: str
    from_state: str
    to_state: str
    is_public: bool
    agency: str | None = None
    data: dict[str, Any] = Field(default_factory=dict)


class AttachmentOut(Schema):
    id: int
    name: str
    content_type: str
    size: int
    is_internal: bool


class MessageOut(Schema):
    id: int
    kind: str  # complainant, response, note (internal), ...
    internal: bool
    at: Moment
    author: str | None = None
    agency: str | None = None
    body: str
    attachments: list[AttachmentOut] = Field(default_factory=list)


class ComplaintDetail(ComplaintRow):
    version: str = Field(description="Send it back in `If-Match` with an action (412 if stale).")
    body: str
    anonymous: bool
    private: bool
    location_text: str
    region: str | None = None
    co_agencies: list[AgencyRef] = Field(default_factory=list)
    identity: IdentityOut | None = None
    identity_hidden: bool = Field(
        description="An anonymous complainant: the identity is shown only after an admin's "
        "reveal (POST …/reveal)."
    )
    timeline: list[EventOut]
    conversation: list[MessageOut]
    allowed_actions: list[str]


# --- action bodies -----------------------------------------------------------------------------


class _Strict(Schema):
    model_config = {"extra": "forbid"}


class DispatchIn(_Strict):
    agency: int
    kind: str = "complaint"
    category: int | None = None
    co_agencies: list[int] = Field(default_factory=list)
    note: str = ""


class RedispatchIn(_Strict):
    agency: int
    category: int | None = None
    co_agencies: list[int] = Field(default_factory=list)
    note: str = ""


class RequestInfoIn(_Strict):
    question: str


class ArchiveIn(_Strict):
    reason: str
    duplicate_of: str = ""
    note: str = ""


class ForwardOutIn(_Strict):
    forwarded_to: str
    to_national_lapor: bool = False
    note: str = ""


class AcknowledgeIn(_Strict):
    note: str = ""


class ReturnIn(_Strict):
    reason: str
    suggested_agency: int | None = None


class RespondIn(_Strict):
    text: str
    cause: int
    resolution: str


class RestoreIn(_Strict):
    reason: str


class NoteIn(_Strict):
    text: str


class CoordinateIn(_Strict):
    text: str


class FieldCheckIn(_Strict):
    text: str
    checked_on: str = ""


class CoAgencyInputIn(_Strict):
    agency: int
    text: str


class LinkIn(_Strict):
    other: str


class DraftRejectIn(_Strict):
    note: str


class EmptyIn(_Strict):
    pass


class RevealIn(_Strict):
    reason: str

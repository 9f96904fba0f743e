"""What the public and complainant endpoints show of a complaint — the same rules as the
portal's tracking page (`aduan/portal/views/track.py`, whose wording they reuse):

- public view: timeline (events marked public), the current deadline, and — for a report that
  is not rahasia — category, area, agency, responses and the moderated text, all run through
  `public_text` so the complainant's identity never appears (S1);
- private (rahasia) report: states and dates only;
- complainant view: everything but internal notes, plus their own identity.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from aduan.agencies.models import Agency
from aduan.complaints.models import Complainant, Complaint, Message
from aduan.complaints.redaction import public_text
from aduan.complaints.selectors import complaint_public_timeline
from aduan.complaints.workflow.states import Status
from aduan.portal.selectors import PublicReport
from aduan.portal.wording import complainant_actions, event_text, next_step

from .problems import problem

AGENCY_STATES = (Status.DISPATCHED, Status.IN_PROGRESS, Status.RESPONDED, Status.CLOSED)


def malformed(request: HttpRequest) -> HttpResponse:
    return problem(
        request,
        status=400,
        code="malformed_body",
        detail=_("The request body is not valid JSON."),
    )


def find(code: str) -> Complaint | None:
    return (
        Complaint.objects.select_related("lead_agency", "category", "region__parent")
        .defer("access_token")
        .filter(tracking_code=code)
        .first()
    )


def _state_label(state: str) -> str:
    return str(Status(state).label) if state in Status.values else state


def _deadline(complaint: Complaint, granted: bool) -> tuple[str, dt.datetime] | None:
    status = complaint.status
    if status in (Status.RECEIVED, Status.RETURNED) and complaint.dispatch_due_at:
        return "dispatch", complaint.dispatch_due_at
    if status == Status.PENDING and granted and complaint.autoarchive_at:
        return "answer", complaint.autoarchive_at
    if status in (Status.DISPATCHED, Status.IN_PROGRESS) and complaint.response_due_at:
        return "response", complaint.response_due_at
    if status == Status.RESPONDED and complaint.autoclose_at:
        return "follow_up", complaint.autoclose_at
    return None


def status_view(complaint: Complaint, *, granted: bool = False) -> dict[str, Any]:
    """The public status (granted=False) or the common part of the complainant's view."""
    complainant = Complainant.objects.filter(complaint=complaint).first()
    public = not complaint.private
    show_details = granted or public
    step_text = next_step(complaint, show_details, granted)
    deadline = _deadline(complaint, granted)
    view: dict[str, Any] = {
        "tracking_code": complaint.tracking_code,
        "kind": complaint.kind,
        "status": complaint.status,
        "status_label": complaint.get_status_display(),
        "private": complaint.private,
        "received_at": complaint.received_at,
        "next_step": step_text,
        "deadline": (
            {"stage": deadline[0], "due_at": deadline[1], "text": step_text} if deadline else None
        ),
        "timeline": [
            {
                "state": event.to_state or complaint.status,
                "state_label": _state_label(event.to_state or complaint.status),
                "at": event.created_at,
                "text": event_text(event, show_details),
            }
            for event in complaint_public_timeline(complaint)
        ],
        "responses": [],
    }
    if show_details:
        region = complaint.region
        view["category"] = complaint.category.name if complaint.category else None
        view["area"] = (
            f"{region.name}, {region.parent.name}"
            if region is not None and region.parent is not None
            else (region.name if region is not None else None)
        )
        view["agency"] = (
            complaint.lead_agency.name  # type: ignore[union-attr]
            if complaint.lead_agency_id and complaint.status in AGENCY_STATES
            else None
        )
    if public and not granted:
        view["responses"] = [
            {
                "agency": str(m.agency) if m.agency_id else "",
                "at": m.created_at,
                "text": public_text(m.body, complainant),
            }
            for m in complaint.messages.filter(kind=Message.Kind.RESPONSE).select_related("agency")
        ]
        if complaint.published:
            view["title"] = public_text(complaint.public_title, complainant)
            view["text"] = public_text(complaint.public_body, complainant)
    return view


def private_view(complaint: Complaint) -> dict[str, Any]:
    """The complainant's own view: no internal notes; the agency side by agency, never by
    person."""
    view = status_view(complaint, granted=True)
    complainant = Complainant.objects.filter(complaint=complaint).first()
    coordinator = Agency.coordinator()
    conversation = []
    qs = (
        complaint.messages.exclude(kind__in=Message.INTERNAL_KINDS)
        .select_related("agency")
        .prefetch_related("attachments")
        .order_by("created_at", "id")
    )
    for m in qs:
        if m.from_complainant:
            side = "complainant"
        else:
            agency = m.agency or coordinator
            side = str(agency) if agency is not None else _("The Dinas")
        conversation.append(
            {
                "kind": m.kind,
                "kind_label": m.get_kind_display(),
                "side": side,
                "mine": m.from_complainant,
                "at": m.created_at,
                "text": m.body,
                "attachments": [
                    {"name": a.original_name, "size": a.size}
                    for a in m.attachments.all()
                    if not a.is_internal
                ],
            }
        )
    question = (
        complaint.messages.filter(kind=Message.Kind.QUESTION).order_by("-created_at").first()
        if complaint.status == Status.PENDING
        else None
    )
    view.update(
        {
            "title": complaint.title,
            "body": complaint.body,
            "actions": sorted(complainant_actions(complaint)),
            "question": question.body if question else None,
            "conversation": conversation,
            "identity": (
                {
                    "name": complainant.name,
                    "phone": complainant.phone,
                    "email": complainant.email,
                    "address": complainant.address,
                    "anonymous": complaint.anonymous,
                }
                if complainant is not None
                else None
            ),
            "rating": (
                {
                    "satisfaction": complaint.satisfaction,
                    "comment": complaint.satisfaction_comment,
                }
                if complaint.satisfaction
                else None
            ),
        }
    )
    return view


def report_row(report: PublicReport) -> dict[str, Any]:
    return {
        "tracking_code": report.code,
        "kind": report.kind,
        "status": report.status,
        "status_label": report.status_label,
        "category": report.category,
        "kecamatan": report.kecamatan,
        "published": report.published,
        "village": report.village,
        "agency": report.agency,
        "received_at": report.received_at,
        "title": report.title,
        "text": report.body,
        "response": report.response,
        "responded_at": report.responded_at,
        "closed_at": report.closed_at,
    }

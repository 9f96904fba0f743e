"""/api/v1 — the complainant's endpoints. The secret token (shown once on submission) goes in
the `X-Complaint-Token` header or `Authorization: Token …`, never in the URL (S5). A wrong or
missing token answers 404 — the same as an unknown code, so nothing reveals that a report
exists — and counts against the caller's address (S7). Actions go through the workflow with
`Actor.complainant()`; a refusal changes nothing (problem+json, 409 for the state)."""

from __future__ import annotations

import hmac
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Header, Router, Status
from ninja.decorators import decorate_view

from aduan.complaints.codes import normalize_tracking_code
from aduan.complaints.models import Complaint
from aduan.complaints.services import complaint_add_complainant_message, complaint_by_access_token
from aduan.complaints.workflow import transitions as t
from aduan.complaints.workflow.actors import Actor
from aduan.core.ratelimit import client_ip, hit, peek
from aduan.portal.views.track import TOKEN_LIMIT

from . import presenters
from .conventions import RateLimited, errors, etag
from .schemas import ComplaintPrivateOut, ConfirmIn, RatingIn, TextIn

router = Router(tags=["complainant"])

TOKEN_DOC = "The complaint's secret token (or send `Authorization: Token <token>`)."  # noqa: S105  # nosec B105


def _token(request: HttpRequest, header_token: str | None) -> str:
    if header_token:
        return header_token.strip()
    auth = request.headers.get("Authorization", "")
    scheme, _sep, value = auth.partition(" ")
    if scheme.lower() == "token":
        return value.strip()
    return ""


def _complaint(request: HttpRequest, code: str, header_token: str | None) -> Complaint:
    """The complaint `code` if the token opens it; otherwise 404 (counted, S7)."""
    ip = client_ip(request)
    if peek(TOKEN_LIMIT, ip) >= TOKEN_LIMIT.count:
        raise RateLimited(hit(TOKEN_LIMIT, ip))
    token = _token(request, header_token)
    canonical = normalize_tracking_code(code)
    opened = complaint_by_access_token(token) if token and canonical else None
    if opened is None or not hmac.compare_digest(opened.tracking_code, canonical or ""):
        verdict = hit(TOKEN_LIMIT, ip)
        if not verdict.allowed:
            raise RateLimited(verdict)
        raise Http404
    found = presenters.find(opened.tracking_code)
    if found is None:  # pragma: no cover - deleted between the two reads
        raise Http404
    return found


def _private(complaint: Complaint) -> dict[str, Any]:
    fresh = presenters.find(complaint.tracking_code)
    return presenters.private_view(fresh or complaint)


TokenHeader = Header(None, alias="X-Complaint-Token", description=TOKEN_DOC)


@router.get(
    "/complaints/{code}/private",
    response={200: ComplaintPrivateOut, **errors(404, 429)},
    url_name="complaint_private",
    summary="The complainant's own view of the report (token required)",
)
@decorate_view(etag)
def complaint_private(
    request: HttpRequest,
    code: str,
    x_complaint_token: str | None = TokenHeader,
) -> dict[str, Any]:
    return presenters.private_view(_complaint(request, code, x_complaint_token))


ACTION_ERRORS = errors(400, 403, 404, 409, 413, 422, 429)


@router.post(
    "/complaints/{code}/supplement",
    response={200: ComplaintPrivateOut, **ACTION_ERRORS},
    summary="Answer the Dinas's question (state pending)",
)
def complaint_supplement(
    request: HttpRequest, code: str, payload: TextIn, x_complaint_token: str | None = TokenHeader
) -> dict[str, Any]:
    c = _complaint(request, code, x_complaint_token)
    t.complaint_supplement(complaint=c, by=Actor.complainant(), text=payload.text, channel="app")
    return _private(c)


@router.post(
    "/complaints/{code}/follow-up",
    response={200: ComplaintPrivateOut, **ACTION_ERRORS},
    summary="Not solved: send the report back to the agency (state responded)",
)
def complaint_follow_up(
    request: HttpRequest, code: str, payload: TextIn, x_complaint_token: str | None = TokenHeader
) -> dict[str, Any]:
    c = _complaint(request, code, x_complaint_token)
    t.complaint_follow_up(complaint=c, by=Actor.complainant(), text=payload.text, channel="app")
    return _private(c)


@router.post(
    "/complaints/{code}/confirm",
    response={200: ComplaintPrivateOut, **ACTION_ERRORS},
    summary="Confirm that it is solved, with an optional rating (state responded)",
)
def complaint_confirm(
    request: HttpRequest,
    code: str,
    payload: ConfirmIn,
    x_complaint_token: str | None = TokenHeader,
) -> dict[str, Any]:
    c = _complaint(request, code, x_complaint_token)
    t.complaint_confirm(
        complaint=c,
        by=Actor.complainant(),
        satisfaction=payload.satisfaction,
        comment=payload.comment,
    )
    return _private(c)


@router.post(
    "/complaints/{code}/rating",
    response={200: ComplaintPrivateOut, **ACTION_ERRORS},
    summary="Rate the handling (once, after closing)",
)
def complaint_rating(
    request: HttpRequest, code: str, payload: RatingIn, x_complaint_token: str | None = TokenHeader
) -> dict[str, Any]:
    c = _complaint(request, code, x_complaint_token)
    t.complaint_rate(
        complaint=c,
        by=Actor.complainant(),
        satisfaction=payload.satisfaction,
        comment=payload.comment,
    )
    return _private(c)


@router.post(
    "/complaints/{code}/messages",
    response={201: ComplaintPrivateOut, **ACTION_ERRORS},
    summary="Add a message to an open report",
)
def complaint_message(
    request: HttpRequest, code: str, payload: TextIn, x_complaint_token: str | None = TokenHeader
) -> Status[Any]:
    c = _complaint(request, code, x_complaint_token)
    complaint_add_complainant_message(complaint=c, text=payload.text, channel="app")
    return Status(201, _private(c))

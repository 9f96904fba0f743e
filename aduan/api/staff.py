"""/api/v1/staff/ — the staff endpoints (issue 6): the caller's queue, the complaint list,
one complaint, the identity reveal, and every workflow action as its own POST.

Authentication (`auth.staff_auth`): a personal token (`Authorization: Bearer adt_…`, 2FA-enrolled
users only) or the back-office session (second factor done, CSRF); never an integrator's API
key. GETs need the `staff_read` scope, POSTs `staff_act`.

Same rules as the back-office, by calling the same code: complaints only through
`aduan.accounts.access` (S3: one the caller may not see is a 404), the action specs of
`aduan.backoffice.actions` (their check, their form for validation, their `perform`), the
identity through `backoffice.services.identity_for_staff` / `identity_reveal` (S1, S2; each view
audited). Optimistic concurrency: the complaint's `version` (also its `ETag`) sent back in
`If-Match` — a complaint changed meanwhile is 412 and nothing is done.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.responses import NinjaJSONEncoder

from aduan.accounts.access import complaint_get_for_user, complaints_visible_to
from aduan.accounts.models import User
from aduan.accounts.roles import Role
from aduan.audit.services import audit_record
from aduan.backoffice import selectors
from aduan.backoffice import services as bo_services
from aduan.backoffice.actions import ACTIONS, ActionRun, available_actions
from aduan.backoffice.filters import ComplaintFilterForm, apply_filters
from aduan.complaints.models import Complaint
from aduan.complaints.workflow.actors import Actor
from aduan.complaints.workflow.states import Status
from aduan.core import clock
from aduan.core.exceptions import ApplicationError, PermissionDenied

from .auth import staff_auth, staff_principal
from .conventions import cursor_page, errors, etag_response, local_iso, status_for
from .models import Scope
from .problems import problem
from .staff_schemas import (
    AcknowledgeIn,
    ArchiveIn,
    CoAgencyInputIn,
    ComplaintDetail,
    ComplaintPage,
    CoordinateIn,
    DispatchIn,
    DraftRejectIn,
    EmptyIn,
    FieldCheckIn,
    ForwardOutIn,
    LinkIn,
    NoteIn,
    QueueOut,
    RedispatchIn,
    RequestInfoIn,
    RespondIn,
    RestoreIn,
    ReturnIn,
    RevealIn,
)

router = Router(tags=["staff"])

READ = staff_auth(Scope.STAFF_READ)
ACT = staff_auth(Scope.STAFF_ACT)
DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}$"
IDENTITY_KEYS = ("name", "phone", "email", "nik", "address", "messenger", "identity")


# --- serialisation -----------------------------------------------------------------------------


def _agency(agency: Any) -> dict[str, Any] | None:
    if agency is None:
        return None
    return {"id": agency.pk, "code": agency.code, "name": agency.name}


def _status_label(value: str) -> str:
    return str(Status(value).label) if value in Status.values else value


def row(c: Complaint) -> dict[str, Any]:
    return {
        "id": c.pk,
        "tracking_code": c.tracking_code,
        "title": c.title,
        "status": c.status,
        "status_label": _status_label(c.status),
        "kind": c.kind,
        "channel": c.channel,
        "received_at": c.received_at,
        "status_changed_at": c.status_changed_at,
        "dispatch_due_at": c.dispatch_due_at,
        "response_target_at": c.response_target_at,
        "response_due_at": c.response_due_at,
        "lead_agency": _agency(c.lead_agency) if c.lead_agency_id else None,
        "category": c.category.name if c.category_id and c.category else None,
    }


def _safe_data(data: dict[str, Any]) -> dict[str, Any]:
    """An event's details without anything that could carry identity (S1)."""
    return {
        k: v
        for k, v in (data or {}).items()
        if not any(word in k.lower() for word in IDENTITY_KEYS)
    }


def _identity(view: bo_services.IdentityView | None) -> dict[str, Any] | None:
    if view is None:
        return None
    return {
        "name": view.name,
        "phone": view.phone,
        "email": view.email,
        "address": view.address,
        "nik": view.nik,
        "messenger_id": view.messenger_id,
        "revealed": view.revealed,
    }


def _load(user: User, pk: int) -> Complaint:
    """The complaint if `user` may see it (S3); otherwise 404 (the refusal is audited)."""
    try:
        complaint_get_for_user(user=user, pk=pk)
    except PermissionDenied:
        raise Http404 from None
    return (
        Complaint.objects.select_related(
            "category", "region__parent", "lead_agency", "complainant", "cause"
        )
        .prefetch_related("co_agencies")
        .get(pk=pk)
    )


def detail(
    user: User, complaint: Complaint, *, revealed: bo_services.IdentityView | None = None
) -> dict[str, Any]:
    """The whole complaint as staff see it; identity only per the privacy model (S1)."""
    identity = revealed or bo_services.identity_for_staff(user=user, complaint=complaint)
    events = complaint.events.select_related("actor", "agency").order_by("created_at", "id")
    messages = (
        complaint.messages.select_related("author", "agency")
        .prefetch_related("attachments")
        .order_by("created_at", "id")
    )
    region = complaint.region
    data = row(complaint)
    data.update(
        {
            "version": bo_services.version_of(complaint),
            "body": complaint.body,
            "anonymous": complaint.anonymous,
            "private": complaint.private,
            "location_text": complaint.location_text,
            "region": (
                f"{region.name}, {region.parent.name}"
                if region is not None and region.parent is not None
                else (region.name if region is not None else None)
            ),
            "co_agencies": [_agency(a) for a in complaint.co_agencies.all()],
            "identity": _identity(identity),
            "identity_hidden": complaint.anonymous and identity is None,
            "timeline": [
                {
                    "id": e.pk,
                    "verb": e.verb,
                    "at": e.created_at,
                    "actor": e.actor.get_username() if e.actor_id and e.actor else None,
                    "actor_role": e.actor_role,
                    "from_state": e.from_state,
                    "to_state": e.to_state,
                    "is_public": e.is_public,
                    "agency": e.agency.name if e.agency_id and e.agency else None,
                    "data": _safe_data(e.data),
                }
                for e in events
            ],
            "conversation": [
                {
                    "id": m.pk,
                    "kind": m.kind,
                    "internal": m.kind == "note",
                    "at": m.created_at,
                    "author": m.author.get_username() if m.author_id and m.author else None,
                    "agency": m.agency.name if m.agency_id and m.agency else None,
                    "body": m.body,
                    "attachments": [
                        {
                            "id": a.pk,
                            "name": a.original_name,
                            "content_type": a.content_type,
                            "size": a.size,
                            "is_internal": a.is_internal,
                        }
                        for a in m.attachments.all()
                    ],
                }
                for m in messages
            ],
            "allowed_actions": [spec.verb for spec in available_actions(complaint, Actor.of(user))],
        }
    )
    return data


def _detail_response(
    request: HttpRequest, user: User, complaint: Complaint, **kwargs: Any
) -> HttpResponse:
    body = ComplaintDetail(**detail(user, complaint, **kwargs)).model_dump(mode="json")
    response = JsonResponse(body, encoder=NinjaJSONEncoder)
    response["ETag"] = f'"{body["version"]}"'
    response["Cache-Control"] = "no-store"
    return response


def _no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"  # staff data is never kept by caches (S9)
    return response


# --- reads -------------------------------------------------------------------------------------


def _rows(items: Any) -> list[dict[str, Any]]:
    return [row(c) for c in items]


def _counts(raw: dict[str, Any]) -> dict[str, Any]:
    return {
        k: (local_iso(v) if isinstance(v, dt.datetime) else v)
        for k, v in raw.items()
        if v is None or isinstance(v, int | float | str | dt.datetime)
    }


@router.get("/queue", auth=READ, response={200: QueueOut, **errors(401, 403)})
def queue(request: HttpRequest) -> HttpResponse:
    """The caller's home queue, as on the back-office home page of the role (weak ETag)."""
    return _no_store(etag_response(request, QueueOut(**_queue(staff_principal(request).user))))


def _queue(user: User) -> dict[str, Any]:
    now = clock.now()
    role = Role(user.role)
    if role == Role.ADMIN:
        home = selectors.admin_home(now)
        groups = [
            {"key": "inbox", "label": _("To verify"), "complaints": _rows(home.inbox)},
            {
                "key": "pending",
                "label": _("Waiting for the complainant"),
                "complaints": _rows(home.pending),
            },
        ]
        return {"role": role, "kind": "admin", "counts": _counts(home.counts), "groups": groups}
    if role in (Role.LIAISON, Role.AGENCY_HEAD):
        ahome = selectors.agency_home(user, now, head=role == Role.AGENCY_HEAD)
        groups = [
            {"key": "queue", "label": _("Your agency's queue"), "complaints": _rows(ahome.queue)},
            {
                "key": "co_requests",
                "label": _("Help asked from your agency"),
                "complaints": _rows(ahome.co_requests),
            },
        ]
        if ahome.drafts:
            groups.append(
                {
                    "key": "drafts",
                    "label": _("Responses waiting for approval"),
                    "complaints": _rows(d.complaint for d in ahome.drafts),
                }
            )
        counts = _counts(ahome.counts)
        counts.update({f"month_{k}": v for k, v in _counts(ahome.performance).items()})
        return {"role": role, "kind": "agency", "counts": counts, "groups": groups}
    if role == Role.REGENT:
        rhome = selectors.regent_home(now)
        counts = {value: n for value, _label, n in rhome.by_state}
        counts["overdue_dispatch"] = rhome.overdue_dispatch
        return {"role": role, "kind": "regent", "counts": counts, "groups": []}
    chome = selectors.coordination_home(now)
    team: list[dict[str, Any]] = [
        {
            "key": g.key,
            "label": g.name,
            "complaints": _rows(g.complaints),
            "counts": {"slow": g.slow, "overdue": g.overdue},
        }
        for g in chome.groups
    ]
    return {"role": role, "kind": "coordination", "counts": _counts(chome.counts), "groups": team}


class ListFilters(Schema):
    q: str | None = None
    state: str | None = None
    agency: int | None = None
    category: int | None = None
    kecamatan: int | None = None
    channel: str | None = None
    kind: str | None = None
    overdue: bool | None = None
    received_from: str | None = Field(None, pattern=DATE_PATTERN, description="YYYY-MM-DD")
    received_to: str | None = Field(None, pattern=DATE_PATTERN, description="YYYY-MM-DD")
    order: str | None = None  # "-received" (default) or "received"
    cursor: str | None = None
    limit: int | None = None


@router.get("/complaints", auth=READ, response={200: ComplaintPage, **errors(400, 401, 403, 422)})
def complaint_list(request: HttpRequest, filters: Query[ListFilters]) -> HttpResponse:
    """The complaints the caller may see (S3), filtered like the back-office list; cursor
    pagination (`cursor`, `limit` ≤ 100), newest first unless `order=received`."""
    user = staff_principal(request).user
    raw = filters.model_dump(exclude_none=True)
    order = raw.pop("order", "-received")
    raw.pop("cursor", None)
    raw.pop("limit", None)
    if order not in ("-received", "received"):
        raise ApplicationError(
            _("Sort by -received or received."), code="invalid_order", extra={"field": "order"}
        )
    form = ComplaintFilterForm(
        {k: str(v).lower() if isinstance(v, bool) else v for k, v in raw.items()}
    )
    if not form.is_valid():
        field = next(iter(form.errors))
        raise ApplicationError(
            str(form.errors[field][0]), code="invalid_filter", extra={"field": field}
        )
    qs: QuerySet[Complaint] = apply_filters(
        complaints_visible_to(user), form.filters()
    ).select_related(*selectors.LIST_RELATED)
    page = cursor_page(
        request,
        qs.defer(*selectors.LIST_DEFERRED),
        key="received_at",
        descending=order == "-received",
        scope=f"staff-complaints:{user.pk}",
    )
    page_out = ComplaintPage.model_validate({"items": _rows(page.items), "next": page.next})
    return _no_store(etag_response(request, page_out))


@router.get(
    "/complaints/{complaint_id}",
    auth=READ,
    response={200: ComplaintDetail, **errors(401, 403, 404, 422)},
)
def complaint_detail(request: HttpRequest, complaint_id: int) -> HttpResponse:
    """One complaint: text, timeline, conversation with internal notes, attachments, the
    actions the caller may do now; the identity only as the privacy model allows (S1; every
    identity view is audited). `ETag` is the complaint's version (for `If-Match`)."""
    user = staff_principal(request).user
    return _detail_response(request, user, _load(user, complaint_id))


@router.post(
    "/complaints/{complaint_id}/reveal",
    auth=ACT,
    response={200: ComplaintDetail, **errors(400, 401, 403, 404, 409, 422)},
)
def complaint_reveal(request: HttpRequest, complaint_id: int, payload: RevealIn) -> HttpResponse:
    """S2: the Dinas admin reveals an anonymous complainant's identity, with a reason (logged).
    The identity is in this response only."""
    user = staff_principal(request).user
    if user.role != Role.ADMIN:
        audit_record("identity.reveal_denied", actor=user, object_id=str(complaint_id))
        return problem(
            request,
            status=403,
            code="role_not_allowed",
            detail=_("Only the Dinas admin may reveal an identity."),
        )
    complaint = _load(user, complaint_id)
    if not complaint.anonymous:
        return problem(
            request,
            status=409,
            code="not_anonymous",
            detail=_("This complainant is not anonymous; the identity is already shown."),
        )
    identity = bo_services.identity_reveal(user=user, complaint=complaint, reason=payload.reason)
    return _detail_response(
        request,
        user,
        complaint,
        revealed=identity or bo_services.IdentityView("", "", "", "", "", "", revealed=True),
    )


# --- actions -------------------------------------------------------------------------------------


def _if_match(request: HttpRequest) -> str | None:
    raw = request.headers.get("If-Match")
    if raw is None or raw.strip() == "*":  # "*": any current version (RFC 9110)
        return None
    return raw.strip().removeprefix("W/").strip('"')


def _stale(request: HttpRequest, complaint: Complaint) -> HttpResponse:
    return problem(
        request,
        status=412,
        code="stale",
        detail=_("This complaint was changed by someone else meanwhile; read it again."),
        version=bo_services.version_of(complaint),
    )


def _form_data(payload: Schema) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for name, value in payload.model_dump().items():
        if value is None:
            continue
        if isinstance(value, bool):
            data[name] = "on" if value else ""
        elif isinstance(value, list):
            data[name] = [str(v) for v in value]
        else:
            data[name] = str(value)
    return data


def _field_errors(form: Any) -> list[dict[str, Any]]:
    return [
        {"loc": ["body", name], "msg": str(message)}
        for name, messages in form.errors.items()
        for message in messages
    ]


def perform_action(
    request: HttpRequest, complaint_id: int, verb: str, payload: Schema
) -> HttpResponse:
    """Run one back-office action for the caller: the spec's check, its form, its perform."""
    user = staff_principal(request).user
    spec = ACTIONS[verb]
    complaint = _load(user, complaint_id)
    actor = Actor.of(user)
    expected = _if_match(request)
    if expected is not None and expected != bo_services.version_of(complaint):
        return _stale(request, complaint)
    try:
        spec.check(complaint, actor)
    except ApplicationError as exc:
        audit_record(
            "complaint.denied", actor=user, obj=complaint, data={"verb": verb, "code": exc.code}
        )
        refused = isinstance(exc, PermissionDenied)
        return problem(
            request,
            status=403 if refused else status_for(exc),
            code=exc.code or "forbidden",
            detail=str(exc.message),
        )
    form = spec.form(_form_data(payload), complaint=complaint, user=user)
    if not form.is_valid():
        return problem(
            request,
            status=422,
            code="validation_error",
            detail=_("The request is not valid."),
            errors=_field_errors(form),
        )
    data = {
        **form.cleaned_data,
        "state": complaint.status,
        "version": expected or bo_services.version_of(complaint),
    }
    try:
        spec.perform(ActionRun(complaint=complaint, actor=actor, data=data))
    except bo_services.ComplaintChanged as exc:
        return _stale(request, exc.complaint)
    except PermissionDenied as exc:
        return problem(request, status=403, code=exc.code, detail=str(exc.message))
    except ApplicationError as exc:
        return problem(
            request,
            status=status_for(exc),
            code=exc.code or "invalid",
            detail=str(exc.message),
            **({"field": exc.extra["field"]} if exc.extra.get("field") else {}),
        )
    return _detail_response(request, user, _load(user, complaint_id))


ACTION_RESPONSES = {200: ComplaintDetail, **errors(400, 401, 403, 404, 409, 412, 422)}


def _register(path: str, verb: str, body: type[Schema], summary: str) -> None:
    def endpoint(request: HttpRequest, complaint_id: int, payload: Any) -> HttpResponse:
        return perform_action(request, complaint_id, verb, payload)

    endpoint.__annotations__ = {
        "request": HttpRequest,
        "complaint_id": int,
        "payload": body,
        "return": HttpResponse,
    }
    endpoint.__name__ = f"complaint_{verb}"
    endpoint.__doc__ = (
        f"{summary} Same permission check as the back-office action `{verb}`; send the "
        "complaint's version in `If-Match` (412 when it changed meanwhile). Returns the "
        "complaint."
    )
    router.post(
        f"/complaints/{{complaint_id}}/{path}",
        auth=ACT,
        response=ACTION_RESPONSES,
        operation_id=f"staff_complaint_{verb}",
        summary=summary,
    )(endpoint)


ENDPOINTS: list[tuple[str, str, type[Schema], str]] = [
    ("dispatch", "dispatch", DispatchIn, "Verify and dispatch to a lead agency."),
    ("request-info", "request_info", RequestInfoIn, "Ask the complainant for information."),
    ("archive", "archive", ArchiveIn, "Archive (spam, unclear, duplicate…)."),
    ("forward-out", "forward_out", ForwardOutIn, "Hand on: outside the regency's authority."),
    ("acknowledge", "acknowledge", AcknowledgeIn, "The lead agency takes the complaint up."),
    ("return", "return", ReturnIn, "The lead agency returns it to the Dinas."),
    ("respond", "respond", RespondIn, "Respond to the complainant."),
    ("redispatch", "redispatch", RedispatchIn, "Dispatch a returned complaint again."),
    ("restore", "restore", RestoreIn, "Reopen an archived complaint."),
    ("notes", "note", NoteIn, "Add an internal note."),
    ("coordinate", "coordinate", CoordinateIn, "Coordination team note (Pasal 7(5)a)."),
    ("field-check", "field_check", FieldCheckIn, "Record a field check."),
    ("co-agency-input", "co_agency_input", CoAgencyInputIn, "Ask a co-agency for input."),
    ("link", "link", LinkIn, "Link a related complaint (by tracking code)."),
    ("draft-approve", "draft_approve", EmptyIn, "The head approves the waiting response."),
    ("draft-reject", "draft_reject", DraftRejectIn, "The head sends the response back."),
]
for _path, _verb, _body, _summary in ENDPOINTS:
    _register(_path, _verb, _body, _summary)

# verb (back-office) → path segment (API), for tests and documentation
ACTION_PATHS: dict[str, str] = {verb: path for path, verb, _b, _s in ENDPOINTS}

"""/api/v1 — the public endpoints: reference data, submitting a report, its public status, the
public list and statistics. No identity in any response (S1); rahasia reports never listed and
shown by state only (S22)."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.decorators import decorate_view
from pydantic import ValidationError as PydanticValidationError

from aduan.agencies.models import Category, Region
from aduan.complaints.codes import normalize_tracking_code
from aduan.complaints.models import Channel, Upload
from aduan.complaints.services import ComplaintSubmission, IdentityInput, complaint_submit
from aduan.complaints.uploads import check_batch, upload_accept, upload_discard
from aduan.core.exceptions import ApplicationError
from aduan.core.ratelimit import Limit, client_ip
from aduan.portal.privacy import PRIVACY_NOTICE_VERSION
from aduan.portal.selectors import (
    directory_agencies,
    public_report,
    public_report_list,
    public_statistics,
)
from aduan.portal.views.track import LOOKUP_LIMIT

from . import presenters as common
from .conventions import cursor_page, enforce, errors, etag, idempotency_key, link_header
from .problems import problem
from .schemas import (
    AgencyOut,
    CategoryOut,
    ComplaintCreated,
    ComplaintIn,
    ComplaintStatusOut,
    RegionOut,
    ReportPage,
    StatisticsOut,
)
from .statistics import statistics_body

router = Router(tags=["public"])


def submit_limit() -> Limit:
    """S7: submissions per IP address (settings `ADUAN_API_SUBMIT_LIMIT`, per hour)."""
    return Limit("api_submit", getattr(settings, "ADUAN_API_SUBMIT_LIMIT", 20), 3600)


# --- reference data ------------------------------------------------------------------------


@router.get("/categories", response={200: list[CategoryOut]}, summary="Report categories")
@decorate_view(etag)
def categories(request: HttpRequest) -> list[dict[str, Any]]:
    qs = Category.objects.filter(is_active=True).select_related("parent").order_by("code")
    return [
        {
            "code": c.code,
            "name": c.name,
            "parent": c.parent.code if c.parent else None,
            "topic": c.topic,
        }
        for c in qs
    ]


@router.get("/regions", response={200: list[RegionOut]}, summary="Regions (flat, with parent)")
@decorate_view(etag)
def regions(request: HttpRequest) -> list[dict[str, Any]]:
    qs = Region.objects.select_related("parent").order_by("code")
    return [
        {
            "code": r.code,
            "name": r.name,
            "level": r.level,
            "parent": r.parent.code if r.parent else None,
        }
        for r in qs
    ]


@router.get(
    "/agencies",
    response={200: list[AgencyOut]},
    summary="Agencies with their complaint handler (Pasal 3(2)a)",
)
@decorate_view(etag)
def agencies(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        {
            "code": a.code,
            "name": a.name,
            "short_name": a.short_name,
            "kind": a.kind,
            "is_coordinator": a.is_coordinator,
            "handler": {
                "name": a.handler_name,
                "office_address": a.office_address,
                "phone": a.phone,
                "email": a.email,
            },
        }
        for a in directory_agencies()
    ]


# --- submission ------------------------------------------------------------------------------

_MULTIPART_SCHEMA = {
    "type": "object",
    "required": ["payload"],
    "properties": {
        "payload": {
            "type": "string",
            "description": "The report as JSON (the ComplaintIn schema).",
        },
        "files": {"type": "array", "items": {"type": "string", "format": "binary"}},
    },
}

_SUBMIT_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": {"$ref": "#/components/schemas/ComplaintIn"}},
            "multipart/form-data": {"schema": _MULTIPART_SCHEMA},
        },
    }
}


def _validation_problem(request: HttpRequest, exc: PydanticValidationError) -> HttpResponse:
    return problem(
        request,
        status=422,
        code="validation_error",
        detail=_("The request is not valid."),
        errors=[
            {"loc": ["body", *[str(p) for p in e.get("loc", ())]], "msg": str(e.get("msg", ""))}
            for e in exc.errors()
        ],
    )


def _read_submission(request: HttpRequest) -> tuple[ComplaintIn | HttpResponse, list[Any]]:
    """The report and its files from a JSON or a multipart body; a problem response if the
    body cannot be read."""
    content_type = (request.content_type or "").lower()
    files: list[Any] = []
    if content_type == "application/json":
        try:
            data = json.loads(request.body or b"")
        except (ValueError, UnicodeDecodeError):
            return common.malformed(request), files
    elif content_type == "multipart/form-data":
        raw = request.POST.get("payload")
        files = request.FILES.getlist("files")
        if raw is None:
            return (
                problem(
                    request,
                    status=422,
                    code="validation_error",
                    detail=_("The request is not valid."),
                    errors=[{"loc": ["body", "payload"], "msg": "Field required"}],
                ),
                files,
            )
        try:
            data = json.loads(raw)
        except ValueError:
            return common.malformed(request), files
    else:
        return (
            problem(
                request,
                status=415,
                code="unsupported_media_type",
                detail=_("Send the report as application/json or multipart/form-data."),
            ),
            files,
        )
    if not isinstance(data, dict):
        return common.malformed(request), files
    try:
        # JSON mode: strict types, with ISO dates read from strings.
        return ComplaintIn.model_validate_json(json.dumps(data)), files
    except PydanticValidationError as exc:
        return _validation_problem(request, exc), files


def _lookup(model: type[Region] | type[Category], code: str | None, field: str) -> Any:
    if not code:
        return None
    found = model.objects.filter(code=code).first()
    if found is None:
        raise ApplicationError(
            _("Unknown code: %(code)s.") % {"code": code},
            code="unknown_code",
            extra={"field": field},
        )
    return found


def _to_submission(request: HttpRequest, data: ComplaintIn) -> ComplaintSubmission:
    identity = data.identity or None
    given = identity is not None and any(
        (identity.name, identity.phone, identity.email, identity.address, identity.nik)
    )
    if given and not data.privacy_consent:
        raise ApplicationError(
            _("Accept the privacy notice (privacy_consent: true) to give your identity."),
            code="consent_required",
            extra={"field": "privacy_consent"},
        )
    language = data.language or (get_language() or "id")[:2]
    event_date = None
    if data.event_date:
        try:
            event_date = dt.date.fromisoformat(data.event_date)
        except ValueError:
            raise ApplicationError(
                _("This is not a valid date."), code="invalid_date", extra={"field": "event_date"}
            ) from None
    return ComplaintSubmission(
        channel=Channel.APP,
        body=data.body,
        title=data.title,
        kind=data.kind,
        ground=data.ground or "",
        event_date=event_date,
        region=_lookup(Region, data.region, "region"),
        category=_lookup(Category, data.category, "category"),
        location_text=data.location_text,
        latitude=Decimal(str(round(data.latitude, 6))) if data.latitude is not None else None,
        longitude=Decimal(str(round(data.longitude, 6))) if data.longitude is not None else None,
        anonymous=data.anonymous,
        private=data.private,
        protection_requested=data.protection_requested,
        identity=IdentityInput(
            name=identity.name if identity else "",
            phone=identity.phone if identity else "",
            email=identity.email if identity else "",
            address=identity.address if identity else "",
            nik=identity.nik if identity else "",
            ip_address=client_ip(request),
        ),
        language=language if language in ("id", "en") else "id",
        consent_version=PRIVACY_NOTICE_VERSION if data.privacy_consent else "",
    )


def _stage(files: list[Any], owner: str) -> list[Upload]:
    check_batch(names=[f.name or "" for f in files], sizes=[f.size or 0 for f in files])
    staged: list[Upload] = []
    try:
        for file in files:
            staged.append(upload_accept(file, owner=owner))
    except BaseException:
        _discard(staged, owner)
        raise
    return staged


def _discard(staged: list[Upload], owner: str) -> None:
    for upload in staged:
        upload_discard(owner, upload.pk)


@router.post(
    "/complaints",
    response={201: ComplaintCreated, 200: ComplaintCreated, **errors(400, 409, 413, 415, 422, 429)},
    summary="Submit a report (anonymous allowed)",
    description=(
        "JSON body, or multipart/form-data with the JSON in `payload` and the files in "
        "`files`. With an `Idempotency-Key` header a retried request returns the same report "
        "(200, without the token); the same key with a different body is refused (409)."
    ),
    openapi_extra=_SUBMIT_BODY,
)
def submit(request: HttpRequest) -> HttpResponse | Status[Any]:
    enforce(submit_limit(), client_ip(request))
    key = idempotency_key(request)
    data, files = _read_submission(request)
    if isinstance(data, HttpResponse):
        return data
    submission = _to_submission(request, data)
    owner = f"api:{uuid.uuid4().hex}"
    staged = _stage(files, owner) if files else []
    try:
        with transaction.atomic():
            result = complaint_submit(
                submission=submission,
                idempotency_key=key,
                idempotency_source="api",
                uploads=staged,
            )
    except BaseException:
        _discard(staged, owner)
        raise
    if not result.created:
        _discard(staged, owner)
    c = result.complaint
    status_url = request.build_absolute_uri(
        reverse("api-v1:complaint_status", args=[c.tracking_code])
    )
    body = {
        "tracking_code": c.tracking_code,
        "access_token": result.access_token or None,
        "created": result.created,
        "status": c.status,
        "received_at": c.received_at,
        "dispatch_due_at": c.dispatch_due_at,
        "status_url": status_url,
        "private_url": request.build_absolute_uri(
            reverse("api-v1:complaint_private", args=[c.tracking_code])
        ),
    }
    response_status = 201 if result.created else 200
    return Status(response_status, body)


# --- status and lists --------------------------------------------------------------------------


@router.get(
    "/complaints/{code}",
    response={200: ComplaintStatusOut, **errors(404, 429)},
    url_name="complaint_status",
    summary="The public status of a report, by tracking code",
)
@decorate_view(etag)
def complaint_status(request: HttpRequest, code: str) -> dict[str, Any]:
    enforce(LOOKUP_LIMIT, client_ip(request))
    canonical = normalize_tracking_code(code)
    found = common.find(canonical) if canonical else None
    if found is None:
        raise Http404
    return common.status_view(found)


@router.get(
    "/complaints",
    response={200: ReportPage, **errors(400, 422)},
    summary="Public reports (not rahasia, not archived), newest first, paginated",
)
@decorate_view(etag)
def complaint_list(
    request: HttpRequest,
    response: HttpResponse,
    limit: int = Query(20, ge=1, le=100),
    cursor: str | None = Query(None, max_length=500),
) -> dict[str, Any]:
    page = cursor_page(
        request,
        public_report_list(),
        key="received_at",
        limit=limit,
        cursor=cursor,
        scope="public_reports",
    )
    if page.next:
        response["Link"] = link_header(page)
    return {"items": [common.report_row(public_report(c)) for c in page.items], "next": page.next}


@router.get(
    "/statistics",
    response={200: StatisticsOut},
    summary="Public statistics (at most 10 minutes old)",
)
@decorate_view(etag)
def statistics(request: HttpRequest) -> dict[str, Any]:
    """What /statistik/ shows, and only that: a count the page hides is null with `suppressed`
    true (S1; `statistics.statistics_body`)."""
    return statistics_body(public_statistics())

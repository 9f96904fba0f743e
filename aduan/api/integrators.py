"""/api/v1/integrators/ — for other agencies' systems, civic-tech apps and bots (issue 6).

Every call carries an integrator's key (`X-Api-Key`, created by an admin in the back-office at
/kantor/pengaturan/api/), is rate-limited per key at the key's requests per minute (429 with
`Retry-After`, S7) and needs a scope: `submit` to submit, `submit` or `read_public` to read a
report's public status. An API key never reaches the staff endpoints.

- `POST /complaints`: a report in the same JSON as the public `POST /complaints`, plus the
  `channel` the integrator received it on (one of `INTEGRATOR_CHANNELS`; default `app`). The key
  is recorded in the complaint's audit (`api.integrator.submit`) and scopes the
  `Idempotency-Key` (S16: the same key and body never create a second complaint).
- `GET /complaints/{code}`: the public status (the same view as the public endpoint: no
  identity, nothing of a private report but its states — S1).
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any, Literal

from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Router, Status
from ninja.decorators import decorate_view
from pydantic import ValidationError as PydanticValidationError

from aduan.audit.services import audit_record
from aduan.complaints.codes import normalize_tracking_code
from aduan.complaints.models import Channel
from aduan.complaints.services import complaint_submit

from . import presenters as common
from .auth import ApiKeyAuth, integrator_principal
from .conventions import errors, etag, idempotency_key
from .models import Scope
from .problems import problem
from .public import _to_submission, _validation_problem
from .schemas import ComplaintCreated, ComplaintIn, ComplaintStatusOut

router = Router(tags=["integrators"])

# The channels an integrator may say a report came in on (not the staff's intake channels, not
# the national LAPOR! link, which has its own connector).
INTEGRATOR_CHANNELS = (
    Channel.APP,
    Channel.WEB,
    Channel.SMS,
    Channel.EMAIL,
    Channel.WHATSAPP,
    Channel.TELEGRAM,
    Channel.SOCIAL_MEDIA,
    Channel.CALL_CENTER,
)
IntegratorChannel = Literal[
    "app", "web", "sms", "email", "whatsapp", "telegram", "social_media", "call_center"
]


class IntegratorComplaintIn(ComplaintIn):
    channel: IntegratorChannel = Field(
        "app", description="Where the integrator received the report."
    )


_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": {"$ref": "#/components/schemas/IntegratorComplaintIn"}}
        },
    }
}


def _read(request: HttpRequest) -> IntegratorComplaintIn | HttpResponse:
    if (request.content_type or "").lower() != "application/json":
        return problem(
            request,
            status=415,
            code="unsupported_media_type",
            detail=_("Send the report as application/json."),
        )
    try:
        data = json.loads(request.body or b"")
    except (ValueError, UnicodeDecodeError):
        return common.malformed(request)
    if not isinstance(data, dict):
        return common.malformed(request)
    try:
        return IntegratorComplaintIn.model_validate(data)
    except PydanticValidationError as exc:
        return _validation_problem(request, exc)


@router.post(
    "/complaints",
    auth=ApiKeyAuth(Scope.SUBMIT),
    response={
        201: ComplaintCreated,
        200: ComplaintCreated,
        **errors(400, 401, 403, 409, 413, 415, 422, 429),
    },
    summary="Submit a report received by an integrator",
    description=(
        "The JSON of the public `POST /complaints` plus `channel`. With an `Idempotency-Key` "
        "header a retried request returns the same report (200, without the token); the same "
        "key with a different body is refused (409). Rate-limited per API key."
    ),
    openapi_extra=_BODY,
)
def submit(request: HttpRequest) -> HttpResponse | Status:
    key = integrator_principal(request).key
    idem = idempotency_key(request)
    data = _read(request)
    if isinstance(data, HttpResponse):
        return data
    submission = dataclasses.replace(_to_submission(request, data), channel=data.channel)
    with transaction.atomic():
        result = complaint_submit(
            submission=submission,
            idempotency_key=idem,
            idempotency_source=f"api-key:{key.pk}",
        )
        if result.created:
            audit_record(
                "api.integrator.submit",
                actor_label=f"api-key:{key.prefix}",
                obj=result.complaint,
                data={"api_key": key.pk, "api_key_name": key.name, "channel": data.channel},
            )
    c = result.complaint
    body = {
        "tracking_code": c.tracking_code,
        "access_token": result.access_token or None,
        "created": result.created,
        "status": c.status,
        "received_at": c.received_at,
        "dispatch_due_at": c.dispatch_due_at,
        "status_url": request.build_absolute_uri(
            reverse("api-v1:integrator_complaint_status", args=[c.tracking_code])
        ),
        "private_url": request.build_absolute_uri(
            reverse("api-v1:complaint_private", args=[c.tracking_code])
        ),
    }
    return Status(201 if result.created else 200, body)


@router.get(
    "/complaints/{code}",
    auth=ApiKeyAuth(Scope.SUBMIT, Scope.READ_PUBLIC),
    response={200: ComplaintStatusOut, **errors(401, 403, 404, 429)},
    url_name="integrator_complaint_status",
    summary="The public status of a report, by tracking code",
)
@decorate_view(etag)
def complaint_status(request: HttpRequest, code: str) -> dict[str, Any]:
    canonical = normalize_tracking_code(code)
    found = common.find(canonical) if canonical else None
    if found is None:
        raise Http404
    return common.status_view(found)

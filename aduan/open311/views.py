"""Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2) and FixMyStreet's
servicerequestupdates extension, over the same services as the portal.

Each view parses, calls one selector or `complaint_submit`, and renders XML or JSON by the
URL's extension. Every error a client can cause is the spec's error document with the right
HTTP status (400, 403, 404, 405, 409, 429), translated by Accept-Language; nothing is stored
when a POST fails. Decisions (documented in docs/open311.md):
- `service_request_id` is our tracking code, returned directly by POST; `tokens/{token}` maps
  a token 1:1 to the id (the token *is* the id);
- GET requests returns at most 1000 (the spec's default), newest first; `page=2, 3, …` reads
  further (an extension);
- POST needs an API key with the `submit` scope (demo mode: `demo-api-key`) and is limited to
  the key's requests per minute; `Idempotency-Key` makes retries safe (S16).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from aduan.agencies.models import Region
from aduan.api.keys import api_key_check, api_key_hit
from aduan.api.models import ApiKey, Scope
from aduan.audit.services import audit_record
from aduan.complaints.codes import normalize_tracking_code
from aduan.complaints.models import Channel, Ground, Kind
from aduan.complaints.services import ComplaintSubmission, IdentityInput, complaint_submit
from aduan.core import clock
from aduan.core.exceptions import ApplicationError

from . import selectors
from .serializers import render, render_errors

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
CHANGESET = "2026-11-27T00:00:00+08:00"  # when this service list's shape last changed
IDEMPOTENCY_KEY_MAX = 200
TRUE_FALSE = {"true": True, "false": False}


class Open311Error(Exception):
    def __init__(self, status: int, description: str, *, retry_after: int = 0):
        super().__init__(description)
        self.status = status
        self.description = description
        self.retry_after = retry_after


def jurisdiction() -> str:
    return str(getattr(settings, "ADUAN_OPEN311_JURISDICTION", "") or "")


def open311_view(
    methods: tuple[str, ...],
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Method check, jurisdiction check and Open311Error → the spec's error document."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @csrf_exempt
        def wrapped(request: HttpRequest, *args: Any, fmt: str, **kwargs: Any) -> HttpResponse:
            try:
                if request.method not in methods:
                    response = render_errors(fmt, 405, [_("This method is not allowed here.")])
                    response["Allow"] = ", ".join(methods)
                    return response
                given = (request.POST if request.method == "POST" else request.GET).get(
                    "jurisdiction_id", ""
                )
                if given and given != jurisdiction():
                    raise Open311Error(400, _("Unknown jurisdiction_id."))
                response = view(request, *args, fmt=fmt, **kwargs)
            except Open311Error as exc:
                response = render_errors(fmt, exc.status, [exc.description])
                if exc.retry_after:
                    response["Retry-After"] = str(exc.retry_after)
            response["Cache-Control"] = "no-store" if request.method == "POST" else "max-age=60"
            return response

        return wrapped

    return decorate


# --- discovery and services ------------------------------------------------------------------


@open311_view(("GET",))
def discovery(request: HttpRequest, *, fmt: str) -> HttpResponse:
    root = request.build_absolute_uri(reverse("open311:discovery", kwargs={"fmt": fmt}))
    data = {
        "changeset": CHANGESET,
        "contact": settings.ADUAN_CONTACT_EMAIL or settings.ADUAN_PEMDA_NAME,
        "key_service": _(
            "API keys for creating service requests are issued by the Dinas admin of %(pemda)s."
        )
        % {"pemda": settings.ADUAN_PEMDA_NAME},
        "endpoints": [
            {
                "specification": SPECIFICATION,
                "url": root.rsplit("/", 1)[0],
                "changeset": CHANGESET,
                "type": "production",
                "formats": ["text/xml", "application/json"],
            }
        ],
    }
    return render(fmt, "discovery", None, data)


@open311_view(("GET",))
def service_list(request: HttpRequest, *, fmt: str) -> HttpResponse:
    rows = []
    for category in selectors.services():
        group = category.parent.name if category.parent else category.topic
        keywords = (category.topic, category.parent.name if category.parent else "")
        rows.append(
            {
                "service_code": category.code,
                "service_name": category.name,
                "description": category.name,
                "metadata": True,
                "type": "realtime",
                "keywords": ", ".join(k for k in keywords if k),
                "group": group,
            }
        )
    return render(fmt, "services", "service", rows)


def _values(pairs: list[tuple[str, str]]) -> list[dict[str, str]]:
    return [{"key": key, "name": name} for key, name in pairs]


def _attribute(
    code: str, description: str, order: int, values: list[tuple[str, str]], required: bool = False
) -> dict[str, Any]:
    return {
        "variable": True,
        "code": code,
        "datatype": "singlevaluelist",
        "required": required,
        "datatype_description": "",
        "order": order,
        "description": description,
        "values": _values(values),
    }


def service_attributes() -> list[dict[str, Any]]:
    yes_no = [("false", str(_("No"))), ("true", str(_("Yes")))]
    kecamatans = [(r.code, r.name) for r in selectors.kecamatans()]
    villages = [
        (r.code, f"{r.name}, {r.parent.name}" if r.parent else r.name) for r in selectors.villages()
    ]
    return [
        _attribute("kecamatan", _("Kecamatan (district) where it happened"), 1, kecamatans),
        _attribute("desa", _("Desa/kelurahan (village) where it happened"), 2, villages),
        _attribute(
            "kind",
            _("What kind of report this is (default: complaint)"),
            3,
            [(value, str(label)) for value, label in Kind.choices],
        ),
        _attribute(
            "ground",
            _("What the complaint is about (complaints only)"),
            4,
            [(value, str(label)) for value, label in Ground.choices],
        ),
        _attribute(
            "anonymous",
            _("Anonymous: the identity is hidden from the agencies and the public"),
            5,
            yes_no,
        ),
        _attribute(
            "private",
            _("Confidential: the report is never shown publicly"),
            6,
            yes_no,
        ),
    ]


@open311_view(("GET",))
def service_definition(request: HttpRequest, service_code: str, *, fmt: str) -> HttpResponse:
    category = selectors.service(service_code)
    if category is None:
        raise Open311Error(404, _("There is no service with this service_code."))
    data = {"service_code": category.code, "attributes": service_attributes()}
    return render(fmt, "service_definition", None, data)


# --- reading requests ------------------------------------------------------------------------


def _moment(raw: str, name: str) -> dt.datetime | None:
    raw = raw.strip()
    if not raw:
        return None
    try:
        moment = parse_datetime(raw.replace(" ", "+"))  # a "+" sent unescaped arrives as " "
        if moment is None:
            day = parse_date(raw)
            if day is not None:
                moment = dt.datetime.combine(day, dt.time.min)
    except ValueError:
        moment = None
    if moment is None:
        raise Open311Error(
            400,
            _("%(name)s is not a W3C date-time (e.g. 2026-01-31T00:00:00+08:00).") % {"name": name},
        )
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def date_window(request: HttpRequest) -> tuple[dt.datetime, dt.datetime]:
    """start_date..end_date: by default the last 90 days; never more than 90 days."""
    start = _moment(request.GET.get("start_date", ""), "start_date")
    end = _moment(request.GET.get("end_date", ""), "end_date")
    if start is None:
        end = end or clock.now()
        start = end - selectors.MAX_SPAN
    elif end is None:
        end = start + selectors.MAX_SPAN
    if end < start:
        raise Open311Error(400, _("end_date is before start_date."))
    if end - start > selectors.MAX_SPAN:
        raise Open311Error(400, _("start_date and end_date may not span more than 90 days."))
    return start, end


def _page(request: HttpRequest) -> int:
    raw = request.GET.get("page", "1").strip() or "1"
    if not raw.isdigit() or not 1 <= int(raw) <= 10_000:
        raise Open311Error(400, _("page must be a whole number from 1."))
    return int(raw)


def _comma_list(raw: str) -> tuple[str, ...]:
    return tuple(p.strip() for p in raw.split(",") if p.strip())


def _list_requests(request: HttpRequest, fmt: str) -> HttpResponse:
    start, end = date_window(request)
    statuses = tuple(s.lower() for s in _comma_list(request.GET.get("status", "")))
    if any(s not in ("open", "closed") for s in statuses):
        raise Open311Error(400, _("status must be open or closed."))
    ids = selectors.search_ids(request.GET.get("service_request_id", ""), normalize_tracking_code)
    if request.GET.get("service_request_id", "").strip() and not ids:
        return render(fmt, "service_requests", "request", [])
    filters = selectors.RequestFilters(
        start=start,
        end=end,
        ids=ids,
        service_codes=_comma_list(request.GET.get("service_code", "")),
        statuses=statuses,
        page=_page(request),
    )
    rows = [selectors.request_row(c) for c in selectors.request_list(filters)]
    return render(fmt, "service_requests", "request", rows)


@open311_view(("GET",))
def request_detail(request: HttpRequest, service_request_id: str, *, fmt: str) -> HttpResponse:
    code = normalize_tracking_code(service_request_id)
    complaint = selectors.request_get(code) if code else None
    if complaint is None:
        raise Open311Error(404, _("There is no service request with this id."))
    return render(fmt, "service_requests", "request", [selectors.request_row(complaint)])


@open311_view(("GET",))
def token_detail(request: HttpRequest, token: str, *, fmt: str) -> HttpResponse:
    """We create requests in real time and return their id at once, so a token is the id."""
    code = normalize_tracking_code(token)
    complaint = selectors.request_get(code) if code else None
    if complaint is None:
        raise Open311Error(404, _("There is no service request with this token."))
    row = {"service_request_id": complaint.tracking_code, "token": token}
    return render(fmt, "service_requests", "request", [row])


@open311_view(("GET",))
def update_list(request: HttpRequest, *, fmt: str) -> HttpResponse:
    start, end = date_window(request)
    rows = [selectors.update_row(e) for e in selectors.update_list(start, end, _page(request))]
    return render(fmt, "service_requests_updates", "request_update", rows)


# --- creating requests -----------------------------------------------------------------------


def _key(request: HttpRequest) -> ApiKey:
    key = api_key_check(request.POST.get("api_key", "").strip())
    if key is None or Scope.SUBMIT not in (key.scopes or []):
        raise Open311Error(403, _("A valid api_key with the submit scope is required."))
    verdict = api_key_hit(key)
    if not verdict.allowed:
        raise Open311Error(
            429,
            _("Too many requests with this api_key; try again in %(seconds)s seconds.")
            % {"seconds": verdict.retry_after},
            retry_after=verdict.retry_after,
        )
    return key


def _flag(data: Any, name: str) -> bool:
    raw = data.get(f"attribute[{name}]", "").strip().lower()
    if not raw:
        return False
    if raw not in TRUE_FALSE:
        raise Open311Error(400, _("attribute[%(name)s] must be true or false.") % {"name": name})
    return TRUE_FALSE[raw]


def _position(data: Any) -> tuple[Decimal | None, Decimal | None]:
    lat, long = data.get("lat", "").strip(), data.get("long", "").strip()
    if not lat and not long:
        return None, None
    try:
        latitude, longitude = Decimal(lat), Decimal(long)
    except InvalidOperation:
        raise Open311Error(400, _("lat and long must both be decimal degrees.")) from None
    if not (latitude.is_finite() and longitude.is_finite()):
        raise Open311Error(400, _("lat and long must both be decimal degrees."))
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise Open311Error(400, _("lat and long are outside the range of coordinates."))
    return latitude.quantize(Decimal("0.000001")), longitude.quantize(Decimal("0.000001"))


def _region(data: Any) -> Region | None:
    desa_code = data.get("attribute[desa]", "").strip()
    kecamatan_code = data.get("attribute[kecamatan]", "").strip()
    kecamatan = desa = None
    if kecamatan_code:
        kecamatan = selectors.kecamatans().filter(code=kecamatan_code).first()
        if kecamatan is None:
            raise Open311Error(400, _("attribute[kecamatan] is not one of the listed values."))
    if desa_code:
        desa = selectors.villages().filter(code=desa_code).first()
        if desa is None:
            raise Open311Error(400, _("attribute[desa] is not one of the listed values."))
        if kecamatan is not None and desa.parent_id != kecamatan.pk:
            raise Open311Error(400, _("attribute[desa] is not in attribute[kecamatan]."))
    return desa or kecamatan


def submission_from_post(request: HttpRequest) -> ComplaintSubmission:
    data = request.POST
    category = selectors.service(data.get("service_code", "").strip())
    if category is None:
        raise Open311Error(400, _("service_code is missing or not one of the services."))
    latitude, longitude = _position(data)
    region = _region(data)
    address = data.get("address_string", "").strip()
    if latitude is None and region is None and not address:
        raise Open311Error(
            400,
            _(
                "A location is required: lat and long, address_string, or attribute[desa] or "
                "attribute[kecamatan]."
            ),
        )
    description = data.get("description", "").strip()
    if not description:
        raise Open311Error(400, _("description is required."))
    kind = data.get("attribute[kind]", "").strip() or Kind.COMPLAINT
    if kind not in Kind.values:
        raise Open311Error(400, _("attribute[kind] is not one of the listed values."))
    ground = data.get("attribute[ground]", "").strip()
    if ground and ground not in Ground.values:
        raise Open311Error(400, _("attribute[ground] is not one of the listed values."))
    name = " ".join(" ".join((data.get("first_name", ""), data.get("last_name", ""))).split())
    return ComplaintSubmission(
        channel=Channel.APP,
        body=description,
        kind=kind,
        ground=ground,
        region=region,
        location_text=address,
        latitude=latitude,
        longitude=longitude,
        category=category,
        anonymous=_flag(data, "anonymous"),
        private=_flag(data, "private"),
        identity=IdentityInput(
            name=name, email=data.get("email", "").strip(), phone=data.get("phone", "").strip()
        ),
        language=getattr(request, "LANGUAGE_CODE", "id"),
    )


def _create_request(request: HttpRequest, fmt: str) -> HttpResponse:
    key = _key(request)
    submission = submission_from_post(request)
    idempotency_key = request.headers.get("Idempotency-Key", "").strip()
    if len(idempotency_key) > IDEMPOTENCY_KEY_MAX:
        raise Open311Error(400, _("The Idempotency-Key header is too long."))
    try:
        result = complaint_submit(
            submission=submission,
            idempotency_key=idempotency_key,
            idempotency_source=f"open311:{key.pk}",
        )
    except ApplicationError as exc:
        status = 409 if exc.code == "idempotency_key_reused" else 400
        raise Open311Error(status, exc.message) from None
    complaint = result.complaint
    if result.created:
        audit_record(
            "open311.submit",
            actor_label=f"api-key:{key.prefix}",
            obj=complaint,
            data={"api_key": key.pk},
        )
    row = {
        "service_request_id": complaint.tracking_code,
        "service_notice": selectors.service_notice(complaint.status),
        "account_id": "",
    }
    return render(fmt, "service_requests", "request", [row])


@open311_view(("GET", "POST"))
def requests_view(request: HttpRequest, *, fmt: str) -> HttpResponse:
    if request.method == "POST":
        return _create_request(request, fmt)
    return _list_requests(request, fmt)

"""What Open311 may read, and each service request as the public may see it.

The privacy model (DESIGN.md, Pasal 4, S1, S22) decides every field:
- no complainant field ever (name, contacts, address, NIK; not even `title`/`body`, which are
  the complainant's own words): the complainant row is loaded only to take their identity out
  of the moderated public text (`redaction.public_text`);
- confidential (`rahasia`) complaints are never listed; looked up by their id they show their
  state only (as the portal's tracking page does without the private link);
- archived complaints are not listed (as on the portal) but can be looked up by id;
- the description is the moderated public text of a published report, else empty;
- the address is the desa and kecamatan of a published report (the kecamatan only before
  publication), never the complainant's own location text; lat/long only for a published
  report, rounded to 3 decimals (about 110 m), so a position never points at a house;
- no media_url: attachments are never exposed through Open311.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from aduan.agencies.models import Category, Region
from aduan.complaints.models import Complainant, Complaint, Event
from aduan.complaints.redaction import public_text
from aduan.complaints.workflow.states import (
    DISPATCH_CLOCK_STATES,
    OPEN_STATES,
    RESPONSE_CLOCK_STATES,
    Status,
)

PAGE_SIZE = 1000  # the spec's default limit; `page` (1, 2, …) reads further
MAX_SPAN = dt.timedelta(days=90)  # the spec: start_date..end_date may not span more
POSITION_STEP = Decimal("0.001")  # about 110 m
VILLAGE_LEVELS = (Region.Level.VILLAGE, Region.Level.URBAN_VILLAGE)

REQUEST_FIELDS = (
    "tracking_code",
    "status",
    "private",
    "published",
    "public_body",
    "received_at",
    "updated_at",
    "status_changed_at",
    "dispatch_due_at",
    "response_due_at",
    "autoclose_at",
    "latitude",
    "longitude",
    "category__code",
    "category__name",
    "lead_agency__name",
    "region__name",
    "region__level",
    "region__parent__name",
    "region__parent__level",
)
REQUEST_RELATED = ("category", "lead_agency", "region__parent")


def services() -> QuerySet[Category]:
    """One service per active category (service_code = the category code)."""
    return Category.objects.filter(is_active=True).select_related("parent").order_by("code")


def service(code: str) -> Category | None:
    return services().filter(code=code).first()


def kecamatans() -> QuerySet[Region]:
    return Region.objects.filter(level=Region.Level.DISTRICT).order_by("name")


def villages() -> QuerySet[Region]:
    return (
        Region.objects.filter(level__in=VILLAGE_LEVELS)
        .select_related("parent")
        .order_by("parent__name", "name")
    )


def _with_public_fields(qs: QuerySet[Complaint]) -> QuerySet[Complaint]:
    complainants = Complainant.objects.filter(complaint__published=True, complaint__private=False)
    return (
        qs.select_related(*REQUEST_RELATED)
        .only(*REQUEST_FIELDS)
        .prefetch_related(
            Prefetch("complainant", queryset=complainants, to_attr="public_complainant")
        )
    )


@dataclass(frozen=True)
class RequestFilters:
    start: dt.datetime
    end: dt.datetime
    ids: tuple[str, ...] = ()
    service_codes: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()  # "open", "closed"
    page: int = 1


def request_list(filters: RequestFilters) -> list[Complaint]:
    """One page of the listed requests, newest first. With ids, the other filters are ignored
    (the spec: service_request_id overrides them)."""
    qs = Complaint.objects.public()
    if filters.ids:
        qs = qs.filter(tracking_code__in=filters.ids)
    else:
        qs = qs.filter(received_at__gte=filters.start, received_at__lte=filters.end)
        if filters.service_codes:
            qs = qs.filter(category__code__in=filters.service_codes)
        if filters.statuses and set(filters.statuses) != {"open", "closed"}:
            if "open" in filters.statuses:
                qs = qs.filter(status__in=OPEN_STATES)
            else:
                qs = qs.filter(status=Status.CLOSED)
    offset = (filters.page - 1) * PAGE_SIZE
    ordered = _with_public_fields(qs).order_by("-received_at", "-id")
    return list(ordered[offset : offset + PAGE_SIZE])


def request_get(code: str) -> Complaint | None:
    """Any complaint by its tracking code (private ones too: `request_row` shows their state
    only)."""
    return _with_public_fields(Complaint.objects.filter(tracking_code=code)).first()


def update_list(start: dt.datetime, end: dt.datetime, page: int = 1) -> list[Event]:
    """Public state changes of non-confidential complaints, oldest first (FixMyStreet's
    servicerequestupdates)."""
    qs = (
        Event.objects.filter(is_public=True, created_at__gte=start, created_at__lte=end)
        .filter(complaint__private=False)
        .exclude(to_state="")
        .select_related("agency")
        .only(
            "id",
            "created_at",
            "verb",
            "to_state",
            "data",
            "agency__name",
            "agency__short_name",
            "complaint__tracking_code",
        )
        .select_related("complaint")
        .order_by("created_at", "id")
    )
    offset = (page - 1) * PAGE_SIZE
    return list(qs[offset : offset + PAGE_SIZE])


# --- rows -------------------------------------------------------------------------------------


def open_or_closed(status: str) -> str:
    return "open" if status in OPEN_STATES else "closed"


def expected_datetime(complaint: Complaint) -> dt.datetime | None:
    """The deadline of the current stage, as the working-day calendar set it when the stage's
    clock started: dispatch (the Dinas), response (the agency), or the automatic close after a
    response. None while the clock is paused (pending) or when the complaint is finished."""
    status = complaint.status
    if status in DISPATCH_CLOCK_STATES:
        return complaint.dispatch_due_at
    if status in RESPONSE_CLOCK_STATES:
        return complaint.response_due_at
    if status == Status.RESPONDED:
        return complaint.autoclose_at
    return None


def service_notice(status: str) -> str:
    if status in DISPATCH_CLOCK_STATES:
        return _("The Dinas verifies the report and passes it to the agency responsible.")
    if status == Status.PENDING:
        return _("The Dinas is waiting for more information from the complainant.")
    if status in RESPONSE_CLOCK_STATES:
        return _("The agency responsible is handling the report.")
    if status == Status.RESPONDED:
        return _("The agency responded; the complainant can reply before the report closes.")
    if status == Status.CLOSED:
        return _("The report is closed.")
    return _("The report is archived.")


def _rounded(value: Decimal | None) -> float | None:
    if value is None:
        return None
    return float(Decimal(value).quantize(POSITION_STEP, rounding=ROUND_HALF_UP))


def _address(complaint: Complaint, published: bool) -> str:
    region = complaint.region
    if region is None:
        return ""
    if region.level in VILLAGE_LEVELS:
        kecamatan = region.parent.name if region.parent else ""
        if published:
            return ", ".join(p for p in (region.name, kecamatan) if p)
        return kecamatan
    if region.level == Region.Level.DISTRICT:
        return region.name
    return ""


def request_row(complaint: Complaint) -> dict[str, Any]:
    """One service request as GeoReport v2's GET requests shows it (see the module docstring)."""
    status = complaint.status
    row: dict[str, Any] = {
        "service_request_id": complaint.tracking_code,
        "status": open_or_closed(status),
        "status_notes": str(Status(status).label),
        "service_name": "",
        "service_code": "",
        "description": "",
        "agency_responsible": "",
        "service_notice": service_notice(status),
        "requested_datetime": complaint.received_at,
        "updated_datetime": complaint.updated_at or complaint.status_changed_at,
        "expected_datetime": expected_datetime(complaint),
        "address": "",
        "address_id": "",
        "zipcode": "",
        "lat": None,
        "long": None,
        "media_url": "",
    }
    if complaint.private:
        return row  # state only (rahasia)
    published = complaint.published
    if complaint.category is not None:
        row["service_name"] = complaint.category.name
        row["service_code"] = complaint.category.code
    if complaint.lead_agency is not None:
        row["agency_responsible"] = complaint.lead_agency.name
    row["address"] = _address(complaint, published)
    if published:
        complainant = getattr(complaint, "public_complainant", None)
        row["description"] = public_text(complaint.public_body, complainant)
        row["lat"] = _rounded(complaint.latitude)
        row["long"] = _rounded(complaint.longitude)
    return row


def update_row(event: Event) -> dict[str, Any]:
    from aduan.portal.wording import event_text  # the portal's words for the timeline

    return {
        "update_id": str(event.pk),
        "service_request_id": event.complaint.tracking_code,
        "status": open_or_closed(event.to_state),
        "updated_datetime": event.created_at,
        "description": event_text(event, True),
        "media_url": "",
    }


def search_ids(raw: str, normalize: Any) -> tuple[str, ...]:
    """Tracking codes from a comma list (unparseable entries are dropped)."""
    codes = []
    for part in raw.split(",")[:PAGE_SIZE]:
        code = normalize(part.strip()) if part.strip() else None
        if code:
            codes.append(code)
    return tuple(codes)

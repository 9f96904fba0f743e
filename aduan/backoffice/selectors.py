"""Reads for the back-office queues: each role's home, the filtered complaint list, the export.

Every function returns what a page needs in a constant number of queries, whatever the number
of rows (select_related, annotations, conditional aggregates): the pages assert it in tests.
Access (S3): the list and the export start from `complaints_visible_to(user)`; the agency pages
read only the user's own agency.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Avg, Count, Exists, F, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aduan.accounts.access import complaints_visible_to
from aduan.accounts.models import User
from aduan.agencies.models import Agency
from aduan.complaints import selectors as complaint_selectors
from aduan.complaints.models import Clock, Complaint, Message
from aduan.complaints.models.complaint import ComplaintQuerySet
from aduan.complaints.workflow.states import (
    DISPATCH_CLOCK_STATES,
    RESPONSE_CLOCK_STATES,
    Status,
)

from .filters import DEFAULT_SORT, apply_filters, order
from .models import ResponseDraft, SavedFilter

PAGE_SIZE = 50
HOME_LIMIT = 50
COORDINATION_LIMIT = 150
LIST_RELATED = ("lead_agency", "category")
# What a row of the list shows (narrow rows keep the sort of a large list cheap).
LIST_FIELDS = (
    "tracking_code",
    "title",
    "status",
    "kind",
    "channel",
    "received_at",
    "status_changed_at",
    "dispatch_due_at",
    "response_target_at",
    "response_due_at",
    "lead_agency__name",
    "lead_agency__short_name",
    "category__name",
)
# A list never shows the text, the private link's token or the public copy.
LIST_DEFERRED = ("access_token", "body", "public_body")

RESPONSE_STATES = sorted(RESPONSE_CLOCK_STATES)
DISPATCH_STATES = sorted(DISPATCH_CLOCK_STATES)


def _month_start(now: dt.datetime) -> dt.datetime:
    local = timezone.localtime(now, timezone.get_default_timezone())
    return local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def _supplement_since_state_change() -> Exists:
    """The complainant answered a question since the complaint entered its current state (a
    pending complaint the complainant answered is back in `received`)."""
    return Exists(
        Message.objects.filter(
            complaint=OuterRef("pk"),
            kind=Message.Kind.SUPPLEMENT,
            created_at__gte=OuterRef("status_changed_at"),
        )
    )


# --- admin (Dinas): the verification inbox --------------------------------------------------


@dataclass
class AdminHome:
    inbox: list[Complaint]
    pending: list[Complaint]
    counts: dict[str, int]


def admin_home(now: dt.datetime) -> AdminHome:
    """Received (new, or answered by the complainant) and returned complaints by dispatch
    deadline; pending ones apart ("waiting for the complainant"); counts per group."""
    inbox = (
        complaint_selectors.complaint_list_admin_inbox()
        .select_related("suggested_agency")
        .defer("body", "public_body")
        .annotate(answered=_supplement_since_state_change())
    )
    pending = complaint_selectors.complaint_list_pending().defer("body", "public_body")
    groups = (
        Complaint.objects.filter(status__in=[Status.RECEIVED, Status.RETURNED, Status.PENDING])
        .annotate(answered=_supplement_since_state_change())
        .order_by()
        .values("status", "answered")
        .annotate(
            n=Count("id"),
            overdue=Count("id", filter=Q(status__in=DISPATCH_STATES, dispatch_due_at__lt=now)),
        )
    )
    counts = dict.fromkeys(("new", "answered", "returned", "pending", "overdue"), 0)
    for row in groups:
        if row["status"] == Status.RECEIVED:
            counts["answered" if row["answered"] else "new"] += row["n"]
        else:
            counts[str(row["status"])] += row["n"]
        counts["overdue"] += row["overdue"]
    counts["inbox"] = counts["new"] + counts["answered"] + counts["returned"]
    return AdminHome(list(inbox[:HOME_LIMIT]), list(pending[:HOME_LIMIT]), counts)


# --- agencies: liaison and head --------------------------------------------------------------


@dataclass
class AgencyHome:
    agency: Agency
    queue: list[Complaint]
    counts: dict[str, int]
    co_requests: list[Complaint] = field(default_factory=list)
    performance: dict[str, Any] = field(default_factory=dict)
    drafts: list[ResponseDraft] = field(default_factory=list)


def agency_queue_counts(agency: Agency, now: dt.datetime) -> dict[str, int]:
    return Complaint.objects.filter(lead_agency=agency, status__in=RESPONSE_STATES).aggregate(
        total=Count("id"),
        dispatched=Count("id", filter=Q(status=Status.DISPATCHED)),
        in_progress=Count("id", filter=Q(status=Status.IN_PROGRESS)),
        slow=Count("id", filter=Q(response_target_at__lt=now, response_due_at__gte=now)),
        overdue=Count("id", filter=Q(response_due_at__lt=now)),
    )


def co_agency_requests(agency: Agency) -> list[Complaint]:
    """Open complaints another agency leads where this one was asked to help (co-agency)."""
    qs = (
        Complaint.objects.filter(co_agencies=agency, status__in=RESPONSE_STATES)
        .exclude(lead_agency=agency)
        .select_related(*complaint_selectors.QUEUE_RELATED)
        .defer(*LIST_DEFERRED)
        .order_by(F("response_due_at").asc(nulls_last=True), "id")
    )
    return list(qs[:HOME_LIMIT])


def agency_performance(agency: Agency | None, now: dt.datetime) -> dict[str, Any]:
    """This month, for one agency (or all): complaints received (response clocks started),
    answered, answered within the 7-working-day deadline (%), overdue now, average rating."""
    since = _month_start(now)
    clocks = Clock.objects.filter(kind=Clock.Kind.RESPONSE)
    rated = Complaint.objects.filter(rated_at__gte=since, satisfaction__isnull=False)
    overdue = Complaint.objects.filter(status__in=RESPONSE_STATES, response_due_at__lt=now)
    if agency is not None:
        clocks = clocks.filter(agency=agency)
        rated = rated.filter(lead_agency=agency)
        overdue = overdue.filter(lead_agency=agency)
    figures = clocks.aggregate(
        received=Count("id", filter=Q(started_at__gte=since)),
        answered=Count(
            "id", filter=Q(stopped_at__gte=since, stop_reason=Clock.StopReason.RESPONDED)
        ),
        on_time=Count(
            "id",
            filter=Q(
                stopped_at__gte=since, stop_reason=Clock.StopReason.RESPONDED, deadline_met=True
            ),
        ),
    )
    answered = figures["answered"]
    figures["on_time_percent"] = round(100 * figures["on_time"] / answered) if answered else None
    figures["overdue"] = overdue.count()
    rating = rated.aggregate(avg=Avg("satisfaction"), n=Count("id"))
    figures["rating"] = round(rating["avg"], 1) if rating["avg"] is not None else None
    figures["ratings"] = rating["n"]
    figures["since"] = since
    return figures


def agency_home(user: User, now: dt.datetime, *, head: bool = False) -> AgencyHome:
    agency = user.agency
    if agency is None:  # agency roles always have one (a database constraint)
        raise ValueError("an agency role without an agency")
    queue = complaint_selectors.complaint_list_agency_queue(agency).defer("body", "public_body")
    home = AgencyHome(agency, list(queue[:HOME_LIMIT]), agency_queue_counts(agency, now))
    home.co_requests = co_agency_requests(agency)
    if head:
        home.performance = agency_performance(agency, now)
        home.drafts = list(
            ResponseDraft.objects.filter(
                status=ResponseDraft.Status.WAITING, complaint__lead_agency=agency
            )
            .select_related("complaint", "author")
            .defer("complaint__access_token", "complaint__body", "complaint__public_body")
            .order_by("created_at", "id")[:HOME_LIMIT]
        )
    return home


# --- coordination team: slow and overdue across all agencies (Pasal 7(5)a) -------------------


@dataclass
class AgencyGroup:
    key: str
    name: str
    complaints: list[Complaint] = field(default_factory=list)
    slow: int = 0
    overdue: int = 0


@dataclass
class CoordinationHome:
    groups: list[AgencyGroup]
    counts: dict[str, int]
    shown: int


def _late_filter(now: dt.datetime) -> Q:
    slow = Q(status__in=RESPONSE_STATES, response_target_at__lt=now)
    overdue_dispatch = Q(status__in=DISPATCH_STATES, dispatch_due_at__lt=now)
    return slow | overdue_dispatch


DINAS_GROUP = "dinas"


def coordination_home(now: dt.datetime) -> CoordinationHome:
    """Complaints past their 2-working-day target (slow) or past a deadline (overdue), grouped
    by the agency whose turn it is (complaints waiting for dispatch: the Dinas)."""
    late = Complaint.objects.filter(_late_filter(now))
    overdue_q = Q(status__in=RESPONSE_STATES, response_due_at__lt=now) | Q(
        status__in=DISPATCH_STATES, dispatch_due_at__lt=now
    )
    counts = late.aggregate(total=Count("id"), overdue=Count("id", filter=overdue_q))
    counts["slow"] = counts["total"] - counts["overdue"]
    per_agency = (
        late.filter(status__in=RESPONSE_STATES)
        .values("lead_agency_id")
        .annotate(
            overdue=Count("id", filter=Q(response_due_at__lt=now)),
            slow=Count("id", filter=Q(response_due_at__gte=now)),
        )
    )
    dinas = late.filter(status__in=DISPATCH_STATES).count()
    rows = list(
        late.select_related(*complaint_selectors.QUEUE_RELATED)
        .defer(*LIST_DEFERRED)
        .order_by(
            F("response_due_at").asc(nulls_first=True),
            F("dispatch_due_at").asc(nulls_last=True),
            "id",
        )[:COORDINATION_LIMIT]
    )
    groups: dict[str, AgencyGroup] = {}
    if dinas:
        groups[DINAS_GROUP] = AgencyGroup(
            DINAS_GROUP, str(_("Waiting for verification and dispatch (Dinas)")), overdue=dinas
        )
    names = {
        a.pk: a for a in Agency.objects.filter(pk__in=[r["lead_agency_id"] for r in per_agency])
    }
    for row in per_agency:
        agency = names.get(row["lead_agency_id"])
        key = str(row["lead_agency_id"])
        groups[key] = AgencyGroup(
            key, agency.name if agency else "-", slow=row["slow"], overdue=row["overdue"]
        )
    for complaint in rows:
        key = (
            DINAS_GROUP
            if complaint.status in DISPATCH_CLOCK_STATES
            else str(complaint.lead_agency_id)
        )
        if key in groups:
            groups[key].complaints.append(complaint)
    ordered = sorted(groups.values(), key=lambda g: (-g.overdue, -g.slow, g.name))
    return CoordinationHome(ordered, counts, len(rows))


# --- regent: a read-only overview -----------------------------------------------------------


@dataclass
class RegentHome:
    by_state: list[tuple[str, str, int]]
    overdue_by_agency: list[Any]
    overdue_dispatch: int
    performance: dict[str, Any]


def regent_home(now: dt.datetime) -> RegentHome:
    raw = dict(
        Complaint.objects.order_by()
        .values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    by_state = [(value, str(label), raw.get(value, 0)) for value, label in Status.choices]
    overdue_by_agency = list(
        Complaint.objects.filter(status__in=RESPONSE_STATES, response_due_at__lt=now)
        .values("lead_agency__name")
        .annotate(n=Count("id"))
        .order_by("-n", "lead_agency__name")
    )
    overdue_dispatch = Complaint.objects.filter(
        status__in=DISPATCH_STATES, dispatch_due_at__lt=now
    ).count()
    return RegentHome(by_state, overdue_by_agency, overdue_dispatch, agency_performance(None, now))


# --- the list, the export, saved filters ----------------------------------------------------


def complaint_list_for_staff(
    user: User, filters: dict[str, Any] | None = None
) -> ComplaintQuerySet:
    """What `user` may see (S3), narrowed by the filters, sorted, with what a row needs."""
    filters = filters or {}
    qs = apply_filters(complaints_visible_to(user), filters)
    return order(qs, filters.get("sort") or DEFAULT_SORT).select_related(*LIST_RELATED)


def complaint_list_page_rows(qs: ComplaintQuerySet) -> ComplaintQuerySet:
    """Only the columns a row of the list shows (narrow rows keep a large sort cheap)."""
    return qs.only(*LIST_FIELDS)


EXPORT_FIELDS = (
    "tracking_code",
    "received_at",
    "kind",
    "channel",
    "status",
    "title",
    "category__name",
    "region__name",
    "region__parent__name",
    "lead_agency__name",
    "dispatch_due_at",
    "dispatched_at",
    "response_target_at",
    "response_due_at",
    "responded_at",
    "closed_at",
    "archive_reason",
    "resolution",
    "satisfaction",
)


def complaint_export_rows(
    user: User, filters: dict[str, Any], chunk_size: int = 2000
) -> Iterator[tuple[Any, ...]]:
    """The filtered list as plain values, streamed from the database. No identity columns
    (S1): the complainant's fields are never selected, nor the complaint's text."""
    qs = complaint_list_for_staff(user, filters)
    return qs.values_list(*EXPORT_FIELDS).iterator(chunk_size=chunk_size)


def saved_filter_list(user: User) -> list[SavedFilter]:
    return list(SavedFilter.objects.filter(user=user).order_by("name"))

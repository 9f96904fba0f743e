"""Database aggregations for the dashboards and the periodic report (Pasal 12, 13; issue 7).

Every function takes a period (`start`..`end`, inclusive local dates in Asia/Makassar; a
complaint belongs to the period in which it was *received*), optional filters (agency = lead
agency, category = the category or any descendant, kecamatan = the kecamatan or any desa in it,
channel) and `visible`: the queryset the caller may see (S3: pass
`complaints_visible_to(user)`; None means every complaint, for system use only).

All counting happens in the database (`values().annotate()`, conditional aggregates); the
results are plain dataclasses of numbers and labels, never model objects. Only `satisfaction`
returns text: the latest comments of non-private complaints, masked by `public_text` (S1).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, cast
from zoneinfo import ZoneInfo

from django.db.models import Avg, Case, Count, F, IntegerField, Q, QuerySet, When
from django.db.models.functions import Coalesce, Trunc
from django.utils import timezone
from django.utils.translation import gettext as _

from aduan.agencies.models import Agency, Category, Cause, Region
from aduan.complaints.models import Channel, Complaint, Kind
from aduan.complaints.models.complaint import ComplaintQuerySet
from aduan.complaints.workflow.states import Status
from aduan.core import clock

WITA = ZoneInfo("Asia/Makassar")
DIMENSIONS = (
    "period",
    "channel",
    "kind",
    "category",
    "category_leaf",
    "kecamatan",
    "desa",
    "agency",
)
GRANULARITIES = ("month", "week", "day")
DESA_LEVELS = (Region.Level.VILLAGE, Region.Level.URBAN_VILLAGE)
LATEST_COMMENTS = 10


@dataclass(frozen=True)
class Bucket:
    """One group: `key` is a stable code/id/ISO date (None: not set), `label` for display."""

    key: str | int | None
    label: str
    count: int


@dataclass(frozen=True)
class Funnel:
    received: int
    dispatched: int
    responded: int
    closed: int
    archived: int


@dataclass(frozen=True)
class OverdueRow:
    agency_id: int | None
    label: str
    dispatch: int  # past the dispatch deadline (Dinas's turn: received/returned)
    response: int  # past the response deadline (agency's turn: dispatched/in progress)

    @property
    def total(self) -> int:
        return self.dispatch + self.response


@dataclass(frozen=True)
class Comment:
    satisfaction: int
    rated_at: dt.datetime | None
    text: str


@dataclass(frozen=True)
class Satisfaction:
    distribution: dict[int, int]  # 1..5 -> count
    count: int
    mean: float | None
    comments: list[Comment] = field(default_factory=list)


@dataclass(frozen=True)
class Trend:
    start: dt.date
    end: dt.date
    previous_start: dt.date
    previous_end: dt.date
    current: Funnel
    previous: Funnel

    @property
    def change(self) -> int:
        return self.current.received - self.previous.received

    @property
    def change_ratio(self) -> float | None:
        """Relative change of the volume received; None when the previous period had none."""
        if not self.previous.received:
            return None
        return self.change / self.previous.received


# --- the base queryset -----------------------------------------------------------------------


def local_bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """[start 00:00 WITA, day after end 00:00 WITA)."""
    lower = dt.datetime.combine(start, dt.time(), tzinfo=WITA)
    upper = dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), tzinfo=WITA)
    return lower, upper


def filtered(
    start: dt.date | None,
    end: dt.date | None,
    *,
    visible: QuerySet[Complaint] | None = None,
    agency: Agency | int | None = None,
    category: Category | int | None = None,
    kecamatan: Region | int | None = None,
    channel: str | None = None,
) -> ComplaintQuerySet:
    """The complaints of the period under the filters, within `visible` (S3)."""
    base = visible if visible is not None else Complaint.objects.all()
    qs = cast(ComplaintQuerySet, base.order_by())
    if start is not None and end is not None:
        lower, upper = local_bounds(start, end)
        qs = qs.filter(received_at__gte=lower, received_at__lt=upper)
    if agency is not None:
        qs = qs.filter(lead_agency_id=_pk(agency))
    if category is not None:
        pk = _pk(category)
        qs = qs.filter(
            Q(category_id=pk) | Q(category__parent_id=pk) | Q(category__parent__parent_id=pk)
        )
    if kecamatan is not None:
        pk = _pk(kecamatan)
        qs = qs.filter(Q(region_id=pk) | Q(region__parent_id=pk))
    if channel:
        qs = qs.filter(channel=channel)
    return qs


def _pk(obj: Any) -> int:
    return obj if isinstance(obj, int) else obj.pk


# --- volumes --------------------------------------------------------------------------------


def _kecamatan_expr() -> Case:
    return Case(
        When(region__level=Region.Level.DISTRICT, then=F("region_id")),
        When(region__level__in=DESA_LEVELS, then=F("region__parent_id")),
        default=None,
        output_field=IntegerField(),
    )


def _as_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return timezone.localtime(value, WITA).date() if timezone.is_aware(value) else value.date()
    return value


def volume_by(
    dimension: str,
    start: dt.date,
    end: dt.date,
    *,
    granularity: str = "month",
    **filters: Any,
) -> list[Bucket]:
    """Complaints received in the period per `dimension` (R17, Pasal 12, 13).

    dimension: period (per month/week/day in WITA; `granularity`), channel, kind, category
    (top level), category_leaf (the category as set), kecamatan, desa, agency (lead agency).
    Buckets are ordered by count (descending), except `period` (chronological, empty periods
    absent). Complaints without the dimension set form the bucket with key None.
    """
    qs = filtered(start, end, **filters)
    if dimension == "period":
        if granularity not in GRANULARITIES:
            raise ValueError(granularity)
        periods = (
            qs.annotate(k=Trunc("received_at", granularity, tzinfo=WITA))
            .values("k")
            .annotate(n=Count("id"))
            .order_by("k")
        )
        return [
            Bucket(_as_date(r["k"]).isoformat(), _as_date(r["k"]).isoformat(), r["n"])
            for r in periods
        ]
    if dimension in ("channel", "kind"):
        labels = dict(Channel.choices if dimension == "channel" else Kind.choices)
        choices = qs.values(k=F(dimension)).annotate(n=Count("id")).order_by("-n", "k")
        return [Bucket(r["k"], str(labels.get(r["k"], r["k"])), r["n"]) for r in choices]

    exprs: dict[str, Any] = {
        "category": Coalesce("category__parent__parent_id", "category__parent_id", "category_id"),
        "category_leaf": F("category_id"),
        "kecamatan": _kecamatan_expr(),
        "desa": Case(
            When(region__level__in=DESA_LEVELS, then=F("region_id")),
            default=None,
            output_field=IntegerField(),
        ),
        "agency": F("lead_agency_id"),
    }
    if dimension not in exprs:
        raise ValueError(dimension)
    model: Any = {
        "category": Category,
        "category_leaf": Category,
        "kecamatan": Region,
        "desa": Region,
        "agency": Agency,
    }[dimension]
    rows = list(qs.annotate(k=exprs[dimension]).values("k").annotate(n=Count("id")).order_by())
    names = _names(model, [r["k"] for r in rows])
    buckets = [Bucket(r["k"], names.get(r["k"], str(_("Not set"))), r["n"]) for r in rows]
    return sorted(buckets, key=lambda b: (-b.count, b.key is None, str(b.label)))


def _names(model: Any, keys: list[Any]) -> dict[Any, str]:
    ids = [k for k in keys if k is not None]
    if model is Agency:
        return {
            pk: short or name
            for pk, short, name in Agency.objects.filter(pk__in=ids).values_list(
                "pk", "short_name", "name"
            )
        }
    return dict(model.objects.filter(pk__in=ids).values_list("pk", "name"))


# --- status funnel, overdue, causes, satisfaction, trend ------------------------------------


def status_funnel(start: dt.date, end: dt.date, **filters: Any) -> Funnel:
    """Of the complaints received in the period: how many were ever dispatched, ever answered,
    are closed, are archived (Pasal 12; R12, R25)."""
    row = filtered(start, end, **filters).aggregate(
        received=Count("id"),
        dispatched=Count("id", filter=Q(first_dispatched_at__isnull=False)),
        responded=Count("id", filter=Q(first_responded_at__isnull=False)),
        closed=Count("id", filter=Q(status=Status.CLOSED)),
        archived=Count("id", filter=Q(status=Status.ARCHIVED)),
    )
    return Funnel(**row)


def overdue_now(at: dt.datetime | None = None, **filters: Any) -> list[OverdueRow]:
    """Open complaints past the deadline of their current stage right now, per lead agency
    (key None: not yet dispatched), whatever the period (Pasal 7(5)a, 7(6)d; R25, R34).
    Accepts the same filters as the other functions (no period)."""
    moment = at or clock.now()
    qs = filtered(None, None, **filters).overdue(moment)
    dispatch_states = [Status.RECEIVED, Status.RETURNED]
    rows = list(
        qs.values("lead_agency_id")
        .annotate(
            d=Count("id", filter=Q(status__in=dispatch_states)),
            r=Count("id", filter=~Q(status__in=dispatch_states)),
        )
        .order_by()
    )
    names = _names(Agency, [r["lead_agency_id"] for r in rows])
    result = [
        OverdueRow(
            r["lead_agency_id"],
            names.get(r["lead_agency_id"], str(_("Not dispatched"))),
            r["d"],
            r["r"],
        )
        for r in rows
    ]
    return sorted(result, key=lambda o: (-o.total, o.agency_id is None, o.label))


def causes(start: dt.date, end: dt.date, **filters: Any) -> list[Bucket]:
    """Why the complaints of the period arose, as the agencies recorded it (Pasal 13)."""
    rows = list(
        filtered(start, end, **filters)
        .filter(cause__isnull=False)
        .values("cause_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    names = _names(Cause, [r["cause_id"] for r in rows])
    buckets = [Bucket(r["cause_id"], names.get(r["cause_id"], ""), r["n"]) for r in rows]
    return sorted(buckets, key=lambda b: (-b.count, b.label))


def satisfaction(
    start: dt.date, end: dt.date, *, latest: int = LATEST_COMMENTS, **filters: Any
) -> Satisfaction:
    """Ratings of the complaints received in the period: distribution 1-5, mean, count, and
    the latest comments of NON-private complaints with the identity masked (S1; R33)."""
    from aduan.complaints.redaction import public_text

    qs = filtered(start, end, **filters)
    agg = qs.aggregate(
        **{f"s{i}": Count("id", filter=Q(satisfaction=i)) for i in range(1, 6)},
        n=Count("id", filter=Q(satisfaction__isnull=False)),
        mean=Avg("satisfaction"),
    )
    comments = [
        Comment(
            c.satisfaction or 0,
            c.rated_at,
            public_text(c.satisfaction_comment, getattr(c, "complainant", None)),
        )
        for c in qs.filter(private=False, satisfaction__isnull=False)
        .exclude(satisfaction_comment="")
        .select_related("complainant")
        .order_by("-rated_at", "-id")[:latest]
    ]
    return Satisfaction(
        distribution={i: agg[f"s{i}"] for i in range(1, 6)},
        count=agg["n"],
        mean=float(agg["mean"]) if agg["mean"] is not None else None,
        comments=comments,
    )


def previous_period(start: dt.date, end: dt.date) -> tuple[dt.date, dt.date]:
    """The period of equal length just before [start, end]."""
    days = (end - start).days + 1
    return start - dt.timedelta(days=days), start - dt.timedelta(days=1)


def trend(start: dt.date, end: dt.date, **filters: Any) -> Trend:
    """This period's funnel against the previous period of equal length (Pasal 12)."""
    p_start, p_end = previous_period(start, end)
    return Trend(
        start,
        end,
        p_start,
        p_end,
        current=status_funnel(start, end, **filters),
        previous=status_funnel(p_start, p_end, **filters),
    )

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
    # The category and area filters as lists of ids (the node and what is under it), so that
    # the complaint rows are found through their own columns' indexes, without a join.
    if category is not None:
        qs = qs.filter(category_id__in=category_subtree(_pk(category)))
    if kecamatan is not None:
        pk = _pk(kecamatan)
        qs = qs.filter(
            region_id__in=[pk, *Region.objects.filter(parent_id=pk).values_list("pk", flat=True)]
        )
    if channel:
        qs = qs.filter(channel=channel)
    return qs


def category_subtree(pk: int) -> list[int]:
    """The category and its descendants (children and grandchildren: the tree has three
    levels), as `volume_by("category")` rolls them up."""
    children = list(Category.objects.filter(parent_id=pk).values_list("pk", flat=True))
    grandchildren = list(
        Category.objects.filter(parent_id__in=children).values_list("pk", flat=True)
    )
    return [pk, *children, *grandchildren]


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
    rollup: bool = False,
    **filters: Any,
) -> list[Bucket]:
    """Complaints received in the period per `dimension` (R17, Pasal 12, 13).

    dimension: period (per month/week/day in WITA; `granularity`), channel, kind, category
    (top level), category_leaf (the category as set), kecamatan, desa, agency (lead agency).
    Buckets are ordered by count (descending), except `period` (chronological, empty periods
    absent). Complaints without the dimension set form the bucket with key None. `rollup`: as
    in `breakdown`.
    """
    if rollup and dimension in BREAKDOWN_DIMENSIONS and rollup_answers(filters):
        if dimension == "period":
            return _period_buckets(_rollup_periods(start, end, granularity))
        return _volumes(_rollup_counts(start, end, granularity)[0])[dimension]
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
    return sorted(buckets, key=lambda b: bucket_order(b.key, b.label, b.count))


def bucket_order(key: Any, label: Any, count: int) -> tuple[int, bool, str]:
    """The order of a breakdown's buckets (and of the open data's tables built on them): by
    count, largest first; "not set" (key None) last among equal counts; then by label."""
    return (-count, key is None, str(label))


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


def status_funnel(start: dt.date, end: dt.date, *, rollup: bool = False, **filters: Any) -> Funnel:
    """Of the complaints received in the period: how many were ever dispatched, ever answered,
    are closed, are archived (Pasal 12; R12, R25). `rollup`: read the daily rollup where it
    answers the same question (see `rollup_answers`; the caller refreshed it)."""
    if rollup and rollup_answers(filters):
        return _funnel(_rollup_states(start, end))
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
    qs = filtered(start, end, **filters)
    agg = qs.aggregate(
        **{f"s{i}": Count("id", filter=Q(satisfaction=i)) for i in range(1, 6)},
        n=Count("id", filter=Q(satisfaction__isnull=False)),
        mean=Avg("satisfaction"),
    )
    return Satisfaction(
        distribution={i: agg[f"s{i}"] for i in range(1, 6)},
        count=agg["n"],
        mean=float(agg["mean"]) if agg["mean"] is not None else None,
        comments=_latest_comments(qs, latest),
    )


def _latest_comments(qs: QuerySet[Complaint], latest: int) -> list[Comment]:
    """The latest rated comments of the NON-private complaints of `qs`, masked (S1; R33)."""
    from aduan.complaints.redaction import public_text

    if latest <= 0:
        return []
    return [
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


# --- every breakdown of a period in one pass ------------------------------------------------

BREAKDOWN_DIMENSIONS = ("period", "channel", "kind", "category", "kecamatan", "desa", "agency")
# The columns the pass groups by: every volume dimension derives from one of them (category
# from the category as set, kecamatan and desa from the region), the causes from `cause`, the
# funnel and the ratings from (status, rating) with the counts of those ever dispatched and
# ever answered. PostgreSQL groups by four sets at once (GROUPING SETS): the period, and three
# sets of plain columns that it estimates from its statistics and hashes in the same pass —
# at most a few thousand groups each. Fewer, wider sets cost less than one set per column
# (1.3 s instead of 1.8 s for 998,268 complaints; an expression such as a CASE in a set
# would be estimated at 200 groups per expression and sorted on disk instead).
_GROUP_SETS: tuple[tuple[str, ...], ...] = (
    ("k_period",),
    ("k_channel", "k_kind", "k_status", "k_satisfaction"),
    ("k_category", "k_cause"),
    ("k_region", "k_agency"),
)
_STATE = ("k_status", "k_satisfaction")
_GROUP_COLUMNS = tuple(column for group in _GROUP_SETS for column in group)
# `_grouped`: {select} and {group} are our own column names above, {inner} the SQL Django
# compiled for the period's rows; every value goes as a query parameter.
BREAKDOWN_SQL = "SELECT {select} FROM ({inner}) t GROUP BY {group}"


@dataclass(frozen=True)
class Breakdown:
    """What `volume_by` (each dimension of BREAKDOWN_DIMENSIONS), `status_funnel`, `causes` and
    `satisfaction` return for the same period and filters, from one pass over the period."""

    volumes: dict[str, list[Bucket]]
    funnel: Funnel
    causes: list[Bucket]
    satisfaction: Satisfaction


def breakdown(
    start: dt.date,
    end: dt.date,
    *,
    granularity: str = "month",
    latest: int = LATEST_COMMENTS,
    rollup: bool = False,
    **filters: Any,
) -> Breakdown:
    """Every breakdown the dashboard shows for the period, equal to calling `volume_by` for
    each of BREAKDOWN_DIMENSIONS, `status_funnel`, `causes` and `satisfaction` (R17; Pasal 12,
    13) — but the period's complaints are read once instead of ten times.

    PostgreSQL groups them by GROUPING SETS in one scan (one small group per key of each
    dimension: a few thousand rows for a year at 1,000,000 complaints); SQLite, which has no
    grouping sets, groups by every column at once (a small database: at most one group per
    complaint). Either way the counts are summed per dimension here, and the category (top
    level), kecamatan and desa are derived from the category and region as set, exactly as
    `volume_by` derives them in SQL.

    `rollup`: for all agencies without other filters, read the daily rollup instead (the same
    counts per day, summed: `rollup_answers`); the caller refreshed it (`rollup.rollup_refresh`).
    """
    if granularity not in GRANULARITIES:
        raise ValueError(granularity)
    qs = filtered(start, end, **filters)
    if rollup and rollup_answers(filters):
        summed, summed_states = _rollup_counts(start, end, granularity)
        return Breakdown(
            volumes=_volumes(summed),
            funnel=_funnel(summed_states),
            causes=_cause_buckets(summed["k_cause"]),
            satisfaction=_ratings(summed_states, _latest_comments(qs, latest)),
        )
    rows_qs = qs.annotate(
        k_period=Trunc("received_at", granularity, tzinfo=WITA),
        k_channel=F("channel"),
        k_kind=F("kind"),
        k_category=F("category_id"),
        k_region=F("region_id"),
        k_agency=F("lead_agency_id"),
        k_cause=F("cause_id"),
        k_status=F("status"),
        k_satisfaction=F("satisfaction"),
        k_dispatched=F("first_dispatched_at"),
        k_responded=F("first_responded_at"),
    ).values(*_GROUP_COLUMNS, "k_dispatched", "k_responded")
    counts: dict[str, dict[Any, int]] = {column: {} for column in _GROUP_COLUMNS}
    states: dict[tuple[Any, ...], list[int]] = {}
    state_set = next(i for i, group in enumerate(_GROUP_SETS) if _STATE[0] in group)
    for in_set, values, n, dispatched, responded in _grouped(rows_qs):
        row = dict(zip(_GROUP_COLUMNS, values, strict=True))
        for i, group in enumerate(_GROUP_SETS):
            if in_set is not None and in_set != i:
                continue
            for column in group:
                bucket = counts[column]
                bucket[row[column]] = bucket.get(row[column], 0) + n
        if in_set is None or in_set == state_set:
            state = states.setdefault(tuple(row[c] for c in _STATE), [0, 0, 0])
            state[0] += n
            state[1] += dispatched
            state[2] += responded
    return Breakdown(
        volumes=_volumes(counts),
        funnel=_funnel(states),
        causes=_cause_buckets(counts["k_cause"]),
        satisfaction=_ratings(states, _latest_comments(qs, latest)),
    )


def _grouped(rows_qs: QuerySet[Any]) -> list[tuple[int | None, list[Any], int, int, int]]:
    """(which group set or None for all of them, the values of _GROUP_COLUMNS, complaints, of
    which ever dispatched, of which ever answered)."""
    from django.db import connection

    compiler = rows_qs.query.get_compiler(using=rows_qs.db)
    inner, params = compiler.as_sql()
    quote = connection.ops.quote_name
    columns = ", ".join(f"t.{quote(c)}" for c in _GROUP_COLUMNS)
    counts = f"COUNT(*), COUNT(t.{quote('k_dispatched')}), COUNT(t.{quote('k_responded')})"
    if connection.vendor == "postgresql":
        # GROUPING(first column of a set) is 0 only in the rows of that set (each column is in
        # one set). Our own column names above; the period's values go as parameters.
        marks = ", ".join(f"GROUPING(t.{quote(group[0])})" for group in _GROUP_SETS)
        sets = ", ".join(
            "(" + ", ".join(f"t.{quote(c)}" for c in group) + ")" for group in _GROUP_SETS
        )
        sql = BREAKDOWN_SQL.format(
            select=f"{marks}, {columns}, {counts}", inner=inner, group=f"GROUPING SETS ({sets})"
        )
        width = len(_GROUP_SETS)
    else:
        sql = BREAKDOWN_SQL.format(select=f"{columns}, {counts}", inner=inner, group=columns)
        width = 0
    out: list[tuple[int | None, list[Any], int, int, int]] = []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for row in cursor.fetchall():
            which = row[:width].index(0) if width else None
            n, dispatched, responded = (int(v) for v in row[-3:])
            out.append((which, _converted(list(row[width:-3])), n, dispatched, responded))
    return out


def _converted(values: list[Any]) -> list[Any]:
    """The raw period value as `Trunc` would return it (SQLite gives text)."""
    from django.db import connection

    period = values[0]
    if isinstance(period, str):
        period = dt.datetime.fromisoformat(period)
    if isinstance(period, dt.datetime) and connection.vendor != "postgresql":
        period = period.replace(tzinfo=WITA) if timezone.is_naive(period) else period
    values[0] = period
    return values


def _volumes(counts: dict[str, dict[Any, int]]) -> dict[str, list[Bucket]]:
    volumes: dict[str, list[Bucket]] = {}
    volumes["period"] = _period_buckets(counts["k_period"])
    for dimension, labels in (("channel", Channel.choices), ("kind", Kind.choices)):
        named = dict(labels)
        pairs = sorted(counts[f"k_{dimension}"].items(), key=lambda kn: (-kn[1], kn[0]))
        volumes[dimension] = [Bucket(k, str(named.get(k, k)), n) for k, n in pairs]

    # The top-level category: Coalesce(parent's parent, parent, the category) as in volume_by.
    categories = counts["k_category"]
    parents = dict(
        Category.objects.filter(pk__in=[k for k in categories if k is not None]).values_list(
            "pk", "parent_id"
        )
    )
    grand = dict(
        Category.objects.filter(pk__in=[p for p in parents.values() if p]).values_list(
            "pk", "parent_id"
        )
    )
    tops: dict[Any, int] = {}
    for pk, n in categories.items():
        parent = parents.get(pk) if pk is not None else None
        top = (grand.get(parent) or parent) if parent else pk
        tops[top] = tops.get(top, 0) + n
    volumes["category"] = _named_buckets(Category, tops)

    regions = counts["k_region"]
    levels = {
        pk: (level, parent)
        for pk, level, parent in Region.objects.filter(
            pk__in=[k for k in regions if k is not None]
        ).values_list("pk", "level", "parent_id")
    }
    kecamatan: dict[Any, int] = {}
    desa: dict[Any, int] = {}
    for pk, n in regions.items():
        level, parent = levels.get(pk, (None, None))
        k_key = pk if level == Region.Level.DISTRICT else parent if level in DESA_LEVELS else None
        d_key = pk if level in DESA_LEVELS else None
        kecamatan[k_key] = kecamatan.get(k_key, 0) + n
        desa[d_key] = desa.get(d_key, 0) + n
    volumes["kecamatan"] = _named_buckets(Region, kecamatan)
    volumes["desa"] = _named_buckets(Region, desa)
    volumes["agency"] = _named_buckets(Agency, counts["k_agency"])
    return volumes


def _period_buckets(counts: dict[Any, int]) -> list[Bucket]:
    """Chronological buckets of the periods (day/week/month starts) that have complaints."""
    periods = sorted((k, n) for k, n in counts.items() if k is not None)
    return [Bucket(_as_date(k).isoformat(), _as_date(k).isoformat(), n) for k, n in periods]


def _named_buckets(model: Any, counts: dict[Any, int]) -> list[Bucket]:
    names = _names(model, list(counts))
    buckets = [Bucket(k, names.get(k, str(_("Not set"))), n) for k, n in counts.items()]
    return sorted(buckets, key=lambda b: bucket_order(b.key, b.label, b.count))


def _cause_buckets(counts: dict[Any, int]) -> list[Bucket]:
    present = {k: n for k, n in counts.items() if k is not None}
    names = _names(Cause, list(present))
    buckets = [Bucket(k, names.get(k, ""), n) for k, n in present.items()]
    return sorted(buckets, key=lambda b: (-b.count, b.label))


def _funnel(states: dict[tuple[Any, ...], list[int]]) -> Funnel:
    def status_total(status: str) -> int:
        return sum(counts[0] for (s, _rating), counts in states.items() if s == status)

    return Funnel(
        received=sum(counts[0] for counts in states.values()),
        dispatched=sum(counts[1] for counts in states.values()),
        responded=sum(counts[2] for counts in states.values()),
        closed=status_total(Status.CLOSED),
        archived=status_total(Status.ARCHIVED),
    )


def _ratings(states: dict[tuple[Any, ...], list[int]], comments: list[Comment]) -> Satisfaction:
    distribution = dict.fromkeys(range(1, 6), 0)
    rated = score = 0
    for (_status, rating), (n, _dispatched, _responded) in states.items():
        if rating is None:
            continue
        if rating in distribution:
            distribution[rating] += n
        rated += n
        score += rating * n
    return Satisfaction(
        distribution=distribution,
        count=rated,
        mean=score / rated if rated else None,
        comments=comments,
    )


# --- the same from the daily rollup (aduan/reports/rollup.py) ------------------------------

# The rollup's dimension names -> the columns of `breakdown`'s pass.
_ROLLUP_COLUMNS = {
    "channel": "k_channel",
    "kind": "k_kind",
    "category": "k_category",
    "cause": "k_cause",
    "region": "k_region",
    "agency": "k_agency",
}
ROLLUP_SQL = (
    "SELECT dim, key_text, key_int, SUM(n), SUM(dispatched), SUM(responded)"
    " FROM reports_rollup_complaint WHERE day >= %s AND day <= %s GROUP BY 1, 2, 3"
)
# {unit} is one of GRANULARITIES (checked by the caller), never user input.
ROLLUP_PERIOD_SQL = (
    "SELECT date_trunc('{unit}', day)::date, SUM(n) FROM reports_rollup_complaint"
    " WHERE dim = 'kind' AND day >= %s AND day <= %s GROUP BY 1"
)


def rollup_answers(filters: dict[str, Any]) -> bool:
    """The rollup counts every complaint per local day of `TIME_ZONE`: it answers for all
    agencies (`visible` None or every complaint, S3) without the agency, category, area or
    channel filters, when the deployment's days are the WITA days these functions count in."""
    from . import rollup

    if not rollup.available() or rollup.zone_name() != WITA.key:
        return False
    if any(filters.get(name) for name in ("agency", "category", "kecamatan", "channel")):
        return False
    visible = filters.get("visible")
    return visible is None or _everything(visible)


def _everything(qs: QuerySet[Complaint]) -> bool:
    """`qs` is every complaint: no condition, no slice, the plain table (the regent's and the
    coordination team's `complaints_visible_to`)."""
    query = qs.query
    return (
        qs.model is Complaint
        and not query.where.children
        and not query.is_sliced
        and not query.combinator
        and not query.is_empty()
    )


def _rollup_counts(
    start: dt.date, end: dt.date, granularity: str
) -> tuple[dict[str, dict[Any, int]], dict[tuple[Any, ...], list[int]]]:
    """`breakdown`'s per-column counts and (status, rating) states, summed from the rollup."""
    from . import rollup

    counts: dict[str, dict[Any, int]] = {column: {} for column in _GROUP_COLUMNS}
    states: dict[tuple[Any, ...], list[int]] = {}
    for dim, key_text, key_int, n, dispatched, responded in rollup.fetch(ROLLUP_SQL, [start, end]):
        if dim == "state":
            state = states.setdefault((key_text, key_int), [0, 0, 0])
            state[0] += int(n)
            state[1] += int(dispatched)
            state[2] += int(responded)
            continue
        key = key_text if dim in ("channel", "kind") else key_int
        bucket = counts[_ROLLUP_COLUMNS[dim]]
        bucket[key] = bucket.get(key, 0) + int(n)
    counts["k_period"] = _rollup_periods(start, end, granularity)
    return counts, states


def _rollup_periods(start: dt.date, end: dt.date, granularity: str) -> dict[Any, int]:
    """Complaints received per day, week or month of the period, from the rollup."""
    from . import rollup

    if granularity not in GRANULARITIES:
        raise ValueError(granularity)
    rows = rollup.fetch(ROLLUP_PERIOD_SQL.format(unit=granularity), [start, end])
    return {period: int(n) for period, n in rows}


def _rollup_states(start: dt.date, end: dt.date) -> dict[tuple[Any, ...], list[int]]:
    from . import rollup

    states: dict[tuple[Any, ...], list[int]] = {}
    rows = rollup.fetch(
        "SELECT key_text, key_int, SUM(n), SUM(dispatched), SUM(responded)"
        " FROM reports_rollup_complaint WHERE dim = 'state' AND day >= %s AND day <= %s"
        " GROUP BY 1, 2",
        [start, end],
    )
    for status, rating, n, dispatched, responded in rows:
        states[(status, rating)] = [int(n), int(dispatched), int(responded)]
    return states

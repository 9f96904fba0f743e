"""ReportData: every figure of a written report, computed once for the period from the
aggregates (aduan.reports.aggregates, .indicators) and reused by the PDF, the XLSX and the CSV.

The period is the local calendar days `start` … `end` (WITA); a complaint belongs to the period
in which it was received, except the agency indicators (section 8), which follow the rules of
`aduan.reports.indicators` (clocks stopped in the period). Figures that describe the present —
current status, overdue — are as at `as_of`, the moment the data was built.

No identity is read (S1): the annex (`annex_rows`) lists tracking code, dates, kind, category,
agency, channel, status and working days; confidential (private) complaints are only counted.
The annex is a generator over a server-side cursor so that a year at a million complaints is
streamed, never held in memory.

An agency's report (`agency` set; S3) is the same report restricted to the complaints whose
lead agency is that agency, with that agency's indicators and targets only.

One snapshot: every query of one report runs in one transaction (`report_snapshot`), on
PostgreSQL at REPEATABLE READ, read only — a complaint closed while the figures are gathered
cannot make two sections disagree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from aduan.agencies.models import Agency, Category
from aduan.complaints.models import Channel, Kind, Resolution
from aduan.complaints.workflow.states import Status
from aduan.core import clock
from aduan.reports import aggregates as agg
from aduan.reports.indicators import agency_scorecard, indicator_values
from aduan.reports.models import Indicator
from aduan.workdays.services import working_calendar

from .periods import period_label

ANNEX_CHUNK = 2000


@dataclass(frozen=True)
class Row:
    """One line of a table: a label and its count (and share of the total, per cent)."""

    label: str
    count: int
    share: Decimal | None = None


@dataclass(frozen=True)
class AgencyRow:
    name: str
    received: int
    cells: list[dict[str, Any]]  # indicator, value, target, rag (see agency_scorecard)


@dataclass
class ReportData:
    period_kind: str
    start: dt.date
    end: dt.date
    label: str
    as_of: dt.datetime
    pemda: str
    coordinator_name: str
    coordinator_address: str
    # 1 summary
    received: int
    previous_received: int
    previous_start: dt.date
    previous_end: dt.date
    funnel: agg.Funnel
    private_count: int
    overall: dict[Indicator, Decimal | None]
    overdue_now: int
    # 2 subject and category
    by_kind: list[Row]
    by_category: list[Row]
    by_subcategory: list[Row]
    by_kecamatan: list[Row]
    by_agency: list[Row]
    # 3 time received
    by_channel: list[Row]
    over_time: list[tuple[dt.date, int]]
    over_time_unit: str
    # 4 status
    by_status: list[Row]
    # 5 handling results
    by_resolution: list[Row]
    # 6 responses
    satisfaction: agg.Satisfaction
    followed_up: int
    follow_ups: int
    # 7 causes
    by_cause: list[Row]
    # 8 agencies
    agencies: list[AgencyRow]
    # 9 notes
    narrative: str = ""
    recommendations: str = ""
    indicators: list[Indicator] = field(default_factory=lambda: list(Indicator))
    # the agency of an agency's report (None: the whole regency)
    agency_id: int | None = None
    agency_name: str = ""
    agency_address: str = ""
    # the annex: complaints listed and confidential ones only counted (same snapshot)
    annex_listed: int = 0
    annex_private: int = 0

    @property
    def change(self) -> int:
        return self.received - self.previous_received

    @property
    def change_share(self) -> Decimal | None:
        return _share(self.change, self.previous_received)


def _share(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"))


def _rows(buckets: list[agg.Bucket], total: int) -> list[Row]:
    return [Row(str(b.label), b.count, _share(b.count, total)) for b in buckets]


def _choice_rows(counts: dict[Any, int], choices: Any, total: int) -> list[Row]:
    labels = dict(choices)
    ordered = sorted(counts.items(), key=lambda kv: (-kv[1], str(kv[0])))
    return [
        Row(str(labels.get(key, key)) if key else _("Not set"), n, _share(n, total))
        for key, n in ordered
    ]


@contextmanager
def report_snapshot() -> Iterator[None]:
    """One transaction for every query of a report, so that all of them see the same state of
    the database: on PostgreSQL REPEATABLE READ READ ONLY (the snapshot is taken at the first
    query; no row is locked, writers go on); on SQLite one transaction (WAL: a reader sees one
    state and does not block writers). Inside a transaction already (a caller's, a test's) the
    level can no longer be set: the queries then run in that transaction as they are."""
    if connection.in_atomic_block:
        yield
        return
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        yield


def report_data_of(report: Any, *, as_of: dt.datetime | None = None) -> ReportData:
    """`report_data_build` for a stored report (an `IssuedReport`, draft or issued): its period,
    agency, notes and recommendations."""
    return report_data_build(
        report.period_kind,
        report.period_start,
        report.period_end,
        agency=report.agency,
        narrative=report.narrative,
        recommendations=report.recommendations,
        as_of=as_of,
    )


def report_data_build(
    period_kind: str,
    start: dt.date,
    end: dt.date,
    *,
    agency: Agency | None = None,
    narrative: str = "",
    recommendations: str = "",
    as_of: dt.datetime | None = None,
) -> ReportData:
    """Every figure of the report for [start, end] in one snapshot (`report_snapshot`):
    regency-wide, or `agency`'s (the complaints it leads, its indicators and targets). System
    use: S3 is the caller's (services.can_read_report)."""
    with report_snapshot():
        return _build(
            period_kind,
            start,
            end,
            agency=agency,
            narrative=narrative,
            recommendations=recommendations,
            as_of=as_of,
        )


def _build(
    period_kind: str,
    start: dt.date,
    end: dt.date,
    *,
    agency: Agency | None,
    narrative: str,
    recommendations: str,
    as_of: dt.datetime | None,
) -> ReportData:
    moment = as_of or clock.now()
    scope: dict[str, Any] = {"agency": agency} if agency is not None else {}
    qs = agg.filtered(start, end, **scope)
    trend = agg.trend(start, end, **scope)
    received = trend.current.received
    coordinator = Agency.objects.filter(is_coordinator=True).first()

    status_counts = dict(qs.values_list("status").annotate(n=Count("id")).order_by())
    resolution_counts = dict(
        qs.exclude(resolution="").values_list("resolution").annotate(n=Count("id")).order_by()
    )
    extra = qs.aggregate(
        private=Count("id", filter=Q(private=True)),
        followed_up=Count("id", filter=Q(follow_up_count__gt=0)),
        follow_ups=Sum("follow_up_count"),
    )
    overdue = sum(row.total for row in agg.overdue_now(moment, **scope))
    granularity = "week" if (end - start).days < 40 else "month"
    # The volumes, causes and ratings in one pass over the period (as the dashboard reads them).
    parts = agg.breakdown(start, end, granularity=granularity, **scope)
    volumes = parts.volumes
    over_time = [(dt.date.fromisoformat(str(b.key)), b.count) for b in volumes["period"]]
    volume_agency = {b.key: b.count for b in volumes["agency"]}
    scorecard = agency_scorecard(start, end, agency=agency)
    overall = indicator_values(start, end, agency=agency)[agency.pk if agency else None]
    listed, private_listed = annex_count(start, end, agency=agency.pk if agency else None)
    agencies = [
        AgencyRow(
            row["agency"].short_name or row["agency"].name,
            volume_agency.get(row["agency"].pk, 0),
            row["cells"],
        )
        for row in scorecard
        if row["agency"] is not None
    ]
    sat = parts.satisfaction
    causes = parts.causes
    return ReportData(
        period_kind=period_kind,
        start=start,
        end=end,
        label=period_label(period_kind, start),
        as_of=moment,
        pemda=settings.ADUAN_PEMDA_NAME,
        coordinator_name=coordinator.name if coordinator else "",
        coordinator_address=coordinator.office_address if coordinator else "",
        received=received,
        previous_received=trend.previous.received,
        previous_start=trend.previous_start,
        previous_end=trend.previous_end,
        funnel=trend.current,
        private_count=extra["private"],
        overall=overall,
        overdue_now=overdue,
        by_kind=_choice_rows(
            dict(qs.values_list("kind").annotate(n=Count("id")).order_by()), Kind.choices, received
        ),
        by_category=_rows(volumes["category"], received),
        by_subcategory=_rows(agg.volume_by("category_leaf", start, end, **scope), received),
        by_kecamatan=_rows(volumes["kecamatan"], received),
        by_agency=_rows(volumes["agency"], received),
        by_channel=_rows(volumes["channel"], received),
        over_time=over_time,
        over_time_unit=granularity,
        by_status=[
            Row(
                str(label),
                status_counts.get(value, 0),
                _share(status_counts.get(value, 0), received),
            )
            for value, label in Status.choices
        ],
        by_resolution=_choice_rows(
            resolution_counts, Resolution.choices, sum(resolution_counts.values())
        ),
        satisfaction=sat,
        followed_up=extra["followed_up"],
        follow_ups=extra["follow_ups"] or 0,
        by_cause=_rows(causes, sum(b.count for b in causes)),
        agencies=agencies,
        narrative=narrative,
        recommendations=recommendations,
        agency_id=agency.pk if agency else None,
        agency_name=agency.name if agency else "",
        agency_address=agency.office_address if agency else "",
        annex_listed=listed,
        annex_private=private_listed,
    )


# --- the annex ------------------------------------------------------------------------------


@dataclass(frozen=True)
class AnnexRow:
    tracking_code: str
    received: dt.date
    kind: str
    category: str
    agency: str
    channel: str
    status: str
    responded: dt.date | None
    working_days: int | None  # receipt to first response, in working days


class WorkingDayIndex:
    """Working days between two dates in O(1) after one pass over the range: the calendar's
    rule (the start day never counts) with the real holiday table (aduan.workdays)."""

    def __init__(self, first: dt.date) -> None:
        self._calendar = working_calendar()
        self._first = first
        self._cumulative = [0]  # working days in (first, first + i]

    def _index(self, day: dt.date) -> int:
        offset = (day - self._first).days
        while len(self._cumulative) <= offset:
            nxt = self._first + dt.timedelta(days=len(self._cumulative))
            self._cumulative.append(self._cumulative[-1] + self._calendar.is_working_day(nxt))
        return self._cumulative[offset]

    def between(self, start: dt.date, end: dt.date) -> int:
        if start < self._first or end < self._first:
            return self._calendar.working_days_between(start, end)
        return self._index(end) - self._index(start)


def _scope(agency: int | None) -> dict[str, Any]:
    return {"agency": agency} if agency is not None else {}


def annex_count(start: dt.date, end: dt.date, *, agency: int | None = None) -> tuple[int, int]:
    """(listed, confidential): the complaints the annex lists and those it only counts."""
    row = agg.filtered(start, end, **_scope(agency)).aggregate(
        listed=Count("id", filter=Q(private=False)), private=Count("id", filter=Q(private=True))
    )
    return row["listed"], row["private"]


def annex_rows(
    start: dt.date, end: dt.date, *, agency: int | None = None, limit: int | None = None
) -> Iterator[AnnexRow]:
    """The non-confidential complaints of the period (led by `agency` if given: S3) in order of
    receipt, streamed (S1: no identity, no title or text)."""
    zone = timezone.get_default_timezone()
    kinds, statuses, channels = dict(Kind.choices), dict(Status.choices), dict(Channel.choices)
    categories = dict(Category.objects.values_list("pk", "name"))
    agencies = {
        pk: short or name
        for pk, short, name in Agency.objects.values_list("pk", "short_name", "name")
    }
    index = WorkingDayIndex(start)
    qs = (
        agg.filtered(start, end, **_scope(agency))
        .filter(private=False)
        .order_by("received_at", "id")
        .values_list(
            "tracking_code",
            "received_at",
            "kind",
            "category_id",
            "lead_agency_id",
            "channel",
            "status",
            "first_responded_at",
        )
    )
    if limit is not None:
        qs = qs[:limit]
    for code, received_at, kind, category, lead, channel, status, responded_at in qs.iterator(
        chunk_size=ANNEX_CHUNK
    ):
        received = timezone.localtime(received_at, zone).date()
        responded = timezone.localtime(responded_at, zone).date() if responded_at else None
        yield AnnexRow(
            tracking_code=code,
            received=received,
            kind=str(kinds.get(kind, kind)),
            category=categories.get(category, "") if category else "",
            agency=agencies.get(lead, "") if lead else "",
            channel=str(channels.get(channel, channel)),
            status=str(statuses.get(status, status)),
            responded=responded,
            working_days=index.between(received, responded) if responded else None,
        )

"""The monitoring dashboard (issue 7; Pasal 7(4)a, 7(5)a, 7(6)d, 12, 13): selectors that build
its sections for a user and the filters of the GET form, as tables of plain values — the same
tables feed the HTML (beside each chart) and the CSV download of each section.

Who sees what (S3): the regent, the coordination team (chair, member, patron) and the Dinas admin
see every agency and may filter by one; a liaison officer or an agency head sees only their own
agency — every figure is then computed with `visible=complaints_visible_to(user)` *and* the lead
agency fixed to theirs, and asking for another agency is refused (403). No identity is read or
shown (S1): comments go through `public_text`, and the overdue list shows tracking codes only.

The timeliness indicators and the ranking come from `indicators.py`, which counts per agency and
period (clocks, events): they follow the period and agency filters but not the category, area
and channel filters (the page says so when those are set).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied
from django.db.models import Case, F, When
from django.http import Http404
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from aduan.accounts.access import ALL_COMPLAINTS_ROLES, complaints_visible_to
from aduan.accounts.models import User
from aduan.accounts.roles import AGENCY_ROLES
from aduan.agencies.models import Agency, Category, Region
from aduan.complaints.models import Channel
from aduan.complaints.workflow.states import Status
from aduan.core import clock

from . import aggregates as agg
from . import charts, rollup
from .indicators import agency_scorecard, indicator_values
from .models import LOWER_IS_BETTER, Indicator

DASH = "\u2013"  # shown for a figure that has nothing to count
PERIOD_KINDS = ("month", "quarter", "semester", "year", "custom")
MAX_CUSTOM_DAYS = 3 * 366
OVERDUE_LIST_SIZE = 25
VOLUME_DIMENSIONS = ("period", "channel", "kind", "category", "kecamatan", "desa", "agency")
SECTIONS = (
    *(f"volume_by_{d}" for d in VOLUME_DIMENSIONS),
    "funnel",
    "trend",
    "trend_series",
    "timeliness",
    "overdue",
    "causes",
    "satisfaction",
    "ranking",
)
SHARE_INDICATORS = frozenset(
    {
        Indicator.DISPATCHED_ON_TIME,
        Indicator.ANSWERED_BY_TARGET,
        Indicator.ANSWERED_BY_DEADLINE,
        Indicator.CLOSED_WITHOUT_FOLLOW_UP,
        Indicator.RETURNED,
    }
)
# The sections read from `agg.breakdown` (one pass over the period's complaints).
BREAKDOWN_SECTIONS = (
    *(f"volume_by_{d}" for d in VOLUME_DIMENSIONS),
    "funnel",
    "trend",
    "trend_series",
    "causes",
    "satisfaction",
)
# The ranking's columns besides the indicators: worst first.
RANK_KEYS = ("overdue", "received")


def can_see_all(user: User) -> bool:
    return user.role in ALL_COMPLAINTS_ROLES


def can_open(user: User) -> bool:
    """Every staff role opens the dashboard; an agency role only with an agency (S3)."""
    return can_see_all(user) or (user.role in AGENCY_ROLES and user.agency_id is not None)


# --- the period ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    kind: str
    start: dt.date
    end: dt.date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def granularity(self) -> str:
        """Volumes over time per day up to a month, per week up to a quarter, else per month."""
        if self.days <= 31:
            return "day"
        if self.days <= 92:
            return "week"
        return "month"

    @property
    def previous(self) -> tuple[dt.date, dt.date]:
        return agg.previous_period(self.start, self.end)


def _month_end(first: dt.date) -> dt.date:
    following = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return following - dt.timedelta(days=1)


def period_of(kind: str, anchor: dt.date) -> Period:
    """The month, quarter, semester or year containing `anchor`."""
    if kind == "year":
        return Period(kind, dt.date(anchor.year, 1, 1), dt.date(anchor.year, 12, 31))
    size = {"month": 1, "quarter": 3, "semester": 6}[kind]
    first_month = (anchor.month - 1) // size * size + 1
    first = dt.date(anchor.year, first_month, 1)
    last = _month_end(dt.date(anchor.year, first_month + size - 1, 1))
    return Period(kind, first, last)


# --- the filter form -------------------------------------------------------------------------


class DashboardForm(forms.Form):
    """The GET form (works without JavaScript). `month` anchors month/quarter/semester/year;
    `start`/`end` make a custom period."""

    period = forms.ChoiceField(
        label=gettext_lazy("Period"),
        required=False,
        choices=[
            ("month", gettext_lazy("Month")),
            ("quarter", gettext_lazy("Quarter")),
            ("semester", gettext_lazy("Semester")),
            ("year", gettext_lazy("Year")),
            ("custom", gettext_lazy("Custom: from, until")),
        ],
    )
    month = forms.CharField(
        label=gettext_lazy("Month (or any month of the quarter, semester or year)"),
        required=False,
        widget=forms.TextInput(attrs={"type": "month"}),
    )
    start = forms.DateField(
        label=gettext_lazy("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    end = forms.DateField(
        label=gettext_lazy("Until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    agency = forms.ModelChoiceField(
        label=gettext_lazy("Agency"),
        required=False,
        queryset=Agency.objects.filter(is_active=True).order_by("name"),
        empty_label=gettext_lazy("All agencies"),
    )
    category = forms.ModelChoiceField(
        label=gettext_lazy("Category"),
        required=False,
        queryset=Category.objects.order_by("name"),
        empty_label=gettext_lazy("All categories"),
    )
    area = forms.ModelChoiceField(
        label=gettext_lazy("Kecamatan or desa"),
        required=False,
        queryset=Region.objects.filter(
            level__in=[Region.Level.DISTRICT, *agg.DESA_LEVELS]
        ).order_by("code"),
        empty_label=gettext_lazy("All areas"),
    )
    channel = forms.ChoiceField(
        label=gettext_lazy("Channel"),
        required=False,
        choices=[("", gettext_lazy("All channels")), *Channel.choices],
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        area: Any = self.fields["area"]
        area.label_from_instance = lambda r: (
            r.name if r.level == Region.Level.DISTRICT else f"— {r.name}"
        )
        if not can_see_all(user):
            del self.fields["agency"]

    def clean_month(self) -> dt.date | None:
        raw = self.cleaned_data.get("month") or ""
        if not raw:
            return None
        try:
            year, month = (int(part) for part in raw.split("-"))
            return dt.date(year, month, 1)
        except ValueError as error:
            raise forms.ValidationError(_("Enter a month as YYYY-MM.")) from error

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("period") == "custom":
            start, end = data.get("start"), data.get("end")
            if start is None or end is None:
                raise forms.ValidationError(_("A custom period needs both dates."))
            if end < start:
                raise forms.ValidationError(_("The end date is before the start date."))
            if (end - start).days + 1 > MAX_CUSTOM_DAYS:
                raise forms.ValidationError(_("A custom period is at most three years."))
        return data


@dataclass(frozen=True)
class Filters:
    period: Period
    agency: Agency | None = None  # chosen (see-all roles) or forced (agency roles)
    category: Category | None = None
    area: Region | None = None
    channel: str = ""
    sort: str = "overdue"

    @property
    def channel_label(self) -> str:
        return str(dict(Channel.choices).get(self.channel, self.channel))

    @property
    def narrowed(self) -> bool:
        """Filters that the indicators (clocks per agency) do not follow."""
        return bool(self.category or self.area or self.channel)


def filters_from(params: Any, user: User) -> tuple[DashboardForm, Filters]:
    """The form and the filters of a GET request. An agency role asking for another agency's
    figures is refused (S3: PermissionDenied → 403); an invalid form falls back to this month."""
    own: Agency | None = None
    if not can_see_all(user):
        own = user.agency
        asked = params.get("agency")
        if asked not in (None, "", str(user.agency_id)):
            raise PermissionDenied
    form = DashboardForm(params or None, user=user)
    today = clock.local_date()
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    kind = data.get("period") or "month"
    if kind == "custom":
        period = Period("custom", data["start"], data["end"])
    else:
        period = period_of(kind, data.get("month") or today)
    sort = params.get("sort", "overdue")
    if sort not in RANK_KEYS and sort not in Indicator.values:
        sort = "overdue"
    return form, Filters(
        period=period,
        agency=own if own is not None else data.get("agency"),
        category=data.get("category"),
        area=data.get("area"),
        channel=data.get("channel") or "",
        sort=sort,
    )


# --- tables ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    """A value (written to the CSV as is) and its display on the page."""

    value: Any
    text: str = ""
    rag: str | None = None
    href: str = ""

    def __str__(self) -> str:
        return self.text or _plain(self.value)


def _plain(value: Any) -> str:
    if value is None:
        return DASH
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


@dataclass
class Table:
    section: str
    caption: str
    columns: list[str]
    rows: list[list[Cell]] = field(default_factory=list)
    note: str = ""

    def csv_rows(self) -> list[list[Any]]:
        return [[c.value for c in row] for row in self.rows]


def _cells(*values: Any) -> list[Cell]:
    return [v if isinstance(v, Cell) else Cell(v) for v in values]


def indicator_text(indicator: Indicator, value: Decimal | None) -> str:
    if value is None:
        return DASH
    if indicator in SHARE_INDICATORS:
        return f"{value}%"
    return str(value)


def rag_word(value: str | None) -> str:
    return {"green": _("green"), "amber": _("amber"), "red": _("red")}.get(value or "", "")


@dataclass(frozen=True)
class Change:
    """Now against the previous period: arrow and signed number (not only colour)."""

    now: Decimal | int | None
    before: Decimal | int | None
    lower_is_better: bool = False

    @property
    def delta(self) -> Decimal | int | None:
        if self.now is None or self.before is None:
            return None
        return self.now - self.before

    @property
    def direction(self) -> str:
        d = self.delta
        if d is None:
            return "none"
        return "up" if d > 0 else "down" if d < 0 else "same"

    @property
    def better(self) -> bool | None:
        d = self.delta
        if d is None or d == 0:
            return None
        return (d < 0) if self.lower_is_better else (d > 0)

    def text(self) -> str:
        d = self.delta
        if d is None:
            return DASH
        arrow = {"up": "▲", "down": "▼", "same": "="}[self.direction]
        words = {"up": _("up"), "down": _("down"), "same": _("no change")}[self.direction]
        sign = "+" if d > 0 else ""
        return f"{arrow} {sign}{d} ({words})"


# --- the dashboard ---------------------------------------------------------------------------


@dataclass
class OverdueItem:
    pk: int
    tracking_code: str
    agency: str
    status: str
    due_at: dt.datetime | None


@dataclass
class Dashboard:
    filters: Filters
    see_all: bool
    tables: dict[str, Table] = field(default_factory=dict)
    funnel: agg.Funnel | None = None
    trend: agg.Trend | None = None
    overdue_total: int = 0
    overdue_items: list[OverdueItem] = field(default_factory=list)
    satisfaction: agg.Satisfaction | None = None
    late_agencies: list[str] = field(default_factory=list)
    trend_lines: charts.LineChart | None = None

    def table(self, section: str) -> Table:
        return self.tables[section]


def _agg_filters(user: User, filters: Filters) -> dict[str, Any]:
    return {
        "visible": complaints_visible_to(user),
        "agency": filters.agency,
        "category": filters.category,
        "kecamatan": filters.area,
        "channel": filters.channel or None,
    }


DIMENSION_CAPTIONS = {
    "period": gettext_lazy("Complaints received over time"),
    "channel": gettext_lazy("Complaints received per channel"),
    "kind": gettext_lazy("Complaints received per kind"),
    "category": gettext_lazy("Complaints received per category"),
    "kecamatan": gettext_lazy("Complaints received per kecamatan"),
    "desa": gettext_lazy("Complaints received per desa/kelurahan"),
    "agency": gettext_lazy("Complaints received per agency (lead agency)"),
}
DIMENSION_HEADERS = {
    "period": gettext_lazy("Period"),
    "channel": gettext_lazy("Channel"),
    "kind": gettext_lazy("Kind"),
    "category": gettext_lazy("Category"),
    "kecamatan": gettext_lazy("Kecamatan"),
    "desa": gettext_lazy("Desa/kelurahan"),
    "agency": gettext_lazy("Agency"),
}


def _wanted(only: str | None, *sections: str) -> bool:
    return only is None or only in sections


def dashboard_build(*, user: User, filters: Filters, only: str | None = None) -> Dashboard:
    """Every section of the dashboard for `user` (or only the section `only`, for its CSV).
    The number of queries does not depend on the number of complaints.

    Each figure is computed once per request: the seven volumes, the funnel, the causes and
    the ratings come from one pass over the period (`agg.breakdown`), the ranking reuses the
    per-agency volume and the scorecard's values; only the previous period's funnel and
    indicators (the trend and timeliness columns) are separate queries."""
    if not can_open(user):
        raise PermissionDenied
    period = filters.period
    start, end = period.start, period.end
    f = _agg_filters(user, filters)
    # The daily rollup answers the long periods in milliseconds; recount the days changed since
    # the worker's last refresh first, so the figures are exact (aduan/reports/rollup.py).
    use_rollup = rollup.refresh_for_reading()
    board = Dashboard(filters=filters, see_all=can_see_all(user))
    # The volumes, the funnel, the causes and the ratings: one pass over the period.
    breakdown: agg.Breakdown | None = None
    if _wanted(only, *BREAKDOWN_SECTIONS):
        breakdown = agg.breakdown(
            start,
            end,
            granularity=period.granularity,
            latest=0 if only else agg.LATEST_COMMENTS,
            rollup=use_rollup,
            **f,
        )

    for dimension in VOLUME_DIMENSIONS:
        section = f"volume_by_{dimension}"
        if not _wanted(only, section) or breakdown is None:
            continue
        buckets = breakdown.volumes[dimension]
        table = Table(
            section,
            str(DIMENSION_CAPTIONS[dimension]),
            ["key", str(DIMENSION_HEADERS[dimension]), _("Complaints")],
        )
        if dimension == "period":
            table.note = {
                "day": _("Per day."),
                "week": _("Per week (the date is the Monday)."),
                "month": _("Per month."),
            }[period.granularity]
        for b in buckets:
            table.rows.append(_cells(b.key, b.label, b.count))
        board.tables[section] = table

    if _wanted(only, "funnel", "trend") and breakdown is not None:
        p_start, p_end = period.previous
        board.trend = agg.Trend(
            start,
            end,
            p_start,
            p_end,
            current=breakdown.funnel,
            previous=agg.status_funnel(p_start, p_end, rollup=use_rollup, **f),
        )
        board.funnel = board.trend.current
        stages = [
            ("received", _("Received")),
            ("dispatched", _("Dispatched to an agency")),
            ("responded", _("Answered")),
            ("closed", _("Closed")),
            ("archived", _("Archived")),
        ]
        funnel = Table(
            "funnel",
            _("Status of the complaints received in the period"),
            ["stage", _("Stage"), _("Complaints")],
        )
        trend = Table(
            "trend",
            _("This period against the previous period of the same length"),
            [
                "measure",
                _("Measure"),
                _("This period"),
                _("Previous period"),
                _("Change from the previous period"),
            ],
        )
        for key, label in stages:
            now = getattr(board.trend.current, key)
            before = getattr(board.trend.previous, key)
            funnel.rows.append(_cells(key, label, now))
            change = Change(now, before)
            trend.rows.append(_cells(key, label, now, before, Cell(change.delta, change.text())))
        board.tables["funnel"] = funnel
        board.tables["trend"] = trend

    if _wanted(only, "trend_series") and breakdown is not None:
        # The previous period per day (one query), laid over this period's days by offset.
        p_start, p_end = period.previous
        previous_days = agg.volume_by(
            "period", p_start, p_end, granularity="day", rollup=use_rollup, **f
        )
        series = _trend_series(period, breakdown.volumes["period"], previous_days)
        board.tables["trend_series"] = series
        if only is None:
            board.trend_lines = _trend_lines(period, series)

    overdue_rows: list[agg.OverdueRow] = []
    if _wanted(only, "overdue", "ranking"):
        overdue_rows = agg.overdue_now(**f)
        board.overdue_total = sum(o.total for o in overdue_rows)
        board.late_agencies = [o.label for o in overdue_rows if o.total]
        table = Table(
            "overdue",
            _("Open complaints past their deadline now, per agency"),
            [
                "agency_id",
                _("Agency"),
                _("Past the dispatch deadline"),
                _("Past the response deadline"),
                _("Total"),
            ],
        )
        for o in overdue_rows:
            table.rows.append(_cells(o.agency_id, o.label, o.dispatch, o.response, o.total))
        board.tables["overdue"] = table
        if only is None:
            board.overdue_items = _overdue_items(f)

    if _wanted(only, "causes") and breakdown is not None:
        table = Table(
            "causes",
            _("Causes of the complaints (penyebab), as the agencies recorded them"),
            ["cause_id", _("Cause"), _("Complaints")],
        )
        for b in breakdown.causes:
            table.rows.append(_cells(b.key, b.label, b.count))
        board.tables["causes"] = table

    if _wanted(only, "satisfaction") and breakdown is not None:
        sat = breakdown.satisfaction
        board.satisfaction = sat
        table = Table(
            "satisfaction",
            _("Ratings per score, 1 (very poor) to 5 (very good)"),
            ["score", _("Score"), _("Ratings")],
        )
        for score in range(1, 6):
            table.rows.append(_cells(score, str(score), sat.distribution[score]))
        board.tables["satisfaction"] = table

    if _wanted(only, "timeliness", "ranking"):
        _indicators(board, filters, overdue_rows, only, f, use_rollup)
    return board


def _overdue_items(f: dict[str, Any]) -> list[OverdueItem]:
    """The open complaints longest past their deadline (tracking code only, no text: S1)."""
    labels = dict(Status.choices)
    dispatch_states = [Status.RECEIVED, Status.RETURNED]
    rows = (
        agg.filtered(None, None, **f)
        .overdue(clock.now())
        .annotate(
            due=Case(
                When(status__in=dispatch_states, then=F("dispatch_due_at")),
                default=F("response_due_at"),
            )
        )
        .values(
            "pk",
            "tracking_code",
            "status",
            "due",
            "lead_agency__short_name",
            "lead_agency__name",
        )
        .order_by("due", "pk")[:OVERDUE_LIST_SIZE]
    )
    return [
        OverdueItem(
            pk=r["pk"],
            tracking_code=r["tracking_code"],
            agency=r["lead_agency__short_name"] or r["lead_agency__name"] or _("Not dispatched"),
            status=str(labels.get(r["status"], r["status"])),
            due_at=r["due"],
        )
        for r in rows
    ]


def _indicators(
    board: Dashboard,
    filters: Filters,
    overdue_rows: list[agg.OverdueRow],
    only: str | None,
    f: dict[str, Any],
    use_rollup: bool = False,
) -> None:
    period = filters.period
    start, end = period.start, period.end
    p_start, p_end = period.previous
    scope = filters.agency
    if board.see_all and scope is None:
        card = agency_scorecard(start, end, rollup=use_rollup)
        before = indicator_values(p_start, p_end, rollup=use_rollup)[None]
        scope_row = card[0]
    else:
        if scope is None:  # an agency role always has one (filters_from)
            raise PermissionDenied
        card = agency_scorecard(start, end, agency=scope, rollup=use_rollup)
        before = indicator_values(p_start, p_end, agency=scope, rollup=use_rollup)[scope.pk]
        scope_row = card[0]

    if _wanted(only, "timeliness"):
        table = Table(
            "timeliness",
            _("Timeliness and other indicators against the targets, with the previous period"),
            [
                "indicator",
                _("Indicator"),
                _("Value"),
                _("Target"),
                _("Status"),
                _("Previous period"),
                _("Change from the previous period"),
            ],
        )
        if filters.narrowed:
            table.note = _(
                "The indicators count every complaint of the agency in the period: the "
                "category, area and channel filters do not apply to them."
            )
        for cell in scope_row["cells"]:
            ind: Indicator = cell["indicator"]
            target = cell["target"]
            change = Change(cell["value"], before[ind], lower_is_better=ind in LOWER_IS_BETTER)
            table.rows.append(
                _cells(
                    ind.value,
                    str(ind.label),
                    Cell(cell["value"], indicator_text(ind, cell["value"]), rag=cell["rag"]),
                    Cell(target.value if target else None),
                    Cell(cell["rag"] or "", rag_word(cell["rag"]) or DASH, rag=cell["rag"]),
                    Cell(before[ind], indicator_text(ind, before[ind])),
                    Cell(change.delta, change.text()),
                )
            )
        board.tables["timeliness"] = table

    if _wanted(only, "ranking") and board.see_all and scope is None:
        computed = board.tables.get("volume_by_agency")
        received = (
            {row[0].value: row[2].value for row in computed.rows}
            if computed is not None
            else {b.key: b.count for b in agg.volume_by("agency", start, end, **f)}
        )
        board.tables["ranking"] = _ranking(card[1:], overdue_rows, received, filters)


def _ranking(
    rows: list[dict[str, Any]],
    overdue_rows: list[agg.OverdueRow],
    received: dict[Any, int],
    filters: Filters,
) -> Table:
    """Agencies with any activity, worst first by the chosen column (`sort`)."""
    late = {o.agency_id: o.total for o in overdue_rows}
    # Not yet dispatched and past the dispatch deadline: the coordinator's (it dispatches).
    coordinator = next((r["agency"].pk for r in rows if r["agency"].is_coordinator), None)
    if coordinator is not None and None in late:
        late[coordinator] = late.get(coordinator, 0) + late.pop(None)
    entries = []
    for row in rows:
        agency: Agency = row["agency"]
        values = {c["indicator"]: c for c in row["cells"]}
        n_late = late.get(agency.pk, 0)
        n_in = received.get(agency.pk, 0)
        if not n_late and not n_in and all(c["value"] is None for c in row["cells"]):
            continue
        entries.append((agency, n_late, n_in, values))

    key = filters.sort

    def order(entry: tuple[Agency, int, int, dict[Indicator, Any]]) -> tuple[Any, ...]:
        agency, n_late, n_in, values = entry
        if key == "overdue":
            return (0, -n_late, agency.name)
        if key == "received":
            return (0, -n_in, agency.name)
        value = values[Indicator(key)]["value"]
        if value is None:
            return (1, 0, agency.name)
        worst_first = -value if Indicator(key) in LOWER_IS_BETTER else value
        return (0, worst_first, agency.name)

    entries.sort(key=order)
    table = Table(
        "ranking",
        _("Agencies ranked, worst first, by the underlined column"),
        [
            "agency_id",
            _("Agency"),
            _("Overdue now"),
            _("Received in the period"),
            *[str(i.label) for i in Indicator],
        ],
    )
    for agency, n_late, n_in, values in entries:
        cells = [
            Cell(agency.pk),
            Cell(agency.short_name or agency.name),
            Cell(n_late, rag="red" if n_late else None),
            Cell(n_in),
        ]
        for ind in Indicator:
            c = values[ind]
            word = rag_word(c["rag"])
            cells.append(
                Cell(
                    c["value"],
                    indicator_text(ind, c["value"]) + (f" {word}" if word else ""),
                    rag=c["rag"],
                )
            )
        table.rows.append(cells)
    return table


def _bucket_start(day: dt.date, granularity: str) -> dt.date:
    """The first day of the day/week (Monday)/month containing `day`, as `Trunc` gives it."""
    if granularity == "week":
        return day - dt.timedelta(days=day.weekday())
    if granularity == "month":
        return day.replace(day=1)
    return day


def _trend_series(
    period: Period, current: list[agg.Bucket], previous_days: list[agg.Bucket]
) -> Table:
    """Complaints received over time in this period and in the previous one of equal length,
    aligned by offset (Pasal 12, R17): a complaint of the previous period's n-th day counts in
    the row of this period's n-th day, whatever the granularity, so both columns cover the
    same number of days. Every bucket of this period has a row, empty ones 0 (a line needs its
    zeros; the volumes table leaves them out)."""
    granularity = period.granularity
    p_start = period.previous[0]
    firsts: dict[str, dt.date] = {}  # bucket key → its first day inside the period
    for offset in range(period.days):
        day = period.start + dt.timedelta(days=offset)
        firsts.setdefault(_bucket_start(day, granularity).isoformat(), day)
    now = {str(b.key): b.count for b in current}
    before = dict.fromkeys(firsts, 0)
    for b in previous_days:
        offset = (dt.date.fromisoformat(str(b.key)) - p_start).days
        same_day = period.start + dt.timedelta(days=offset)
        key = _bucket_start(same_day, granularity).isoformat()
        if key in before:  # always, as the previous period has as many days as this one
            before[key] += b.count
    unit = {
        "day": _("Per day."),
        "week": _("Per week (the date is the Monday)."),
        "month": _("Per month."),
    }[granularity]
    table = Table(
        "trend_series",
        _("Complaints received over time, this period against the previous period"),
        ["key", _("Period"), _("This period"), _("Previous period from"), _("Previous period")],
        note=unit
        + " "
        + _(
            "The previous period is laid over this one day by day: day 1 of this period "
            "against day 1 of the previous one; the date shown is where its days begin."
        ),
    )
    for key, first in firsts.items():
        aligned = p_start + (first - period.start)
        table.rows.append(_cells(key, key, now.get(key, 0), aligned, before[key]))
    return table


def _trend_lines(period: Period, series: Table) -> charts.LineChart:
    """The line chart of `trend_series`: dates of this period under the x axis (short, for a
    phone), and a label that says both totals (the chart's text for a screen reader)."""
    short = "M Y" if period.granularity == "month" else "j M"
    labels = [
        date_format(max(dt.date.fromisoformat(row[0].value), period.start), short)
        for row in series.rows
    ]
    now = [row[2].value for row in series.rows]
    before = [row[4].value for row in series.rows]
    label = _("%(caption)s: %(now)s this period against %(before)s in the previous period.") % {
        "caption": series.caption,
        "now": _grouped(sum(now)),
        "before": _grouped(sum(before)),
    }
    return charts.lines(
        labels,
        [(_("This period"), now), (_("Previous period"), before)],
        label=label,
        key=series.section,
        number=_grouped,
    )


def _grouped(n: int) -> str:
    """A count with the locale's digit grouping (1,234 / 1.234)."""
    return str(number_format(n, force_grouping=True))


def section_table(*, user: User, filters: Filters, section: str) -> Table:
    """One section's table, for its CSV download (404 for an unknown or hidden section)."""
    if section not in SECTIONS:
        raise Http404
    board = dashboard_build(user=user, filters=filters, only=section)
    if section not in board.tables:
        raise Http404
    return board.tables[section]


def sort_columns() -> list[tuple[str, str]]:
    """The ranking's sortable columns: (sort key, header)."""
    return [
        ("overdue", _("Overdue now")),
        ("received", _("Received in the period")),
        *[(i.value, str(i.label)) for i in Indicator],
    ]

"""Performance indicators per agency and period, and their green/amber/red against the chair's
targets (Pasal 7(4)a monitoring by the chair, 7(5)a members act on slowness; issue 7; R12, R25,
R29, R34 — the clocks the figures come from).

Everything is aggregated in the database (conditional aggregates grouped by agency); the
percentiles are PostgreSQL's `percentile_cont` (linear interpolation), computed in Python from
the clocks counted per agency and number of working days (a few thousand groups, not a sort of
every clock). No identity is read (S1); callers restrict `agency` for a head or liaison (S3).

**The period** is the local calendar days `period_start` … `period_end` inclusive in the
deployment's time zone (WITA for Buton): the instants `[start 00:00, end+1 00:00)`.

**Which rows count** (each figure is a percentage 0-100 or a number, a `Decimal` with two
decimals, or None when there is nothing to count):

- ``dispatched_on_time``: dispatch clocks (the Dinas's) *stopped* in the period because the
  complaint was dispatched (`stop_reason = dispatched`); share with `deadline_met`. Clocks
  stopped by an archive are not dispatches and do not count. Per agency, these belong to the
  coordinator agency (`Agency.is_coordinator`, the Dinas Kominfo) — the one that dispatches; other
  agencies have None.
- ``answered_by_target`` / ``answered_by_deadline``: response clocks (attributed to the clock's
  agency) *stopped* in the period by a response (`stop_reason = responded`), plus — as late —
  response clocks still running (`stopped_at` empty) whose service target (resp. deadline) fell
  in the period and has already passed (before the end of the period or now, whichever is
  earlier). Share of the responded ones with `target_met` (resp. `deadline_met`) over all of
  those. Clocks stopped by a return, a re-dispatch or an archive do not count.
- ``median_days`` / ``p90_days``: `working_days_used` of the response clocks stopped in the
  period by a response (continuous percentile, linear interpolation: `percentile_cont`).
- ``closed_without_follow_up``: complaints closed in the period (status closed, `closed_at` in
  the period), attributed to their lead agency: share with `follow_up_count = 0`.
- ``satisfaction``: mean `satisfaction` (1-5) of those same closed complaints that were rated.
- ``returned``: the complaints dispatched to the agency in the period (distinct complaints with a
  "dispatch" or "redispatch" Event of that agency in the period) and the share of them that the
  agency returned (a "return" Event of that agency on the complaint, at any time after). The
  total counts (complaint, agency) pairs: a complaint returned by one agency and then dispatched
  to another counts once for each.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Literal

from django.db import connection
from django.db.models import Aggregate, Count, FloatField, Q, Sum
from django.utils import timezone

from aduan.agencies.models import Agency
from aduan.complaints.models import Clock, Complaint, Event
from aduan.complaints.workflow.states import Status
from aduan.core import clock as time

from . import rollup as _rollup
from .models import LOWER_IS_BETTER, Indicator, Target

Values = dict[Indicator, Decimal | None]
Rag = Literal["green", "amber", "red"]
TWO = Decimal("0.01")
DISPATCH_VERBS = ("dispatch", "redispatch")
RETURN_VERB = "return"
HUNDRED = Decimal(100)


# `_returned_counts`: {table} is our own quoted table name and {only} a list of placeholders;
# every value goes as a query parameter.
RETURNED_SQL = (
    "WITH sent AS ("
    " SELECT complaint_id, agency_id, MIN(created_at) AS first_at FROM {table}"
    " WHERE verb IN (%s, %s) AND created_at >= %s AND created_at < %s"
    " AND agency_id IS NOT NULL{only}"
    " GROUP BY complaint_id, agency_id"
    "), back AS ("
    " SELECT complaint_id, agency_id, MAX(created_at) AS last_at FROM {table}"
    " WHERE verb = %s AND created_at >= %s AND agency_id IS NOT NULL{only}"
    " GROUP BY complaint_id, agency_id"
    ") SELECT sent.agency_id, COUNT(*),"
    " SUM(CASE WHEN back.last_at >= sent.first_at THEN 1 ELSE 0 END)"
    " FROM sent LEFT JOIN back"
    " ON back.complaint_id = sent.complaint_id AND back.agency_id = sent.agency_id"
    " GROUP BY sent.agency_id"
)


def period_bounds(period_start: dt.date, period_end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The half-open instants `[start 00:00, end+1 00:00)` in the deployment's zone."""
    zone = timezone.get_default_timezone()
    low = dt.datetime.combine(period_start, dt.time.min, tzinfo=zone)
    high = dt.datetime.combine(period_end + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    return low, high


def _dec(value: Any) -> Decimal | None:
    if value is None:
        return None
    return Decimal(str(value)).quantize(TWO, rounding=ROUND_HALF_UP)


def _share(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * HUNDRED / Decimal(whole)).quantize(TWO, rounding=ROUND_HALF_UP)


def percentile_cont(values: Sequence[float | int], fraction: float) -> float | None:
    """PostgreSQL's `percentile_cont`: linear interpolation between the closest ranks."""
    if not values:
        return None
    ordered = sorted(values)
    position = fraction * (len(ordered) - 1)
    lower = math.floor(position)
    upper = min(lower + 1, len(ordered) - 1)
    return ordered[lower] + (position - lower) * (ordered[upper] - ordered[lower])


class PercentileCont(Aggregate):
    """`percentile_cont(fraction) WITHIN GROUP (ORDER BY expr)` (PostgreSQL only)."""

    function = "PERCENTILE_CONT"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()

    def __init__(self, expression: Any, fraction: float, **extra: Any) -> None:
        # `fraction` is one of our own constants, never user input: inlined as a float literal.
        super().__init__(expression, fraction=repr(float(fraction)), **extra)


def percentile_of_counts(counts: dict[int, int], fraction: float) -> float | None:
    """`percentile_cont` of the values given as {value: how many times}: the same linear
    interpolation between the closest ranks, without listing every value."""
    total = sum(counts.values())
    if not total:
        return None
    position = fraction * (total - 1)
    lower = math.floor(position)
    ranks = (lower, min(lower + 1, total - 1))
    found: list[int] = []
    seen = 0
    for value in sorted(counts):
        seen += counts[value]
        while len(found) < 2 and ranks[len(found)] < seen:
            found.append(value)
        if len(found) == 2:
            break
    return found[0] + (position - lower) * (found[1] - found[0])


def _answered(
    rows: Iterable[tuple[Any, ...]], with_total: bool
) -> dict[int | None, dict[str, Any]]:
    """From `rows` (agency, working days used, target met, deadline met, how many) of the
    response clocks answered in the period: per agency (and, `with_total`, all of them
    under None): how many (`answered`), with the target met, with the deadline met, and the
    median and 90th percentile of the working days used (`p50`, `p90`).

    One small query: the clocks counted per (agency, working days used, target met, deadline
    met) — a few thousand groups at most, hashed from the index alone — and the percentiles
    computed here from those counts, exactly as PostgreSQL's `percentile_cont` (which ignores
    an empty `working_days_used`; SQLite, development only, counts it as 0 as before)."""
    ignore_empty = connection.vendor == "postgresql"
    figures: dict[int | None, dict[str, Any]] = {}
    days: dict[int | None, dict[int, int]] = {}

    def add(key: int | None, used: int | None, target_met: Any, deadline_met: Any, n: int) -> None:
        entry = figures.setdefault(key, {"answered": 0, "target_met": 0, "deadline_met": 0})
        entry["answered"] += n
        entry["target_met"] += n if target_met is True else 0
        entry["deadline_met"] += n if deadline_met is True else 0
        if used is None and ignore_empty:
            return
        histogram = days.setdefault(key, {})
        value = int(used or 0)
        histogram[value] = histogram.get(value, 0) + n

    for agency_id, used, target_met, deadline_met, n in rows:
        if agency_id is not None:
            add(agency_id, used, target_met, deadline_met, n)
        if with_total:
            add(None, used, target_met, deadline_met, n)
    if with_total:
        figures.setdefault(None, {"answered": 0, "target_met": 0, "deadline_met": 0})
    for key, entry in figures.items():
        histogram = days.get(key, {})
        entry["p50"] = percentile_of_counts(histogram, 0.5)
        entry["p90"] = percentile_of_counts(histogram, 0.9)
    return figures


def _returned_counts(
    low: dt.datetime, high: dt.datetime, ids: list[int] | None
) -> dict[int | None, list[int]]:
    """Per agency (and in total under None): [complaints dispatched to it in the period,
    of those the ones it returned at or after such a dispatch].

    One pass over the period's dispatch events grouped by (complaint, agency) with the first
    dispatch, joined to the return events grouped the same way with the last return: returned
    when the last return is not before the first dispatch of the period — the same as "a return
    after one of the period's dispatches" (a correlated EXISTS per dispatch event, as before,
    took 0.8-4 s for a month and 7 s for a year at a million complaints; this 0.1 s and 1.3 s;
    bench/reports.py). The returns read are only those from `low` on (a return after a
    dispatch in the period cannot be earlier). Served by the index `event_report_verb`
    (complaints 0006) on PostgreSQL.
    """
    ops = connection.ops
    table = connection.ops.quote_name(Event._meta.db_table)
    lower, upper = ops.adapt_datetimefield_value(low), ops.adapt_datetimefield_value(high)
    only = ""
    agency_params: list[Any] = []
    if ids is not None:
        only = f" AND agency_id IN ({', '.join(['%s'] * len(ids))})"
        agency_params = list(ids)
    sql = RETURNED_SQL.format(table=table, only=only)
    params = [*DISPATCH_VERBS, lower, upper, *agency_params, RETURN_VERB, lower, *agency_params]
    sent: dict[int | None, list[int]] = {None: [0, 0]}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for agency_id, n, back in cursor.fetchall():
            sent[agency_id] = [int(n), int(back or 0)]
            sent[None] = [sent[None][0] + int(n), sent[None][1] + int(back or 0)]
    return sent


def _empty() -> Values:
    return dict.fromkeys(Indicator)


def indicator_values(
    period_start: dt.date,
    period_end: dt.date,
    *,
    agency: Agency | int | None = None,
    agencies: Iterable[Agency | int] | None = None,
    rollup: bool = False,
) -> dict[int | None, Values]:
    """Every indicator for the period (see the module docstring for which rows count).

    Keys: the agency ids asked for — `agency` (one; no total then: a head or liaison sees only
    their agency, S3) or `agencies` (several, plus the total under None) — or, with neither,
    only None: all agencies together.

    `rollup`: read the counts of the clocks stopped, the complaints closed and the dispatches
    of the period from the daily rollup (aduan/reports/rollup.py; the caller refreshed it) —
    the same figures; the late running clocks are always counted live.
    """
    use_rollup = rollup and _rollup.available()
    low, high = period_bounds(period_start, period_end)
    cut = min(high, time.now())
    ids: list[int] | None = None
    if agency is not None:
        ids = [agency.pk if isinstance(agency, Agency) else int(agency)]
    keys: list[int | None]
    if ids is not None:
        keys = list(ids)
    elif agencies is not None:
        keys = [None, *[a.pk if isinstance(a, Agency) else int(a) for a in agencies]]
    else:
        keys = [None]
    result: dict[int | None, Values] = {key: _empty() for key in keys}
    coordinator = Agency.objects.filter(is_coordinator=True).values_list("pk", flat=True).first()

    # Dispatch clocks (the Dinas's): stopped in the period by a dispatch.
    dispatch = Clock.objects.filter(
        kind=Clock.Kind.DISPATCH,
        stop_reason=Clock.StopReason.DISPATCHED,
        stopped_at__gte=low,
        stopped_at__lt=high,
    )
    if ids is None or coordinator in ids:
        if use_rollup:
            d = _rollup_dispatch_clocks(period_start, period_end)
        else:
            d = dispatch.aggregate(n=Count("pk"), met=Count("pk", filter=Q(deadline_met=True)))
        share = _share(d["met"], d["n"])
        for key in keys:
            if key is None or key == coordinator:
                result[key][Indicator.DISPATCHED_ON_TIME] = share

    # Response clocks: answered in the period, running and late, started in the period.
    responded_q = Q(
        stop_reason=Clock.StopReason.RESPONDED, stopped_at__gte=low, stopped_at__lt=high
    )
    late_deadline_q = Q(stopped_at__isnull=True, due_at__gte=low, due_at__lt=cut)
    late_target_q = Q(stopped_at__isnull=True, target_at__gte=low, target_at__lt=cut)
    response = Clock.objects.filter(kind=Clock.Kind.RESPONSE)
    if ids is not None:
        response = response.filter(agency__in=ids)
    # Two queries, not one with an OR: the answered clocks are read from the index alone
    # (clock_report_stopped; their counts and percentiles in one small GROUP BY), the few
    # running late ones through the running-clock indexes.
    answered_rows: Iterable[tuple[Any, ...]]
    if use_rollup:
        answered_rows = _rollup_answered(period_start, period_end, ids)
    else:
        answered_rows = (
            response.filter(responded_q)
            .order_by()
            .values_list("agency", "working_days_used", "target_met", "deadline_met")
            .annotate(n=Count("pk"))
        )
    answered = _answered(answered_rows, with_total=ids is None)
    late_rows = (
        response.filter(late_deadline_q | late_target_q)
        .values("agency")
        .annotate(
            late_target=Count("pk", filter=late_target_q),
            late_deadline=Count("pk", filter=late_deadline_q),
        )
        .order_by()
    )
    fields = ("answered", "target_met", "deadline_met", "late_target", "late_deadline")
    counts: dict[int | None, dict[str, int]] = {
        key: {f: row.get(f, 0) for f in fields} for key, row in answered.items()
    }
    if ids is None:
        counts.setdefault(None, dict.fromkeys(fields, 0))
    row: Any
    for row in late_rows:
        targets = [row["agency"]] if row["agency"] is not None else []
        if ids is None:
            targets.append(None)  # the total counts every clock
        for key in targets:
            agency_counts = counts.setdefault(key, dict.fromkeys(fields, 0))
            agency_counts["late_target"] += row["late_target"]
            agency_counts["late_deadline"] += row["late_deadline"]
    for key in keys:
        c = counts.get(key)
        if c is None:
            continue
        values = result[key]
        values[Indicator.ANSWERED_BY_TARGET] = _share(
            c["target_met"], c["answered"] + c["late_target"]
        )
        values[Indicator.ANSWERED_BY_DEADLINE] = _share(
            c["deadline_met"], c["answered"] + c["late_deadline"]
        )
    for key, figures in answered.items():
        if key in result:
            result[key][Indicator.MEDIAN_DAYS] = _dec(figures["p50"])
            result[key][Indicator.P90_DAYS] = _dec(figures["p90"])

    # Dispatches made in the period and, of those complaints, the ones the agency returned.
    if use_rollup:
        sent = _rollup_returned(period_start, period_end, ids)
    else:
        sent = _returned_counts(low, high, ids)
    for key in keys:
        if key in sent:
            result[key][Indicator.RETURNED] = _share(sent[key][1], sent[key][0])

    # Complaints closed in the period, by lead agency.
    closed = Complaint.objects.filter(status=Status.CLOSED, closed_at__gte=low, closed_at__lt=high)
    if ids is not None:
        closed = closed.filter(lead_agency__in=ids)
    closed_rows: Iterable[tuple[Any, ...]]
    if use_rollup:
        closed_rows = _rollup_closed(period_start, period_end, ids)
    else:
        closed_rows = (
            closed.values_list("lead_agency")
            .annotate(
                n=Count("pk"),
                no_follow_up=Count("pk", filter=Q(follow_up_count=0)),
                rated=Count("satisfaction"),
                score=Sum("satisfaction"),
            )
            .order_by()
        )
    sums: dict[int | None, list[int]] = {None: [0, 0, 0, 0]}
    for agency_id, n, no_follow_up, rated, score in closed_rows:
        numbers = [int(v or 0) for v in (n, no_follow_up, rated, score)]
        sums[agency_id] = numbers
        sums[None] = [a + b for a, b in zip(sums[None], numbers, strict=True)]
    for key in keys:
        s = sums.get(key)
        if s is None:
            continue
        result[key][Indicator.CLOSED_WITHOUT_FOLLOW_UP] = _share(s[1], s[0])
        result[key][Indicator.SATISFACTION] = (
            (Decimal(s[3]) / Decimal(s[2])).quantize(TWO, rounding=ROUND_HALF_UP) if s[2] else None
        )
    return result


# --- the same counts from the daily rollup (aduan/reports/rollup.py) ------------------------

# {only}: "" or " AND agency_id = ANY(%s)"; the dates and ids go as parameters.
_ROLLUP_ANSWERED_SQL = (
    "SELECT agency_id, working_days_used, target_met, deadline_met, SUM(n)"
    " FROM reports_rollup_clock WHERE kind = 'response' AND stop_reason = 'responded'"
    " AND day >= %s AND day <= %s{only} GROUP BY 1, 2, 3, 4"
)
_ROLLUP_RETURNED_SQL = (
    "SELECT agency_id, SUM(n) FILTER (WHERE previous_day IS NULL OR previous_day < %s),"
    " SUM(n) FILTER (WHERE (previous_day IS NULL OR previous_day < %s) AND returned)"
    " FROM reports_rollup_dispatch WHERE day >= %s AND day <= %s{only} GROUP BY 1"
)
_ROLLUP_CLOSED_SQL = (
    "SELECT agency_id, SUM(n), SUM(n) FILTER (WHERE no_follow_up),"
    " SUM(n) FILTER (WHERE satisfaction IS NOT NULL), SUM(n * satisfaction)"
    " FROM reports_rollup_closed WHERE day >= %s AND day <= %s{only} GROUP BY 1"
)


def _only(ids: list[int] | None) -> tuple[str, list[Any]]:
    return ("", []) if ids is None else (" AND agency_id = ANY(%s)", [ids])


def _rollup_dispatch_clocks(start: dt.date, end: dt.date) -> dict[str, int]:
    rows = _rollup.fetch(
        "SELECT COALESCE(SUM(n), 0), COALESCE(SUM(n) FILTER (WHERE deadline_met), 0)"
        " FROM reports_rollup_clock WHERE kind = 'dispatch' AND stop_reason = 'dispatched'"
        " AND day >= %s AND day <= %s",
        [start, end],
    )
    return {"n": int(rows[0][0]), "met": int(rows[0][1])}


def _rollup_answered(start: dt.date, end: dt.date, ids: list[int] | None) -> list[tuple[Any, ...]]:
    only, extra = _only(ids)
    return _rollup.fetch(_ROLLUP_ANSWERED_SQL.format(only=only), [start, end, *extra])


def _rollup_returned(
    start: dt.date, end: dt.date, ids: list[int] | None
) -> dict[int | None, list[int]]:
    """`_returned_counts` from the rollup: a dispatch counts when the agency's previous dispatch
    of the complaint was before the period (or there was none) — the first of the period — and
    is returned when the agency returned the complaint at or after it."""
    only, extra = _only(ids)
    sent: dict[int | None, list[int]] = {None: [0, 0]}
    rows = _rollup.fetch(_ROLLUP_RETURNED_SQL.format(only=only), [start, start, start, end, *extra])
    for agency_id, n, back in rows:
        if not n:
            continue
        sent[agency_id] = [int(n), int(back or 0)]
        sent[None] = [sent[None][0] + int(n), sent[None][1] + int(back or 0)]
    return sent


def _rollup_closed(start: dt.date, end: dt.date, ids: list[int] | None) -> list[tuple[Any, ...]]:
    only, extra = _only(ids)
    return _rollup.fetch(_ROLLUP_CLOSED_SQL.format(only=only), [start, end, *extra])


def _target_parts(target: Target | Decimal | None) -> tuple[Decimal | None, Decimal]:
    if target is None:
        return None, Decimal(0)
    if isinstance(target, Target):
        return Decimal(target.value), Decimal(target.amber_margin or 0)
    return Decimal(target), Decimal(0)


def rag(
    indicator: Indicator | str,
    value: Decimal | None,
    target: Target | Decimal | None,
    amber_margin: Decimal | None = None,
) -> Rag | None:
    """Green when the target is met, amber within `amber_margin` of it, red otherwise; the
    direction follows `LOWER_IS_BETTER` (Pasal 7(4)a, 7(5)a). None without a value or target."""
    goal, margin = _target_parts(target)
    if amber_margin is not None:
        margin = Decimal(amber_margin)
    if value is None or goal is None:
        return None
    if Indicator(indicator) in LOWER_IS_BETTER:
        if value <= goal:
            return "green"
        return "amber" if value <= goal + margin else "red"
    if value >= goal:
        return "green"
    return "amber" if value >= goal - margin else "red"


def targets_for(
    period_start: dt.date, period_end: dt.date
) -> dict[int | None, dict[Indicator, Target]]:
    """The targets overlapping the period, per agency (None: all agencies) and indicator; where
    several overlap, the one starting latest (then the most recently saved) applies."""
    chosen: dict[int | None, dict[Indicator, Target]] = {}
    overlapping = Target.objects.filter(
        period_start__lte=period_end, period_end__gte=period_start
    ).order_by("period_start", "updated_at", "pk")
    for target in overlapping:
        chosen.setdefault(target.agency_id, {})[Indicator(target.indicator)] = target
    return chosen


def target_for(
    targets: dict[int | None, dict[Indicator, Target]], agency_id: int | None, indicator: Indicator
) -> Target | None:
    """The agency's own target for the indicator, else the all-agencies one."""
    own = targets.get(agency_id, {}).get(indicator) if agency_id is not None else None
    return own or targets.get(None, {}).get(indicator)


def agency_scorecard(
    period_start: dt.date,
    period_end: dt.date,
    *,
    agency: Agency | None = None,
    rollup: bool = False,
) -> list[dict[str, Any]]:
    """One row per active agency (or only `agency`, S3), and first a row for all agencies
    (`agency` None; not when restricted to one): per indicator the value, the target that applies
    (the agency's own overrides the all-agencies one) and the RAG."""
    if agency is not None:
        listed = [agency]
        values = indicator_values(period_start, period_end, agency=agency, rollup=rollup)
    else:
        listed = list(Agency.objects.filter(is_active=True).order_by("name"))
        values = indicator_values(period_start, period_end, agencies=listed, rollup=rollup)
    targets = targets_for(period_start, period_end)
    rows: list[dict[str, Any]] = []
    entries: list[tuple[Agency | None, int | None]] = [(a, a.pk) for a in listed]
    if agency is None:
        entries.insert(0, (None, None))
    for entry, key in entries:
        cells = []
        for indicator in Indicator:
            value = values[key][indicator]
            target = target_for(targets, key, indicator)
            cells.append(
                {
                    "indicator": indicator,
                    "value": value,
                    "target": target,
                    "rag": rag(indicator, value, target),
                }
            )
        rows.append({"agency": entry, "cells": cells})
    return rows

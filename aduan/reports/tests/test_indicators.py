"""Indicators (issue 7, Pasal 7(4)a, 7(5)a): a month of complaints driven through the real
workflow with time_machine — across weekends and the 1 and 16 June 2026 holidays — and every
indicator compared with an independent count in plain Python over the rows, with timeliness
recomputed from the Holiday table (not from the clock's own `deadline_met`)."""

from __future__ import annotations

import datetime as dt
import statistics
from decimal import ROUND_HALF_UP, Decimal

import pytest

from aduan.accounts.roles import Role
from aduan.agencies.models import Agency, Cause
from aduan.complaints.models import Clock, Complaint, Event, Resolution
from aduan.complaints.tests import factories as f
from aduan.complaints.tests.workflow.support import wita
from aduan.complaints.workflow import transitions as t
from aduan.complaints.workflow.actors import Actor
from aduan.complaints.workflow.states import Status
from aduan.core import clock
from aduan.reports.indicators import (
    agency_scorecard,
    indicator_values,
    percentile_cont,
    percentile_of_counts,
    period_bounds,
    rag,
)
from aduan.reports.models import Indicator, Target
from aduan.workdays.models import Holiday

pytestmark = pytest.mark.django_db

JUNE = (dt.date(2026, 6, 1), dt.date(2026, 6, 30))
TWO = Decimal("0.01")


# --- the scenario --------------------------------------------------------------------------


def _at(tm, day: int, hour: int = 10, month: int = 6) -> None:  # type: ignore[no-untyped-def]
    tm.move_to(wita(2026, month, day, hour), tick=False)


def _respond(c: Complaint, code: str) -> Complaint:
    return t.complaint_respond(
        complaint=c,
        by=f.actor(Role.LIAISON, f.agency(code)),
        text="Sudah ditangani.",
        cause=Cause.objects.get(code="sarana_rusak"),
        resolution=Resolution.RESOLVED,
    )


def _dispatch(c: Complaint, code: str) -> Complaint:
    return t.complaint_dispatch(complaint=c, by=f.actor(Role.ADMIN), agency=f.agency(code))


def _ack(c: Complaint, code: str) -> Complaint:
    return t.complaint_acknowledge(complaint=c, by=f.actor(Role.LIAISON, f.agency(code)))


def build_june(tm) -> dict[str, Complaint]:  # type: ignore[no-untyped-def]
    """Complaints of June 2026 (Mon 1 and Tue 16 June are holidays)."""
    out: dict[str, Complaint] = {}
    # A: received Fri 12, dispatched Wed 17 — on time only because of the weekend and the
    # 16 June holiday; answered Thu 18 (target and deadline met); closed, rated 5.
    _at(tm, 12)
    a = f.submit(title="A")
    _at(tm, 17, 9)
    a = _ack(_dispatch(a, "dpupr"), "dpupr")
    _at(tm, 18)
    a = _respond(a, "dpupr")
    _at(tm, 19)
    out["A"] = t.complaint_confirm(complaint=a, by=Actor.complainant(), satisfaction=5)
    # B: received Fri 12, dispatched Thu 18 — late; answered Mon 29 (deadline met: the last
    # day, target missed); closed Tue 30, rated 2.
    _at(tm, 12, 11)
    b = f.submit(title="B")
    _at(tm, 18)
    b = _ack(_dispatch(b, "dpupr"), "dpupr")
    _at(tm, 29, 16)
    b = _respond(b, "dpupr")
    _at(tm, 30)
    out["B"] = t.complaint_confirm(complaint=b, by=Actor.complainant(), satisfaction=2)
    # C: received Mon 8, dispatched Tue 9 to dinkes, answered Mon 22 — past the deadline
    # (Fri 19 with the 16 June holiday); not closed.
    _at(tm, 8)
    c = f.submit(title="C")
    _at(tm, 9)
    c = _ack(_dispatch(c, "dinkes"), "dinkes")
    _at(tm, 22)
    out["C"] = _respond(c, "dinkes")
    # D: dispatched Tue 9 to dpupr, returned Wed 10, dispatched Thu 11 to disperkim, never
    # answered: the deadline (Tue 23) passes in June while running — late for disperkim.
    _at(tm, 8, 12)
    d = f.submit(title="D")
    _at(tm, 9, 12)
    d = _dispatch(d, "dpupr")
    _at(tm, 10)
    d = t.complaint_return(
        complaint=d,
        by=f.actor(Role.LIAISON, f.agency("dpupr")),
        reason="Bukan kewenangan kami.",
        suggested_agency=f.agency("disperkim"),
    )
    _at(tm, 11)
    out["D"] = t.complaint_redispatch(
        complaint=d, by=f.actor(Role.ADMIN), agency=f.agency("disperkim")
    )
    # E: dispatched Mon 22 to dinkes, running: the target (Wed 24) passed in June, the deadline
    # (Wed 1 July) not yet at the end of June.
    _at(tm, 22, 11)
    out["E"] = _dispatch(f.submit(title="E"), "dinkes")
    # F: archived (its dispatch clock stops without a dispatch).
    _at(tm, 15)
    out["F"] = t.complaint_archive(
        complaint=f.submit(title="F"), by=f.actor(Role.ADMIN), reason="unclear"
    )
    # G: answered Wed 3, followed up Thu 4, answered again Fri 5, closed Mon 8 unrated.
    _at(tm, 2)
    g = f.submit(title="G")
    g = _ack(_dispatch(g, "dpupr"), "dpupr")
    _at(tm, 3)
    g = _respond(g, "dpupr")
    _at(tm, 4)
    g = t.complaint_follow_up(complaint=g, by=Actor.complainant(), text="Belum beres.")
    _at(tm, 5)
    g = _respond(g, "dpupr")
    _at(tm, 8, 15)
    out["G"] = t.complaint_confirm(complaint=g, by=Actor.complainant())
    # H: May, outside the period: dispatched and answered in May, closed 2 June.
    _at(tm, 20, 10, month=5)
    h = f.submit(title="H")
    h = _ack(_dispatch(h, "dinkes"), "dinkes")
    _at(tm, 21, 10, month=5)
    h = _respond(h, "dinkes")
    _at(tm, 2, 9)
    out["H"] = t.complaint_confirm(complaint=h, by=Actor.complainant(), satisfaction=4)
    _at(tm, 3, 10, month=7)  # "now": after the period
    return out


# --- the independent count -----------------------------------------------------------------


def _holidays() -> set[dt.date]:
    return set(Holiday.objects.values_list("date", flat=True))


def _plus_working_days(day: dt.date, n: int, holidays: set[dt.date]) -> dt.date:
    while n > 0:
        day += dt.timedelta(days=1)
        if day.weekday() < 5 and day not in holidays:
            n -= 1
    return day


def _on_time(started: dt.datetime, stopped: dt.datetime, n: int, holidays: set[dt.date]) -> bool:
    due = _plus_working_days(clock.local_date(started), n, holidays)
    return clock.local_date(stopped) <= due


def _pct(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(TWO, rounding=ROUND_HALF_UP)


def _q(x: float | None) -> Decimal | None:
    return None if x is None else Decimal(str(x)).quantize(TWO, rounding=ROUND_HALF_UP)


def expected(agency_id: int | None) -> dict[Indicator, Decimal | None]:
    """Plain Python over every Clock/Complaint/Event row (the definitions of indicators.py)."""
    low, high = period_bounds(*JUNE)
    now = clock.now()
    cut = min(high, now)
    hol = _holidays()
    coordinator = Agency.objects.get(is_coordinator=True).pk
    clocks = list(Clock.objects.all())
    mine = [k for k in clocks if agency_id is None or k.agency_id == agency_id]

    dispatched = [
        k
        for k in clocks
        if k.kind == "dispatch" and k.stop_reason == "dispatched" and low <= k.stopped_at < high
    ]
    dispatch_share = (
        _pct(sum(_on_time(k.started_at, k.stopped_at, 2, hol) for k in dispatched), len(dispatched))
        if agency_id in (None, coordinator)
        else None
    )
    resp = [k for k in mine if k.kind == "response"]
    answered = [k for k in resp if k.stop_reason == "responded" and low <= k.stopped_at < high]
    target_ok = sum(_on_time(k.started_at, k.stopped_at, 2, hol) for k in answered)
    deadline_ok = sum(_on_time(k.started_at, k.stopped_at, 7, hol) for k in answered)

    def end_of(day: dt.date) -> dt.datetime:
        return clock.end_of_local_day(day)

    running = [k for k in resp if k.stopped_at is None]
    late_t = [
        k
        for k in running
        if low <= end_of(_plus_working_days(clock.local_date(k.started_at), 2, hol)) < cut
    ]
    late_d = [
        k
        for k in running
        if low <= end_of(_plus_working_days(clock.local_date(k.started_at), 7, hol)) < cut
    ]
    days = [k.working_days_used for k in answered]
    # working days used, recomputed: working days from the start to the stop, both local dates
    for k in answered:
        start, stop = clock.local_date(k.started_at), clock.local_date(k.stopped_at)
        n, day = 0, start
        while day < stop:
            day += dt.timedelta(days=1)
            n += day.weekday() < 5 and day not in hol
        assert k.working_days_used == n, k
    events = list(Event.objects.all())
    sent = {
        (e.complaint_id, e.agency_id, e.created_at)
        for e in events
        if e.verb in ("dispatch", "redispatch")
        and low <= e.created_at < high
        and e.agency_id is not None
        and (agency_id is None or e.agency_id == agency_id)
    }
    sent_pairs = {(c, a) for c, a, _ in sent}
    back_pairs = {
        (c, a)
        for c, a, at in sent
        for e in events
        if e.verb == "return" and e.complaint_id == c and e.agency_id == a and e.created_at >= at
    }

    closed = [
        c
        for c in Complaint.objects.all()
        if c.status == Status.CLOSED
        and low <= c.closed_at < high
        and (agency_id is None or c.lead_agency_id == agency_id)
    ]
    rated = [c.satisfaction for c in closed if c.satisfaction is not None]

    def p90(values: list[int]) -> float | None:
        if len(values) < 2:
            return values[0] if values else None
        return statistics.quantiles(values, n=10, method="inclusive")[8]

    return {
        Indicator.DISPATCHED_ON_TIME: dispatch_share,
        Indicator.ANSWERED_BY_TARGET: _pct(target_ok, len(answered) + len(late_t)),
        Indicator.ANSWERED_BY_DEADLINE: _pct(deadline_ok, len(answered) + len(late_d)),
        Indicator.MEDIAN_DAYS: _q(statistics.median(days)) if days else None,
        Indicator.P90_DAYS: _q(p90(days)),
        Indicator.CLOSED_WITHOUT_FOLLOW_UP: _pct(
            sum(c.follow_up_count == 0 for c in closed), len(closed)
        ),
        Indicator.SATISFACTION: (
            (Decimal(sum(rated)) / len(rated)).quantize(TWO, rounding=ROUND_HALF_UP)
            if rated
            else None
        ),
        Indicator.RETURNED: _pct(len(back_pairs), len(sent_pairs)),
    }


# --- tests ---------------------------------------------------------------------------------


def test_holidays_and_weekends_decide_timeliness(ref, time_machine) -> None:
    """A is dispatched on time only because 13-14 June is a weekend and 16 June a holiday; B a
    day later is late; C's answer on 22 June is past its deadline of 19 June."""
    made = build_june(time_machine)
    assert dt.date(2026, 6, 16) in _holidays()
    dispatch = {c: Clock.objects.get(complaint=made[c], kind="dispatch") for c in "AB"}
    assert dispatch["A"].deadline_met is True
    assert dispatch["B"].deadline_met is False
    c = Clock.objects.get(complaint=made["C"], kind="response")
    assert (c.deadline_met, c.target_met) == (False, False)
    b = Clock.objects.get(complaint=made["B"], kind="response")
    assert (b.deadline_met, b.target_met) == (True, False)


def test_every_indicator_equals_an_independent_count(ref, time_machine) -> None:
    build_june(time_machine)
    ids = list(Agency.objects.filter(code__in=["dpupr", "dinkes", "disperkim", "diskominfo"]))
    got = indicator_values(*JUNE, agencies=ids)
    for key in [None, *[a.pk for a in ids]]:
        assert got[key] == expected(key), key
    # One agency alone (a head's view, S3): the same figures, no total.
    dpupr = f.agency("dpupr")
    alone = indicator_values(*JUNE, agency=dpupr)
    assert set(alone) == {dpupr.pk}
    assert alone[dpupr.pk] == got[dpupr.pk]


def test_hand_checked_figures(ref, time_machine) -> None:
    """The same month counted by hand from the scenario (the independent count's own check)."""
    build_june(time_machine)
    total = indicator_values(*JUNE)[None]
    # Dispatches stopped in June: A (on time), B (late), C, D twice, E, G (on time) — 6 of 7.
    assert total[Indicator.DISPATCHED_ON_TIME] == Decimal("85.71")
    # Answered in June: A, B, C, G, G again; late and running: D (deadline 23 June) — and E
    # for the target (24 June). Deadline met: A, B, G, G = 4 of 6; target: A, G, G = 3 of 7.
    assert total[Indicator.ANSWERED_BY_DEADLINE] == Decimal("66.67")
    assert total[Indicator.ANSWERED_BY_TARGET] == Decimal("42.86")
    # Closed in June: A (rated 5), B (2), G (after a follow-up, unrated), H (4).
    assert total[Indicator.CLOSED_WITHOUT_FOLLOW_UP] == Decimal("75.00")
    assert total[Indicator.SATISFACTION] == Decimal("3.67")
    # Dispatches made in June: A, B, C, D (dpupr, returned), D (disperkim), E, G: 1 of 7.
    assert total[Indicator.RETURNED] == Decimal("14.29")


def test_an_empty_period_has_no_figures(ref) -> None:
    values = indicator_values(dt.date(2020, 1, 1), dt.date(2020, 1, 31))[None]
    assert set(values.values()) == {None}


def test_percentile_of_counts_equals_the_percentile_of_the_listed_values() -> None:
    """The indicators compute the percentiles from clocks counted per number of working days;
    the result is `percentile_cont` over every value listed."""
    cases = [{3: 1}, {1: 1, 2: 1, 3: 1, 4: 1}, {0: 5, 2: 1, 9: 3}, {1: 2, 10: 1}, {4: 7, 5: 2}]
    for counts in cases:
        listed = [value for value, n in counts.items() for _ in range(n)]
        for fraction in (0.5, 0.9, 0.0, 1.0):
            assert percentile_of_counts(counts, fraction) == percentile_cont(listed, fraction)
    assert percentile_of_counts({}, 0.5) is None
    assert percentile_of_counts({0: 5, 2: 1, 9: 3}, 0.5) == 0
    assert percentile_of_counts({1: 2, 10: 1}, 0.9) == pytest.approx(8.2)


def test_percentile_matches_postgres_percentile_cont() -> None:
    assert percentile_cont([1, 2, 3, 4], 0.5) == 2.5
    assert percentile_cont([1, 2, 3, 4, 10], 0.9) == pytest.approx(7.6)
    assert percentile_cont([7], 0.9) == 7
    assert percentile_cont([], 0.5) is None


@pytest.mark.parametrize(
    ("indicator", "value", "goal", "margin", "colour"),
    [
        (Indicator.ANSWERED_BY_DEADLINE, "90", "90", "5", "green"),
        (Indicator.ANSWERED_BY_DEADLINE, "86", "90", "5", "amber"),
        (Indicator.ANSWERED_BY_DEADLINE, "85", "90", "5", "amber"),
        (Indicator.ANSWERED_BY_DEADLINE, "84.99", "90", "5", "red"),
        (Indicator.MEDIAN_DAYS, "2", "3", "1", "green"),
        (Indicator.MEDIAN_DAYS, "3", "3", "1", "green"),
        (Indicator.MEDIAN_DAYS, "4", "3", "1", "amber"),
        (Indicator.MEDIAN_DAYS, "4.01", "3", "1", "red"),
        (Indicator.RETURNED, "10", "5", "0", "red"),
        (Indicator.RETURNED, "4", "5", "0", "green"),
        (Indicator.SATISFACTION, "3.9", "4", "0", "red"),
    ],
)
def test_rag_both_directions(indicator, value, goal, margin, colour) -> None:
    target = Target(indicator=indicator, value=Decimal(goal), amber_margin=Decimal(margin))
    assert rag(indicator, Decimal(value), target) == colour


def test_rag_without_value_or_target() -> None:
    target = Target(indicator=Indicator.P90_DAYS, value=Decimal(5))
    assert rag(Indicator.P90_DAYS, None, target) is None
    assert rag(Indicator.P90_DAYS, Decimal(5), None) is None


def test_scorecard_agency_target_overrides_the_all_agencies_one(ref, time_machine) -> None:
    build_june(time_machine)
    dpupr, dinkes = f.agency("dpupr"), f.agency("dinkes")
    common = {"period_start": dt.date(2026, 6, 1), "period_end": dt.date(2026, 6, 30)}
    Target.objects.create(indicator=Indicator.ANSWERED_BY_DEADLINE, value=90, **common)
    Target.objects.create(
        indicator=Indicator.ANSWERED_BY_DEADLINE, agency=dpupr, value=100, amber_margin=1, **common
    )
    # Overlapping June only partly; a target of another period does not apply.
    Target.objects.create(
        indicator=Indicator.MEDIAN_DAYS,
        value=3,
        period_start=dt.date(2026, 5, 15),
        period_end=dt.date(2026, 6, 5),
    )
    Target.objects.create(
        indicator=Indicator.SATISFACTION,
        value=1,
        period_start=dt.date(2026, 7, 1),
        period_end=dt.date(2026, 7, 31),
    )
    rows = {r["agency"].code if r["agency"] else None: r for r in agency_scorecard(*JUNE)}
    values = indicator_values(*JUNE, agencies=[dpupr, dinkes])

    def cell(code: str | None, indicator: Indicator) -> dict:
        return next(c for c in rows[code]["cells"] if c["indicator"] == indicator)

    # dpupr answered A, B, G, G all by the deadline: 100 vs its own target 100 → green.
    d = cell("dpupr", Indicator.ANSWERED_BY_DEADLINE)
    assert d["value"] == values[dpupr.pk][Indicator.ANSWERED_BY_DEADLINE] == Decimal("100.00")
    assert d["target"].agency == dpupr and d["rag"] == "green"
    # dinkes: C late → 0 vs the all-agencies 90 → red.
    k = cell("dinkes", Indicator.ANSWERED_BY_DEADLINE)
    assert k["value"] == Decimal("0.00") and k["target"].agency is None and k["rag"] == "red"
    assert cell(None, Indicator.ANSWERED_BY_DEADLINE)["target"].agency is None
    assert cell("dinkes", Indicator.MEDIAN_DAYS)["target"].value == 3
    assert cell("dpupr", Indicator.SATISFACTION)["target"] is None
    assert cell("dpupr", Indicator.SATISFACTION)["rag"] is None
    # Restricted to one agency (S3): one row, that agency's.
    only = agency_scorecard(*JUNE, agency=dinkes)
    assert [r["agency"] for r in only] == [dinkes]

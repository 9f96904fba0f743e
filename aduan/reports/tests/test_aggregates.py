"""K2 aggregates (Pasal 12, 13; issue 7; S1, S3): every figure equals an independent count in
plain Python over the generated rows."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

import pytest

from aduan.accounts.access import complaints_visible_to
from aduan.complaints.models import Complaint
from aduan.complaints.workflow.states import Status
from aduan.reports import aggregates as agg

from . import k2_support as k2

pytestmark = pytest.mark.django_db

START, END = dt.date(2026, 5, 1), dt.date(2026, 6, 30)
NOW = dt.datetime(2026, 8, 3, 10, tzinfo=k2.WITA)


@pytest.fixture
def data(ref, time_machine):  # type: ignore[no-untyped-def]
    places = k2.generate(time_machine)
    time_machine.move_to(NOW, tick=False)
    return places


def in_period(r: dict[str, Any], start: dt.date = START, end: dt.date = END) -> bool:
    return start <= r["date"] <= end


def expected(rows: list[dict[str, Any]], key: str) -> dict[Any, int]:
    return dict(Counter(r[key] for r in rows if in_period(r)))


def got(buckets: list[agg.Bucket]) -> dict[Any, int]:
    assert all(b.count > 0 for b in buckets)
    assert len({b.key for b in buckets}) == len(buckets)
    return {b.key: b.count for b in buckets}


DIMENSIONS = ("channel", "kind", "category", "category_leaf", "kecamatan", "desa", "agency")


def check_all(rows: list[dict[str, Any]], **filters: Any) -> None:
    for dimension in DIMENSIONS:
        assert got(agg.volume_by(dimension, START, END, **filters)) == expected(rows, dimension), (
            dimension
        )
    months = Counter(r["date"].replace(day=1).isoformat() for r in rows if in_period(r))
    assert got(agg.volume_by("period", START, END, **filters)) == dict(months)
    weeks = Counter(
        (r["date"] - dt.timedelta(days=r["date"].weekday())).isoformat()
        for r in rows
        if in_period(r)
    )
    assert got(agg.volume_by("period", START, END, granularity="week", **filters)) == dict(weeks)
    days = Counter(r["date"].isoformat() for r in rows if in_period(r))
    assert got(agg.volume_by("period", START, END, granularity="day", **filters)) == dict(days)

    period = [r for r in rows if in_period(r)]
    funnel = agg.status_funnel(START, END, **filters)
    assert funnel == agg.Funnel(
        received=len(period),
        dispatched=sum(r["dispatched"] for r in period),
        responded=sum(r["responded"] for r in period),
        closed=sum(r["status"] == Status.CLOSED for r in period),
        archived=sum(r["status"] == Status.ARCHIVED for r in period),
    )
    assert got(agg.causes(START, END, **filters)) == dict(
        Counter(r["cause"] for r in period if r["cause"] is not None)
    )
    sat = agg.satisfaction(START, END, **filters)
    ratings = [r["satisfaction"] for r in period if r["satisfaction"] is not None]
    assert sat.count == len(ratings)
    assert sat.distribution == {i: ratings.count(i) for i in range(1, 6)}
    if ratings:
        assert sat.mean == pytest.approx(sum(ratings) / len(ratings))
    else:
        assert sat.mean is None

    check_breakdown(rows, period, funnel, **filters)

    overdue: dict[Any, list[int]] = {}
    for r in rows:  # overdue is "now", whatever the period
        c: Complaint = r["obj"]
        if c.is_overdue(NOW):
            slot = overdue.setdefault(r["agency"], [0, 0])
            slot[0 if c.status in (Status.RECEIVED, Status.RETURNED) else 1] += 1
    result = agg.overdue_now(NOW, **filters)
    assert {o.agency_id: [o.dispatch, o.response] for o in result} == overdue
    assert sum(o.total for o in result) == sum(sum(v) for v in overdue.values())


def check_breakdown(
    rows: list[dict[str, Any]], period: list[dict[str, Any]], funnel: agg.Funnel, **filters: Any
) -> None:
    """`breakdown` (the dashboard's one pass: GROUPING SETS on PostgreSQL) gives every volume,
    the funnel, the causes and the ratings exactly as the separate functions — same buckets,
    same order — and so the same independent counts."""
    for granularity in agg.GRANULARITIES:
        result = agg.breakdown(START, END, granularity=granularity, **filters)
        assert set(result.volumes) == set(agg.BREAKDOWN_DIMENSIONS)
        for dimension in agg.BREAKDOWN_DIMENSIONS:
            separate = agg.volume_by(dimension, START, END, granularity=granularity, **filters)
            assert result.volumes[dimension] == separate, (granularity, dimension)
            if dimension != "period":
                assert got(result.volumes[dimension]) == expected(rows, dimension), dimension
        assert result.funnel == funnel
        assert result.causes == agg.causes(START, END, **filters)
        sat = agg.satisfaction(START, END, **filters)
        assert result.satisfaction.distribution == sat.distribution
        assert result.satisfaction.count == sat.count
        assert result.satisfaction.comments == sat.comments
        ratings = [r["satisfaction"] for r in period if r["satisfaction"] is not None]
        if ratings:
            assert result.satisfaction.mean == pytest.approx(sum(ratings) / len(ratings))
        else:
            assert result.satisfaction.mean is None
    assert agg.breakdown(START, END, latest=0, **filters).satisfaction.comments == []


def test_every_aggregate_equals_an_independent_count(data):  # type: ignore[no-untyped-def]
    rows = k2.rows()
    assert len(rows) == 40
    # the generated set is varied enough to mean something
    assert len({r["status"] for r in rows}) >= 6
    assert any(r["date"] > END for r in rows) and any(in_period(r) for r in rows)
    assert sum(r["satisfaction"] is not None for r in rows) >= 2
    overdue = agg.overdue_now(NOW)
    assert any(o.dispatch for o in overdue) and any(o.response for o in overdue)
    assert agg.causes(START, END)
    check_all(rows)


def test_filters(data):  # type: ignore[no-untyped-def]
    rows = k2.rows()
    dpupr = k2.f.agency("dpupr")
    check_all([r for r in rows if r["agency"] == dpupr.pk], agency=dpupr)
    check_all([r for r in rows if r["channel"] == "sms"], channel="sms")
    kec = data.kec_a.pk
    check_all([r for r in rows if r["kecamatan"] == kec], kecamatan=data.kec_a)
    top = data.top1.pk
    check_all([r for r in rows if r["category"] == top], category=data.top1)
    check_all([r for r in rows if r["category_leaf"] == data.leaf1a.pk], category=data.leaf1a)


def test_s3_a_visible_restricted_to_one_agency_changes_every_figure(data):  # type: ignore[no-untyped-def]
    """S3: a liaison of disdik sees the complaints led by disdik or shared with it."""
    disdik = k2.f.agency("disdik")
    visible = complaints_visible_to(k2.liaison("disdik"))
    rows = [r for r in k2.rows() if r["agency"] == disdik.pk or disdik.pk in r["co_agencies"]]
    assert any(r["agency"] != disdik.pk for r in rows)  # the co-agency one
    assert 0 < len(rows) < Complaint.objects.count()
    check_all(rows, visible=visible)
    everyone = agg.status_funnel(START, END)
    assert agg.status_funnel(START, END, visible=visible).received < everyone.received


def test_satisfaction_comments_are_masked_and_never_private(data):  # type: ignore[no-untyped-def]
    """S1: the latest comments come from non-private complaints only, identity masked."""
    private = Complaint.objects.filter(satisfaction__isnull=False).first()
    assert private is not None
    Complaint.objects.filter(pk=private.pk).update(
        private=True, satisfaction_comment="RAHASIA-K2 komentar", received_at=NOW.replace(month=6)
    )
    sat = agg.satisfaction(START, END, latest=100)
    texts = [c.text for c in sat.comments]
    expected_n = sum(
        1
        for r in k2.rows()
        if in_period(r)
        and not r["private"]
        and r["satisfaction"] is not None
        and r["obj"].satisfaction_comment
    )
    assert len(texts) == expected_n
    assert texts, "the generated set has comments in the period"
    assert not any("RAHASIA-K2" in t for t in texts)
    assert not any("Warga" in t or "0812" in t for t in texts)
    rated = [c.rated_at for c in sat.comments]
    assert rated == sorted(rated, reverse=True)


def test_trend_compares_with_the_previous_period_of_equal_length(data):  # type: ignore[no-untyped-def]
    rows = k2.rows()
    start, end = dt.date(2026, 6, 1), dt.date(2026, 6, 30)
    trend = agg.trend(start, end)
    assert (trend.previous_start, trend.previous_end) == (dt.date(2026, 5, 2), dt.date(2026, 5, 31))
    now = sum(in_period(r, start, end) for r in rows)
    before = sum(in_period(r, dt.date(2026, 5, 2), dt.date(2026, 5, 31)) for r in rows)
    assert (trend.current.received, trend.previous.received) == (now, before)
    assert trend.change == now - before
    closed_now = sum(in_period(r, start, end) and r["status"] == Status.CLOSED for r in rows)
    assert trend.current.closed == closed_now


def test_period_boundaries_are_wita_days(ref, time_machine):  # type: ignore[no-untyped-def]
    """A complaint at 00:30 WITA on 1 June (16:30 UTC on 31 May) is June's."""
    time_machine.move_to(dt.datetime(2026, 6, 1, 0, 30, tzinfo=k2.WITA), tick=False)
    k2.f.received()
    time_machine.move_to(dt.datetime(2026, 5, 31, 23, 30, tzinfo=k2.WITA), tick=False)
    k2.f.received()
    assert got(agg.volume_by("period", START, END)) == {"2026-05-01": 1, "2026-06-01": 1}
    assert got(agg.volume_by("period", dt.date(2026, 6, 1), dt.date(2026, 6, 1))) == {
        "2026-06-01": 1
    }


def test_results_hold_no_model_objects(data):  # type: ignore[no-untyped-def]
    from django.db.models import Model

    def walk(value: Any) -> None:
        assert not isinstance(value, Model)
        if isinstance(value, (list, tuple)):
            for v in value:
                walk(v)
        elif isinstance(value, dict):
            for v in value.values():
                walk(v)
        elif hasattr(value, "__dataclass_fields__"):
            for name in value.__dataclass_fields__:
                walk(getattr(value, name))

    for dimension in ("period", *DIMENSIONS):
        walk(agg.volume_by(dimension, START, END))
    walk(agg.status_funnel(START, END))
    walk(agg.overdue_now(NOW))
    walk(agg.causes(START, END))
    walk(agg.satisfaction(START, END))
    walk(agg.trend(START, END))

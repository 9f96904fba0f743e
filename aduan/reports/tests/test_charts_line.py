"""The trend as a line chart on the dashboard (issue 7; Pasal 12 trend, R17 volumes over time):
complaints received over time in this period and in the previous period of equal length, the
previous one laid over this one by offset (day 1 over day 1), with the table beside it and its
CSV (S14: audited like every section).

The figures are checked against an independent count in plain Python over the rows
(`k2_support.rows`, dates in WITA), including complaints received just after midnight WITA
(the previous day in UTC) and days without any complaint (a line needs its zeros).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from typing import Any

import pytest
from django.template.loader import render_to_string
from django.test import Client

from aduan.accounts.roles import Role
from aduan.audit.models import AuditEntry
from aduan.backoffice.tests.support import signed_in
from aduan.complaints.tests import factories as f
from aduan.reports import charts

from . import k2_support as k2
from .test_dashboard import Tables, download

URL = "/kantor/laporan/"
JUNE = "period=month&month=2026-06"
START, END = dt.date(2026, 6, 1), dt.date(2026, 6, 30)
PREV_START = dt.date(2026, 5, 2)  # the 30 days before June
# A custom period of 48 days: counted per week, the previous one starts on a Thursday.
WEEKS = "period=custom&start=2026-06-03&end=2026-07-20"
W_START, W_END = dt.date(2026, 6, 3), dt.date(2026, 7, 20)
W_PREV_START = dt.date(2026, 4, 16)
NOW = dt.datetime(2026, 8, 3, 10, tzinfo=k2.WITA)
# (WITA moment, state, lead agency): both periods, gaps, the first and last minutes of days.
MOMENTS = [
    (dt.datetime(2026, 4, 16, 10, 0), "dispatched", "dinkes"),
    (dt.datetime(2026, 4, 20, 9, 0), "received", "dpupr"),
    (dt.datetime(2026, 5, 1, 23, 30), "dispatched", "dpupr"),  # before both previous periods
    (dt.datetime(2026, 5, 2, 0, 30), "dispatched", "dinkes"),  # day 1 of June's previous
    (dt.datetime(2026, 5, 2, 10, 0), "received", "dpupr"),
    (dt.datetime(2026, 5, 10, 23, 30), "dispatched", "dinkes"),
    (dt.datetime(2026, 5, 31, 23, 30), "dispatched", "dpupr"),
    (dt.datetime(2026, 6, 1, 0, 30), "dispatched", "dinkes"),  # day 1 of June (31 May UTC)
    (dt.datetime(2026, 6, 1, 15, 0), "dispatched", "dpupr"),
    (dt.datetime(2026, 6, 2, 23, 30), "received", "dpupr"),
    (dt.datetime(2026, 6, 3, 10, 0), "dispatched", "dinkes"),
    (dt.datetime(2026, 6, 3, 11, 0), "dispatched", "dinkes"),
    (dt.datetime(2026, 6, 30, 23, 30), "dispatched", "dpupr"),
    (dt.datetime(2026, 7, 1, 0, 30), "dispatched", "dinkes"),
    (dt.datetime(2026, 7, 20, 23, 30), "dispatched", "dinkes"),
    (dt.datetime(2026, 7, 21, 0, 30), "dispatched", "dpupr"),  # after the custom period
]

pytestmark = pytest.mark.django_db


@pytest.fixture
def moments(ref: Any, time_machine: Any) -> None:
    for moment, state, agency in MOMENTS:
        time_machine.move_to(moment.replace(tzinfo=k2.WITA), tick=False)
        k2.make(state, agency)
    time_machine.move_to(NOW, tick=False)


# --- the independent side --------------------------------------------------------------------


def monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def expected(
    start: dt.date, end: dt.date, p_start: dt.date, week: bool, agency: int | None = None
) -> list[tuple[str, int, str, int]]:
    """(key, this period, where the previous days begin, previous period) per day or week,
    counted over the plain rows: a previous complaint counts at this period's same offset."""
    bucket = monday if week else (lambda d: d)
    dates = [r["date"] for r in k2.rows() if agency is None or r["agency"] == agency]
    p_end = start - dt.timedelta(days=1)
    now = Counter(bucket(d) for d in dates if start <= d <= end)
    before = Counter(bucket(start + (d - p_start)) for d in dates if p_start <= d <= p_end)
    firsts: dict[dt.date, dt.date] = {}
    for i in range((end - start).days + 1):
        day = start + dt.timedelta(days=i)
        firsts.setdefault(bucket(day), day)
    return [
        (key.isoformat(), now[key], (p_start + (first - start)).isoformat(), before[key])
        for key, first in firsts.items()
    ]


def get(client: Client, query: str) -> tuple[str, Tables, Any]:
    response = client.get(f"{URL}?{query}", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    html = response.content.decode()
    parsed = Tables()
    parsed.feed(html)
    return html, parsed, response.context["board"]


def polylines(html: str) -> list[str]:
    return re.findall(r'<polyline points="([^"]*)"', html)


# --- the tests -------------------------------------------------------------------------------


def test_r17_pasal_12_daily_lines_equal_an_independent_count_zero_filled_and_aligned(
    moments: None,
) -> None:
    """R17, Pasal 12 (trend): a month per day — 30 rows and 30 points per line, empty days 0,
    the previous period's day n over June's day n; the table, the CSV (audited, S14) and the
    points all say the same numbers; the SVG is an image with a title and a label giving both
    totals."""
    regent = f.staff(Role.REGENT)
    client = signed_in(Client(), regent)
    html, parsed, board = get(client, JUNE)
    truth = expected(START, END, PREV_START, week=False)
    assert len(truth) == 30
    now, before = [t[1] for t in truth], [t[3] for t in truth]
    assert now[0] == 2 and before[0] == 2 and now[29] == 1 and before[29] == 1
    assert now.count(0) >= 25  # the gaps are there, as zeros

    csv_rows = download(client, "trend_series")
    assert csv_rows[0][0] == "key" and len(csv_rows) == 31
    assert [(r[0], int(r[2]), r[3], int(r[4])) for r in csv_rows[1:]] == truth
    shown = parsed.tables["t-trend_series"][1:]
    assert [(r[0], int(r[1]), r[2], int(r[3])) for r in shown] == truth
    assert [r[1:] for r in csv_rows[1:]] == shown  # the CSV is the table
    assert (
        AuditEntry.objects.filter(
            action="report.dashboard_export", actor=regent, object_id="trend_series"
        ).count()
        == 1
    )

    chart = board.trend_lines
    this, previous = chart.lines
    assert [p.value for p in this.points] == now
    assert [p.value for p in previous.points] == before
    assert [p.x for p in this.points] == [p.x for p in previous.points]  # aligned by offset
    assert this.total == sum(now) and previous.total == sum(before)
    # The y of a point follows its value: equal values at one height, more is higher.
    heights = {
        v: {p.y for line in chart.lines for p in line.points if p.value == v} for v in {0, 1, 2}
    }
    assert all(len(ys) == 1 for ys in heights.values())
    assert min(heights[0]) > min(heights[1]) > min(heights[2])
    assert polylines(html) == [this.polyline, previous.polyline]
    assert len(this.polyline.split()) == 30

    svg = next(
        s
        for s in parsed.svgs
        if (s["label"] or "").startswith("Complaints received over time, this")
    )
    assert svg["role"] == "img" and svg["title"] == svg["label"]
    assert f"{sum(now)} this period against {sum(before)} in the previous period" in svg["label"]
    # Told apart without colour (WCAG 1.4.1): a dashed line with square markers, and a legend.
    assert 'stroke-dasharray="6 4"' in html and 'href="#trend_series-square"' in html
    assert f"This period: {sum(now)}" in html and f"Previous period: {sum(before)}" in html


def test_r17_pasal_12_weekly_lines_align_the_previous_period_by_day(moments: None) -> None:
    """R17, Pasal 12: a 48-day custom period is counted per week; the previous 48 days start
    on a Thursday, yet each of its days counts in the week of this period at the same offset,
    so both columns cover the same days and nothing is lost at the edges."""
    client = signed_in(Client(), f.staff(Role.CHAIR))
    _html, parsed, board = get(client, WEEKS)
    truth = expected(W_START, W_END, W_PREV_START, week=True)
    csv_rows = download(client, "trend_series", WEEKS)
    assert [(r[0], int(r[2]), r[3], int(r[4])) for r in csv_rows[1:]] == truth
    assert truth[0][0] == "2026-06-01" and truth[0][2] == "2026-04-16"  # Monday key, first day
    assert sum(t[3] for t in truth) == 10  # every complaint of 16 April - 2 June
    assert [p.value for p in board.trend_lines.lines[1].points] == [t[3] for t in truth]
    assert len(parsed.tables["t-trend_series"]) == len(truth) + 1


def test_s3_r17_an_agency_heads_lines_count_only_their_agency(moments: None) -> None:
    """S3, R17: an agency head's trend lines and CSV count only their own agency's complaints,
    in both periods."""
    dinkes = f.agency("dinkes")
    client = signed_in(Client(), f.staff(Role.AGENCY_HEAD, dinkes))
    _html, _parsed, board = get(client, JUNE)
    truth = expected(START, END, PREV_START, week=False, agency=dinkes.pk)
    assert sum(t[1] for t in truth) == 3 and sum(t[3] for t in truth) == 2
    assert [p.value for p in board.trend_lines.lines[0].points] == [t[1] for t in truth]
    assert [p.value for p in board.trend_lines.lines[1].points] == [t[3] for t in truth]
    csv_rows = download(client, "trend_series")
    assert [(r[0], int(r[2]), r[3], int(r[4])) for r in csv_rows[1:]] == truth


def test_r17_a_year_of_days_stays_small_and_readable_on_a_phone() -> None:
    """R17: 365 points per line render as two polylines with coordinates to one decimal, no
    markers, at most four dates under the axis (a 360-pixel phone), in a few kilobytes."""
    labels = [f"d{i}" for i in range(365)]
    now = [(i * 7) % 23 for i in range(365)]
    before = [(i * 5) % 19 for i in range(365)]
    chart = charts.lines(labels, [("This", now), ("Before", before)], label="A year")
    svg = render_to_string("charts/line.html", {"chart": chart})
    assert len(svg) < 16_000, len(svg)
    assert not chart.markers
    assert svg.count("<circle") == 1 and svg.count('href="#line-square"') == 1  # the legend
    assert len(chart.x_ticks) == 4 and chart.x_ticks[0].label == "d0"
    assert chart.x_ticks[-1].label == "d364" and chart.x_ticks[-1].anchor == "end"
    for line in polylines(svg):
        points = line.split()
        assert len(points) == 365
        assert all(re.fullmatch(r"\d+(\.\d)?,\d+(\.\d)?", p) for p in points)
    assert chart.y_ticks[-1].label == "30" and chart.y_ticks[1].label == "15"  # 22 → 30
    assert svg.count('role="img"') == 1 and "<title>A year</title>" in svg
    grouped = charts.lines(["a"], [("a", [12345])], label="x", number="{:,}".format)
    assert grouped.lines[0].total_text == "12,345" and grouped.y_ticks[-1].label == "20,000"


def test_r17_two_line_charts_on_one_page_keep_their_own_lines() -> None:
    """R17: the lines are drawn in a symbol the SVG refers to by id; each chart's key makes its
    ids its own, so a second chart on the page never shows the first one's lines."""
    first = charts.lines(["a", "b"], [("a", [1, 2])], label="x", key="one")
    second = charts.lines(["a", "b"], [("a", [2, 1])], label="y", key="two")
    html = "".join(render_to_string("charts/line.html", {"chart": c}) for c in (first, second))
    ids = re.findall(r'id="([^"]+)"', html)
    assert len(ids) == len(set(ids)) == 4
    assert re.findall(r'<use href="#([^"]+-plot)"', html) == ["one-plot", "two-plot"]


def test_r17_lines_edge_cases() -> None:
    """R17: a single day sits in the middle, an empty period draws flat lines on the axis, and
    series of different lengths are refused (they could not be aligned)."""
    one = charts.lines(["1 Jun"], [("a", [3]), ("b", [0])], label="x")
    assert [p.x for line in one.lines for p in line.points] == [50.0, 50.0]
    assert one.lines[1].points[0].y == charts.LineChart.PLOT_BOTTOM
    assert one.lines[0].points[0].y < one.lines[1].points[0].y
    empty = charts.lines(["a", "b"], [("a", [0, 0]), ("b", [0, 0])], label="x")
    assert {p.y for line in empty.lines for p in line.points} == {charts.LineChart.PLOT_BOTTOM}
    assert [t.label for t in empty.y_ticks] == ["0", "1"]
    with pytest.raises(ValueError):
        charts.lines(["a", "b"], [("a", [1, 2]), ("b", [1])], label="x")

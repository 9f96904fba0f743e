"""Open data: anonymised aggregate statistics, JSON and CSV (Pasal 13; issue 7; S1).

`/data/statistik.json` and `/data/statistik.csv`, for `?period=YYYY-MM` (one month) or
`?year=YYYY` (one calendar year; default: the current year). Only counts and shares: no
identity, no free text at all (not even of public reports). Confidential complaints are counted
(nothing of them is shown but the count), as on the portal statistics. A count from 1 to
`ADUAN_OPEN_DATA_MIN_COUNT - 1` (default 3) is suppressed: null in JSON, empty in CSV, with
`suppressed` true (primary suppression). Every table partitions the period's total (which is
public: the `month` table, the portal statistics), so a lone hidden cell would be recovered as
the total minus the shown cells: `protect` adds complementary (secondary) suppression until each
table hides either nothing or at least two cells adding up to at least the threshold (S1). The
columns are documented in docs/open-data.md and are stable.
"""

from __future__ import annotations

import calendar
import csv
import datetime as dt
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.urls import path
from django.utils import timezone
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from aduan.agencies.models import Agency, Category, Region
from aduan.complaints.models import Channel, Clock
from aduan.complaints.workflow.states import Status

from . import aggregates as agg

CSV_COLUMNS = ("table", "key", "label", "count", "suppressed")
TABLES = ("month", "category", "kecamatan", "agency", "channel", "status")
CACHE_SECONDS = 3600


def min_count() -> int:
    return int(getattr(settings, "ADUAN_OPEN_DATA_MIN_COUNT", 3))


@dataclass(frozen=True)
class Row:
    table: str
    key: str
    label: str
    count: int | None  # None: suppressed
    suppressed: bool


class BadPeriod(ValueError):
    pass


def parse_period(params: Any, today: dt.date | None = None) -> tuple[str, dt.date, dt.date]:
    """(`YYYY-MM` or `YYYY`, first day, last day) from `?period=` / `?year=`."""
    today = today or timezone.localdate()
    period = params.get("period")
    year = params.get("year")
    if period:
        m = re.fullmatch(r"(\d{4})-(\d{2})", period)
        if not m or not 1 <= int(m[2]) <= 12:
            raise BadPeriod(period)
        y, mo = int(m[1]), int(m[2])
        return period, dt.date(y, mo, 1), dt.date(y, mo, calendar.monthrange(y, mo)[1])
    if year:
        if not re.fullmatch(r"\d{4}", year):
            raise BadPeriod(year)
        y = int(year)
        return year, dt.date(y, 1, 1), dt.date(y, 12, 31)
    return str(today.year), dt.date(today.year, 1, 1), dt.date(today.year, 12, 31)


def protect(counts: Sequence[int], threshold: int) -> list[bool]:
    """Which cells of one table to hide (S1), for cells that add up to a published total.

    Primary: every count from 1 to `threshold - 1`. Complementary: while any cell is hidden but
    fewer than two are, or the hidden cells add up to less than `threshold` (then the total
    minus the shown cells would give a lone small count, or pin small counts down exactly),
    the smallest shown non-zero cell is hidden too (ties: the later cell in table order). A
    table whose non-zero cells are all hidden can hide no more: its total is then the hidden
    sum, below the threshold only when the period's total itself is, and then every cell of
    every table is hidden and the total is not published here. Zero cells are never rows.
    """
    hidden = [0 < n < threshold for n in counts]
    while any(hidden) and (sum(hidden) < 2 or _hidden_sum(counts, hidden) < threshold):
        candidates = [i for i, n in enumerate(counts) if n > 0 and not hidden[i]]
        if not candidates:
            break
        hidden[min(candidates, key=lambda i: (counts[i], -i))] = True
    return hidden


def _hidden_sum(counts: Sequence[int], hidden: Sequence[bool]) -> int:
    return sum(n for n, h in zip(counts, hidden, strict=True) if h)


def _table(table: str, cells: Sequence[tuple[Any, str, int]], threshold: int) -> list[Row]:
    """Rows of one table from (key, label, count), with primary and complementary suppression."""
    hidden = protect([n for _k, _l, n in cells], threshold)
    return [
        Row(table, "" if key is None else str(key), label, None if h else n, h)
        for (key, label, n), h in zip(cells, hidden, strict=True)
    ]


def _codes(model: Any, ids: list[Any]) -> dict[Any, str]:
    return dict(
        model.objects.filter(pk__in=[i for i in ids if i is not None]).values_list("pk", "code")
    )


def statistics(start: dt.date, end: dt.date) -> dict[str, Any]:
    """The tables and the on-time shares of the period (aggregated in the database)."""
    threshold = min_count()
    tables: dict[str, list[Row]] = {}
    tables["month"] = _table(
        "month",
        [
            (b.key[:7] if isinstance(b.key, str) else b.key, b.label[:7], b.count)
            for b in agg.volume_by("period", start, end, granularity="month")
        ],
        threshold,
    )
    for table, dimension, model in (
        ("category", "category", Category),
        ("kecamatan", "kecamatan", Region),
        ("agency", "agency", Agency),
    ):
        buckets = agg.volume_by(dimension, start, end)
        codes = _codes(model, [b.key for b in buckets])
        tables[table] = _table(
            table, [(codes.get(b.key), b.label, b.count) for b in buckets], threshold
        )
    channels = dict(Channel.choices)
    tables["channel"] = _table(
        "channel",
        [
            (b.key, str(channels.get(str(b.key), b.key)), b.count)
            for b in agg.volume_by("channel", start, end)
        ],
        threshold,
    )
    statuses = dict(Status.choices)
    status_rows = (
        agg.filtered(start, end).values("status").annotate(n=Count("id")).order_by("status")
    )
    tables["status"] = _table(
        "status",
        [(r["status"], str(statuses.get(r["status"], r["status"])), r["n"]) for r in status_rows],
        threshold,
    )
    return {"tables": tables, "on_time": _on_time(start, end, threshold)}


def _on_time(start: dt.date, end: dt.date, threshold: int) -> dict[str, Any]:
    """Shares of stopped dispatch / response clocks of the period's complaints that met the
    deadline (`Clock.deadline_met`, working days, R12/R25). Suppressed below the threshold.

    S1: the threshold applies to `clocks`, the size of the group (all the period's judged
    clocks of that kind); `met` and the missed rest are not suppressed on their own, because
    the block has no breakdown (no area, category or agency) that could single out a small
    group of complainants: a small missed count says how the service did, not who complained.
    Neither `clocks` nor `met` is a cell of the tables, so no subtraction recovers them."""
    lower, upper = agg.local_bounds(start, end)
    row = Clock.objects.filter(
        complaint__received_at__gte=lower,
        complaint__received_at__lt=upper,
        deadline_met__isnull=False,
    ).aggregate(
        dispatch_n=Count("id", filter=Q(kind=Clock.Kind.DISPATCH)),
        dispatch_met=Count("id", filter=Q(kind=Clock.Kind.DISPATCH, deadline_met=True)),
        response_n=Count("id", filter=Q(kind=Clock.Kind.RESPONSE)),
        response_met=Count("id", filter=Q(kind=Clock.Kind.RESPONSE, deadline_met=True)),
    )
    result: dict[str, Any] = {}
    for kind in ("dispatch", "response"):
        n, met = row[f"{kind}_n"], row[f"{kind}_met"]
        hidden = 0 < n < threshold
        result[kind] = {
            "clocks": None if hidden else n,
            "met": None if hidden else met,
            "share": None if hidden or not n else round(met / n, 4),
            "suppressed": hidden,
        }
    return result


def _document(request: HttpRequest) -> tuple[str, dt.date, dt.date, dict[str, Any]]:
    label, start, end = parse_period(request.GET)
    return label, start, end, statistics(start, end)


def _headers(response: HttpResponse) -> HttpResponse:
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
@cache_control(public=True, max_age=CACHE_SECONDS)
def statistics_json(request: HttpRequest) -> HttpResponse:
    try:
        label, start, end, data = _document(request)
    except BadPeriod:
        return _headers(HttpResponseBadRequest("period=YYYY-MM or year=YYYY"))
    body = {
        "period": label,
        "from": start.isoformat(),
        "until": end.isoformat(),
        "min_count": min_count(),
        "tables": {
            name: [
                {"key": r.key, "label": r.label, "count": r.count, "suppressed": r.suppressed}
                for r in rows
            ]
            for name, rows in data["tables"].items()
        },
        "on_time": data["on_time"],
    }
    return _headers(JsonResponse(body, json_dumps_params={"ensure_ascii": False}))


@require_GET
@cache_control(public=True, max_age=CACHE_SECONDS)
def statistics_csv(request: HttpRequest) -> HttpResponse:
    try:
        label, _start, _end, data = _document(request)
    except BadPeriod:
        return _headers(HttpResponseBadRequest("period=YYYY-MM or year=YYYY"))
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for rows in data["tables"].values():
        for r in rows:
            writer.writerow(
                [
                    r.table,
                    r.key,
                    r.label,
                    "" if r.count is None else r.count,
                    "1" if r.suppressed else "0",
                ]
            )
    for kind, share in data["on_time"].items():
        writer.writerow(
            [
                f"on_time_{kind}",
                "met",
                "",
                "" if share["met"] is None else share["met"],
                "1" if share["suppressed"] else "0",
            ]
        )
        writer.writerow(
            [
                f"on_time_{kind}",
                "clocks",
                "",
                "" if share["clocks"] is None else share["clocks"],
                "1" if share["suppressed"] else "0",
            ]
        )
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="statistik-{label}.csv"'
    return _headers(response)


app_name = "opendata"
urlpatterns = [
    path("statistik.json", statistics_json, name="json"),
    path("statistik.csv", statistics_csv, name="csv"),
]

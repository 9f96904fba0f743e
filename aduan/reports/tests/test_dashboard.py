"""The monitoring dashboard (issue 7; Pasal 7(4)a, 7(5)a, 7(6)d, 12, 13; S1, S3, S14).

A generated dataset (k2: 40 complaints over May-July 2026 in every state, three agencies, four
channels) plus the June scenario of the indicator tests (dispatches and answers across weekends
and the 1 and 16 June 2026 holidays). Every figure the page shows (parsed from the HTML tables)
and every CSV equals an independent count in plain Python over the rows; the timeliness figures
equal `test_indicators.expected`, the plain-Python recount in working days from the Holiday
table.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import Counter
from html.parser import HTMLParser
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from aduan.accounts.models import User
from aduan.accounts.roles import Role
from aduan.agencies.models import Agency, Category, Cause, Region
from aduan.audit.models import AuditEntry
from aduan.backoffice.tests.support import signed_in
from aduan.complaints.models import Channel, Complaint, Kind
from aduan.complaints.tests import factories as f
from aduan.complaints.workflow.states import Status
from aduan.reports import charts
from aduan.reports.dashboard import SECTIONS, Period, period_of
from aduan.reports.indicators import indicator_values
from aduan.reports.models import LOWER_IS_BETTER, Indicator

from . import k2_support as k2
from .test_indicators import build_june, expected

pytestmark = pytest.mark.django_db

URL = "/kantor/laporan/"
JUNE = "period=month&month=2026-06"
START, END = dt.date(2026, 6, 1), dt.date(2026, 6, 30)
PREV = (dt.date(2026, 5, 2), dt.date(2026, 5, 31))  # the 30 days before June
NOW = dt.datetime(2026, 8, 3, 10, tzinfo=k2.WITA)
# A complainant whose identity must appear nowhere (S1), and a comment only dpupr's may show.
NAME, PHONE, EMAIL = "Siti Rahmawati", "081399887766", "siti.rahma@contoh.id"
DPUPR_COMMENT = "Komentar khusus PUPR untuk uji"
VOLUMES = ("period", "channel", "kind", "category", "kecamatan", "desa", "agency")


# --- the data --------------------------------------------------------------------------------


@pytest.fixture
def data(ref, time_machine):  # type: ignore[no-untyped-def]
    k2.generate(time_machine)
    build_june(time_machine)
    time_machine.move_to(dt.datetime(2026, 6, 10, 9, tzinfo=k2.WITA), tick=False)
    k2.make(
        "closed",
        "dpupr",
        name=NAME,
        phone=PHONE,
        email=EMAIL,
        satisfaction=4,
        comment=f"Terima kasih, saya {NAME} ({PHONE}, {EMAIL}). {DPUPR_COMMENT}",
    )
    k2.make("closed", "dinkes", satisfaction=5, comment="Pelayanan dinkes cepat sekali")
    time_machine.move_to(NOW, tick=False)


def period_rows(start: dt.date = START, end: dt.date = END, agency: int | None = None) -> list:
    return [
        r
        for r in k2.rows()
        if start <= r["date"] <= end and (agency is None or r["agency"] == agency)
    ]


# --- reading the page and the CSVs ----------------------------------------------------------


class Tables(HTMLParser):
    """Every <table id=…> as rows of cell texts (header row included), and the SVG charts."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self.svgs: list[dict[str, Any]] = []
        self._table: str | None = None
        self._row: list[str] | None = None
        self._cell: list[str] | None = None
        self._svg: dict[str, Any] | None = None
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "table" and a.get("id"):
            self._table = str(a["id"])
            self.tables[self._table] = []
        elif tag == "tr" and self._table:
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []
        elif tag == "svg":
            self._svg = {"role": a.get("role"), "label": a.get("aria-label"), "title": ""}
        elif tag == "title" and self._svg is not None:
            self._in_title = True

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None and self._table:
            self.tables[self._table].append(self._row)
            self._row = None
        elif tag == "table":
            self._table = None
        elif tag == "svg" and self._svg is not None:
            self.svgs.append(self._svg)
            self._svg = None
        elif tag == "title":
            self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)
        if self._in_title and self._svg is not None:
            self._svg["title"] += data


def page(client: Client, query: str = JUNE) -> tuple[str, Tables]:
    response = client.get(f"{URL}?{query}", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200, response.status_code
    html = response.content.decode()
    parser = Tables()
    parser.feed(html)
    return html, parser


def body(parser: Tables, table: str) -> dict[str, str]:
    """A two-column table as {label: figure} (the header row skipped)."""
    return {row[0]: row[1] for row in parser.tables[f"t-{table}"][1:]}


def download(client: Client, section: str, query: str = JUNE) -> list[list[str]]:
    response = client.get(f"{URL}?{query}&section={section}&format=csv", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200, (section, response.status_code)
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def keyed(rows: list[list[str]], value: int = 2) -> dict[str, int]:
    """CSV rows as {key: count} (key "" = not set)."""
    return {row[0]: int(row[value]) for row in rows[1:]}


def k(value: Any) -> str:
    return "" if value is None else str(value)


# --- the independent counts -----------------------------------------------------------------


def independent_volumes(rows: list[dict[str, Any]]) -> dict[str, dict[str, int]]:
    out = {d: {k(key): n for key, n in Counter(r[d] for r in rows).items()} for d in VOLUMES[1:]}
    out["period"] = {key.isoformat(): n for key, n in Counter(r["date"] for r in rows).items()}
    return out


def labels(dimension: str) -> dict[str, str]:
    """Key → the label the page should show, from the reference tables (English)."""
    with translation.override("en"):
        if dimension == "channel":
            return {c.value: str(c.label) for c in Channel}
        if dimension == "kind":
            return {c.value: str(c.label) for c in Kind}
    out = {"": "Not set"}
    if dimension in ("category",):
        out |= {str(pk): name for pk, name in Category.objects.values_list("pk", "name")}
    elif dimension in ("kecamatan", "desa"):
        out |= {str(pk): name for pk, name in Region.objects.values_list("pk", "name")}
    elif dimension == "agency":
        out |= {str(a.pk): a.short_name or a.name for a in Agency.objects.all()}
    return out


def independent_overdue(agency: int | None = None) -> dict[str, tuple[int, int]]:
    """Open complaints past the deadline of their stage at NOW, per lead agency."""
    late: dict[str, list[int]] = {}
    for c in Complaint.objects.all():
        if agency is not None and c.lead_agency_id != agency:
            continue
        key = k(c.lead_agency_id)
        if c.status in (Status.RECEIVED, Status.RETURNED) and c.dispatch_due_at < NOW:
            late.setdefault(key, [0, 0])[0] += 1
        elif c.status in (Status.DISPATCHED, Status.IN_PROGRESS) and c.response_due_at < NOW:
            late.setdefault(key, [0, 0])[1] += 1
    return {key: (d, r) for key, (d, r) in late.items()}


def indicator_text(indicator: Indicator, value: Any) -> str:
    if value is None:
        return "\u2013"
    share = indicator not in (Indicator.MEDIAN_DAYS, Indicator.P90_DAYS, Indicator.SATISFACTION)
    return f"{value}%" if share else str(value)


# --- the tests -------------------------------------------------------------------------------


def test_every_figure_for_the_regent_equals_an_independent_count(data) -> None:  # type: ignore[no-untyped-def]
    """Pasal 7(4)a, 12, 13, R17, R25, R34: volumes, funnel, trend, timeliness (working days,
    real holidays), overdue, causes, satisfaction and the ranking — in the HTML tables, the
    headline and the CSVs; every chart is an SVG image with a title and its table (S14: each
    CSV download is audited once); then the filters narrow every count."""
    regent = f.staff(Role.REGENT)
    client = signed_in(Client(), regent)
    html, parsed = page(client)
    rows = period_rows()
    volumes = independent_volumes(rows)

    for dimension in VOLUMES:
        section = f"volume_by_{dimension}"
        got_csv = download(client, section)
        assert keyed(got_csv) == volumes[dimension], dimension
        names = labels(dimension) if dimension != "period" else {x: x for x in volumes["period"]}
        shown = {label: int(n) for label, n in body(parsed, section).items()}
        assert shown == {names[key]: n for key, n in volumes[dimension].items()}, dimension

    funnel = {
        "received": len(rows),
        "dispatched": sum(r["dispatched"] for r in rows),
        "responded": sum(r["responded"] for r in rows),
        "closed": sum(r["status"] == Status.CLOSED for r in rows),
        "archived": sum(r["status"] == Status.ARCHIVED for r in rows),
    }
    assert keyed(download(client, "funnel")) == funnel
    assert [int(n) for n in body(parsed, "funnel").values()] == list(funnel.values())
    assert parsed.tables["t-funnel"][1][0] == "Received"

    before = period_rows(*PREV)
    previous = {
        "received": len(before),
        "dispatched": sum(r["dispatched"] for r in before),
        "responded": sum(r["responded"] for r in before),
        "closed": sum(r["status"] == Status.CLOSED for r in before),
        "archived": sum(r["status"] == Status.ARCHIVED for r in before),
    }
    trend = download(client, "trend")
    for row, key in zip(trend[1:], funnel, strict=True):
        assert row[0] == key
        assert (int(row[2]), int(row[3]), int(row[4])) == (
            funnel[key],
            previous[key],
            funnel[key] - previous[key],
        )
    received_change = parsed.tables["t-trend"][1][3]
    arrow = "▲" if funnel["received"] > previous["received"] else "▼"
    assert received_change.startswith(arrow), received_change  # an arrow and a number, not colour

    # Timeliness: the plain-Python recount in working days with the Holiday table.
    truth = expected(None)
    timeliness = {row[0]: row for row in download(client, "timeliness")[1:]}
    shown = {row[0]: row for row in parsed.tables["t-timeliness"][1:]}
    before_values = indicator_values(*PREV)[None]
    with translation.override("en"):
        for indicator in Indicator:
            value = truth[indicator]
            assert timeliness[indicator.value][2] == k(value), indicator
            assert shown[str(indicator.label)][1] == indicator_text(indicator, value), indicator
            if value is not None and before_values[indicator] is not None:
                change = value - before_values[indicator]
                assert timeliness[indicator.value][6] == str(change), indicator
    assert truth[Indicator.ANSWERED_BY_DEADLINE] is not None

    # Overdue now (whatever the period), per lead agency, and the headline numbers.
    late = independent_overdue()
    got = {row[0]: (int(row[2]), int(row[3])) for row in download(client, "overdue")[1:]}
    assert got == late
    total_late = sum(d + r for d, r in late.values())
    assert total_late > 0
    assert f'<dd id="n-overdue">{total_late}</dd>' in html
    assert f'<dd id="n-received">{len(rows)}</dd>' in html

    causes = Counter(k(r["cause"]) for r in rows if r["cause"] is not None)
    assert keyed(download(client, "causes")) == dict(causes)
    cause_names = dict(Cause.objects.values_list("pk", "name"))
    assert {label: int(n) for label, n in body(parsed, "causes").items()} == {
        cause_names[int(key)]: n for key, n in causes.items()
    }

    ratings = Counter(r["satisfaction"] for r in rows if r["satisfaction"] is not None)
    assert keyed(download(client, "satisfaction")) == {str(i): ratings[i] for i in range(1, 6)}
    assert {int(s): int(n) for s, n in body(parsed, "satisfaction").items()} == {
        i: ratings[i] for i in range(1, 6)
    }
    assert DPUPR_COMMENT in html  # the latest comments are shown (masked: see the S1 test)

    # The ranking: overdue (the undispatched ones are the coordinator's) and received per
    # agency, and each agency's indicators; worst first.
    coordinator = Agency.objects.get(is_coordinator=True).pk
    late_by_agency = {key: d + r for key, (d, r) in late.items()}
    late_by_agency[str(coordinator)] = late_by_agency.get(str(coordinator), 0) + (
        late_by_agency.pop("", 0)
    )
    ranking = download(client, "ranking")
    received = volumes["agency"]
    for row in ranking[1:]:
        assert int(row[2]) == late_by_agency.get(row[0], 0), row
        assert int(row[3]) == received.get(row[0], 0), row
    assert {row[0] for row in ranking[1:]} >= {key for key, n in late_by_agency.items() if n}
    overdue_order = [int(row[2]) for row in ranking[1:]]
    assert overdue_order == sorted(overdue_order, reverse=True)
    for code in ("dpupr", "dinkes"):
        pk = f.agency(code).pk
        row = next(r for r in ranking[1:] if r[0] == str(pk))
        mine = expected(pk)
        assert row[4:] == [k(mine[i]) for i in Indicator], code
    # Sorted by a higher-is-better indicator: lowest first, agencies without a value last.
    by_deadline = download(client, "ranking", JUNE + "&sort=answered_by_deadline")
    position = 4 + list(Indicator).index(Indicator.ANSWERED_BY_DEADLINE)
    values = [row[position] for row in by_deadline[1:]]
    numbers = [float(v) for v in values if v]
    assert numbers == sorted(numbers) and len(numbers) >= 2
    assert values == [v for v in values if v] + [v for v in values if not v]
    assert Indicator.P90_DAYS in LOWER_IS_BETTER
    by_p90 = download(client, "ranking", JUNE + "&sort=p90_days")
    position = 4 + list(Indicator).index(Indicator.P90_DAYS)
    numbers = [float(row[position]) for row in by_p90[1:] if row[position]]
    assert numbers == sorted(numbers, reverse=True)

    # Every chart: an SVG image with a title, beside its table.
    assert len(parsed.svgs) >= 10
    for svg in parsed.svgs:
        assert svg["role"] == "img" and svg["title"].strip() and svg["label"] == svg["title"]
    assert html.count('<figure class="chart">') == len(parsed.svgs)

    # S14: every CSV download above wrote exactly one audit row, naming its section.
    audited = list(
        AuditEntry.objects.filter(action="report.dashboard_export", actor=regent).values_list(
            "object_id", flat=True
        )
    )
    assert Counter(audited) == Counter(
        [f"volume_by_{d}" for d in VOLUMES]
        + ["funnel", "trend", "timeliness", "overdue", "causes", "satisfaction"]
        + ["ranking"] * 3
    )

    # The filters (same data: one generation for both).
    check_filters(client)


def test_s3_an_agency_head_sees_only_their_agency(data) -> None:  # type: ignore[no-untyped-def]
    """S3: the head of Dinkes sees Dinkes' figures only — in the HTML, every CSV and the
    comments; no ranking; another agency in the filter is refused (403). S1: the planted
    complainant's name, phone and email appear in no HTML or CSV, for the head or the regent."""
    dinkes = f.agency("dinkes")
    others = Agency.objects.filter(code__in=["dpupr", "disdik", "disperkim"])
    head = f.staff(Role.AGENCY_HEAD, dinkes)
    client = signed_in(Client(), head)
    html, parsed = page(client)
    rows = period_rows(agency=dinkes.pk)
    volumes = independent_volumes(rows)
    everything: list[str] = [html]
    for dimension in VOLUMES:
        got = download(client, f"volume_by_{dimension}")
        everything.append(repr(got))
        assert keyed(got) == volumes[dimension], dimension
    assert set(keyed(download(client, "volume_by_agency"))) == {str(dinkes.pk)}
    overdue = download(client, "overdue")
    assert {row[0] for row in overdue[1:]} == {str(dinkes.pk)}
    assert {row[0]: (int(row[2]), int(row[3])) for row in overdue[1:]} == independent_overdue(
        dinkes.pk
    )
    timeliness = download(client, "timeliness")
    truth = expected(dinkes.pk)
    assert {row[0]: row[2] for row in timeliness[1:]} == {i.value: k(truth[i]) for i in Indicator}
    assert keyed(download(client, "funnel"))["received"] == len(rows)
    for section in ("trend", "causes", "satisfaction"):
        everything.append(repr(download(client, section)))
    everything.append(repr(overdue) + repr(timeliness))

    # No ranking, no other agency's name, comment or filter.
    assert "t-ranking" not in parsed.tables
    ranking = client.get(f"{URL}?{JUNE}&section=ranking&format=csv")
    assert ranking.status_code == 404
    assert 'name="agency"' not in html
    assert "Pelayanan dinkes cepat sekali" in html
    assert DPUPR_COMMENT not in html
    for other in others:
        for text in everything:
            assert (other.short_name or other.name) not in text, other.code
        refused = client.get(f"{URL}?{JUNE}&agency={other.pk}")
        assert refused.status_code == 403
        refused = client.get(f"{URL}?{JUNE}&agency={other.pk}&section=overdue&format=csv")
        assert refused.status_code == 403
    assert client.get(f"{URL}?{JUNE}&agency={dinkes.pk}").status_code == 200
    assert AuditEntry.objects.filter(action="report.dashboard_export", actor=head).count() == (
        len(VOLUMES) + 1 + 2 + 3 + 1  # volumes, agency again, overdue+timeliness, 3, funnel
    )

    # S1 for the regent too, who sees the dpupr comment — masked.
    regent = signed_in(Client(), f.staff(Role.REGENT))
    regent_html, _parsed = page(regent)
    assert DPUPR_COMMENT in regent_html
    everything.append(regent_html)
    for section in SECTIONS:
        everything.append(repr(download(regent, section)))
    for text in everything:
        for secret in (NAME, "Rahmawati", PHONE, "1399887766", EMAIL):
            assert secret not in text, secret


def check_filters(client: Client) -> None:
    """The GET filters narrow every count (independent counts again) and a quarter is shown
    per week."""
    dpupr = f.agency("dpupr")
    kec_a = Region.objects.get(code="99.01.01")
    top1 = Category.objects.get(code="K2T1")
    query = (
        f"period=quarter&month=2026-05&agency={dpupr.pk}&area={kec_a.pk}"
        f"&category={top1.pk}&channel=web"
    )
    _html, parsed = page(client, query)
    start, end = dt.date(2026, 4, 1), dt.date(2026, 6, 30)
    rows = [
        r
        for r in period_rows(start, end, agency=dpupr.pk)
        if r["kecamatan"] == kec_a.pk and r["category"] == top1.pk and r["channel"] == "web"
    ]
    assert rows, "the generated data should have complaints under these filters"
    got = download(client, "volume_by_channel", query)
    assert keyed(got) == {"web": len(rows)}
    weeks = Counter((r["date"] - dt.timedelta(days=r["date"].weekday())).isoformat() for r in rows)
    assert keyed(download(client, "volume_by_period", query)) == dict(weeks)
    # The indicators do not follow category/area/channel: the page says so.
    assert "do not apply to them" in _html
    assert "t-ranking" not in parsed.tables  # one agency chosen: no ranking
    broad = download(client, "volume_by_agency", "period=quarter&month=2026-05")
    assert keyed(broad) == independent_volumes(period_rows(start, end))["agency"]


def test_sign_in_roles_and_bad_input(client, ref) -> None:  # type: ignore[no-untyped-def]
    """S6: signed out → the sign-in page; a user without a staff role (a citizen account) →
    403; an unknown section → 404; an invalid period shows the error and this month."""
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith("/kantor/masuk/")
    response = client.get(f"{URL}?section=overdue&format=csv")
    assert response.status_code == 302
    citizen = User.objects.create_user(username="warga", password="x-Secret-123")
    assert signed_in(Client(), citizen).get(URL).status_code == 403
    liaison = signed_in(Client(), f.staff(Role.LIAISON, f.agency("dpupr")))
    assert liaison.get(f"{URL}?section=nothing&format=csv").status_code == 404
    bad = liaison.get(f"{URL}?period=custom&start=2026-06-30&end=2026-06-01")
    assert bad.status_code == 200
    assert bad.context["period"].kind == "month"
    assert bad.context["form"].errors
    assert AuditEntry.objects.filter(action="report.dashboard_export").count() == 0


def test_queries_do_not_grow_with_the_data(ref, time_machine) -> None:  # type: ignore[no-untyped-def]
    """The page runs a bounded number of queries, the same for 12 complaints as for 36 (no
    per-row queries); the perf helper times it at 1,000,000."""
    regent = signed_in(Client(), f.staff(Role.REGENT))
    head = signed_in(Client(), f.staff(Role.AGENCY_HEAD, f.agency("dpupr")))
    counts: dict[str, list[int]] = {"regent": [], "head": []}
    page(regent)  # the first request of a session loads more (session, second factor)
    page(head)
    for _round in range(2):
        for i in range(12):
            time_machine.move_to(dt.datetime(2026, 6, 2 + i, 10, tzinfo=k2.WITA), tick=False)
            state = ("closed", "dispatched", "received", "responded")[i % 4]
            k2.make(state, ("dpupr", "dinkes", "disdik")[i % 3], satisfaction=4, comment="Baik")
        time_machine.move_to(NOW, tick=False)
        for name, client in (("regent", regent), ("head", head)):
            with CaptureQueriesContext(connection) as queries:
                page(client)
            counts[name].append(len(queries))
    assert counts["regent"][0] == counts["regent"][1], counts
    assert counts["head"][0] == counts["head"][1], counts
    assert max(counts["regent"] + counts["head"]) <= 70, counts


@pytest.mark.parametrize(
    ("kind", "anchor", "start", "end", "granularity"),
    [
        ("month", dt.date(2026, 2, 14), dt.date(2026, 2, 1), dt.date(2026, 2, 28), "day"),
        ("quarter", dt.date(2026, 8, 1), dt.date(2026, 7, 1), dt.date(2026, 9, 30), "week"),
        ("semester", dt.date(2026, 5, 9), dt.date(2026, 1, 1), dt.date(2026, 6, 30), "month"),
        ("year", dt.date(2026, 5, 9), dt.date(2026, 1, 1), dt.date(2026, 12, 31), "month"),
    ],
)
def test_periods(
    kind: str, anchor: dt.date, start: dt.date, end: dt.date, granularity: str
) -> None:
    period = period_of(kind, anchor)
    assert (period.start, period.end, period.granularity) == (start, end, granularity)
    days = (end - start).days + 1
    assert period.previous == (start - dt.timedelta(days=days), start - dt.timedelta(days=1))
    assert Period("custom", start, start).granularity == "day"


def test_charts_scale_and_label_without_overlap() -> None:
    """The longest bar fills the width; a month of daily columns labels at most 12 of them (a
    360-pixel phone), the table beside it has every value."""
    bars = charts.bars([("a", 10), ("b", 5), ("c", None)])
    assert [(b.value, b.share) for b in bars] == [(10, 100.0), (5, 50.0), (0, 0.0)]
    days = charts.columns((str(i), i) for i in range(1, 32))
    labelled = [c.label for c in days if c.show_label]
    assert labelled == [str(i) for i in range(1, 32, 3)] and len(labelled) <= 12
    assert days[-1].height == charts.Column.PLOT_HEIGHT and days[0].height >= 1
    assert all(c.show_label for c in charts.columns((str(i), i) for i in range(12)))

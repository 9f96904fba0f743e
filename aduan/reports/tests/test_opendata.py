"""K2 open data, /data/statistik.json and .csv (Pasal 13; issue 7; S1): the figures equal
independent counts, small counts are suppressed, no identity or free text ever appears."""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
from collections import Counter
from typing import Any

import pytest
from django.test import override_settings

from aduan.agencies.models import Category, Region
from aduan.complaints.models import Complaint
from aduan.complaints.workflow.states import Status
from aduan.reports import opendata

from . import k2_support as k2

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 8, 3, 10, tzinfo=k2.WITA)


@pytest.fixture
def data(ref, time_machine):  # type: ignore[no-untyped-def]
    places = k2.generate(time_machine)
    time_machine.move_to(NOW, tick=False)
    return places


def get_json(client: Any, query: str = "?year=2026") -> dict[str, Any]:
    response = client.get("/data/statistik.json" + query)
    assert response.status_code == 200
    assert response["Cache-Control"] in ("public, max-age=3600", "max-age=3600, public")
    assert response["Access-Control-Allow-Origin"] == "*"
    return response.json()


def get_csv(client: Any, query: str = "?year=2026") -> list[dict[str, str]]:
    response = client.get("/data/statistik.csv" + query)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "public" in response["Cache-Control"] and "max-age=3600" in response["Cache-Control"]
    assert response["Access-Control-Allow-Origin"] == "*"
    reader = csv.DictReader(io.StringIO(response.content.decode()))
    assert tuple(reader.fieldnames or ()) == opendata.CSV_COLUMNS
    return list(reader)


def table(doc: dict[str, Any], name: str) -> dict[str, int | None]:
    return {row["key"]: row["count"] for row in doc["tables"][name]}


def check_table(
    published: dict[str, int | None], counter: Counter[Any], threshold: int = 3
) -> None:
    """S1, independently of `opendata.protect`: the keys are the groups; every shown count is
    the true count; every count from 1 to threshold-1 is hidden; the hidden cells are none, or
    at least two adding up to at least the threshold (so total minus the shown cells recovers
    no small count); complementary cells are the smallest ones (no shown cell below them)."""
    truth = {("" if k is None else str(k)): n for k, n in counter.items()}
    assert set(published) == set(truth)
    hidden = {k for k, v in published.items() if v is None}
    for k, v in published.items():
        if v is not None:
            assert v == truth[k], k
    assert {k for k, n in truth.items() if 0 < n < threshold} <= hidden
    assert_protected([truth[k] for k in hidden], sum(truth.values()), threshold)
    complementary = [truth[k] for k in hidden if truth[k] >= threshold]
    shown_counts = [v for v in published.values() if v is not None]
    if complementary and shown_counts:
        assert max(complementary) <= min(shown_counts)


def assert_protected(hidden: list[int], total: int, threshold: int = 3) -> None:
    """The S1 property of one table: nothing hidden, or the hidden counts add up to at least the
    threshold and are at least two; only when the total itself is below the threshold (every
    cell hidden, nothing shown to subtract) can the hidden sum be smaller."""
    if not hidden:
        return
    if total < threshold:
        assert sum(hidden) == total
        return
    assert len(hidden) >= 2 and sum(hidden) >= threshold, hidden


def test_json_shape_and_figures(client, data):  # type: ignore[no-untyped-def]
    doc = get_json(client)
    assert (doc["period"], doc["from"], doc["until"], doc["min_count"]) == (
        "2026",
        "2026-01-01",
        "2026-12-31",
        3,
    )
    assert set(doc["tables"]) == set(opendata.TABLES)
    for rows in doc["tables"].values():
        for row in rows:
            assert set(row) == {"key", "label", "count", "suppressed"}
            assert row["suppressed"] == (row["count"] is None)
    rows = k2.rows()
    check_table(table(doc, "month"), Counter(r["date"].strftime("%Y-%m") for r in rows))
    check_table(table(doc, "channel"), Counter(r["channel"] for r in rows))
    check_table(table(doc, "status"), Counter(r["status"] for r in rows))
    codes = {r.pk: r.code for r in Region.objects.all()}
    check_table(table(doc, "kecamatan"), Counter(codes.get(r["kecamatan"]) for r in rows))
    agencies = {
        c.lead_agency_id: c.lead_agency.code
        for c in Complaint.objects.filter(lead_agency__isnull=False).select_related("lead_agency")
    }
    check_table(table(doc, "agency"), Counter(agencies.get(r["agency"]) for r in rows))
    categories = {c.pk: c.code for c in Category.objects.all()}
    check_table(table(doc, "category"), Counter(categories.get(r["category"]) for r in rows))
    # on time: shares of the stopped clocks' deadlines, independently from the rows
    from aduan.complaints.models import Clock

    assert doc["on_time"]["dispatch"]["clocks"] >= 3  # the shown case is exercised
    assert doc["on_time"]["response"]["clocks"] >= 3
    for kind in ("dispatch", "response"):
        clocks = [c for c in Clock.objects.filter(kind=kind) if c.deadline_met is not None]
        n, met = len(clocks), sum(c.deadline_met for c in clocks)
        expected = doc["on_time"][kind]
        if n >= 3:
            assert (expected["clocks"], expected["met"]) == (n, met)
            assert expected["share"] == round(met / n, 4)
        elif n:
            assert expected["suppressed"] and expected["share"] is None


def test_csv_parses_and_matches_json(client, data):  # type: ignore[no-untyped-def]
    doc = get_json(client)
    lines = get_csv(client)
    for name in opendata.TABLES:
        from_csv = {
            r["key"]: (None if r["count"] == "" else int(r["count"]))
            for r in lines
            if r["table"] == name
        }
        assert from_csv == table(doc, name), name
    for r in lines:
        assert r["suppressed"] in ("0", "1")
        assert (r["suppressed"] == "1") == (r["count"] == "")


def test_period_month_and_bad_period(client, data):  # type: ignore[no-untyped-def]
    doc = get_json(client, "?period=2026-06")
    june = [r for r in k2.rows() if r["date"].strftime("%Y-%m") == "2026-06"]
    check_table(table(doc, "month"), Counter(["2026-06"] * len(june)))
    check_table(table(doc, "channel"), Counter(r["channel"] for r in june))
    assert get_json(client, "?year=2025")["tables"]["month"] == []
    for bad in ("?period=2026-13", "?period=juni", "?year=26"):
        assert client.get("/data/statistik.json" + bad).status_code == 400
        assert client.get("/data/statistik.csv" + bad).status_code == 400


def test_suppression_two_hidden_three_shown(client, ref, time_machine):  # type: ignore[no-untyped-def]
    """S1: two small kecamatan counts (2 + 1, together at the threshold) are hidden; the
    kecamatan of 3 stays shown, since the hidden pair already adds up to 3."""
    p = k2.places()
    time_machine.move_to(dt.datetime(2026, 6, 10, 9, tzinfo=k2.WITA), tick=False)
    for _ in range(2):
        k2.f.received(region=p.kec_b)
    k2.f.received(region=p.kec_c)
    for region in (p.kec_a, p.desa_a1, p.desa_a2):  # three in kecamatan Alfa, two via desa
        k2.f.received(region=region)
    doc = get_json(client)
    by_code = {row["key"]: row for row in doc["tables"]["kecamatan"]}
    assert by_code[p.kec_b.code] == {
        "key": p.kec_b.code,
        "label": "Kec Beta",
        "count": None,
        "suppressed": True,
    }
    assert by_code[p.kec_c.code]["suppressed"]
    assert by_code[p.kec_a.code]["count"] == 3 and not by_code[p.kec_a.code]["suppressed"]
    lines = {r["key"]: r for r in get_csv(client) if r["table"] == "kecamatan"}
    assert (lines[p.kec_b.code]["count"], lines[p.kec_b.code]["suppressed"]) == ("", "1")
    assert (lines[p.kec_a.code]["count"], lines[p.kec_a.code]["suppressed"]) == ("3", "0")
    with override_settings(ADUAN_OPEN_DATA_MIN_COUNT=4):
        doc = get_json(client)
        kec = {row["key"]: row["count"] for row in doc["tables"]["kecamatan"]}
        assert kec[p.kec_a.code] is None and doc["min_count"] == 4


def test_s1_one_small_cell_gets_a_complementary_cell(client, ref, time_machine):  # type: ignore[no-untyped-def]
    """S1: a table with ONE small cell (kecamatan Beta: 1) also hides the next-smallest cell
    (Gama: 4, not Alfa: 6), so the month total (public) minus the shown cells gives 5, not
    Beta's 1; JSON and CSV hide the same two cells, both marked `suppressed`."""
    p = k2.places()
    time_machine.move_to(dt.datetime(2026, 6, 10, 9, tzinfo=k2.WITA), tick=False)
    for region, n in ((p.kec_a, 6), (p.kec_b, 1), (p.kec_c, 4)):
        for _ in range(n):
            k2.f.received(region=region)
    doc = get_json(client, "?period=2026-06")
    total = table(doc, "month")["2026-06"]
    assert total == 11
    kec = table(doc, "kecamatan")
    assert kec == {p.kec_a.code: 6, p.kec_b.code: None, p.kec_c.code: None}
    rows = {row["key"]: row for row in doc["tables"]["kecamatan"]}
    assert rows[p.kec_b.code]["suppressed"] and rows[p.kec_c.code]["suppressed"]
    assert total - sum(v for v in kec.values() if v is not None) == 5  # not a single cell
    lines = {r["key"]: r for r in get_csv(client, "?period=2026-06") if r["table"] == "kecamatan"}
    assert {k: (r["count"], r["suppressed"]) for k, r in lines.items()} == {
        p.kec_a.code: ("6", "0"),
        p.kec_b.code: ("", "1"),
        p.kec_c.code: ("", "1"),
    }
    # the attacker's view of every table: total minus the shown cells is 0 or >= 3, over >= 2
    for name in opendata.TABLES:
        counts = [row["count"] for row in doc["tables"][name]]
        rest = total - sum(c for c in counts if c is not None)
        assert (rest, counts.count(None)) == (0, 0) or (rest >= 3 and counts.count(None) >= 2)


def test_s1_protect_unit_cases() -> None:
    """S1, `protect` on hand-made tables: one small cell drags the next-smallest along; two
    small cells adding up below the threshold drag a third; enough small cells need nothing
    more; zero cells are never hidden; a table of only small cells is hidden whole."""
    assert opendata.protect([10, 1, 5, 7], 3) == [False, True, True, False]
    assert opendata.protect([10, 1, 1, 7], 3) == [False, True, True, True]
    assert opendata.protect([10, 2, 1, 7], 3) == [False, True, True, False]
    assert opendata.protect([10, 20, 30], 3) == [False, False, False]
    assert opendata.protect([0, 1, 9], 3) == [False, True, True]
    assert opendata.protect([2], 3) == [True]
    assert opendata.protect([1, 1], 3) == [True, True]
    assert opendata.protect([4, 4, 2], 3) == [False, True, True]  # tie: the later cell
    assert opendata.protect([], 3) == []


def test_s1_protect_property_random_tables() -> None:
    """S1 property over 3,000 random tables and thresholds 2..5: no suppressed cell can be
    recovered as total minus the shown cells (hidden sum >= threshold, at least two hidden,
    or nothing hidden), every small count is hidden, zero
    cells are never hidden."""
    rng = random.Random(13)
    for _ in range(3000):
        threshold = rng.randint(2, 5)
        counts = [rng.choice([0, 1, 1, 2, 3, 4, 5, 8, 20]) for _ in range(rng.randint(1, 8))]
        hidden = opendata.protect(counts, threshold)
        assert all(h for n, h in zip(counts, hidden, strict=True) if 0 < n < threshold)
        assert not any(h for n, h in zip(counts, hidden, strict=True) if n == 0)
        assert_protected(
            [n for n, h in zip(counts, hidden, strict=True) if h], sum(counts), threshold
        )


def test_s1_no_identity_and_no_free_text(client, ref, time_machine):  # type: ignore[no-untyped-def]
    """S1: a distinctive name, phone, email and private text appear in neither format."""
    p = k2.places()
    time_machine.move_to(dt.datetime(2026, 6, 10, 9, tzinfo=k2.WITA), tick=False)
    secrets = [
        "Zebulon Kartawinata",
        "081399887766",
        "zebulon@rahasia.id",
        "RAHASIA-XQ7",
        "JUDUL-XQ7",
        "KOMENTAR-XQ7",
        "LOKASI-XQ7",
    ]
    for private in (True, False):
        for _ in range(3):
            c = k2.make(
                "closed",
                "dpupr",
                name="Zebulon Kartawinata",
                phone="081399887766",
                email="zebulon@rahasia.id",
                body="RAHASIA-XQ7 isi laporan",
                title="JUDUL-XQ7",
                private=private,
                satisfaction=2,
                comment="KOMENTAR-XQ7 Zebulon",
                region=p.kec_c,
                category=p.leaf1b,
                location_text="LOKASI-XQ7",
            )
            assert c.status == Status.CLOSED
    for url in (
        "/data/statistik.json?year=2026",
        "/data/statistik.csv?year=2026",
        "/data/statistik.json?period=2026-06",
        "/data/statistik.csv?period=2026-06",
    ):
        body = client.get(url).content.decode()
        assert "Kec Gama" in body  # the aggregate itself is there
        for secret in secrets:
            assert secret.lower() not in body.lower(), (url, secret)
        assert "Zebulon" not in body and "zebulon" not in body.lower()
    tracking = Complaint.objects.values_list("tracking_code", flat=True)
    body = client.get("/data/statistik.json?year=2026").content.decode()
    assert not any(code in body for code in tracking)

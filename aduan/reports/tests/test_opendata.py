"""K2 open data, /data/statistik.json and .csv (Pasal 13; issue 7; S1): the figures equal
independent counts, small counts are suppressed, no identity or free text ever appears."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import Counter
from typing import Any

import pytest
from django.test import override_settings

from aduan.agencies.models import Region
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


def shown(counter: Counter[Any], threshold: int = 3) -> dict[str, int | None]:
    return {
        ("" if k is None else str(k)): (None if 0 < n < threshold else n)
        for k, n in counter.items()
    }


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
    assert table(doc, "month") == shown(Counter(r["date"].strftime("%Y-%m") for r in rows))
    assert table(doc, "channel") == shown(Counter(r["channel"] for r in rows))
    assert table(doc, "status") == shown(Counter(r["status"] for r in rows))
    codes = {r.pk: r.code for r in Region.objects.all()}
    assert table(doc, "kecamatan") == shown(Counter(codes.get(r["kecamatan"]) for r in rows))
    agencies = {
        c.lead_agency_id: c.lead_agency.code
        for c in Complaint.objects.filter(lead_agency__isnull=False).select_related("lead_agency")
    }
    assert table(doc, "agency") == shown(Counter(agencies.get(r["agency"]) for r in rows))
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
    assert table(doc, "month") == shown(Counter(["2026-06"] * len(june)))
    assert table(doc, "channel") == shown(Counter(r["channel"] for r in june))
    assert get_json(client, "?year=2025")["tables"]["month"] == []
    for bad in ("?period=2026-13", "?period=juni", "?year=26"):
        assert client.get("/data/statistik.json" + bad).status_code == 400
        assert client.get("/data/statistik.csv" + bad).status_code == 400


def test_suppression_two_hidden_three_shown(client, ref, time_machine):  # type: ignore[no-untyped-def]
    p = k2.places()
    time_machine.move_to(dt.datetime(2026, 6, 10, 9, tzinfo=k2.WITA), tick=False)
    for _ in range(2):
        k2.f.received(region=p.kec_b)
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
    assert by_code[p.kec_a.code]["count"] == 3 and not by_code[p.kec_a.code]["suppressed"]
    lines = {r["key"]: r for r in get_csv(client) if r["table"] == "kecamatan"}
    assert (lines[p.kec_b.code]["count"], lines[p.kec_b.code]["suppressed"]) == ("", "1")
    assert (lines[p.kec_a.code]["count"], lines[p.kec_a.code]["suppressed"]) == ("3", "0")
    with override_settings(ADUAN_OPEN_DATA_MIN_COUNT=4):
        doc = get_json(client)
        kec = {row["key"]: row["count"] for row in doc["tables"]["kecamatan"]}
        assert kec[p.kec_a.code] is None and doc["min_count"] == 4


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

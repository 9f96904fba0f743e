"""`GET /api/v1/statistics` hides what /statistik/ hides (S1; R17, R32).

The API serves the page's `PublicStatistics`; before issue 7's fix it published the raw months,
agencies, ratings and headline counts the page hides. Here every hidden count must be null with
`suppressed` true, the shown ones must equal the page's (read back from its HTML) and the open
data's hidden cells, and the total minus the shown cells must never be one hidden count.
"""

from __future__ import annotations

import datetime as dt
import html as htmllib
import json
import re
from typing import Any

import pytest
from django.core.cache import cache
from django.db.models import Q
from django.test import Client

from aduan.agencies.models import Category, Region
from aduan.api.v1 import api
from aduan.complaints.models import Complaint
from aduan.complaints.tests import factories as f
from aduan.complaints.tests.workflow.support import wita
from aduan.portal.tests.statistics_support import build_town
from aduan.reports import opendata

pytestmark = pytest.mark.django_db
EN = {"Accept-Language": "en"}
URL = "/api/v1/statistics"
NOT_DUE = "\u2013"  # the page's en dash: no answers due, no share
# The page's month row headers (English, "April 2026") as the API writes them ("2026-04").
MONTHS = {f"{dt.date(y, m, 1):%B} {y}": f"{y}-{m:02d}" for y in (2025, 2026) for m in range(1, 13)}
PASARWAJO, KAPONTORI, WOLOWA = "Pasarwajo", "Kapontori", "Wolowa"


@pytest.fixture(autouse=True)
def _fresh_cache() -> Any:
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def town(buton: Any, time_machine: Any) -> dict[str, str]:
    """The small town of `statistics_support.build_town` (10 complaints split 5 / 4 / 1)."""
    return build_town(time_machine)


def api_body(client: Client) -> dict[str, Any]:
    response = client.get(URL, headers=EN)
    assert response.status_code == 200, response.content
    body: dict[str, Any] = response.json()
    return body


def counts(rows: list[dict[str, Any]], key: str, field: str = "count") -> dict[str, int | None]:
    return {row[key]: row[field] for row in rows}


def agency(body: dict[str, Any], name: str) -> dict[str, Any]:
    return next(row for row in body["per_agency"] if row["agency"] == name)


# --- the page, read back from its HTML -------------------------------------------------------


def _text(fragment: str) -> str:
    return htmllib.unescape(re.sub(r"<[^>]+>", "", fragment)).strip()


def page_table(page: str, caption_id: str) -> dict[str, list[str]]:
    """Row header -> the cells' text of the table captioned `caption_id`."""
    start = page.index(f'<caption id="{caption_id}">')
    body = page[start : page.index("</table>", start)]
    rows = {}
    for row in re.findall(r"<tr>(.*?)</tr>", body, re.S):
        head = re.search(r'<th scope="row">(.*?)</th>', row, re.S)
        if head:
            rows[_text(head[1])] = [_text(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
    return rows


def as_api(cell: str) -> int | None:
    """A page cell as the API writes it: "hidden" is null, "100%" is 100."""
    return None if cell == "hidden" else int(cell.rstrip("%"))


# --- independent counts ----------------------------------------------------------------------


def count_kecamatan(name: str) -> int:
    kec = Region.objects.get(name=name, level=Region.Level.DISTRICT)
    return Complaint.objects.filter(Q(region=kec) | Q(region__parent=kec)).count()


def assert_complementary(total: int, shown: dict[str, int | None], true: dict[str, int]) -> None:
    """S1: total minus the shown cells is two or more hidden cells adding up to at least the
    threshold, never one hidden cell's own count."""
    secret = {k for k, n in shown.items() if n is None}
    rest = total - sum(n for n in shown.values() if n is not None)
    assert len(secret) >= 2 and rest >= opendata.min_count()
    assert all(rest != true[k] for k in secret)
    assert rest == sum(true[k] for k in secret)


# --- tests -------------------------------------------------------------------------------------


def test_s1_api_hides_small_counts_and_their_complements(client: Client, town: Any) -> None:
    """S1, R17, R32: Wolowa, Disdik, April (1 each) are null with `suppressed`, and so are
    Kapontori, Dinkes and May (4 each, complementary); DPUPR, Pasarwajo and June (5) shown."""
    body = api_body(client)
    assert body["total"] == 10 and body["min_count"] == 3
    kec = body["per_kecamatan"]
    assert counts(kec, "label") == {PASARWAJO: 5, KAPONTORI: None, WOLOWA: None}
    assert counts(kec, "label", "suppressed") == {PASARWAJO: False, KAPONTORI: True, WOLOWA: True}
    months = {row["month"]: row for row in body["per_month"]}
    assert len(months) == 12
    assert months["2026-04"] == {"month": "2026-04", "count": None, "suppressed": True}
    assert months["2026-05"] == {"month": "2026-05", "count": None, "suppressed": True}
    assert months["2026-06"] == {"month": "2026-06", "count": 5, "suppressed": False}
    for code in ("disdik", "dinkes"):
        row = agency(body, town[code])
        assert (row["received"], row["answered"], row["on_time_percent"]) == (None, None, None)
        assert row["suppressed"] and row["received_suppressed"] and row["answered_suppressed"]
        assert row["on_time_percent_suppressed"]
    dpupr = agency(body, town["dpupr"])
    assert (dpupr["received"], dpupr["answered"], dpupr["on_time_percent"]) == (5, 4, 100)
    assert not (dpupr["suppressed"] or dpupr["received_suppressed"])
    # Never per agency (the page shows only the share): they would be unprotected cells.
    assert all(r["on_time"] is None and r["late_open"] is None for r in body["per_agency"])
    # Hidden rows after the shown ones, by name: a place in a count order would bound them.
    assert [r["label"] for r in kec] == [PASARWAJO, KAPONTORI, WOLOWA]


def test_s1_api_json_never_carries_a_hidden_count(client: Client, town: Any) -> None:
    """S1: a hidden row has no number at all (only its name and flags), and the categories
    below the threshold and hidden with it (Pendidikan 1, Kesehatan 4) are not listed."""
    body = api_body(client)
    hidden_rows = [
        row
        for table in ("per_month", "per_kecamatan", "per_agency")
        for row in body[table]
        if row["suppressed"] and table != "per_agency"
    ] + [agency(body, town["disdik"]), agency(body, town["dinkes"])]
    assert len(hidden_rows) == 6
    for row in hidden_rows:
        assert not [v for v in row.values() if isinstance(v, int) and not isinstance(v, bool)]
    categories = json.dumps(body["per_category"], ensure_ascii=False)
    assert "Pendidikan" not in categories and "Kesehatan" not in categories
    road_top = Category.objects.get(code="K01")
    assert body["per_category"] == [{"label": road_top.name, "count": 5, "suppressed": False}]


def test_s1_api_total_minus_shown_never_gives_one_hidden_count(client: Client, town: Any) -> None:
    """S1 (complementary suppression): months, kecamatan, agencies' reports (of the total) and
    agencies' answers (of `answered`): the rest is a sum of hidden cells, never one alone."""
    body = api_body(client)
    total = body["total"]
    assert total == Complaint.objects.count()
    kec = counts(body["per_kecamatan"], "label")
    assert_complementary(total, kec, {k: count_kecamatan(k) for k in kec})
    received = counts(body["per_agency"], "agency", "received")
    true_received = {
        name: Complaint.objects.filter(lead_agency__name=name).count() for name in received
    }
    assert_complementary(total, received, true_received)
    months = counts(body["per_month"], "month")
    true_months = dict.fromkeys(months, 0) | {"2026-04": 1, "2026-05": 4, "2026-06": 5}
    assert_complementary(total, months, true_months)
    answered = counts(body["per_agency"], "agency", "answered")
    assert body["answered"] == 8  # 9 answers due, 1 late
    true_answers = {town["dpupr"]: 4, town["dinkes"]: 3, town["disdik"]: 1}
    assert_complementary(body["answered"], answered, true_answers)


def test_s1_api_shows_and_hides_the_same_cells_as_the_page(client: Client, town: Any) -> None:
    """S1, R17: each table cell of /statistik/ equals the API's (hidden there, null here), so
    neither publication gives back what the other hides."""
    page = client.get("/statistik/", headers=EN).content.decode()
    body = api_body(client)
    page_kec = {k: as_api(v[0]) for k, v in page_table(page, "t-kecamatan").items()}
    assert page_kec == counts(body["per_kecamatan"], "label")
    page_months = {MONTHS[k]: as_api(v[0]) for k, v in page_table(page, "t-month").items()}
    assert page_months == counts(body["per_month"], "month")
    page_agencies = {
        k: [None if c == NOT_DUE else as_api(c) for c in v]
        for k, v in page_table(page, "t-agency").items()
    }
    api_agencies = {
        r["agency"]: [r["received"], r["answered"], r["on_time_percent"]]
        for r in body["per_agency"]
    }
    assert page_agencies == api_agencies
    page_categories = {k: int(v[0]) for k, v in page_table(page, "t-category").items()}
    listed = counts(body["per_category"], "label")
    assert {k: n for k, n in page_categories.items() if k in listed} == listed
    other = page_categories.pop("Other categories")
    assert set(page_categories) == set(listed) and other == body["total"] - sum(
        n for n in listed.values() if n is not None
    )


def test_s1_api_hides_the_same_cells_as_the_open_data(client: Client, town: Any) -> None:
    """S1: the API hides the kecamatan and agencies /data/statistik.json hides (all ten
    complaints are of 2026, so the year's tables are the all-time ones)."""
    body = api_body(client)
    doc = client.get("/data/statistik.json?year=2026").json()
    data_kec = {r["label"] for r in doc["tables"]["kecamatan"] if r["suppressed"]}
    api_kec = {r["label"] for r in body["per_kecamatan"] if r["suppressed"]}
    assert api_kec == data_kec == {KAPONTORI, WOLOWA}
    data_agencies = {f.agency(r["key"]).name for r in doc["tables"]["agency"] if r["suppressed"]}
    api_agencies = {r["agency"] for r in body["per_agency"] if r["received_suppressed"]}
    assert api_agencies == data_agencies == {town["disdik"], town["dinkes"]}
    data_months = {r["key"] for r in doc["tables"]["month"] if r["suppressed"]}
    api_months = {r["month"] for r in body["per_month"] if r["suppressed"]}
    assert api_months == data_months == {"2026-04", "2026-05"}


def test_s1_api_hides_ratings_below_the_threshold(client: Client, town: Any) -> None:
    """S1: two ratings (5 and 2): count, average and every score null (the average of two is
    a rating pair); the headline shares over 9 answers due stay, as on the page."""
    body = api_body(client)
    assert body["satisfaction_suppressed"] is True
    assert body["satisfaction_count"] is None and body["satisfaction_average"] is None
    assert body["satisfaction_distribution"] == {str(s): None for s in range(1, 6)}
    assert body["shares_suppressed"] is False and body["median_suppressed"] is False
    assert (body["answered"], body["late_open"], body["on_time"]) == (8, 1, 8)
    assert body["on_time_percent"] == 89 and body["median_working_days"] is not None


def test_s1_api_hides_headline_shares_below_the_threshold(
    client: Client, buton: Any, time_machine: Any
) -> None:
    """S1: with two answers due, the answer counts, the shares and the median would be those
    answers' own: all null, `shares_suppressed` and `median_suppressed` true."""
    time_machine.move_to(wita(2026, 6, 9, 10), tick=False)
    f.responded("dpupr")
    f.responded("dpupr")
    time_machine.move_to(wita(2026, 6, 10, 10), tick=False)
    body = api_body(client)
    assert body["shares_suppressed"] is True and body["median_suppressed"] is True
    for field in (
        "answered",
        "late_open",
        "on_time",
        "within_target",
        "on_time_percent",
        "within_target_percent",
        "median_working_days",
    ):
        assert body[field] is None, field
    assert body["total"] == 2


def test_r17_r32_api_shows_every_figure_when_nothing_is_small(
    client: Client, town: Any, settings: Any
) -> None:
    """R17, R32, R33: at threshold 1 nothing is hidden and every figure is the real count
    (the suppression hides, it does not change what is shown)."""
    settings.ADUAN_OPEN_DATA_MIN_COUNT = 1
    body = api_body(client)
    assert not any(r["suppressed"] for t in ("per_month", "per_kecamatan") for r in body[t])
    assert counts(body["per_kecamatan"], "label") == {
        k: count_kecamatan(k) for k in (PASARWAJO, KAPONTORI, WOLOWA)
    }
    assert counts(body["per_agency"], "agency", "received") == {
        town["dpupr"]: 5,
        town["dinkes"]: 4,
        town["disdik"]: 1,
    }
    assert body["satisfaction_count"] == 2 and body["satisfaction_average"] == 3.5
    assert body["satisfaction_distribution"] == {"1": 0, "2": 1, "3": 0, "4": 0, "5": 1}
    assert (body["answered"], body["on_time"], body["late_open"]) == (8, 8, 1)


def test_s1_openapi_declares_the_hidden_counts_nullable() -> None:
    """S1: the OpenAPI document says every count that can be hidden may be null, so a client
    generated from it does not break on a hidden one (and schemathesis checks the responses)."""
    doc = api.get_openapi_schema()
    schemas = doc["components"]["schemas"]

    def nullable(schema: str, field: str) -> bool:
        prop = schemas[schema]["properties"][field]
        return any(alt.get("type") == "null" for alt in prop.get("anyOf", []))

    for schema, fields in {
        "MonthOut": ("count",),
        "CountOut": ("count",),
        "AgencyStatOut": ("received", "answered", "on_time", "late_open", "on_time_percent"),
        "StatisticsOut": (
            "answered",
            "late_open",
            "on_time",
            "within_target",
            "satisfaction_count",
        ),
    }.items():
        for field in fields:
            assert nullable(schema, field), (schema, field)
    distribution = schemas["StatisticsOut"]["properties"]["satisfaction_distribution"]
    assert {"type": "null"} in distribution["additionalProperties"]["anyOf"]

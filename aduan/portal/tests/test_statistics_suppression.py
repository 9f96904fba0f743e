"""The statistics page (/statistik/) hides small counts like the open data (S1; R17, R32).

The page publishes the total, so a table whose rows add up to it gets primary and complementary
suppression (`aduan.reports.opendata.protect`): no single hidden count is the total minus the
shown cells. Every number is read back from the rendered HTML (tables and SVG charts) and checked
against counts made here, independently of the selector.
"""

from __future__ import annotations

import html as htmllib
import re
from typing import Any

import pytest
from django.core.cache import cache
from django.db.models import Q
from django.utils import timezone

from aduan.agencies.models import Category, Region
from aduan.complaints.models import Complaint
from aduan.complaints.tests import factories as f
from aduan.complaints.tests.workflow.support import wita
from aduan.portal.selectors import compute_public_statistics
from aduan.portal.tests.statistics_support import build_town
from aduan.reports import opendata

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
HIDDEN = "hidden"

PASARWAJO, KAPONTORI, WOLOWA = "Pasarwajo", "Kapontori", "Wolowa"


@pytest.fixture(autouse=True)
def _fresh_cache() -> Any:
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def town(buton: Any, time_machine: Any) -> dict[str, Any]:
    """The small town of `statistics_support.build_town` (10 complaints split 5 / 4 / 1)."""
    return build_town(time_machine)


# --- reading the page back --------------------------------------------------------------------


def _text(fragment: str) -> str:
    return htmllib.unescape(re.sub(r"<[^>]+>", "", fragment)).strip()


def table(page: str, caption_id: str) -> dict[str, list[str]]:
    """The rows of the table captioned `caption_id`: row header -> the cells' text."""
    start = page.index(f'<caption id="{caption_id}">')
    body = page[start : page.index("</table>", start)]
    rows = {}
    for row in re.findall(r"<tr>(.*?)</tr>", body, re.S):
        head = re.search(r'<th scope="row">(.*?)</th>', row, re.S)
        if head:
            rows[_text(head[1])] = [_text(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
    return rows


def section(page: str, heading_id: str) -> str:
    start = page.index(f'id="{heading_id}"')
    return page[start : page.index("</section>", start)]


def headline(page: str, term: str) -> str:
    m = re.search(rf"<dt>{re.escape(term)}</dt><dd>(.*?)</dd>", page, re.S)
    assert m, term
    return _text(m[1])


def shown(cells: dict[str, str]) -> dict[str, int]:
    return {k: int(v) for k, v in cells.items() if v != HIDDEN}


def hidden(cells: dict[str, str]) -> set[str]:
    return {k for k, v in cells.items() if v == HIDDEN}


def page(client: Any) -> str:
    response = client.get("/statistik/", **EN)
    assert response.status_code == 200
    return response.content.decode()


# --- independent counts ---------------------------------------------------------------------


def count_kecamatan(name: str) -> int:
    kec = Region.objects.get(name=name, level=Region.Level.DISTRICT)
    return Complaint.objects.filter(Q(region=kec) | Q(region__parent=kec)).count()


def count_agency(name: str) -> int:
    return Complaint.objects.filter(lead_agency__name=name).count()


def count_month(month: int) -> int:
    return sum(
        1 for c in Complaint.objects.all() if timezone.localtime(c.received_at).month == month
    )


def assert_complementary(total: int, cells: dict[str, str], true: dict[str, int]) -> None:
    """S1: the total minus the shown cells is the sum of two or more hidden cells, at least the
    threshold, and never one hidden cell's own count."""
    rest = total - sum(shown(cells).values())
    secret = hidden(cells)
    assert len(secret) >= 2 and rest >= opendata.min_count()
    assert all(rest != true[name] for name in secret)
    assert rest == sum(true[name] for name in secret)


# --- tests ------------------------------------------------------------------------------------


def test_s1_small_counts_and_their_complements_are_hidden_in_every_table(client, town):
    """S1, R17, R32: Wolowa, Disdik, April (1 each) are hidden, and so are Kapontori, Dinkes
    and May (4 each, complementary); no table cell shows their counts."""
    html = page(client)
    kec = {k: v[0] for k, v in table(html, "t-kecamatan").items()}
    assert kec == {PASARWAJO: "5", KAPONTORI: HIDDEN, WOLOWA: HIDDEN}
    agencies = table(html, "t-agency")
    assert agencies[town["disdik"]] == [HIDDEN, HIDDEN, HIDDEN]
    assert agencies[town["dinkes"]] == [HIDDEN, HIDDEN, HIDDEN]
    assert agencies[town["dpupr"]] == ["5", "4", "100%"]
    months = {k: v[0] for k, v in table(html, "t-month").items()}
    assert (months["April 2026"], months["May 2026"], months["June 2026"]) == (HIDDEN, HIDDEN, "5")
    # Hidden rows come after the shown ones, by name (a place in a count order would bound them).
    assert list(kec) == [PASARWAJO, KAPONTORI, WOLOWA]
    assert "Where there are fewer than 3" not in html and "fewer than 3 reports" in html


def test_s1_total_minus_shown_cells_never_gives_one_hidden_count(client, town):
    """S1 (complementary suppression): for every table that partitions the published total —
    months, kecamatan, agencies' reports, agencies' answers — the total minus the shown cells
    is a sum of at least two hidden cells, never a single small count."""
    html = page(client)
    total = int(headline(html, "Reports received"))
    assert total == Complaint.objects.count() == 10
    kec = {k: v[0] for k, v in table(html, "t-kecamatan").items()}
    assert_complementary(total, kec, {k: count_kecamatan(k) for k in kec})
    agencies = table(html, "t-agency")
    received = {k: v[0] for k, v in agencies.items()}
    assert_complementary(total, received, {k: count_agency(k) for k in received})
    months = {k: v[0] for k, v in table(html, "t-month").items()}
    numbers = {"April 2026": 4, "May 2026": 5, "June 2026": 6}
    assert_complementary(
        total, months, {k: count_month(numbers[k]) if k in numbers else 0 for k in months}
    )
    # Answers: the page gives the answers due (9) and the late ones (Dinkes's 4th): 8 answers.
    assert "Of 9 answers due, 8 came on time; 1 reports are still waiting" in html
    answers = {k: v[1] for k, v in agencies.items()}
    true_answers = {town["dpupr"]: 4, town["dinkes"]: 3, town["disdik"]: 1}
    assert_complementary(8, answers, true_answers)


def test_r17_r32_shown_numbers_equal_independent_counts(client, town):
    """R17, R32: what is shown is right: each shown cell equals a count made here."""
    html = page(client)
    kec = shown({k: v[0] for k, v in table(html, "t-kecamatan").items()})
    assert kec == {k: count_kecamatan(k) for k in kec} == {PASARWAJO: 5}
    received = shown({k: v[0] for k, v in table(html, "t-agency").items()})
    assert received == {k: count_agency(k) for k in received} == {town["dpupr"]: 5}
    categories = {k: v[0] for k, v in table(html, "t-category").items()}
    road_top = Category.objects.get(code="K01")
    pu = Complaint.objects.filter(category__parent=road_top).count()
    assert categories == {road_top.name: str(pu), "Other categories": str(10 - pu)}
    assert pu == 5


def test_s1_categories_outside_the_list_are_one_other_row(client, town):
    """S1, R32: a category below the threshold (Pendidikan, 1) and the one hidden with it
    (Kesehatan, 4) are never listed on their own, in the table or the chart; they are in
    "Other categories" together (5), which is the total minus the listed rows anyway."""
    html = page(client)
    part = section(html, "per-category")
    assert "Pendidikan" not in part and "Kesehatan" not in part
    assert "5 · Other categories" in part
    s = compute_public_statistics()
    assert s.per_category == [("Pekerjaan Umum dan Penataan Ruang", 5)] and s.category_rest == 5


def test_s1_charts_draw_hidden_bars_marked_and_without_their_length(client, town):
    """S1: the SVG charts never carry a hidden count: a hidden bar is a 2-pixel stub labelled
    "hidden", a hidden month a 1-pixel column marked "*"; titles and aria-labels have no
    numbers; the longest bar is the longest shown one."""
    html = page(client)
    kec = section(html, "per-kecamatan")
    svg = kec[kec.index("<svg") : kec.index("</svg>")]
    labels = [_text(t) for t in re.findall(r'<text[^>]*class="bar-label">(.*?)</text>', svg, re.S)]
    assert labels == [f"5 · {PASARWAJO}", f"hidden · {KAPONTORI}", f"hidden · {WOLOWA}"]
    widths = re.findall(r'<rect x="0" y="\d+" width="([^"]+)"', svg)
    assert widths == ["100.0%", "2", "2"]
    agency = section(html, "per-agency")
    agency_svg = agency[agency.index("<svg") : agency.index("</svg>")]
    bars = [_text(t) for t in re.findall(r'class="bar-label">(.*?)</text>', agency_svg, re.S)]
    assert bars[0].startswith("5 · ") and len(bars) == 3
    assert all(b.startswith("hidden · ") for b in bars[1:])
    month = section(html, "per-month")
    month_svg = month[month.index("<svg") : month.index("</svg>")]
    values = [_text(v) for v in re.findall(r'class="column-value">(.*?)</text>', month_svg)]
    assert values.count("*") == 2 and "1" not in values and "4" not in values and "5" in values
    assert "* hidden" in month
    for svg_tag in re.findall(r"<svg[^>]*>\s*<title>.*?</title>", html, re.S):
        names = re.findall(r'aria-label="([^"]*)"', svg_tag) + re.findall(r"<title>(.*?)<", svg_tag)
        assert not any(
            re.search(r"\d", n.replace("12 months", "").replace("10 largest", "")) for n in names
        ), names


def test_s1_ratings_and_shares_of_one_or_two_are_hidden(client, town, time_machine):
    """S1: two ratings (5 and 2) are not shown (their average, 3.5, is a rating pair); an
    agency's on-time share over fewer than 3 answers due is hidden with them. The headline
    shares over 9 answers due stay."""
    html = page(client)
    assert headline(html, "Average satisfaction") == HIDDEN
    assert "3.5" not in html and 't-rating"' not in html
    assert "ratings are shown once 3 citizens have rated" in html
    assert headline(html, "Answered within the deadline") == "89%"  # 8 of 9 due
    s = compute_public_statistics()
    assert s.satisfaction_count == 2 and not s.satisfaction_shown
    disdik = next(r for r in s.agencies if r.name == town["disdik"])
    assert disdik.on_time_hidden and disdik.on_time_percent is None


def test_s1_headline_shares_hidden_below_threshold(client, buton, time_machine):
    """S1: with one answer due, the on-time and target shares and the median would be that one
    answer's own: hidden, with the threshold explained."""
    time_machine.move_to(wita(2026, 6, 9, 10), tick=False)
    f.responded("dpupr")
    f.responded("dpupr")
    time_machine.move_to(wita(2026, 6, 10, 10), tick=False)
    html = page(client)
    for term in (
        "Answered within the deadline",
        "Answered within the service target",
        "Median time to answer",
    ):
        assert headline(html, term) == HIDDEN
    assert "answers due" not in html
    assert "shown once 3 answers are due" in html


def test_s1_cells_the_page_does_not_list_are_protected_too(client, town, time_machine):
    """S1: complaints without an area or not passed to an agency are not rows, but total minus
    the rows gives them: they are cells. One such complaint (1) hides the next-smallest shown
    row with it."""
    time_machine.move_to(wita(2026, 6, 11, 10), tick=False)
    f.received()  # no area, not dispatched: total 11
    html = page(client)
    kec = {k: v[0] for k, v in table(html, "t-kecamatan").items()}
    # Pasarwajo 5 and the unlisted 1 + Kapontori 4 + Wolowa 1: already 5 hidden, enough.
    assert kec == {PASARWAJO: "5", KAPONTORI: HIDDEN, WOLOWA: HIDDEN}
    assert count_kecamatan(KAPONTORI) + count_kecamatan(WOLOWA) + 1 == 11 - 5


def test_s1_a_lone_unlisted_cell_hides_a_listed_one(client, buton, time_machine):
    """S1: 5 reports to DPUPR and 1 not dispatched: 6 - 5 would give the 1, so DPUPR is hidden
    too (and so is Pasarwajo against the 1 report without an area)."""
    time_machine.move_to(wita(2026, 6, 9, 10), tick=False)
    wakoko = Region.objects.get(code="74.04.11.1005")
    for _i in range(5):
        f.dispatched("dpupr", region=wakoko)
    f.received()
    html = page(client)
    assert table(html, "t-agency")[f.agency("dpupr").name][0] == HIDDEN
    assert table(html, "t-kecamatan")[PASARWAJO] == [HIDDEN]


def test_s1_page_hides_the_same_cells_as_the_open_data(client, town):
    """S1: the same counts hide the same cells on the page and in /data/statistik.json (same
    order into `protect`), so putting the two together recovers nothing."""
    html = page(client)
    page_hidden = hidden({k: v[0] for k, v in table(html, "t-kecamatan").items()})
    doc = client.get("/data/statistik.json?year=2026").json()
    data_hidden = {r["label"] for r in doc["tables"]["kecamatan"] if r["suppressed"]}
    assert page_hidden == data_hidden == {KAPONTORI, WOLOWA}
    page_agencies = hidden({k: v[0] for k, v in table(html, "t-agency").items()})
    data_agencies = {r["key"] for r in doc["tables"]["agency"] if r["suppressed"]}
    assert {f.agency(c).name for c in data_agencies} == page_agencies


def test_s1_threshold_follows_the_open_data_setting(client, town, settings):
    """S1: ADUAN_OPEN_DATA_MIN_COUNT is the page's threshold too: at 6, Pasarwajo's 5 is
    hidden as well, and the note says "fewer than 6"."""
    settings.ADUAN_OPEN_DATA_MIN_COUNT = 6
    html = page(client)
    kec = {k: v[0] for k, v in table(html, "t-kecamatan").items()}
    assert set(kec.values()) == {HIDDEN}
    assert "fewer than 6 reports" in html


def test_s1_complaints_before_the_12_months_are_a_cell_too(client, town, time_machine):
    """S1: a complaint from before the 12 months shown is total minus the months: with June's 5
    the only shown month, 11 - 5 would be April + May + 1 old one, still a sum, and the old
    one is never a row of its own."""
    time_machine.move_to(wita(2026, 6, 10, 10), tick=False)
    old = f.received()
    Complaint.objects.filter(pk=old.pk).update(received_at=wita(2025, 1, 10, 10))
    html = page(client)
    months = {k: v[0] for k, v in table(html, "t-month").items()}
    assert len(months) == 12 and "January 2025" not in months
    assert months["June 2026"] == "5" and months["April 2026"] == months["May 2026"] == HIDDEN
    assert int(headline(html, "Reports received")) - 5 == 1 + 4 + 1

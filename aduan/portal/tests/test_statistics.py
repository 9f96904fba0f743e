"""The statistics page (/statistik/): numbers checked against a known set of complaints."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.cache import cache

from aduan.accounts.roles import Role
from aduan.agencies.models import Category, Cause, Region
from aduan.complaints.models import Clock, Complaint, Resolution
from aduan.complaints.tests import factories as f
from aduan.complaints.tests.workflow.support import wita
from aduan.complaints.workflow import transitions as t
from aduan.complaints.workflow.actors import Actor
from aduan.portal.selectors import compute_public_statistics, public_statistics

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture(autouse=True)
def _fresh_cache() -> Any:
    cache.clear()
    yield
    cache.clear()


def respond(complaint: Complaint, to: str) -> Complaint:
    return t.complaint_respond(
        complaint=complaint,
        by=f.actor(Role.LIAISON, f.agency(to)),
        text="Sudah ditindaklanjuti.",
        cause=Cause.objects.get(code="sarana_rusak"),
        resolution=Resolution.RESOLVED,
    )


def rate(complaint: Complaint, score: int) -> Complaint:
    return t.complaint_confirm(complaint=complaint, by=Actor.complainant(), satisfaction=score)


@pytest.fixture
def known(buton: Any, time_machine: Any) -> dict[str, Complaint]:
    """Three complaints dispatched Monday 8 June 2026 and answered: A the next day (on time,
    within the target), B on Thursday (on time, target missed), C twelve days later at another
    agency (late). Plus D, confidential, received in May and never dispatched. Rated 5, 4, 1."""
    road, drain, health = (Category.objects.get(code=c) for c in ("K01.01", "K01.02", "K03"))
    wakoko, kapontori = (Region.objects.get(code=c) for c in ("74.04.11.1005", "74.04.22"))

    time_machine.move_to(wita(2026, 5, 20, 10), tick=False)
    d = f.received(private=True, title="Rahasia Kirinlaut", category=drain, region=wakoko)

    time_machine.move_to(wita(2026, 6, 8, 9), tick=False)
    a = f.in_progress("dpupr", category=road, region=wakoko)
    b = f.in_progress("dpupr", category=road, region=wakoko)
    c = f.in_progress("dinkes", category=health, region=kapontori)
    time_machine.move_to(wita(2026, 6, 9, 10), tick=False)
    a = rate(respond(a, "dpupr"), 5)
    time_machine.move_to(wita(2026, 6, 11, 10), tick=False)
    b = rate(respond(b, "dpupr"), 4)
    time_machine.move_to(wita(2026, 6, 20, 10), tick=False)
    c = rate(respond(c, "dinkes"), 1)
    time_machine.move_to(wita(2026, 6, 22, 10), tick=False)
    return {"a": a, "b": b, "c": c, "d": d}


def test_on_time_share_target_share_and_median(known):
    """R29, R12, R33: 2 of 3 answers within the 7-working-day deadline, 1 of 3 within the
    2-working-day target; the median is the middle answer's working days."""
    s = compute_public_statistics()
    assert (s.answered, s.on_time, s.within_target, s.late_open) == (3, 2, 1, 0)
    assert s.on_time_percent == 67 and s.within_target_percent == 33
    used = sorted(
        Clock.objects.filter(kind=Clock.Kind.RESPONSE).values_list("working_days_used", flat=True)
    )
    assert used[0] < used[1] < used[2]  # A, B, C: the median is B's
    assert s.median_working_days == used[1]


def test_counts_per_month_category_agency_and_satisfaction(known, settings):
    """R17, R32, R33: per month (last 12), per category (top level), per agency; satisfaction.
    The confidential complaint counts in the totals. Threshold 1 (nothing hidden): the counting
    itself; hiding small counts (S1) is in test_statistics_suppression.py."""
    settings.ADUAN_OPEN_DATA_MIN_COUNT = 1
    s = compute_public_statistics()
    assert s.total == 4
    assert len(s.per_month) == 12
    assert s.per_month[0] == (dt.date(2025, 7, 1), 0)
    assert s.per_month[-2:] == [(dt.date(2026, 5, 1), 1), (dt.date(2026, 6, 1), 3)]
    assert s.per_category == [("Pekerjaan Umum dan Penataan Ruang", 3), ("Kesehatan", 1)]
    assert s.category_rest == 0 and s.months == s.per_month
    rows = {row.name: row for row in s.per_agency}
    dpupr, dinkes = f.agency("dpupr").name, f.agency("dinkes").name
    assert (rows[dpupr].received, rows[dpupr].answered, rows[dpupr].on_time_percent) == (2, 2, 100)
    assert (rows[dinkes].received, rows[dinkes].answered, rows[dinkes].on_time_percent) == (1, 1, 0)
    assert s.satisfaction_count == 3 and s.satisfaction_average == 3.33
    assert s.satisfaction_distribution == [(1, 1), (2, 0), (3, 0), (4, 1), (5, 1)]


def test_small_area_counts_are_suppressed(known):
    """S1: per kecamatan, fewer than 3 reports is hidden, not a number that could point at a
    person in a small place; and since the total (4) is published, Pasarwajo's 3 is hidden too
    (complementary), or 4 - 3 would give Kapontori's 1."""
    s = compute_public_statistics()
    assert dict(s.per_kecamatan) == {"Pasarwajo": None, "Kapontori": None}


def test_an_unanswered_complaint_past_its_deadline_counts_as_late(known, time_machine):
    """R29, R13: an agency that does not answer is not on time: an open response clock past its
    deadline counts in the denominator."""
    time_machine.move_to(wita(2026, 6, 23, 9), tick=False)
    f.dispatched("dinkes")
    time_machine.move_to(wita(2026, 7, 15, 9), tick=False)
    s = compute_public_statistics()
    assert (s.answered, s.late_open, s.on_time) == (3, 1, 2)
    assert s.on_time_percent == 50
    rows = {row.name: row for row in s.per_agency}
    assert rows[f.agency("dinkes").name].on_time_percent == 0


def test_page_draws_charts_with_data_tables_and_shows_nothing_identifying(client, known):
    """Pasal 9(1)d, R33: server-side SVG charts each followed by a captioned table (the
    accessible alternative); the confidential complaint is counted but not shown."""
    response = client.get("/statistik/", **EN)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('role="img"') == 5 and html.count('<svg class="columns"') == 1
    assert html.count("<caption") == 5
    assert "67%" in html and "3.3 / 5" in html
    assert "hidden</span>" in html and "fewer than 3 reports" in html
    assert "Kirinlaut" not in html and known["d"].tracking_code not in html
    assert "<script" not in html.split("</head>")[1]


def test_statistics_are_cached_for_ten_minutes(known, django_assert_num_queries):
    """The computation runs at most once per 10 minutes (Django cache)."""
    first = public_statistics()
    with django_assert_num_queries(0):
        again = public_statistics()
    assert again.total == first.total == 4
    f.received()
    assert public_statistics().total == 4  # cached
    cache.clear()
    assert public_statistics().total == 5


def test_empty_statistics_render(client, buton):
    """A new deployment with no complaint yet: no division by zero, dashes instead of numbers."""
    response = client.get("/statistik/", **EN)
    assert response.status_code == 200
    assert "No reports yet." in response.content.decode()

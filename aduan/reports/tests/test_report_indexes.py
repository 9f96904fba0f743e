"""The report indexes (complaints 0006-0008; issue 7, speed at 1,000,000 complaints): present on
PostgreSQL with the columns the aggregates read, and the planner can answer the dashboard's
volume query from the index alone. bench/reports.py measures them on a large database."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from aduan.complaints.tests import factories as f
from aduan.core import clock
from aduan.reports import aggregates as agg

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

EXPECTED = {
    "complaint_report_received": ("(received_at) include (lead_agency_id, id, channel",),
    "complaint_report_agency": ("(lead_agency_id, received_at) include (id, channel",),
    "complaint_report_closed": ("(closed_at) include (id, lead_agency_id", "where"),
    "complaint_report_open": ("(response_due_at) where",),
    "complaint_report_comments": ("(rated_at desc, id desc) where",),
    "clock_report_stopped": ("(kind, stop_reason, stopped_at) include (id, agency_id",),
    "event_report_verb": ("(verb, created_at) include (agency_id, complaint_id)",),
    "clock_report_running": ("(kind, due_at) include (id, agency_id, target_at, stopped_at)",),
    "complaint_report_channel": ("(channel, received_at) include (lead_agency_id, id, kind",),
    "complaint_report_category": ("(category_id, received_at) include (lead_agency_id, id",),
    "complaint_report_region": ("(region_id, received_at) include (lead_agency_id, id",),
}


def _definitions() -> dict[str, str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE indexname = ANY(%s)",
            [list(EXPECTED)],
        )
        return {name: " ".join(d.lower().replace('"', "").split()) for name, d in cursor}


def test_report_indexes_exist_with_their_columns() -> None:
    found = _definitions()
    assert set(found) == set(EXPECTED)
    for name, parts in EXPECTED.items():
        for part in parts:
            assert part in found[name], (name, found[name])


def test_volume_query_can_be_answered_from_the_index_alone(ref) -> None:  # type: ignore[no-untyped-def]
    """The columns a volume/funnel query reads are all in complaint_report_received: without
    sequential and bitmap scans, and without the plain received_at index (dropped inside the
    test's transaction, rolled back after), the plan is an index-only scan of it."""
    f.submit(title="Jalan rusak")
    today = clock.local_date()
    with CaptureQueriesContext(connection) as captured:
        agg.volume_by("channel", today - dt.timedelta(days=1), today + dt.timedelta(days=1))
        agg.status_funnel(today - dt.timedelta(days=1), today + dt.timedelta(days=1))
    queries = [
        q["sql"] for q in captured.captured_queries if "GROUP BY" in q["sql"] or "COUNT" in q["sql"]
    ]
    assert queries
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("DROP INDEX complaint_received")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        for sql in queries:
            cursor.execute(f"EXPLAIN {sql}")
            plan = "\n".join(row[0] for row in cursor.fetchall())
            assert "Index Only Scan using complaint_report_received" in plan, plan


@pytest.mark.parametrize(
    ("filters", "index"),
    [
        ({"channel": "sms"}, "complaint_report_channel"),
        ({"category": "K03"}, "complaint_report_category"),
        ({"kecamatan": "74.04.22"}, "complaint_report_region"),
    ],
)
def test_a_filtered_breakdown_reads_its_own_slice(buton, filters, index) -> None:  # type: ignore[no-untyped-def]
    """Complaints 0008: the dashboard filtered by channel, category (the node and what is under
    it) or area (the kecamatan and its desa) is an index-only scan of the index led by that
    column, with no join to the category or region tables."""
    from aduan.agencies.models import Category, Region

    f.submit(title="Jalan rusak")
    if "category" in filters:
        filters = {"category": Category.objects.get(code=filters["category"])}
    if "kecamatan" in filters:
        filters = {"kecamatan": Region.objects.get(code=filters["kecamatan"])}
    today = clock.local_date()
    with CaptureQueriesContext(connection) as captured:
        agg.status_funnel(today - dt.timedelta(days=365), today, **filters)
    (sql,) = [q["sql"] for q in captured.captured_queries if "COUNT" in q["sql"]]
    assert "agencies_category" not in sql and "agencies_region" not in sql, sql
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        # On a table this small any index looks as good as another: without the others
        # (dropped in the test's transaction, rolled back after) the plan shows that this one
        # answers the query from the index alone, its lead column in the index condition.
        # On a million complaints the planner picks it by itself (bench/README.md).
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'complaints_complaint'"
            " AND indexdef LIKE '%%received_at%%' AND indexname <> %s",
            [index],
        )
        for (name,) in cursor.fetchall():
            cursor.execute(f'DROP INDEX "{name}"')
        cursor.execute(f"EXPLAIN {sql}")
        plan = "\n".join(row[0] for row in cursor.fetchall())
        lead = {"complaint_report_channel": "channel"}.get(index, index.split("_")[-1] + "_id")
        assert f"Index Only Scan using {index}" in plan, plan
        assert f"Index Cond: (({lead} = " in plan, plan

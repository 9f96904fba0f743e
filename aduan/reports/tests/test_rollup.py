"""The daily rollup (issue 7; aduan/reports/rollup.py; PostgreSQL only): every figure it gives
equals the live count from the complaints, clocks and events, for periods aligned to months or
not, after changes of every kind, and with a writer committing around a refresh (S16/S17: no
change is lost between the log and the recount)."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection, connections

from aduan.accounts.roles import Role
from aduan.agencies.models import Agency, Category, Cause
from aduan.complaints.models import Complaint
from aduan.complaints.tests import factories as f
from aduan.complaints.workflow import transitions as t
from aduan.complaints.workflow.actors import Actor
from aduan.reports import aggregates as agg
from aduan.reports import rollup
from aduan.reports.indicators import indicator_values
from aduan.reports.models import Indicator

from . import k2_support as k2
from .test_indicators import _respond, build_june

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

NOW = dt.datetime(2026, 8, 3, 10, tzinfo=k2.WITA)
PERIODS = [
    (dt.date(2026, 5, 1), dt.date(2026, 5, 31)),  # a month
    (dt.date(2026, 5, 1), dt.date(2026, 7, 31)),  # a quarter
    (dt.date(2026, 5, 13), dt.date(2026, 6, 17)),  # not aligned to months
    (dt.date(2026, 6, 1), dt.date(2026, 6, 30)),
    (dt.date(2026, 6, 9), dt.date(2026, 6, 9)),  # one day
    (dt.date(2025, 1, 1), dt.date(2025, 12, 31)),  # nothing in it
]


@pytest.fixture(autouse=True)
def _on_postgres() -> None:
    assert connection.vendor == "postgresql", "the rollup is PostgreSQL only"


def assert_same(start: dt.date, end: dt.date) -> None:
    """The rollup and the live count agree on every figure of the period."""
    for granularity in agg.GRANULARITIES:
        live = agg.breakdown(start, end, granularity=granularity)
        summed = agg.breakdown(start, end, granularity=granularity, rollup=True)
        assert summed == live, (start, end, granularity)
        assert agg.volume_by("period", start, end, granularity=granularity, rollup=True) == (
            agg.volume_by("period", start, end, granularity=granularity)
        )
    assert agg.status_funnel(start, end, rollup=True) == agg.status_funnel(start, end)
    agencies = list(Agency.objects.all())
    assert indicator_values(start, end, agencies=agencies, rollup=True) == indicator_values(
        start, end, agencies=agencies
    ), (start, end)
    for agency in agencies:
        assert indicator_values(start, end, agency=agency, rollup=True) == indicator_values(
            start, end, agency=agency
        ), (start, end, agency.code)


def refresh() -> rollup.Refreshed:
    done = rollup.rollup_refresh()
    assert rollup.pending() == 0
    return done


def test_r17_the_rollup_equals_the_live_counts_for_every_period(ref, time_machine) -> None:
    """R17, Pasal 12, 13: volumes, funnel, causes, ratings and every indicator of a period are
    the same summed from the rollup as counted live."""
    k2.generate(time_machine, n=60, seed=11)
    build_june(time_machine)
    time_machine.move_to(NOW, tick=False)
    done = refresh()
    assert done.logged > 0 and set(done.days) == set(rollup.SOURCES)
    # the sections are not empty: the equality below compares real figures
    live = agg.breakdown(dt.date(2026, 5, 1), dt.date(2026, 7, 31))
    assert live.funnel.received > 60 and live.causes is not None
    june = indicator_values(dt.date(2026, 6, 1), dt.date(2026, 6, 30))[None]
    assert all(june[i] is not None for i in (Indicator.RETURNED, Indicator.P90_DAYS))
    for start, end in PERIODS:
        assert_same(start, end)


def test_changes_are_logged_and_recounted_by_the_next_refresh(ref, time_machine) -> None:
    """Every kind of change reaches the rollup: new complaints, transitions, a return and a
    re-dispatch, ratings, a category set, a complaint received on another day; until the
    refresh the rollup is stale and the log holds the change."""
    out = build_june(time_machine)
    time_machine.move_to(NOW, tick=False)
    refresh()
    june = (dt.date(2026, 6, 1), dt.date(2026, 6, 30))
    before = agg.status_funnel(*june, rollup=True)

    # a new complaint received in June, dispatched, returned, re-dispatched and answered
    time_machine.move_to(dt.datetime(2026, 6, 23, 9, tzinfo=k2.WITA), tick=False)
    c = f.submit(title="late")
    c = t.complaint_dispatch(complaint=c, by=f.actor(Role.ADMIN), agency=f.agency("dinkes"))
    time_machine.move_to(dt.datetime(2026, 6, 24, 9, tzinfo=k2.WITA), tick=False)
    c = t.complaint_return(
        complaint=c,
        by=f.actor(Role.LIAISON, f.agency("dinkes")),
        reason="Bukan kewenangan kami.",
        suggested_agency=f.agency("dpupr"),
    )
    c = t.complaint_redispatch(complaint=c, by=f.actor(Role.ADMIN), agency=f.agency("dpupr"))
    time_machine.move_to(dt.datetime(2026, 6, 25, 9, tzinfo=k2.WITA), tick=False)
    t.complaint_acknowledge(complaint=c, by=f.actor(Role.LIAISON, f.agency("dpupr")))
    # E (running, dinkes) is answered in July; C (answered) is closed with a rating
    time_machine.move_to(dt.datetime(2026, 7, 2, 9, tzinfo=k2.WITA), tick=False)
    e = t.complaint_acknowledge(complaint=out["E"], by=f.actor(Role.LIAISON, f.agency("dinkes")))
    _respond(e, "dinkes")
    t.complaint_confirm(complaint=out["C"], by=Actor.complainant(), satisfaction=3)
    # a category and a cause set on an old complaint (no transition)
    a = Complaint.objects.get(pk=out["A"].pk)
    a.category = Category.objects.create(code="RLP", name="Kategori Uji")
    a.cause = Cause.objects.first()
    a.save()
    assert a.cause is not None
    time_machine.move_to(NOW, tick=False)

    assert rollup.pending() > 0
    assert agg.status_funnel(*june, rollup=True) == before  # stale until refreshed
    assert agg.status_funnel(*june) != before
    done = refresh()
    assert done.days[rollup.COMPLAINT] >= 1 and done.days[rollup.DISPATCH] >= 1
    for start, end in [june, (dt.date(2026, 6, 1), dt.date(2026, 7, 31)), PERIODS[2]]:
        assert_same(start, end)


def test_a_return_recounts_the_dispatches_it_returns(ref, time_machine) -> None:
    """The share returned (Pasal 7(5)a): a return logged in July changes the June dispatch it
    returns; the refresh recounts June's dispatch day from the log."""
    time_machine.move_to(dt.datetime(2026, 6, 29, 9, tzinfo=k2.WITA), tick=False)
    c = t.complaint_dispatch(
        complaint=f.submit(title="x"), by=f.actor(Role.ADMIN), agency=f.agency("dpupr")
    )
    refresh()
    june = (dt.date(2026, 6, 1), dt.date(2026, 6, 30))
    dpupr = f.agency("dpupr")
    assert indicator_values(*june, agency=dpupr, rollup=True)[dpupr.pk][Indicator.RETURNED] == 0
    time_machine.move_to(dt.datetime(2026, 7, 1, 9, tzinfo=k2.WITA), tick=False)
    t.complaint_return(
        complaint=c,
        by=f.actor(Role.LIAISON, dpupr),
        reason="Bukan kewenangan kami.",
        suggested_agency=f.agency("dinkes"),
    )
    done = refresh()
    # June 29's dispatch day (the return is on July 1), besides the complaint's and clock's
    assert done.days[rollup.DISPATCH] == 1
    assert indicator_values(*june, agency=dpupr, rollup=True)[dpupr.pk][Indicator.RETURNED] == 100
    assert_same(*june)


def test_rebuild_recounts_everything_from_scratch(ref, time_machine) -> None:
    """`manage.py reports_rollup --rebuild` (and the migration's first count) recount every
    day that has anything, to the same figures."""
    k2.generate(time_machine, n=25, seed=3)
    time_machine.move_to(NOW, tick=False)
    refresh()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM reports_rollup_complaint WHERE day < '2026-06-01'")
        cursor.execute("UPDATE reports_rollup_clock SET n = n + 1")
    assert agg.status_funnel(dt.date(2026, 5, 1), dt.date(2026, 7, 31), rollup=True) != (
        agg.status_funnel(dt.date(2026, 5, 1), dt.date(2026, 7, 31))
    )
    done = rollup.rollup_rebuild()
    assert done.days[rollup.COMPLAINT] >= 20
    for start, end in PERIODS:
        assert_same(start, end)


def test_the_dashboard_refreshes_before_it_reads(ref, time_machine, client) -> None:
    """A change made a moment ago is in the dashboard at once, though the worker's minute
    refresh has not run (the dashboard recounts the logged days first)."""
    from aduan.backoffice.tests.support import signed_in

    k2.generate(time_machine, n=12, seed=5)
    time_machine.move_to(NOW, tick=False)
    refresh()
    time_machine.move_to(dt.datetime(2026, 7, 30, 9, tzinfo=k2.WITA), tick=False)
    f.submit(title="just now")
    assert rollup.pending() > 0
    time_machine.move_to(NOW, tick=False)
    signed_in(client, f.staff(Role.REGENT))
    response = client.get(
        "/kantor/laporan/", {"period": "custom", "start": "2026-05-01", "end": "2026-07-31"}
    )
    assert response.status_code == 200
    assert rollup.pending() == 0
    received = Complaint.objects.filter(
        received_at__gte=dt.datetime(2026, 5, 1, tzinfo=k2.WITA),
        received_at__lt=dt.datetime(2026, 8, 1, tzinfo=k2.WITA),
    ).count()
    assert agg.status_funnel(dt.date(2026, 5, 1), dt.date(2026, 7, 31), rollup=True).received == (
        received
    )


@pytest.mark.django_db(transaction=True)
def test_s17_a_change_committed_during_a_refresh_is_not_lost(ref, time_machine) -> None:
    """S17: a writer whose transaction is open while the refresh runs commits after it; its
    logged change is left for the next refresh (which then counts it) — never taken by a
    refresh that could not see it."""
    time_machine.move_to(dt.datetime(2026, 6, 10, 9, tzinfo=k2.WITA), tick=False)
    f.submit(title="before")
    refresh()
    june = (dt.date(2026, 6, 1), dt.date(2026, 6, 30))
    assert agg.status_funnel(*june, rollup=True).received == 1

    written = threading.Event()
    release = threading.Event()
    failure: list[BaseException] = []

    def writer() -> None:
        from django.db import transaction

        try:
            with transaction.atomic():
                f.submit(title="during")  # logs June 10 in this open transaction
                written.set()
                release.wait(10)
        except BaseException as exc:
            failure.append(exc)
        finally:
            connections.close_all()

    thread = threading.Thread(target=writer)
    thread.start()
    assert written.wait(10)
    done = rollup.rollup_refresh()  # cannot see the writer's log row nor its complaint
    assert done.logged == 0
    release.set()
    thread.join(10)
    assert not failure, failure
    assert agg.status_funnel(*june, rollup=True).received == 1  # not yet counted
    assert rollup.pending() >= 1  # the writer's row, committed after the refresh began
    refresh()
    assert agg.status_funnel(*june, rollup=True).received == 2
    assert_same(*june)


def test_a_truncated_source_clears_the_rollup(ref, time_machine) -> None:
    """TRUNCATE fires no row trigger: a flushed database (between transactional tests, a
    restore) clears the rollup and its log instead of keeping counts of rows that are gone."""
    k2.generate(time_machine, n=8, seed=2)
    time_machine.move_to(NOW, tick=False)
    refresh()
    f.submit(title="logged, not yet refreshed")
    assert rollup.pending() > 0
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the deferred checks first
        cursor.execute("TRUNCATE complaints_complaint CASCADE")
        for table in rollup.ROLLUP_TABLES:
            cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 - our own names
            assert cursor.fetchone()[0] == 0, table
    assert rollup.pending() == 0
    assert agg.status_funnel(dt.date(2026, 5, 1), dt.date(2026, 7, 31), rollup=True).received == 0


def test_a_bulk_load_or_a_running_refresh_makes_the_dashboard_count_live(
    ref, time_machine, settings
) -> None:
    """More logged changes than ADUAN_REPORT_ROLLUP_MAX_PENDING (a bulk load), or a refresh
    running in another connection: the dashboard does not wait for it and counts live — never
    a stale figure."""
    k2.generate(time_machine, n=6, seed=4)
    time_machine.move_to(NOW, tick=False)
    settings.ADUAN_REPORT_ROLLUP_MAX_PENDING = 3
    assert rollup.pending() > 3
    assert rollup.refresh_for_reading() is False
    assert rollup.pending() > 3  # left for the worker
    settings.ADUAN_REPORT_ROLLUP_MAX_PENDING = 100_000
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", [rollup.LOCK_KEY])
        assert rollup.refresh_for_reading() is False  # another refresh holds the lock
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [rollup.LOCK_KEY])
    finally:
        other.close()
    assert rollup.refresh_for_reading() is True
    assert rollup.pending() == 0
    assert_same(dt.date(2026, 5, 1), dt.date(2026, 7, 31))

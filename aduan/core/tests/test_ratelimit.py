"""The rate limiter behind submission, tracking and token requests (S7)."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection

from aduan.core import ratelimit
from aduan.core.models import RateCounter
from aduan.core.ratelimit import Limit

LIMIT = Limit("test", count=3, seconds=60)


@pytest.mark.django_db
def test_s7_allows_up_to_the_limit_then_refuses_with_retry_after(time_machine):
    time_machine.move_to(dt.datetime(2026, 6, 9, 10, 0, 10, tzinfo=dt.UTC), tick=False)
    verdicts = [ratelimit.hit(LIMIT, "10.0.0.1") for _ in range(4)]
    assert [v.allowed for v in verdicts] == [True, True, True, False]
    assert verdicts[-1].retry_after == 50
    assert ratelimit.hit(LIMIT, "10.0.0.2").allowed, "another key has its own count"


@pytest.mark.django_db
def test_s7_a_new_window_starts_afresh_and_old_counters_are_purged(time_machine):
    time_machine.move_to(dt.datetime(2026, 6, 9, 10, 0, 0, tzinfo=dt.UTC), tick=False)
    for _ in range(4):
        ratelimit.hit(LIMIT, "k")
    time_machine.move_to(dt.datetime(2026, 6, 9, 10, 1, 5, tzinfo=dt.UTC), tick=False)
    assert ratelimit.hit(LIMIT, "k").allowed
    assert ratelimit.purge_expired() == 1
    assert RateCounter.objects.count() == 1


@pytest.mark.django_db
def test_s7_keys_are_stored_hashed_never_in_clear():
    ratelimit.hit(LIMIT, "+6281234567890")
    assert "6281234567890" not in RateCounter.objects.get().key


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_s7_the_limit_holds_under_parallel_hits():
    """Twenty requests at once on PostgreSQL: exactly `count` of them pass."""
    limit = Limit("parallel", count=5, seconds=3600)
    results: list[bool] = []
    barrier = threading.Barrier(20)

    def worker() -> None:
        barrier.wait()
        try:
            results.append(ratelimit.hit(limit, "same-ip").allowed)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [False] * 15 + [True] * 5

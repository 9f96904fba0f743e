"""S15 outage drill: the database goes away under a running app, comes back, and is black-holed.

The app runs as in production (gunicorn, persistent connections with CONN_HEALTH_CHECKS, the
timeouts from config/settings/database.py) in subprocesses. The outage is staged on a PRIVATE
PostgreSQL cluster (port 5433) — the shared cluster on 5432 is never stopped.
Phase timings are printed (pytest -s, or in the report of a failure).
"""

from __future__ import annotations

import time

import pytest

from . import drill_support as d

pytestmark = [pytest.mark.drill, pytest.mark.postgres, pytest.mark.xdist_group("pg-drill")]

DRILL_DB = "aduan_drill"
READY_WITHIN = 8  # seconds: an unreachable (refusing) database must be reported quickly
BLACK_HOLE_WITHIN = 15  # seconds: connect_timeout (5 s) plus a margin


def _assert_503(answer: d.Answer, *, within: float) -> None:
    assert answer.status == 503, (answer.status, answer.body[:500])
    assert answer.headers.get("Retry-After", "").isdigit(), answer.headers
    assert answer.seconds < within, answer.seconds


@pytest.fixture(scope="module")
def drill_db():  # type: ignore[no-untyped-def]
    with d.drill_postgres(DRILL_DB) as url:
        yield url


def test_s15_database_outage_drill(drill_db, tmp_path):
    """S15: database stopped → /readyz and pages answer 503 with Retry-After (not 500, no hang);
    database back → 200 again with no restart (CONN_HEALTH_CHECKS)."""
    timings: dict[str, float] = {}
    env = d.app_env(
        DJANGO_SETTINGS_MODULE="config.settings.base",
        DATABASE_URL=drill_db,
        ADUAN_VAR_DIR=str(tmp_path / "var"),
    )
    started = time.monotonic()
    d.manage("migrate", "--noinput", env=env)
    timings["migrate"] = time.monotonic() - started

    port = d.free_port()
    base = f"http://127.0.0.1:{port}"
    with d.running(d.gunicorn(port), env=env, log=tmp_path / "gunicorn.log") as app:
        d.wait_for_http(f"{base}/healthz", app)

        # 1. Up: ready, and the home page works. Several requests so that both workers hold a
        # persistent connection (CONN_MAX_AGE) when the database goes away.
        for _ in range(6):
            ready = d.get(f"{base}/readyz", accept="application/json")
            assert ready.status == 200, ready.body
        home = d.get(f"{base}/")
        assert home.status == 200, home.body[:500]

        # 2. Down.
        timings["pg stop"] = d.drill_cluster_ctl("stop")
        for _ in range(4):
            ready = d.get(f"{base}/readyz", accept="application/json")
            _assert_503(ready, within=READY_WITHIN)
            assert '"database": "unavailable"' in ready.body
            timings["readyz while down"] = max(timings.get("readyz while down", 0), ready.seconds)
        page = d.get(f"{base}/")
        _assert_503(page, within=READY_WITHIN)
        timings["home while down"] = page.seconds
        assert app.alive(), app.output()[-2000:]

        # 3. Back: no restart of the app, the next requests succeed.
        timings["pg start"] = d.drill_cluster_ctl("start")
        d.drill_connect(DRILL_DB).close()
        for _ in range(6):
            ready = d.get(f"{base}/readyz", accept="application/json")
            assert ready.status == 200, ready.body
        assert d.get(f"{base}/").status == 200

        # 4. A quick restart while the workers hold live connections: the stale connections are
        # noticed by the health check, not handed to a view.
        d.drill_cluster_ctl("stop")
        d.drill_cluster_ctl("start")
        d.drill_connect(DRILL_DB).close()
        statuses = [d.get(f"{base}/readyz", accept="application/json").status for _ in range(6)]
        statuses.append(d.get(f"{base}/").status)
        assert statuses == [200] * 7, statuses

        assert "Internal Server Error" not in app.output()
    print("\ndatabase outage drill timings (s):", {k: round(v, 2) for k, v in timings.items()})


def test_s15_black_holed_database_answers_503_within_connect_timeout(tmp_path):
    """S15: a database that accepts TCP and never answers must not hang a worker: the request
    answers 503 within connect_timeout (5 s) plus a margin — proof that connect_timeout is set."""
    with d.black_hole() as hole_port:
        env = d.app_env(
            DJANGO_SETTINGS_MODULE="config.settings.base",
            DATABASE_URL=f"postgres://postgres@127.0.0.1:{hole_port}/aduan",
            ADUAN_VAR_DIR=str(tmp_path / "var"),
        )
        port = d.free_port()
        base = f"http://127.0.0.1:{port}"
        with d.running(d.gunicorn(port), env=env, log=tmp_path / "gunicorn.log") as app:
            d.wait_for_http(f"{base}/healthz", app)
            ready = d.get(f"{base}/readyz", accept="application/json", timeout=60)
            _assert_503(ready, within=BLACK_HOLE_WITHIN)
            assert '"database": "unavailable"' in ready.body
            page = d.get(f"{base}/", timeout=60)
            _assert_503(page, within=BLACK_HOLE_WITHIN)
            assert app.alive()
    print(f"\nblack-holed database: /readyz {ready.seconds:.2f} s, / {page.seconds:.2f} s → 503")

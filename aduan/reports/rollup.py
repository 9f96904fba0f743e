"""The daily rollup behind the dashboards' long periods (issue 7; PostgreSQL only; ADR 0016).

At a million complaints a year, every figure of a quarter or a year read from the complaints,
clocks and events themselves costs a scan of hundreds of thousands of index entries (3.5 s for
the regent's year; bench/README.md). The rollup keeps, per local calendar day, the counts those
figures are sums of — a few hundred rows a day instead of thousands of complaints:

- `reports_rollup_complaint`: the complaints *received* that day, counted per value of each
  dimension separately (channel, kind, (status, rating), category as set, cause, region, lead
  agency), with how many were ever dispatched and ever answered: `aggregates.breakdown` and
  `status_funnel` for all agencies without other filters.
- `reports_rollup_clock`: the clocks *stopped* that day per (kind, stop reason, agency,
  working days used, target met, deadline met): the timeliness indicators and percentiles.
- `reports_rollup_closed`: the complaints *closed* that day per (lead agency, without a
  follow-up, rating): closed without follow-up, satisfaction.
- `reports_rollup_dispatch`: the dispatch events of that day per (agency, the day of the same
  agency's previous dispatch of the same complaint, returned by that agency at or after it):
  the share returned for wrong dispatch, exactly as `indicators._returned_counts` counts it.

**Kept exact by a change log, not by a schedule.** Triggers on the complaints, clocks and events
append the moments whose day changed (the old and the new received/closed/stopped time; for a
return, the agency's dispatches of that complaint) to `reports_rollup_dirty`, in the writer's
own transaction: no lock is shared between writers, a rolled-back change logs nothing.
`rollup_refresh` takes the logged rows it can see (committed ones), deletes them and recounts
those days from the source tables in the same transaction — the recount's snapshot includes every
transaction whose log rows it took, and a row committed later stays for the next refresh. The
dashboard refreshes before it reads (usually nothing to do, or today's day: milliseconds), the
worker every minute. Days are local days in `TIME_ZONE`; after changing it, `manage.py
reports_rollup --rebuild`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection, transaction

# Our own table names, verbs and states below; every date and zone goes as a query parameter.
COMPLAINT, CLOSED, CLOCK, DISPATCH = 1, 2, 3, 4
SOURCES = (COMPLAINT, CLOSED, CLOCK, DISPATCH)
ROLLUP_TABLES = (
    "reports_rollup_complaint",
    "reports_rollup_clock",
    "reports_rollup_closed",
    "reports_rollup_dispatch",
)
LOCK_KEY = 7_120_412  # pg_advisory_xact_lock: one refresh at a time
DISPATCH_VERBS = ("dispatch", "redispatch")
RETURN_VERB = "return"

TABLES_SQL = """
CREATE TABLE IF NOT EXISTS reports_rollup_dirty (
    id bigserial PRIMARY KEY,
    source smallint NOT NULL,
    at timestamptz NOT NULL
);
CREATE TABLE IF NOT EXISTS reports_rollup_complaint (
    day date NOT NULL,
    dim varchar(10) NOT NULL,
    key_text varchar(32),
    key_int integer,
    n integer NOT NULL,
    dispatched integer NOT NULL,
    responded integer NOT NULL
);
CREATE INDEX IF NOT EXISTS reports_rollup_complaint_day ON reports_rollup_complaint (day);
CREATE TABLE IF NOT EXISTS reports_rollup_clock (
    day date NOT NULL,
    kind varchar(10) NOT NULL,
    stop_reason varchar(15) NOT NULL,
    agency_id integer,
    working_days_used smallint,
    target_met boolean,
    deadline_met boolean,
    n integer NOT NULL
);
CREATE INDEX IF NOT EXISTS reports_rollup_clock_day ON reports_rollup_clock (day);
CREATE TABLE IF NOT EXISTS reports_rollup_closed (
    day date NOT NULL,
    agency_id integer,
    no_follow_up boolean NOT NULL,
    satisfaction smallint,
    n integer NOT NULL
);
CREATE INDEX IF NOT EXISTS reports_rollup_closed_day ON reports_rollup_closed (day);
CREATE TABLE IF NOT EXISTS reports_rollup_dispatch (
    day date NOT NULL,
    agency_id integer NOT NULL,
    previous_day date,
    returned boolean NOT NULL,
    n integer NOT NULL
);
CREATE INDEX IF NOT EXISTS reports_rollup_dispatch_day ON reports_rollup_dispatch (day);
"""

# The triggers: AFTER ROW, appending to the log only when a column the rollup counts changed.
TRIGGERS_SQL = """
CREATE OR REPLACE FUNCTION reports_rollup_complaint_log() RETURNS trigger AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        IF TG_OP = 'DELETE' OR ROW(OLD.received_at, OLD.channel, OLD.kind, OLD.status,
                OLD.satisfaction, OLD.category_id, OLD.cause_id, OLD.region_id,
                OLD.lead_agency_id, OLD.first_dispatched_at, OLD.first_responded_at)
            IS DISTINCT FROM ROW(NEW.received_at, NEW.channel, NEW.kind, NEW.status,
                NEW.satisfaction, NEW.category_id, NEW.cause_id, NEW.region_id,
                NEW.lead_agency_id, NEW.first_dispatched_at, NEW.first_responded_at) THEN
            INSERT INTO reports_rollup_dirty (source, at) VALUES (1, OLD.received_at);
        END IF;
        IF OLD.closed_at IS NOT NULL AND (TG_OP = 'DELETE' OR ROW(OLD.status, OLD.closed_at,
                OLD.lead_agency_id, OLD.follow_up_count, OLD.satisfaction)
            IS DISTINCT FROM ROW(NEW.status, NEW.closed_at, NEW.lead_agency_id,
                NEW.follow_up_count, NEW.satisfaction)) THEN
            INSERT INTO reports_rollup_dirty (source, at) VALUES (2, OLD.closed_at);
        END IF;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        IF TG_OP = 'INSERT' OR NEW.received_at IS DISTINCT FROM OLD.received_at THEN
            INSERT INTO reports_rollup_dirty (source, at) VALUES (1, NEW.received_at);
        END IF;
        IF NEW.closed_at IS NOT NULL AND (TG_OP = 'INSERT'
                OR NEW.closed_at IS DISTINCT FROM OLD.closed_at) THEN
            INSERT INTO reports_rollup_dirty (source, at) VALUES (2, NEW.closed_at);
        END IF;
    END IF;
    RETURN NULL;
END $$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION reports_rollup_clock_log() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND ROW(OLD.kind, OLD.stop_reason, OLD.agency_id, OLD.stopped_at,
            OLD.working_days_used, OLD.target_met, OLD.deadline_met)
        IS NOT DISTINCT FROM ROW(NEW.kind, NEW.stop_reason, NEW.agency_id, NEW.stopped_at,
            NEW.working_days_used, NEW.target_met, NEW.deadline_met) THEN
        RETURN NULL;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.stopped_at IS NOT NULL THEN
        INSERT INTO reports_rollup_dirty (source, at) VALUES (3, OLD.stopped_at);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.stopped_at IS NOT NULL THEN
        INSERT INTO reports_rollup_dirty (source, at) VALUES (3, NEW.stopped_at);
    END IF;
    RETURN NULL;
END $$ LANGUAGE plpgsql;

-- A dispatch changes its own day and the "previous dispatch" of the same agency's later
-- dispatches of the complaint; a return changes the "returned" of that agency's dispatches of
-- the complaint up to it. Events are append-only: deletes come only with their complaint.
CREATE OR REPLACE FUNCTION reports_rollup_event_log() RETURNS trigger AS $$
DECLARE
    e complaints_event%ROWTYPE;
BEGIN
    IF TG_OP = 'DELETE' THEN e := OLD; ELSE e := NEW; END IF;
    IF e.agency_id IS NULL THEN
        RETURN NULL;
    END IF;
    IF e.verb IN ('dispatch', 'redispatch') THEN
        INSERT INTO reports_rollup_dirty (source, at)
        SELECT 4, d.created_at FROM complaints_event d
        WHERE d.complaint_id = e.complaint_id AND d.agency_id = e.agency_id
          AND d.verb IN ('dispatch', 'redispatch') AND d.created_at >= e.created_at
          AND d.id <> e.id;
        INSERT INTO reports_rollup_dirty (source, at) VALUES (4, e.created_at);
    ELSIF e.verb = 'return' THEN
        INSERT INTO reports_rollup_dirty (source, at)
        SELECT 4, d.created_at FROM complaints_event d
        WHERE d.complaint_id = e.complaint_id AND d.agency_id = e.agency_id
          AND d.verb IN ('dispatch', 'redispatch') AND d.created_at <= e.created_at;
    END IF;
    RETURN NULL;
END $$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS reports_rollup_complaint ON complaints_complaint;
CREATE TRIGGER reports_rollup_complaint AFTER INSERT OR UPDATE OR DELETE ON complaints_complaint
    FOR EACH ROW EXECUTE FUNCTION reports_rollup_complaint_log();
DROP TRIGGER IF EXISTS reports_rollup_clock ON complaints_clock;
CREATE TRIGGER reports_rollup_clock AFTER INSERT OR UPDATE OR DELETE ON complaints_clock
    FOR EACH ROW EXECUTE FUNCTION reports_rollup_clock_log();
DROP TRIGGER IF EXISTS reports_rollup_event ON complaints_event;
CREATE TRIGGER reports_rollup_event AFTER INSERT OR DELETE ON complaints_event
    FOR EACH ROW EXECUTE FUNCTION reports_rollup_event_log();
"""

# TRUNCATE fires no row trigger: a truncated source (a test database flushed between tests, a
# restore) clears the rollup and its log instead of leaving counts of rows that are gone.
TRUNCATE_SQL = """
CREATE OR REPLACE FUNCTION reports_rollup_clear() RETURNS trigger AS $$
BEGIN
    DELETE FROM reports_rollup_dirty;
    DELETE FROM reports_rollup_complaint;
    DELETE FROM reports_rollup_clock;
    DELETE FROM reports_rollup_closed;
    DELETE FROM reports_rollup_dispatch;
    RETURN NULL;
END $$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS reports_rollup_truncate ON complaints_complaint;
CREATE TRIGGER reports_rollup_truncate AFTER TRUNCATE ON complaints_complaint
    FOR EACH STATEMENT EXECUTE FUNCTION reports_rollup_clear();
DROP TRIGGER IF EXISTS reports_rollup_truncate ON complaints_clock;
CREATE TRIGGER reports_rollup_truncate AFTER TRUNCATE ON complaints_clock
    FOR EACH STATEMENT EXECUTE FUNCTION reports_rollup_clear();
DROP TRIGGER IF EXISTS reports_rollup_truncate ON complaints_event;
CREATE TRIGGER reports_rollup_truncate AFTER TRUNCATE ON complaints_event
    FOR EACH STATEMENT EXECUTE FUNCTION reports_rollup_clear();
"""

TRUNCATE_DROP_SQL = """
DROP TRIGGER IF EXISTS reports_rollup_truncate ON complaints_complaint;
DROP TRIGGER IF EXISTS reports_rollup_truncate ON complaints_clock;
DROP TRIGGER IF EXISTS reports_rollup_truncate ON complaints_event;
DROP FUNCTION IF EXISTS reports_rollup_clear();
"""

DROP_SQL = """
DROP TRIGGER IF EXISTS reports_rollup_complaint ON complaints_complaint;
DROP TRIGGER IF EXISTS reports_rollup_clock ON complaints_clock;
DROP TRIGGER IF EXISTS reports_rollup_event ON complaints_event;
DROP FUNCTION IF EXISTS reports_rollup_complaint_log();
DROP FUNCTION IF EXISTS reports_rollup_clock_log();
DROP FUNCTION IF EXISTS reports_rollup_event_log();
DROP TABLE IF EXISTS reports_rollup_dirty, reports_rollup_complaint, reports_rollup_clock,
    reports_rollup_closed, reports_rollup_dispatch;
"""

# Each day to recount is the local half-open interval [d 00:00, d+1 00:00) in the zone %(zone)s.
RECOUNT_SQL: dict[int, tuple[str, str]] = {
    COMPLAINT: (
        "DELETE FROM reports_rollup_complaint WHERE day = ANY(%(days)s::date[])",
        "INSERT INTO reports_rollup_complaint"
        " (day, dim, key_text, key_int, n, dispatched, responded)"
        " SELECT days.d,"
        " CASE WHEN GROUPING(c.channel) = 0 THEN 'channel' WHEN GROUPING(c.kind) = 0 THEN 'kind'"
        " WHEN GROUPING(c.status) = 0 THEN 'state' WHEN GROUPING(c.category_id) = 0"
        " THEN 'category' WHEN GROUPING(c.cause_id) = 0 THEN 'cause'"
        " WHEN GROUPING(c.region_id) = 0 THEN 'region' ELSE 'agency' END,"
        " COALESCE(c.channel, c.kind, c.status),"
        " COALESCE(c.satisfaction, c.category_id, c.cause_id, c.region_id, c.lead_agency_id),"
        " COUNT(*), COUNT(c.first_dispatched_at), COUNT(c.first_responded_at)"
        " FROM unnest(%(days)s::date[]) AS days (d) JOIN complaints_complaint c"
        " ON c.received_at >= (days.d::timestamp AT TIME ZONE %(zone)s)"
        " AND c.received_at < ((days.d + 1)::timestamp AT TIME ZONE %(zone)s)"
        " GROUP BY days.d, GROUPING SETS ((c.channel), (c.kind), (c.status, c.satisfaction),"
        " (c.category_id), (c.cause_id), (c.region_id), (c.lead_agency_id))",
    ),
    CLOSED: (
        "DELETE FROM reports_rollup_closed WHERE day = ANY(%(days)s::date[])",
        "INSERT INTO reports_rollup_closed"
        " (day, agency_id, no_follow_up, satisfaction, n)"
        " SELECT days.d, c.lead_agency_id, c.follow_up_count = 0, c.satisfaction, COUNT(*)"
        " FROM unnest(%(days)s::date[]) AS days (d) JOIN complaints_complaint c"
        " ON c.status = 'closed' AND c.closed_at >= (days.d::timestamp AT TIME ZONE %(zone)s)"
        " AND c.closed_at < ((days.d + 1)::timestamp AT TIME ZONE %(zone)s)"
        " GROUP BY 1, 2, 3, 4",
    ),
    CLOCK: (
        "DELETE FROM reports_rollup_clock WHERE day = ANY(%(days)s::date[])",
        "INSERT INTO reports_rollup_clock (day, kind, stop_reason, agency_id,"
        " working_days_used, target_met, deadline_met, n)"
        " SELECT days.d, k.kind, k.stop_reason, k.agency_id, k.working_days_used,"
        " k.target_met, k.deadline_met, COUNT(*)"
        " FROM unnest(%(days)s::date[]) AS days (d) JOIN complaints_clock k"
        " ON k.stopped_at >= (days.d::timestamp AT TIME ZONE %(zone)s)"
        " AND k.stopped_at < ((days.d + 1)::timestamp AT TIME ZONE %(zone)s)"
        " GROUP BY 1, 2, 3, 4, 5, 6, 7",
    ),
    # Per dispatch event: the day of the same agency's previous dispatch of the complaint
    # (ties by id), and whether the agency returned the complaint at or after it.
    DISPATCH: (
        "DELETE FROM reports_rollup_dispatch WHERE day = ANY(%(days)s::date[])",
        "INSERT INTO reports_rollup_dispatch (day, agency_id, previous_day, returned, n)"
        " SELECT days.d, e.agency_id,"
        " (prev.at AT TIME ZONE %(zone)s)::date,"
        " EXISTS (SELECT 1 FROM complaints_event r WHERE r.complaint_id = e.complaint_id"
        " AND r.agency_id = e.agency_id AND r.verb = 'return' AND r.created_at >= e.created_at),"
        " COUNT(*)"
        " FROM unnest(%(days)s::date[]) AS days (d) JOIN complaints_event e"
        " ON e.verb IN ('dispatch', 'redispatch') AND e.agency_id IS NOT NULL"
        " AND e.created_at >= (days.d::timestamp AT TIME ZONE %(zone)s)"
        " AND e.created_at < ((days.d + 1)::timestamp AT TIME ZONE %(zone)s)"
        " LEFT JOIN LATERAL (SELECT p.created_at AS at FROM complaints_event p"
        " WHERE p.complaint_id = e.complaint_id AND p.agency_id = e.agency_id"
        " AND p.verb IN ('dispatch', 'redispatch')"
        " AND (p.created_at, p.id) < (e.created_at, e.id)"
        " ORDER BY p.created_at DESC, p.id DESC LIMIT 1) prev ON true"
        " GROUP BY 1, 2, 3, 4",
    ),
}


def available() -> bool:
    """The rollup exists on PostgreSQL and is switched on (`ADUAN_REPORT_ROLLUP`, default on)."""
    return connection.vendor == "postgresql" and bool(
        getattr(settings, "ADUAN_REPORT_ROLLUP", True)
    )


def zone_name() -> str:
    return str(settings.TIME_ZONE)


def install(schema_editor: Any) -> None:
    """Create the tables and triggers (migration reports 0003; PostgreSQL only)."""
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(TABLES_SQL, params=None)
    schema_editor.execute(TRIGGERS_SQL, params=None)


def install_truncate(schema_editor: Any) -> None:
    """The TRUNCATE triggers (migration reports 0005; PostgreSQL only)."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(TRUNCATE_SQL, params=None)


def uninstall_truncate(schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(TRUNCATE_DROP_SQL, params=None)


def uninstall(schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(DROP_SQL, params=None)


def mark_everything() -> int:
    """Log one moment per local day that has any complaint, clock stop, closure or dispatch,
    so that the next refresh recounts every day (first build; after changing TIME_ZONE)."""
    sql = (
        "INSERT INTO reports_rollup_dirty (source, at)"
        " SELECT src, (d::timestamp + interval '12 hours') AT TIME ZONE %(zone)s"
        " FROM (SELECT DISTINCT %(s)s AS src, (t AT TIME ZONE %(zone)s)::date AS d FROM ("
        "{inner}) x) y"
    )
    sources = {
        COMPLAINT: "SELECT received_at AS t FROM complaints_complaint",
        CLOSED: "SELECT closed_at AS t FROM complaints_complaint WHERE closed_at IS NOT NULL",
        CLOCK: "SELECT stopped_at AS t FROM complaints_clock WHERE stopped_at IS NOT NULL",
        DISPATCH: "SELECT created_at AS t FROM complaints_event"
        " WHERE verb IN ('dispatch', 'redispatch')",
    }
    total = 0
    with connection.cursor() as cursor:
        for source, inner in sources.items():
            # {inner} is one of our own constant queries above.
            cursor.execute(sql.format(inner=inner), {"zone": zone_name(), "s": source})
            total += cursor.rowcount
    return total


@dataclass(frozen=True)
class Refreshed:
    logged: int  # log rows taken
    days: dict[int, int]  # source -> days recounted


def rollup_refresh() -> Refreshed:
    """Recount the days logged as changed (see the module docstring). One refresh at a time
    (an advisory lock): a second caller waits, then usually finds nothing to do."""
    done = _refresh(wait=True)
    if done is None:  # pragma: no cover - a waiting lock is always acquired
        raise RuntimeError("the rollup's lock was not acquired")
    return done


def _refresh(*, wait: bool) -> Refreshed | None:
    """`rollup_refresh`; with `wait` False, None at once while another refresh runs."""
    if not available():
        return Refreshed(0, {})
    zone = zone_name()
    with transaction.atomic(), connection.cursor() as cursor:
        if wait:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])
        else:
            cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [LOCK_KEY])
            if not cursor.fetchone()[0]:
                return None
        # The log rows taken, grouped in the database: a bulk load logs millions.
        cursor.execute(
            "WITH taken AS (DELETE FROM reports_rollup_dirty RETURNING source, at)"
            " SELECT source, (at AT TIME ZONE %s)::date, COUNT(*) FROM taken GROUP BY 1, 2",
            [zone],
        )
        taken = 0
        days: dict[int, set[dt.date]] = {}
        for source, day, n in cursor.fetchall():
            days.setdefault(int(source), set()).add(day)
            taken += int(n)
        for source, chosen in sorted(days.items()):
            delete, insert = RECOUNT_SQL[source]
            params: dict[str, Any] = {"days": sorted(chosen), "zone": zone}
            cursor.execute(delete, params)
            cursor.execute(insert, params)
    return Refreshed(taken, {s: len(d) for s, d in days.items()})


def refresh_for_reading() -> bool:
    """Before a dashboard reads the rollup: recount what the log holds, unless that is more
    than `ADUAN_REPORT_ROLLUP_MAX_PENDING` rows (a bulk load: the worker's minute refresh takes
    it) or another refresh is running (it may hold rows this reader would need). False: read
    live this time — slower, never stale."""
    if not available():
        return False
    limit = int(getattr(settings, "ADUAN_REPORT_ROLLUP_MAX_PENDING", 20_000))
    with connection.cursor() as cursor:
        # An estimate is enough to decide; counting a bulk load's log exactly is not cheap.
        cursor.execute(
            "SELECT COUNT(*) FROM (SELECT 1 FROM reports_rollup_dirty LIMIT %s) x", [limit + 1]
        )
        if int(cursor.fetchone()[0]) > limit:
            return False
    return _refresh(wait=False) is not None


def rollup_rebuild() -> Refreshed:
    """Recount every day from the source tables."""
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])
            cursor.execute(
                "TRUNCATE reports_rollup_complaint, reports_rollup_clock,"
                " reports_rollup_closed, reports_rollup_dispatch"
            )
        mark_everything()
        return rollup_refresh()


def pending() -> int:
    """Log rows not yet taken by a refresh."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM reports_rollup_dirty")
        return int(cursor.fetchone()[0])


# --- reads -----------------------------------------------------------------------------------


def fetch(sql: str, params: Sequence[Any] | dict[str, Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())

"""Indexes for the reports (issue 7: dashboards and the written report at 1,000,000 complaints),
on PostgreSQL only.

`aduan/reports/aggregates.py` and `indicators.py` group the complaints of a period (by the day
they were received) by channel, kind, category, area, agency, status, cause and rating, and the
clocks and events of a period by agency. At a million complaints a sequential scan of the wide
complaint rows (title, text, encrypted token...) costs seconds per figure; these indexes carry
the few narrow columns the aggregates read (INCLUDE), so PostgreSQL answers from the index alone
(an index-only scan, once autovacuum has set the visibility map; `id` is included because the
aggregates count it):

- complaint_report_received: the period, all agencies (regent, coordination team);
- complaint_report_agency: the period of one lead agency (a head's or liaison's dashboard);
- complaint_report_closed (partial, status closed): complaints closed in the period, by agency
  (closed without follow-up, satisfaction);
- complaint_report_open (partial): complaints in an agency's hands past their response
  deadline now (overdue), next to the dispatch queue's index for the Dinas's part;
- complaint_report_comments (partial): the latest rated comments of non-private complaints;
- clock_report_stopped: the clocks stopped in the period, by kind and stop reason (dispatched
  on time, answered by target/deadline, median and 90th percentile of working days);
- event_report_verb: the dispatch and return events of the period (share returned).

bench/reports.py measures them (bench/README.md, "Reports"). SQLite (development, small) has the
model's plain indexes and does without these. Like 0004 and 0005, they are not part of the model
state (INCLUDE and partial indexes are PostgreSQL's).
"""

from django.db import migrations

REPORT_COLUMNS = (
    "id, channel, kind, status, category_id, region_id, cause_id, satisfaction, "
    "first_dispatched_at, first_responded_at"
)
INDEXES = {
    "complaint_report_received": (
        "complaints_complaint (received_at) INCLUDE (lead_agency_id, " + REPORT_COLUMNS + ")"
    ),
    "complaint_report_agency": (
        "complaints_complaint (lead_agency_id, received_at) INCLUDE (" + REPORT_COLUMNS + ")"
    ),
    "complaint_report_closed": (
        "complaints_complaint (closed_at)"
        " INCLUDE (id, lead_agency_id, follow_up_count, satisfaction)"
        " WHERE status = 'closed'"
    ),
    "complaint_report_open": (
        "complaints_complaint (response_due_at) WHERE status IN ('dispatched', 'in_progress')"
    ),
    "clock_report_stopped": (
        "complaints_clock (kind, stop_reason, stopped_at)"
        " INCLUDE (id, agency_id, target_met, deadline_met, working_days_used)"
    ),
    "complaint_report_comments": (
        "complaints_complaint (rated_at DESC, id DESC)"
        " WHERE NOT private AND satisfaction IS NOT NULL AND satisfaction_comment <> ''"
    ),
    "event_report_verb": ("complaints_event (verb, created_at) INCLUDE (agency_id, complaint_id)"),
}


def create_indexes(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, definition in INDEXES.items():
        # Our own constants above, never user input.
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {definition}")


def drop_indexes(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("complaints", "0005_staff_search")]

    operations = [migrations.RunPython(create_indexes, drop_indexes, elidable=False)]

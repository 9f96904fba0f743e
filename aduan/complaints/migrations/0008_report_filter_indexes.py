"""Three more report indexes (issue 7), on PostgreSQL only, for the dashboard filtered by channel,
category or area: the same narrow columns as complaint_report_received (0006), led by the
filtered column, so that a filtered period reads only its own slice of the index instead of
every complaint of the period (twelve months at a million complaints, regent, filtered: 1.2 s
to 0.5-0.75 s; bench/README.md). The category and area filters are id lists (the node and what
is under it: `aggregates.filtered`), so they use these indexes without a join. Not part of the
model state, like 0006 and 0007.
"""

from django.db import migrations

COLUMNS = (
    "lead_agency_id, id, channel, kind, status, category_id, region_id, cause_id, satisfaction, "
    "first_dispatched_at, first_responded_at"
)
LEADS = {
    "complaint_report_channel": "channel",
    "complaint_report_category": "category_id",
    "complaint_report_region": "region_id",
}


def _definition(lead: str) -> str:
    included = ", ".join(c for c in COLUMNS.split(", ") if c != lead)
    return f"complaints_complaint ({lead}, received_at) INCLUDE ({included})"


def create_indexes(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, lead in LEADS.items():
        # Our own constants above, never user input.
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {_definition(lead)}")


def drop_indexes(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in LEADS:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("complaints", "0007_report_running_clocks")]

    operations = [migrations.RunPython(create_indexes, drop_indexes, elidable=False)]

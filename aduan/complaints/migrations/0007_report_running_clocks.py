"""One more report index (issue 7), on PostgreSQL only: the running clocks, covering.

`indicators.indicator_values` counts the response clocks still running whose target or deadline
fell in the period (late). Through the unique index of running clocks (0001) that read every
running clock's row from the table (about 30,000 at a million complaints: 140-240 ms cold); this
partial index carries the columns the count reads, so it is an index-only scan (3 ms). Not part
of the model state, like 0006.
"""

from django.db import migrations

INDEX = "clock_report_running"
DEFINITION = (
    "complaints_clock (kind, due_at) INCLUDE (id, agency_id, target_at, stopped_at)"
    " WHERE stopped_at IS NULL"
)


def create_index(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    # Our own constants above, never user input.
    schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {INDEX} ON {DEFINITION}")


def drop_index(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("complaints", "0006_report_indexes")]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]

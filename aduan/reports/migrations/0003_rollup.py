"""The daily rollup (issue 7; `aduan/reports/rollup.py`): tables, the change-log triggers, and a
first count of every day already in the database. PostgreSQL only, not in the model state,
like the report indexes (complaints 0006, 0007)."""

from django.db import migrations


def install(apps, schema_editor) -> None:
    from aduan.reports import rollup

    if schema_editor.connection.vendor != "postgresql":
        return
    rollup.install(schema_editor)
    rollup.mark_everything()
    rollup.rollup_refresh()


def uninstall(apps, schema_editor) -> None:
    from aduan.reports import rollup

    rollup.uninstall(schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0002_issued_report"),
        ("complaints", "0007_report_running_clocks"),
    ]

    operations = [migrations.RunPython(install, uninstall, elidable=False)]

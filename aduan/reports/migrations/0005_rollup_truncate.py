"""The daily rollup (reports 0003) is cleared when its source tables are truncated: TRUNCATE
fires no row trigger, and a flushed test database or a restore must not keep counts of rows
that are gone. PostgreSQL only."""

from django.db import migrations


def install(apps, schema_editor) -> None:
    from aduan.reports import rollup

    rollup.install_truncate(schema_editor)


def uninstall(apps, schema_editor) -> None:
    from aduan.reports import rollup

    rollup.uninstall_truncate(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("reports", "0004_issuedreport_agency")]

    operations = [migrations.RunPython(install, uninstall, elidable=False)]

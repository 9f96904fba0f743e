from django.db import migrations

from aduan.core.append_only import MakeAppendOnly


class Migration(migrations.Migration):
    """S14: the audit log cannot be changed or deleted by the application (database trigger)."""

    dependencies = [("audit", "0001_initial")]
    operations = [MakeAppendOnly(table="audit_auditentry")]

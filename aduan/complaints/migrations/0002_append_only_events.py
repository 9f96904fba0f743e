from django.db import migrations

from aduan.core.append_only import MakeAppendOnly


class Migration(migrations.Migration):
    """R6, S14: a complaint's history (Event) cannot be rewritten (database trigger)."""

    dependencies = [("complaints", "0001_initial")]
    operations = [MakeAppendOnly(table="complaints_event")]

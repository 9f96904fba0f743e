"""Full-text search over the complaint's own title and text for the back-office, PostgreSQL only.

A GIN expression index on to_tsvector(<config>, title || ' ' || body), where <config> is
'indonesian' when the server has that text-search configuration and 'simple' otherwise — the same
choice as 0004 (the portal's `search_config`). The expression is exactly the one Django's
SearchVector("title", "body", config=...) compiles to, so the staff list's search
(aduan/backoffice/filters.py, `search`) uses the index. Only staff search it, after access
control (S3); the public search uses 0004's index on the moderated copy. On SQLite this
migration does nothing (the back-office falls back to icontains there). Like 0004, the index is
not part of the model state.
"""

from django.db import migrations

INDEX = "complaint_staff_search"


def _config(cursor) -> str:
    cursor.execute("SELECT 1 FROM pg_ts_config WHERE cfgname = %s", ["indonesian"])
    return "indonesian" if cursor.fetchone() else "simple"


def create_index(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        config = _config(cursor)
    # config is one of two literals above, never user input.
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON complaints_complaint USING gin "
        f"(to_tsvector('{config}'::regconfig, "
        "COALESCE(title, '') || ' ' || COALESCE(body, '')))"
    )


def drop_index(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("complaints", "0004_public_search")]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]

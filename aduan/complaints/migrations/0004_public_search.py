"""Full-text search over the public (moderated) text of complaints, on PostgreSQL only.

A GIN expression index on to_tsvector(<config>, public_title || ' ' || public_body), where
<config> is 'indonesian' when the server has that text-search configuration (PostgreSQL >= 13
ships it) and 'simple' otherwise. The expression is exactly the one Django's
SearchVector("public_title", "public_body", config=...) compiles to, so the portal's search
(aduan/portal/selectors.py, `search_config`) uses the index. On SQLite this migration does
nothing (the portal falls back to icontains there). The index is not part of the model state:
it is an implementation detail of the search, like the append-only trigger of 0002.
"""

from django.db import migrations

INDEX = "complaint_public_search"


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
        "COALESCE(public_title, '') || ' ' || COALESCE(public_body, '')))"
    )


def drop_index(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("complaints", "0003_portal_publication_uploads")]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]

"""On PostgreSQL, trigram indexes for the public lists' search on unit name and credit code.

The search is Django's ``icontains``, which PostgreSQL receives as
``UPPER("unit_name"::text) LIKE UPPER('%…%')``: the indexes are on that same expression, so
the planner can use them for a fragment anywhere in the name (a plain index on the column
serves only case-sensitive ``LIKE``). SQLite has no pg_trgm and skips this migration.
"""

from django.db import migrations

INDEXES = {
    "listing_unit_name_trgm": "unit_name",
    "listing_credit_code_trgm": "credit_code",
}


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm", params=None)
    for name, column in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON registry_listing "
            f"USING gin ((UPPER({column}::text)) gin_trgm_ops)",
            params=None,
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}", params=None)


class Migration(migrations.Migration):
    dependencies = [("registry", "0002_history_announcements_complaints")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]

"""On PostgreSQL, a trigram index for the organisations' name search.

The search is Django's ``icontains``, which PostgreSQL receives as
``UPPER("name"::text) LIKE UPPER('%…%')``: the index is on that same expression, so the planner
can use it for a fragment anywhere in the name (the btree on ``name`` serves only the order).
The credit code is searched by equality and has its unique index. SQLite has no pg_trgm and
skips this migration (as registry's 0003_listing_search_index does).
"""

from django.db import migrations

INDEXES = {"organisation_name_trgm": "name"}


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm", params=None)
    for name, column in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON directory_organisation "
            f"USING gin ((UPPER({column}::text)) gin_trgm_ops)",
            params=None,
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}", params=None)


class Migration(migrations.Migration):
    dependencies = [("directory", "0002_organisation_counts_and_order")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]

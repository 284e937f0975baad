"""Search indexes that only Postgres has: the full-text GIN index and trigram
indexes for typo-tolerant matching. On SQLite (the embedded default) nothing is
created and search falls back to a simpler match behind the same interface."""

from django.db import migrations

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS catalogue_listing_search_gin "
    "ON catalogue_productlisting USING gin (search_vector)",
    "CREATE INDEX IF NOT EXISTS catalogue_searchword_trgm "
    "ON catalogue_searchword USING gin (word gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS catalogue_listing_title_trgm "
    "ON catalogue_productlisting USING gin (lower(title) gin_trgm_ops)",
]
BACKWARD = [
    "DROP INDEX IF EXISTS catalogue_listing_title_trgm",
    "DROP INDEX IF EXISTS catalogue_searchword_trgm",
    "DROP INDEX IF EXISTS catalogue_listing_search_gin",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0033_product_listing")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]

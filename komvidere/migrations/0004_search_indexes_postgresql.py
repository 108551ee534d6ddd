"""PostgreSQL-only search indexes: GIN on the Danish tsvector, trigram GIN on titles.

On SQLite these steps do nothing (the search falls back to simple matching there).
"""

from django.db import migrations

CREATE = [
    # pg_trgm is a trusted extension: the database owner may create it.
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    # fastupdate off: writes are few, and a long pending list would make every search slower
    # (and steer the planner away from the index) until autovacuum merges it.
    "CREATE INDEX IF NOT EXISTS searchentry_document_gin "
    "ON komvidere_searchentry USING gin (document) WITH (fastupdate = off)",
    "CREATE INDEX IF NOT EXISTS searchentry_title_trgm "
    "ON komvidere_searchentry USING gin (title gin_trgm_ops)",
]
# The reverse keeps pg_trgm: other objects may use it.
DROP = [
    "DROP INDEX IF EXISTS searchentry_title_trgm",
    "DROP INDEX IF EXISTS searchentry_document_gin",
]


def run(statements):
    def operation(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql)

    return operation


class Migration(migrations.Migration):
    dependencies = [("komvidere", "0003_search_entries")]

    operations = [
        migrations.RunPython(run(CREATE), run(DROP)),
    ]

"""Indexes only PostgreSQL can declare, for the migrations.

The lists sort `published_at DESC NULLS LAST` (drafts, which have no publication date, come
last in "my cases"). An index matches that order only when it is declared with the same NULLS
LAST, which SQLite's CREATE INDEX cannot say, so `Meta.indexes` cannot hold it. These indexes
are made on PostgreSQL only; SQLite (the local default, with demo-sized data) goes without.
"""

from django.db import migrations


def postgres_index(name: str, table: str, definition: str) -> migrations.RunPython:
    """A migration operation that creates index `name` on `table` as
    `(definition)`, e.g. `"(published_at DESC NULLS LAST, id DESC) WHERE status = 'published'"`,
    on PostgreSQL, and drops it when the migration is reversed."""

    def create(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} {definition}")

    def drop(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")

    return migrations.RunPython(create, drop, elidable=False)

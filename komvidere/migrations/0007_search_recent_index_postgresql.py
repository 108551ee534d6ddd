"""PostgreSQL: search entries by recency (a broad query is looked for among the most recent
ones, komvidere.search.BROAD_WINDOW). Nothing to do on SQLite."""

from django.db import migrations

CREATE = (
    "CREATE INDEX IF NOT EXISTS searchentry_recent "
    "ON komvidere_searchentry (published_at DESC NULLS LAST, id DESC)"
)
DROP = "DROP INDEX IF EXISTS searchentry_recent"


def run(sql):
    def operation(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return operation


class Migration(migrations.Migration):
    dependencies = [("komvidere", "0006_search_groups_boost_and_sqlite_fts")]

    operations = [migrations.RunPython(run(CREATE), run(DROP))]

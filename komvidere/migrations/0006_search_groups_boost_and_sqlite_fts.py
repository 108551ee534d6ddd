"""Search entries know their result group (a thread and its replies) and their boost; on
SQLite an FTS5 table of stemmed words (and its vocabulary) serves the search.

The FTS5 steps run only on SQLite; the existing entries' stems are written here, with the
Snowball stemmer of the language (the search backend does the same for every later write).
"""

import re

import snowballstemmer
from django.conf import settings
from django.db import migrations, models

CREATE_SQLITE = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS komvidere_searchentry_fts USING fts5("
    "title, tags, summary, body, tokenize = 'unicode61 remove_diacritics 0', prefix = '2 3 4')",
    "CREATE VIRTUAL TABLE IF NOT EXISTS komvidere_searchentry_fts_vocab "
    "USING fts5vocab(komvidere_searchentry_fts, 'row')",
    "CREATE TRIGGER IF NOT EXISTS komvidere_searchentry_fts_delete "
    "AFTER DELETE ON komvidere_searchentry BEGIN "
    "DELETE FROM komvidere_searchentry_fts WHERE rowid = old.id; END",
]
DROP_SQLITE = [
    "DROP TRIGGER IF EXISTS komvidere_searchentry_fts_delete",
    "DROP TABLE IF EXISTS komvidere_searchentry_fts_vocab",
    "DROP TABLE IF EXISTS komvidere_searchentry_fts",
]
WORD_RE = re.compile(r"[^\W_]+")


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for sql in CREATE_SQLITE:
        schema_editor.execute(sql)
    stemmer = snowballstemmer.stemmer(getattr(settings, "SEARCH_LANGUAGE", "danish"))

    def stems(text):
        return " ".join(stemmer.stemWords(WORD_RE.findall((text or "").lower())))

    SearchEntry = apps.get_model("komvidere", "SearchEntry")
    rows = (
        (pk, stems(title), stems(tags), stems(summary), stems(body))
        for pk, title, tags, summary, body in SearchEntry.objects.values_list(
            "pk", "title", "tags", "summary", "body"
        ).iterator(chunk_size=500)
    )
    with schema_editor.connection.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO komvidere_searchentry_fts (rowid, title, tags, summary, body) "
            "VALUES (%s, %s, %s, %s, %s)",
            list(rows),
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for sql in DROP_SQLITE:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("komvidere", "0005_search_kinds_from_registry")]

    operations = [
        migrations.AddField(
            model_name="searchentry",
            name="group_key",
            field=models.CharField(blank=True, max_length=60),
        ),
        migrations.AddField(
            model_name="searchentry",
            name="boost",
            field=models.FloatField(default=1.0),
        ),
        migrations.RunPython(create, drop),
    ]

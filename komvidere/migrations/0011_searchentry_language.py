"""The language of each search entry, for `lang` on the search results (WCAG 3.1.2).

Existing entries take it from the item they index: any indexed model with a `language` field,
found through the entry's content type (the kernel names no content app). Entries of a model
without one keep "" (the page's language), until the next write or `rebuild_search_index`.

On SQLite adding (or removing) a column rebuilds the table, which drops the trigger that keeps
the FTS5 table in step with deleted entries (0006): it is created again after each direction.
"""

from django.db import migrations, models


def fill(apps, schema_editor):
    SearchEntry = apps.get_model("komvidere", "SearchEntry")
    ContentType = apps.get_model("contenttypes", "ContentType")
    for content_type in ContentType.objects.filter(
        pk__in=SearchEntry.objects.values("content_type").distinct()
    ):
        try:
            model = apps.get_model(content_type.app_label, content_type.model)
        except LookupError:
            continue
        if not any(field.name == "language" for field in model._meta.fields):
            continue
        languages = dict(model.objects.values_list("pk", "language").iterator(chunk_size=2000))
        for language in set(languages.values()):
            ids = [pk for pk, value in languages.items() if value == language]
            for start in range(0, len(ids), 2000):
                SearchEntry.objects.filter(
                    content_type=content_type, object_id__in=ids[start : start + 2000]
                ).update(language=language or "")


TRIGGER = (
    "CREATE TRIGGER IF NOT EXISTS komvidere_searchentry_fts_delete "
    "AFTER DELETE ON komvidere_searchentry BEGIN "
    "DELETE FROM komvidere_searchentry_fts WHERE rowid = old.id; END"
)


def restore_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(TRIGGER)


def forwards(apps, schema_editor):
    restore_trigger(apps, schema_editor)
    fill(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("komvidere", "0010_merge_0009_follows_0009_tags_case_insensitive"),
    ]

    operations = [
        # Reversed last: after the column is removed again.
        migrations.RunPython(migrations.RunPython.noop, restore_trigger),
        migrations.AddField(
            model_name="searchentry",
            name="language",
            field=models.CharField(blank=True, default="", max_length=10),
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]

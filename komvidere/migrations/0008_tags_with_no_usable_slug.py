"""Tags whose slug has no letter or digit ("🔥", "!!!", ")" gave "" or "_1") get "tag-<id>",
as new ones do (komvidere.tagging)."""

import re

from django.db import migrations

USABLE = re.compile(r"[^\W_]")


def repair(apps, schema_editor):
    Tag = apps.get_model("taggit", "Tag")
    for tag in Tag.objects.all().only("pk", "slug"):
        if not (tag.slug and USABLE.search(tag.slug)):
            Tag.objects.filter(pk=tag.pk).update(slug=f"tag-{tag.pk}")


class Migration(migrations.Migration):
    dependencies = [
        ("komvidere", "0007_search_recent_index_postgresql"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [migrations.RunPython(repair, migrations.RunPython.noop)]

"""Tags are case-insensitive (TAGGIT_CASE_INSENSITIVE): "DK2020" and "dk2020" become one tag.

For each group of tags whose names differ only in case, the most used spelling (then the
oldest) survives; every item tagged with another spelling is moved to it (an item that carried
both keeps one), and the other spellings are deleted. Merging cannot be undone: the reverse is
a no-op that leaves the merged tags as they are.
"""

from collections import defaultdict

from django.db import migrations


def _through_models(apps):
    """Every model with a foreign key `tag` to taggit's Tag (one per content type)."""
    models = []
    for model in apps.get_models():
        try:
            field = model._meta.get_field("tag")
        except Exception:  # noqa: S112 (models without a tag field)
            continue
        if getattr(field, "related_model", None) is not None and (
            field.related_model._meta.label == "taggit.Tag"
        ):
            models.append(model)
    return models


def merge_case_duplicates(apps, schema_editor):
    Tag = apps.get_model("taggit", "Tag")
    groups = defaultdict(list)
    for tag in Tag.objects.order_by("pk"):
        groups[tag.name.casefold()].append(tag)
    duplicates = [tags for tags in groups.values() if len(tags) > 1]
    if not duplicates:
        return
    throughs = _through_models(apps)
    usage = defaultdict(int)
    for through in throughs:
        for tag_id in through.objects.values_list("tag_id", flat=True):
            usage[tag_id] += 1
    for tags in duplicates:
        survivor = max(tags, key=lambda tag: (usage[tag.pk], -tag.pk))
        losers = [tag.pk for tag in tags if tag.pk != survivor.pk]
        for through in throughs:
            identity = [
                f.attname
                for f in through._meta.concrete_fields
                if f.name not in ("id", "tag") and not f.primary_key
            ]
            have = set(through.objects.filter(tag=survivor).values_list(*identity))
            for row in through.objects.filter(tag_id__in=losers):
                key = tuple(getattr(row, name) for name in identity)
                if key in have:
                    row.delete()
                else:
                    row.tag_id = survivor.pk
                    row.save(update_fields=["tag"])
                    have.add(key)
        Tag.objects.filter(pk__in=losers).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("komvidere", "0008_tags_with_no_usable_slug"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
        # The content types' through models must exist so their rows move with their tags.
        ("cases", "0008_content_language"),
        ("dilemmas", "0006_content_language"),
        ("articles", "0007_content_language"),
    ]

    operations = [migrations.RunPython(merge_case_duplicates, migrations.RunPython.noop)]

"""Copy the old revision log into the history (django-simple-history), newest first: each old
row becomes a historical record of the item as it stood after that change, rebuilt from the
current row by undoing the later changes' previous values. The reverse copies them back."""

from django.core.exceptions import FieldDoesNotExist
from django.db import migrations


def _value(value):
    if hasattr(value, "storage") and hasattr(value, "name"):  # a FieldFile
        return value.name or ""
    return value


def _copy(apps, *, app, model, old_model, fk, previous_of):
    Item = apps.get_model(app, model)
    Old = apps.get_model(app, old_model)
    History = apps.get_model(app, f"Historical{model}")
    tracked = [
        f
        for f in History._meta.concrete_fields
        if not f.name.startswith("history_") and f.name not in ("changed_fields", "previous_values")
    ]
    item_ids = Old.objects.values_list(f"{fk}_id", flat=True).distinct()
    for item in Item.objects.filter(pk__in=item_ids).iterator():
        state = {f.attname: _value(getattr(item, f.attname)) for f in tracked}
        rows = []
        for old in Old.objects.filter(**{fk: item}).order_by("-edited_at", "-pk"):
            previous = previous_of(old)
            changed = list(getattr(old, "changed_fields", None) or []) or sorted(
                name for name, value in previous.items() if state.get(name) != value
            )
            action = getattr(old, "action", "edit") or "edit"
            rows.append(
                History(
                    **state,
                    history_date=old.edited_at,
                    history_user_id=old.editor_id,
                    history_change_reason=action[:100],
                    history_type="+" if action.endswith("create") else "~",
                    changed_fields=changed,
                    previous_values=previous,
                )
            )
            for name, value in previous.items():
                try:
                    field = History._meta.get_field(name)
                except FieldDoesNotExist:
                    continue  # many-to-many values and tags: kept in previous_values only
                if field.attname in state:
                    state[field.attname] = field.to_python(value)
        History.objects.bulk_create(rows)


def _copy_back(apps, *, app, model, old_model, fk, old_fields_of):
    Old = apps.get_model(app, old_model)
    History = apps.get_model(app, f"Historical{model}")
    Item = apps.get_model(app, model)
    existing = set(Item.objects.values_list("pk", flat=True))
    rows = [
        Old(
            **{f"{fk}_id": record.id},
            editor_id=record.history_user_id,
            edited_at=record.history_date,
            **old_fields_of(record),
        )
        for record in History.objects.exclude(history_type="-").iterator()
        if record.id in existing
    ]
    Old.objects.bulk_create(rows)
    History.objects.all().delete()


def forwards(apps, schema_editor):
    # The article log kept which fields changed, not their old values.
    _copy(
        apps,
        app="articles",
        model="Article",
        old_model="ArticleRevision",
        fk="article",
        previous_of=lambda old: {},
    )


def backwards(apps, schema_editor):
    _copy_back(
        apps,
        app="articles",
        model="Article",
        old_model="ArticleRevision",
        fk="article",
        old_fields_of=lambda record: {
            "action": record.history_change_reason or "edit",
            "changed_fields": record.changed_fields,
        },
    )


class Migration(migrations.Migration):
    dependencies = [("articles", "0003_revision_history")]

    operations = [migrations.RunPython(forwards, backwards)]

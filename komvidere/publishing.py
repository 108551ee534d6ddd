"""The publishing toolkit the content services share: slugs, change-tracking updates and the
revision log.

Each content service keeps its own rules (who may do what, which fields exist); what it does
with a row is the same everywhere and lives here, once. The module imports no app.
"""

import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.text import slugify

SLUG_MAX_LENGTH = 200
# Danish letters are spelt out, so slugs stay readable ASCII: "grøn-omstilling" → "groen-...".
_DANISH = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa"})


# --- slugs -------------------------------------------------------------------------------------


def unique_slug(
    model: type[models.Model],
    title: str,
    *,
    fallback: str,
    reserved: Iterable[str] = (),
    exclude_pk: int | None = None,
) -> str:
    """A slug made from `title` that no other row of `model` has and no URL path shadows."""
    base = slugify(title.lower().translate(_DANISH))[:SLUG_MAX_LENGTH].strip("-") or fallback
    reserved = set(reserved)
    existing = model._default_manager.all()
    if exclude_pk:
        existing = existing.exclude(pk=exclude_pk)
    slug, n = base, 2
    while slug in reserved or existing.filter(slug=slug).exists():
        slug = f"{base}-{n}"
        n += 1
    return slug


def save_with_unique_slug(obj: models.Model, *, fallback: str, reserved: Iterable[str] = ()):
    """Insert `obj` with a unique slug. Two people saving the same title at once: the one who
    loses the race retries with a random suffix instead of getting an error."""
    obj.slug = unique_slug(type(obj), obj.title, fallback=fallback, reserved=reserved)
    for attempt in range(3):
        try:
            with transaction.atomic():
                obj.save()
            return
        except IntegrityError:
            if attempt == 2:
                raise
            obj.pk = None
            obj.slug = f"{obj.slug[: SLUG_MAX_LENGTH - 7]}-{secrets.token_hex(3)}"


# --- change tracking ---------------------------------------------------------------------------


def revision_value(value: Any) -> Any:
    """A value as the revision log stores it (JSON)."""
    if isinstance(value, list | tuple | models.QuerySet):
        return [revision_value(item) for item in value]
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    if hasattr(value, "name") and hasattr(value, "storage"):  # a FieldFile
        return value.name or ""
    return value


@dataclass(frozen=True)
class Fields:
    """What a content type lets its services write, and how each kind of field is set."""

    editable: frozenset[str]
    many_to_many: tuple[str, ...] = ()
    files: tuple[str, ...] = ()
    noun: str = "item"
    tags: bool = True
    _later: frozenset[str] = field(init=False, default=frozenset())

    def __post_init__(self):
        later = {*self.many_to_many, *(("tags",) if self.tags else ())}
        object.__setattr__(self, "_later", frozenset(later))

    def check(self, fields: dict) -> None:
        unknown = set(fields) - self.editable
        if unknown:
            raise TypeError(f"Not editable through the {self.noun} services: {sorted(unknown)}")

    def current(self, obj, name: str) -> Any:
        if name in self.many_to_many:
            return sorted(item.pk for item in getattr(obj, name).all())
        if name == "tags":
            return sorted(obj.tags.names())
        return revision_value(getattr(obj, name))

    def incoming(self, name: str, value: Any) -> Any:
        if name in self.many_to_many:
            return sorted(item.pk for item in (value or []))
        if name == "tags":
            return sorted(str(tag) for tag in (value or []))
        return revision_value(value)

    def previous_values(self, obj, fields: dict) -> dict[str, Any]:
        """The old values of the fields that `fields` would really change."""
        previous = {}
        for name, value in fields.items():
            if name in self.files and value is None:
                continue  # no new file: the current one stays
            before = self.current(obj, name)
            if before != self.incoming(name, value):
                previous[name] = before
        return previous

    def apply(self, obj, fields: dict, *, files_later: bool = False) -> dict[str, Any]:
        """Set the row's own fields; return the relations (and, for a row without an id, the
        files) to set once it is saved. A replaced or cleared file is deleted after commit."""
        later = {}
        for name, value in fields.items():
            if name in self._later or (files_later and name in self.files):
                later[name] = value
            elif name in self.files:
                if value is None:
                    continue
                current = getattr(obj, name)
                if current.name and (
                    value is False or getattr(value, "name", None) != current.name
                ):
                    delete_file_after_commit(current.storage, current.name)
                setattr(obj, name, value or "")  # False is ClearableFileInput's "clear"
            else:
                setattr(obj, name, value)
        return later

    def apply_later(self, obj, later: dict) -> None:
        for name, value in later.items():
            if name == "tags":
                obj.tags.set(list(value or []), clear=False)
            elif name in self.files:
                if value:
                    setattr(obj, name, value)
                    obj.save(update_fields=[name, "updated_at"])
            else:
                getattr(obj, name).set(value or [])


def tracked_update(obj, spec: Fields, fields: dict, *, validate, **extra) -> dict[str, Any]:
    """Write `fields` to the saved row `obj` (locked by the caller) and return the old values
    of what changed. `validate(obj)` runs after the fields are set and before anything is
    written; `extra` are attributes the service sets itself (who changed it, say)."""
    previous = spec.previous_values(obj, fields)
    later = spec.apply(obj, fields)
    for name, value in extra.items():
        setattr(obj, name, value)
    validate(obj)
    obj.save()
    spec.apply_later(obj, later)
    return previous


def delete_file_after_commit(storage, name: str) -> None:
    """Remove a stored file once the change is committed: a rollback keeps it."""
    if name:
        transaction.on_commit(lambda: storage.delete(name))


# --- the revision log ----------------------------------------------------------------------------


def record(
    obj, *, editor, action: str, previous: dict | None = None, changed=None, comment: str = ""
):
    """Record one revision of `obj` as it now stands: who, when, the action, the old values
    of the fields that changed and what the editor wrote about it (`comment`). Models with a
    history (django-simple-history) skip the automatic record on save, so each service call
    is exactly one revision."""
    previous = dict(previous or {})
    history = getattr(type(obj), obj._meta.simple_history_manager_attribute).model
    snapshot = {}
    for tracked in history.tracked_fields:
        value = getattr(obj, tracked.attname)
        snapshot[tracked.attname] = value.name if hasattr(value, "storage") else value
    return history.objects.create(
        **snapshot,
        history_date=timezone.now(),
        history_type="+" if action.endswith("create") else "~",
        history_user=editor if getattr(editor, "pk", None) else None,
        history_change_reason=action,
        changed_fields=sorted(changed if changed is not None else previous),
        previous_values=previous,
        comment=comment,
    )


def delete(obj, *, editor) -> None:
    """Delete `obj` for good, leaving one last revision (simple-history's deletion record)
    that says who deleted it."""
    obj._history_user = editor if getattr(editor, "pk", None) else None
    obj._change_reason = "delete"
    obj.delete()

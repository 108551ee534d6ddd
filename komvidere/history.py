"""The revision log as people read it: one sentence per change, and what a change changed.

The services record one revision per action (komvidere.publishing.record) with the action's
code and the old values of the fields it touched. Pages never show those codes: they show
`describe()` (a sentence in the interface language) and `changes()` (each field's value
before and after, with a word diff of texts).
"""

import difflib
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from komvidere.publishing import revision_value

# What each action reads as; %(who)s is the editor, %(fields)s the fields it changed.
SENTENCES = {
    "create": gettext_lazy("%(who)s created it."),
    "edit": gettext_lazy("%(who)s changed %(fields)s."),
    "submit": gettext_lazy("%(who)s submitted it for review."),
    "withdraw": gettext_lazy("%(who)s took it back to draft."),
    "send_back": gettext_lazy("%(who)s sent it back to the author with a comment."),
    "publish": gettext_lazy("%(who)s published it."),
    "archive": gettext_lazy("%(who)s archived it."),
    "unpublish": gettext_lazy("%(who)s took it back to draft from published."),
    "feature": gettext_lazy("%(who)s featured it."),
    "unfeature": gettext_lazy("%(who)s stopped featuring it."),
    "review": gettext_lazy("%(who)s updated the review dates."),
    "link_add": gettext_lazy("%(who)s added a link."),
    "link_edit": gettext_lazy("%(who)s changed a link."),
    "link_delete": gettext_lazy("%(who)s removed a link."),
    "attachment_add": gettext_lazy("%(who)s attached a file."),
    "attachment_edit": gettext_lazy("%(who)s changed an attached file."),
    "attachment_delete": gettext_lazy("%(who)s removed an attached file."),
    "related": gettext_lazy("%(who)s changed the related content."),
    "hide": gettext_lazy("%(who)s hid it."),
    "unhide": gettext_lazy("%(who)s showed it again."),
    "conclude": gettext_lazy("%(who)s changed the conclusion."),
    "delete": gettext_lazy("%(who)s deleted it."),
}
OTHER = gettext_lazy("%(who)s changed it.")

# Not fields of the model, but named in the log by the services.
PSEUDO_FIELDS = {
    "links": gettext_lazy("links"),
    "attachments": gettext_lazy("attachments"),
    "tags": gettext_lazy("tags"),
}


def field_label(model: type[models.Model], name: str) -> str:
    if name in PSEUDO_FIELDS:
        return str(PSEUDO_FIELDS[name])
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return name
    if field.auto_created and not field.concrete:  # a reverse relation
        return str(field.related_model._meta.verbose_name_plural)
    return str(field.verbose_name)


def _join(labels: list[str]) -> str:
    if len(labels) <= 1:
        return "".join(labels)
    return _("%(items)s and %(last)s") % {"items": ", ".join(labels[:-1]), "last": labels[-1]}


def describe(revision, model: type[models.Model]) -> str:
    """The revision as a sentence in the active language: who did what."""
    editor = revision.history_user
    who = editor.display_name if editor is not None else _("Someone")
    sentence = SENTENCES.get(revision.history_change_reason or "", OTHER)
    fields = _join([field_label(model, name) for name in revision.changed_fields or []])
    if "%(fields)s" in str(sentence) and not fields:
        sentence = OTHER
    return str(sentence) % {"who": who, "fields": fields}


@dataclass
class Change:
    name: str
    label: str
    before: str
    after: str
    diff: SafeString  # the text with <del>/<ins> marks (escaped), for long texts


def _display(model, name: str, value) -> str:
    """A stored value (JSON) as a person reads it: names, not ids."""
    if value in (None, "", []):
        return "—"
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        field = None
    if field is not None and field.auto_created and not field.concrete:
        field = None  # links and attachments: the log keeps their text, not ids
    if field is not None and field.is_relation and field.related_model is not None:
        pks = value if isinstance(value, list) else [value]
        names = {o.pk: str(o) for o in field.related_model._default_manager.filter(pk__in=pks)}
        return ", ".join(names.get(pk, f"#{pk}") for pk in pks) or "—"
    if field is not None and field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.DecimalField | models.FloatField | models.IntegerField):
        try:
            return number_format(Decimal(str(value)), force_grouping=True)
        except (InvalidOperation, ValueError):
            return str(value)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    if isinstance(value, dict):
        return ", ".join(str(v) for v in value.values() if v)
    return str(value)


def current_value(obj, name: str):
    """The value of `name` on the live row, as the revision log stores it."""
    try:
        field = obj._meta.get_field(name)
    except FieldDoesNotExist:
        field = None
    if field is not None and field.auto_created and not field.concrete:
        # Links and attachments: what there is now, by name.
        return [str(item) for item in getattr(obj, field.get_accessor_name()).all()]
    if name == "tags":
        return sorted(obj.tags.names())
    if field is not None and field.many_to_many:
        return sorted(getattr(obj, name).values_list("pk", flat=True))
    if field is not None and field.is_relation:
        return getattr(obj, field.attname)
    return revision_value(getattr(obj, name, None))


_WORDS = re.compile(r"\s+|[^\s]+")


def word_diff(before: str, after: str) -> SafeString:
    """`after` with what was removed in <del> and what was added in <ins>, escaped."""
    a, b = _WORDS.findall(before or ""), _WORDS.findall(after or "")
    out = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(escape("".join(a[i1:i2])))
            continue
        if i2 > i1:
            out.append(f"<del>{escape(''.join(a[i1:i2]))}</del>")
        if j2 > j1:
            out.append(f"<ins>{escape(''.join(b[j1:j2]))}</ins>")
    return mark_safe("".join(out))  # noqa: S308 - every piece is escaped above


def changes(revision, obj) -> list[Change]:
    """What `revision` of `obj` changed: each field's value before and after it.

    "After" is what the next revision that touched the field found there, or the live value
    when no later revision did."""
    model = type(obj)
    later = list(
        type(revision)
        .objects.filter(id=revision.id, history_date__gt=revision.history_date)
        .order_by("history_date", "history_id")
        .values_list("previous_values", flat=True)
    )
    result = []
    for name, before in (revision.previous_values or {}).items():
        after = next((values[name] for values in later if name in values), None)
        if after is None and not any(name in values for values in later):
            after = current_value(obj, name)
        before_text, after_text = _display(model, name, before), _display(model, name, after)
        long_text = isinstance(before, str) and isinstance(after, str)
        long_text = long_text and max(len(before), len(after)) > 40
        diff = word_diff(before, after) if long_text else mark_safe("")  # noqa: S308 - empty
        result.append(Change(name, field_label(model, name), before_text, after_text, diff))
    return result

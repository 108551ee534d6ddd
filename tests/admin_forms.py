"""Post to the Django admin as a browser does: the change form with every inline's
management form and rows, changelist actions and delete confirmations."""

from django import forms
from django.urls import reverse
from taggit.forms import TagField
from taggit.utils import edit_string_for_tags


def _form_data(form) -> dict:
    data = {}
    for name, field in form.fields.items():
        bound = form[name]
        value = bound.value()
        if isinstance(field, forms.FileField) or value is None:
            continue
        if isinstance(field, forms.BooleanField):
            if value:
                data[bound.html_name] = "on"
        elif isinstance(field, TagField):
            tags = value if isinstance(value, str) else edit_string_for_tags(value)
            data[bound.html_name] = tags
        elif isinstance(field, forms.ModelMultipleChoiceField):
            data[bound.html_name] = [str(getattr(item, "pk", item)) for item in value]
        else:
            value = getattr(value, "pk", value)
            data[bound.html_name] = field.widget.format_value(value) or ""
    return data


def change_form_data(client, url: str) -> dict:
    """GET an admin add or change page and return the POST its form sends unchanged: the
    fields, and each inline's management form and existing rows."""
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    data = _form_data(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        data.update(_form_data(formset.management_form))
        for row in formset.forms:
            data.update(_form_data(row))
    return data


def inline_row(data: dict, prefix: str, **fields) -> dict:
    """Add a new row to the `prefix` inline in `data` (as the "Add another" link does)."""
    index = int(data[f"{prefix}-TOTAL_FORMS"])
    data[f"{prefix}-TOTAL_FORMS"] = str(index + 1)
    data.update({f"{prefix}-{index}-{name}": value for name, value in fields.items()})
    return data


def changelist_action(client, model, action: str, objects, **extra):
    """POST a changelist action for `objects` (`post="yes"` confirms a delete)."""
    opts = model._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    return client.post(
        url, {"action": action, "_selected_action": [o.pk for o in objects], **extra}, follow=True
    )


def admin_url(obj, view: str = "change") -> str:
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=[obj.pk])

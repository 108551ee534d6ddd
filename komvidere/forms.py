from django import forms
from django.forms.renderers import TemplatesSetting
from django.utils.translation import gettext_lazy as _

from komvidere.models import SearchEntry


class FormRenderer(TemplatesSetting):
    """Renders every form with our accessible templates (error summary, described fields)."""

    form_template_name = "includes/form.html"
    field_template_name = "includes/field.html"


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search for"), required=False, strip=True)
    type = forms.ChoiceField(
        label=_("Type"),
        required=False,
        choices=[("", _("Everything")), *SearchEntry.Kind.choices],
    )

    def clean_q(self):
        # Over-long input is cut, not refused: search should always answer.
        return self.cleaned_data["q"].replace("\x00", " ")[:200].strip()

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Region
from komvidere import registry
from komvidere.models import PlanStage


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search for"), required=False, strip=True)
    type = forms.ChoiceField(
        label=_("Type"),
        required=False,
        choices=lambda: [("", _("Everything")), *registry.search_kinds()],
    )

    stage = forms.ModelChoiceField(
        label=_("Plan stage"),
        queryset=PlanStage.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("All stages"),
    )

    def clean_q(self):
        # Over-long input is cut, not refused: search should always answer.
        return self.cleaned_data["q"].replace("\x00", " ")[:200].strip()


class ClimateForm(forms.Form):
    """/climate/'s GET parameters: whose emission account to show, and which table to download."""

    organisation = forms.ModelChoiceField(
        label=_("Municipality"),
        queryset=None,
        to_field_name="slug",
        required=False,
        empty_label=_("All municipalities with an account"),
    )

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class DashboardForm(forms.Form):
    region = forms.ChoiceField(
        label=_("Region"), required=False, choices=[("", _("All regions")), *Region.choices]
    )

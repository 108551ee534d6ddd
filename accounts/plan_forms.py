"""Forms for an organisation's climate plan and its actions (saved by accounts.services)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import ClimatePlan, PlanAction
from komvidere.models import Sector

MAX_CSV_BYTES = 512 * 1024


class ClimatePlanForm(forms.ModelForm):
    class Meta:
        model = ClimatePlan
        fields = ["url", "adopted_year", "reduction_2030_percent", "net_zero_year"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["url"].assume_scheme = "https"
        self.fields["adopted_year"].widget.attrs.update({"min": 1990, "max": 2100})
        self.fields["reduction_2030_percent"].widget.attrs.update({"min": 0, "max": 100})
        self.fields["net_zero_year"].widget.attrs.update({"min": 2020, "max": 2100})


class PlanActionForm(forms.ModelForm):
    class Meta:
        model = PlanAction
        fields = ["code", "title", "sector", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sector"].queryset = Sector.objects.all()
        self.fields["sector"].empty_label = _("No particular sector")

    def validate_unique(self):
        # The service checks duplicates within the organisation, with a message per field.
        pass


class PlanActionImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "Columns: code, title, sector, description (title is required). Comma or "
            "semicolon separated, UTF-8. At most 512 KB."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_CSV_BYTES:
            raise forms.ValidationError(_("The file is larger than 512 KB."))
        try:
            return upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise forms.ValidationError(
                _("The file is not UTF-8 text. Save it as “CSV UTF-8”.")
            ) from None

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, PlanAction, Region
from cases.models import MARKDOWN_HELP, SECTIONS, Case, CaseLink, Co2eMethod, WorkStatus
from komvidere.forms import (
    FILE_NOT_KEPT,
    PLAN_STAGE_EMPTY_LABEL,
    PLAN_STAGE_HELP,
    FacetFilterForm,
    FieldsetsMixin,
    TagsField,
)
from komvidere.models import PlanStage, Sector, Theme
from komvidere.validators import validate_cover_image


class CaseForm(FieldsetsMixin, forms.ModelForm):
    """The long case form, rendered in fieldsets (see `fieldsets`)."""

    tags = TagsField(
        help_text=_("Free keywords separated by commas, for example: varmepumper, skybrud.")
    )

    fieldsets = [
        (
            _("Basics"),
            _("What the case is called and who is behind it."),
            [
                "title",
                "summary",
                "organisation",
                "partners",
                "origin",
                "work_status",
                "year_start",
                "year_end",
            ],
        ),
        (
            _("Classification"),
            _("Helps colleagues find the case in the filters."),
            ["sectors", "themes", "plan_stage", "plan_action", "tags"],
        ),
        (
            _("The story"),
            _(
                "Fill in the sections that fit your case; empty sections are not shown. "
                "Write in markdown."
            ),
            [name for name, _label, _help in SECTIONS],
        ),
        (
            _("Figures"),
            _("Give your best estimate; leave a field empty if you do not know."),
            ["co2e_tonnes_per_year", "co2e_method", "co2e_baseline_year", "budget_dkk"],
        ),
        (
            _("Contact"),
            _("Who colleagues can ask about the case."),
            ["contact_name", "contact_email"],
        ),
        (
            _("Cover image and related cases"),
            "",
            ["cover_image", "cover_credit", "related_cases"],
        ),
    ]

    class Meta:
        model = Case
        fields = [
            "title",
            "summary",
            "organisation",
            "partners",
            "origin",
            "work_status",
            "year_start",
            "year_end",
            "sectors",
            "themes",
            "plan_stage",
            "plan_action",
            "tags",
            *[name for name, _label, _help in SECTIONS],
            "co2e_tonnes_per_year",
            "co2e_method",
            "co2e_baseline_year",
            "budget_dkk",
            "contact_name",
            "contact_email",
            "cover_image",
            "cover_credit",
            "related_cases",
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3, "maxlength": 500}),
            "partners": forms.SelectMultiple(attrs={"size": 8}),
            "sectors": forms.CheckboxSelectMultiple,
            "themes": forms.CheckboxSelectMultiple,
            "origin": forms.RadioSelect,
            "work_status": forms.RadioSelect,
            "co2e_method": forms.RadioSelect,
            "related_cases": forms.SelectMultiple(attrs={"size": 6}),
            "cover_image": forms.ClearableFileInput(
                attrs={"accept": "image/png,image/jpeg,image/webp"}
            ),
            **{name: forms.Textarea(attrs={"rows": 6}) for name, _label, _help in SECTIONS},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        fields = self.fields
        fields["organisation"].queryset = Organisation.objects.order_by("name")
        fields["partners"].queryset = Organisation.objects.order_by("name")
        fields["partners"].help_text = _(
            "Other organisations that took part. Hold Ctrl (Cmd on a Mac) to choose several."
        )
        fields["sectors"].help_text = _("Choose one or more.")
        fields["sectors"].queryset = Sector.objects.all()
        fields["themes"].queryset = Theme.objects.all()
        fields["plan_stage"].queryset = PlanStage.objects.all()
        fields["plan_stage"].empty_label = PLAN_STAGE_EMPTY_LABEL
        fields["plan_stage"].help_text = PLAN_STAGE_HELP
        fields["plan_action"].queryset = PlanAction.objects.filter(
            organisation_id=self._organisation_id()
        ).order_by("position", "code", "title")
        fields["plan_action"].empty_label = _("None, or not in the plan")
        fields["plan_action"].help_text = _(
            "The action of the lead organisation's climate plan that this case carries out. "
            "The list shows the lead organisation's actions (saved with the case)."
        )
        fields["co2e_method"].choices = [("", _("Not given")), *Co2eMethod.choices]
        fields["co2e_baseline_year"].widget.attrs.update({"min": 1990, "max": 2100})
        related = Case.objects.published().order_by("title")
        if self.instance.pk:
            related = related.exclude(pk=self.instance.pk)
        fields["related_cases"].queryset = related
        fields["related_cases"].help_text = _(
            "Published cases on a similar subject. Hold Ctrl (Cmd on a Mac) to choose several."
        )
        for name, _label, help_text in SECTIONS:
            fields[name].help_text = f"{help_text} {MARKDOWN_HELP}"
        fields["cover_image"].help_text = _("PNG, JPEG or WebP, at most 5 MB. %(note)s") % {
            "note": FILE_NOT_KEPT
        }
        fields["co2e_tonnes_per_year"].widget.attrs["min"] = 0
        fields["budget_dkk"].widget.attrs["min"] = 0
        for name in ("year_start", "year_end"):
            fields[name].widget.attrs.update({"min": 1990, "max": 2100})

    def _organisation_id(self):
        """The lead organisation the plan actions are offered for: as posted, as saved, or
        the author's."""
        if self.is_bound:
            value = self.data.get(self.add_prefix("organisation"))
            return int(value) if str(value or "").isdigit() and len(str(value)) < 10 else None
        if self.instance.organisation_id:
            return self.instance.organisation_id
        initial = self.initial.get("organisation")
        return getattr(initial, "pk", initial)

    def clean_cover_image(self):
        image = self.cleaned_data.get("cover_image")
        if image and hasattr(image, "image"):  # a new upload, opened by Pillow
            validate_cover_image(image)
        return image

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("year_start"), cleaned.get("year_end")
        if start and end and end < start:
            self.add_error("year_end", _("The end year cannot be before the start year."))
        return cleaned


class CaseFilterForm(FacetFilterForm):
    """The case list's GET parameters: the common facets and the case list's own."""

    SORT_CHOICES = [
        ("newest", _("Newest")),
        ("updated", _("Recently updated")),
        ("title", _("Title")),
        ("co2e", _("Largest CO2e effect")),
    ]

    q = forms.CharField(label=_("Search in cases"), required=False, max_length=200)
    organisation = forms.ModelMultipleChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.all(),
        to_field_name="slug",
        required=False,
    )
    region = forms.MultipleChoiceField(label=_("Region"), choices=Region.choices, required=False)
    status = forms.MultipleChoiceField(
        label=_("Work status"), choices=WorkStatus.choices, required=False
    )
    mine = forms.BooleanField(label=_("Only my cases (including drafts)"), required=False)
    sort = forms.ChoiceField(label=_("Sort by"), choices=SORT_CHOICES, required=False)


class ReviewForm(forms.ModelForm):
    class Meta:
        model = Case
        fields = ["last_reviewed_at", "review_due"]
        widgets = {
            "last_reviewed_at": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "review_due": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.input_formats = ["%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y"]
        self.fields["last_reviewed_at"].help_text = _(
            "When a moderator last checked that the case is still current."
        )


class LinkForm(forms.ModelForm):
    url = forms.URLField(
        label=_("Address (URL)"),
        max_length=500,
        assume_scheme="https",
        help_text=_("For example https://www.example.dk/report"),
    )

    class Meta:
        model = CaseLink
        fields = ["title", "url"]

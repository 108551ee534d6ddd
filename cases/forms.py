from dataclasses import dataclass

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, PlanAction, Region
from cases.models import (
    SECTION_NAMES,
    SECTIONS,
    YEAR_MAX,
    YEAR_MIN,
    Case,
    CaseLink,
    Co2eMethod,
    WorkStatus,
)
from komvidere.forms import (
    FILE_NOT_KEPT,
    PLAN_STAGE_EMPTY_LABEL,
    PLAN_STAGE_HELP,
    AutocompleteMultipleField,
    CoordinateField,
    DanishDecimalField,
    DanishIntegerField,
    FacetFilterForm,
    FieldsetsMixin,
    TagsField,
)
from komvidere.models import PlanStage, Sector, Theme
from komvidere.validators import validate_cover_image


@dataclass
class FormSection:
    """One collapsible section of the case form, with what the author has done in it."""

    key: str
    legend: str
    description: str
    fields: list
    open: bool = False

    @property
    def errors(self) -> int:
        return sum(len(field.errors) for field in self.fields)

    @property
    def filled(self) -> int:
        return sum(1 for field in self.fields if _has_value(field.value()))


def _has_value(value) -> bool:
    if isinstance(value, dict):  # an autocomplete field: the chosen ones and the typed names
        return any(_has_value(v) for v in value.values())
    if isinstance(value, list | tuple | set):
        return any(_has_value(v) for v in value)
    return value not in (None, "", False) and str(value).strip() != ""


class CaseChoiceField(AutocompleteMultipleField):
    """Cases by exact title, or by their address as copied from the browser."""

    def lookup(self, text: str):
        path = text.split("?")[0].rstrip("/")
        if "/cases/" in path:
            return list(self.queryset.filter(slug=path.rsplit("/", 1)[-1])[:2])
        return super().lookup(text)


# Required to save a draft at all: a title (for its address) and the lead organisation.
DRAFT_REQUIRED = ("title", "organisation")


class CaseForm(FieldsetsMixin, forms.ModelForm):
    """The long case form, in collapsible sections (see `sections()`).

    With `draft=True` only a title and the lead organisation are required, so an author can
    save what they have so far; submitting for review asks for everything.
    """

    tags = TagsField(
        help_text=_("Free keywords separated by commas, for example: varmepumper, skybrud.")
    )
    partners = AutocompleteMultipleField(
        Organisation.objects.order_by("name"),
        search_fields=("name", "short_name"),
        datalist=True,
        required=False,
        label=_("Partner organisations"),
        help_text=_("Other organisations that took part."),
    )
    related_cases = CaseChoiceField(
        Case.objects.none(),
        search_fields=("title",),
        required=False,
        label=_("Related cases"),
        help_text=_("Published cases on a similar subject."),
    )

    fieldsets = [
        (
            _("Basics"),
            _("What the case is called, who is behind it and when it happened."),
            [
                "title",
                "summary",
                "organisation",
                "partners",
                "origin",
                "work_status",
                "year_start",
                "year_end",
                "implementation_time",
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
                "Short paragraphs and lists read best."
            ),
            SECTION_NAMES,
        ),
        (
            _("Figures"),
            _(
                "Give your best estimate and say how you found it; leave a field empty if you "
                "do not know. Write numbers the Danish way: 12,5 and 2.500.000."
            ),
            ["co2e_tonnes_per_year", "co2e_method", "co2e_baseline_year", "budget_dkk"],
        ),
        (
            _("Location"),
            _(
                "Where the work took place, for the map: an address or place name, and the "
                "point if you know it."
            ),
            ["location_address", "latitude", "longitude"],
        ),
        (
            _("Contact"),
            _("Who colleagues can ask about the case."),
            ["contact_name", "contact_email"],
        ),
        (
            _("Cover image and related cases"),
            _("A picture for the case page and cases on a similar subject."),
            ["cover_image", "cover_credit", "related_cases"],
        ),
    ]
    section_keys = [
        "basics",
        "classification",
        "story",
        "figures",
        "location",
        "contact",
        "more",
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
            "implementation_time",
            "sectors",
            "themes",
            "plan_stage",
            "plan_action",
            "tags",
            *SECTION_NAMES,
            "co2e_tonnes_per_year",
            "co2e_method",
            "co2e_baseline_year",
            "budget_dkk",
            "location_address",
            "latitude",
            "longitude",
            "contact_name",
            "contact_email",
            "cover_image",
            "cover_credit",
            "related_cases",
        ]
        field_classes = {
            "co2e_tonnes_per_year": DanishDecimalField,
            "budget_dkk": DanishIntegerField,
            "latitude": CoordinateField,
            "longitude": CoordinateField,
        }
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3, "maxlength": 500}),
            "sectors": forms.CheckboxSelectMultiple,
            "themes": forms.CheckboxSelectMultiple,
            "origin": forms.RadioSelect,
            "work_status": forms.RadioSelect,
            "co2e_method": forms.RadioSelect,
            "cover_image": forms.ClearableFileInput(
                attrs={"accept": "image/png,image/jpeg,image/webp"}
            ),
            **{
                name: forms.Textarea(attrs={"rows": 6, "data-markdown": ""})
                for name in SECTION_NAMES
            },
        }

    def __init__(self, *args, draft: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.draft = draft
        fields = self.fields
        fields["organisation"].queryset = Organisation.objects.order_by("name")
        fields["partners"].widget.url = reverse("cases:suggest_organisations")
        fields["partners"].widget.add_label = _("Add a partner")
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
        fields["related_cases"].widget.url = reverse("cases:suggest_cases") + (
            f"?exclude={self.instance.pk}" if self.instance.pk else ""
        )
        fields["related_cases"].widget.add_label = _("Add a related case")
        for name, _label, help_text in SECTIONS:
            fields[name].help_text = help_text
        fields["co2e_method"].choices = [("", _("Not stated")), *Co2eMethod.choices]
        fields["co2e_method"].required = False
        fields["cover_image"].help_text = _("PNG, JPEG or WebP, at most 5 MB. %(note)s") % {
            "note": FILE_NOT_KEPT
        }
        fields["co2e_tonnes_per_year"].help_text = _(
            "Estimated yearly reduction in tonnes of CO2 equivalents, for example 12,5."
        )
        fields["budget_dkk"].help_text = _(
            "Total budget in whole Danish kroner, for example 2.500.000."
        )
        fields["latitude"].help_text = _("For example 55,70927 (north).")
        fields["longitude"].help_text = _("For example 9,53570 (east).")
        for name in ("year_start", "year_end", "co2e_baseline_year"):
            fields[name].widget.attrs.update({"min": YEAR_MIN, "max": YEAR_MAX})
        if draft:
            for name, field in fields.items():
                if name not in DRAFT_REQUIRED:
                    field.required = False

    def sections(self) -> list[FormSection]:
        """The form's sections; the first is open on a new case, and so is each with errors."""
        sections = [
            FormSection(key, str(legend), str(description), [self[name] for name in names])
            for key, (legend, description, names) in zip(
                self.section_keys, self.fieldsets, strict=True
            )
        ]
        for index, section in enumerate(sections):
            section.open = bool(section.errors) or (index == 0 and not self.instance.pk)
        return sections

    def valid_data(self) -> dict:
        """The fields that passed validation, for a draft saved from a form with errors.

        A choice left empty that has a default (origin, work status) keeps its default."""
        data = {}
        for name in self.Meta.fields:
            if name not in self.cleaned_data or name in self.errors:
                continue
            value = self.cleaned_data[name]
            model_field = Case._meta.get_field(name)
            if value in ("", None) and model_field.has_default():
                continue
            data[name] = value
        return data

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
        latitude, longitude = cleaned.get("latitude"), cleaned.get("longitude")
        if (latitude is None) != (longitude is None):
            missing = "longitude" if longitude is None else "latitude"
            if missing not in self.errors:
                self.add_error(missing, _("Give both latitude and longitude, or neither."))
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

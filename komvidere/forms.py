"""Form pieces every content app uses: the form renderer, the tags field and the file form."""

from django import forms
from django.forms.renderers import TemplatesSetting
from django.utils.translation import gettext_lazy as _
from taggit.forms import TagField
from taggit.models import Tag

from komvidere.models import PlanStage, Sector, Theme
from komvidere.validators import (
    ATTACHMENT_EXTENSIONS,
    no_control_characters,
    no_html,
    validate_attachment_file,
)

# 15, the limit cases and articles have always had: every case, article and dilemma saved
# under the old limits stays valid the next time it is edited. A limit of 10 would refuse the
# edit of any case or article saved with 11 to 15 tags until the editor removed some.
MAX_TAGS = 15
MAX_TAG_LENGTH = 50

FILE_NOT_KEPT = _(
    "If the form has errors you must choose the file again: browsers cannot keep a chosen file."
)


class FormRenderer(TemplatesSetting):
    """Renders every form with our accessible templates (error summary, described fields)."""

    form_template_name = "includes/form.html"
    field_template_name = "includes/field.html"


class FieldsetsMixin:
    """A long form shown in fieldsets: `fieldsets` lists (legend, description, field names)."""

    fieldsets: list = []

    def grouped_fields(self):
        """(legend, description, bound fields) per fieldset, for includes/fieldsets.html."""
        return [
            (legend, description, [self[name] for name in names])
            for legend, description, names in self.fieldsets
        ]


class FacetFilterForm(forms.Form):
    """The GET parameters of a faceted list, with the facets every content list has.

    Facet values are slugs or choice keys, so URLs are readable. A list adds its text field
    `q` (labelled for what it searches), its `sort` and its own facets.
    """

    sector = forms.ModelMultipleChoiceField(
        label=_("Sector"), queryset=Sector.objects.all(), to_field_name="slug", required=False
    )
    theme = forms.ModelMultipleChoiceField(
        label=_("Theme"), queryset=Theme.objects.all(), to_field_name="slug", required=False
    )
    stage = forms.ModelMultipleChoiceField(
        label=_("Plan stage"),
        queryset=PlanStage.objects.all(),
        to_field_name="slug",
        required=False,
    )
    tag = forms.ModelMultipleChoiceField(
        label=_("Tag"), queryset=Tag.objects.all(), to_field_name="slug", required=False
    )

    def clean_q(self):
        return " ".join(self.cleaned_data["q"].replace("\x00", "").split())


class TagsField(TagField):
    """Free keywords separated by commas: at most MAX_TAGS, each of at most MAX_TAG_LENGTH."""

    default_validators = [no_control_characters, no_html]

    def __init__(self, *, label=None, required=False, max_length=1000, **kwargs):
        label = _("Tags") if label is None else label
        super().__init__(label=label, required=required, max_length=max_length, **kwargs)

    def clean(self, value):
        tags = super().clean(value)
        if len(tags) > MAX_TAGS:
            raise forms.ValidationError(
                _("Use at most %(max)s tags."), params={"max": MAX_TAGS}, code="too_many"
            )
        if any(len(tag) > MAX_TAG_LENGTH for tag in tags):
            raise forms.ValidationError(
                _("Each tag may be at most %(max)s characters."),
                params={"max": MAX_TAG_LENGTH},
                code="too_long",
            )
        return tags


class AttachmentForm(forms.Form):
    """A file for a case or an article; the app's `attachment_add` service stores it."""

    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        validators=[no_control_characters, no_html],
        help_text=_("What the file is, for example: Evaluation report 2024."),
    )
    file = forms.FileField(
        label=_("File"),
        validators=[validate_attachment_file],
        widget=forms.ClearableFileInput(
            attrs={"accept": ",".join(f".{ext}" for ext in ATTACHMENT_EXTENSIONS)}
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "PDF, office document or image (%(types)s), at most 10 MB. %(note)s"
        ) % {"types": ", ".join(ATTACHMENT_EXTENSIONS), "note": FILE_NOT_KEPT}


class SendBackForm(forms.Form):
    """A moderator's comment when sending a submitted item back to its author."""

    comment = forms.CharField(
        label=_("What should the author change?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text=_("The author gets this in a notification; it stays in the history."),
        validators=[no_control_characters],
    )


# What every writing form says about the planning cycle's stage: asked for, never forced.
PLAN_STAGE_EMPTY_LABEL = _("Don't know / not specific to a stage")
PLAN_STAGE_HELP = _(
    "Where in the planning cycle this belongs. Choose “Don't know” if you are not sure; "
    "the stages are explained on the page “The planning cycle”."
)

from django import forms
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from articles.models import MARKDOWN_HELP, Article, ArticleKind
from komvidere.forms import (
    PLAN_STAGE_EMPTY_LABEL,
    PLAN_STAGE_HELP,
    FacetFilterForm,
    FieldsetsMixin,
    TagsField,
)
from komvidere.models import PlanStage, Sector, Theme

DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y"]


def _formfield(db_field, **kwargs):
    # Addresses typed without a scheme ("concito.dk") are read as https://, never http://.
    if isinstance(db_field, models.URLField):
        kwargs["assume_scheme"] = "https"
    return db_field.formfield(**kwargs)


class ArticleForm(FieldsetsMixin, forms.ModelForm):
    """The moderators' article form, rendered in fieldsets (see `fieldsets`)."""

    tags = TagsField(
        help_text=_("Free keywords separated by commas, for example: co2-regnskab, skybrud.")
    )

    fieldsets = [
        (
            _("The article"),
            _("What it is, where it comes from and why a colleague should read it."),
            ["title", "kind", "summary", "body"],
        ),
        (
            _("Source and media"),
            _("Podcast episodes and videos on YouTube, Vimeo or Spotify get a player."),
            ["source_organisation", "external_url", "media_url", "transcript"],
        ),
        (
            _("Classification"),
            _("Helps colleagues find the article in the filters."),
            ["sectors", "themes", "plan_stage", "tags"],
        ),
        (
            _("Review"),
            _("When the article was last checked, and when it should be checked again."),
            ["last_reviewed_at", "review_due"],
        ),
    ]

    class Meta:
        model = Article
        formfield_callback = _formfield
        fields = [
            "title",
            "kind",
            "summary",
            "body",
            "source_organisation",
            "external_url",
            "media_url",
            "transcript",
            "sectors",
            "themes",
            "plan_stage",
            "tags",
            "last_reviewed_at",
            "review_due",
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3, "maxlength": 500}),
            "body": forms.Textarea(attrs={"rows": 16, "data-markdown": ""}),
            "transcript": forms.Textarea(attrs={"rows": 8, "data-markdown": ""}),
            "kind": forms.RadioSelect,
            "sectors": forms.CheckboxSelectMultiple,
            "themes": forms.CheckboxSelectMultiple,
            "last_reviewed_at": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "review_due": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        fields = self.fields
        fields["sectors"].queryset = Sector.objects.all()
        fields["themes"].queryset = Theme.objects.all()
        fields["plan_stage"].queryset = PlanStage.objects.all()
        fields["plan_stage"].empty_label = PLAN_STAGE_EMPTY_LABEL
        fields["plan_stage"].help_text = PLAN_STAGE_HELP
        fields["body"].help_text = MARKDOWN_HELP
        for name in ("external_url", "media_url"):
            fields[name].widget.attrs["inputmode"] = "url"
        for name in ("last_reviewed_at", "review_due"):
            fields[name].input_formats = DATE_INPUT_FORMATS

    def clean_last_reviewed_at(self):
        value = self.cleaned_data.get("last_reviewed_at")
        if value and value > timezone.localdate():
            raise forms.ValidationError(_("The last review cannot be in the future."))
        return value


class ArticleFilterForm(FacetFilterForm):
    """The article list's GET parameters: the common facets and the kind."""

    SORT_CHOICES = [("newest", _("Newest")), ("title", _("Title"))]

    q = forms.CharField(label=_("Search in articles"), required=False, max_length=200)
    kind = forms.MultipleChoiceField(label=_("Kind"), choices=ArticleKind.choices, required=False)
    sort = forms.ChoiceField(label=_("Sort by"), choices=SORT_CHOICES, required=False)

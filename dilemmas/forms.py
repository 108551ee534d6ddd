import re

from django import forms
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from dilemmas.models import (
    BODY_MAX,
    TITLE_MAX,
    Dilemma,
    DilemmaStatus,
    FlagReason,
    Kind,
    case_model,
)
from dilemmas.services import CASE_NOT_PUBLISHED
from komvidere.forms import (
    PLAN_STAGE_EMPTY_LABEL,
    PLAN_STAGE_HELP,
    AutocompleteMultipleField,
    FacetFilterForm,
    TagsField,
)
from komvidere.models import PlanStage, Sector, Status, Theme
from komvidere.validators import no_control_characters


class DilemmaForm(forms.ModelForm):
    """Ask or edit. Saving is the service's job: views pass cleaned_data to it."""

    tags = TagsField(help_text=_("Separate tags with commas."))
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = Dilemma
        fields = ["kind", "title", "body", "sectors", "themes", "plan_stage", "tags", "anonymous"]
        widgets = {
            "kind": forms.RadioSelect,
            "body": forms.Textarea(attrs={"rows": 10, "data-markdown": ""}),
            "sectors": forms.CheckboxSelectMultiple,
            "themes": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "title": _("One sentence that says what you need to know."),
        }

    def __init__(self, *args, suggest: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = list(Kind.choices)
        self.fields["sectors"].queryset = Sector.objects.all()
        self.fields["themes"].queryset = Theme.objects.all()
        self.fields["plan_stage"].queryset = PlanStage.objects.all()
        self.fields["plan_stage"].empty_label = PLAN_STAGE_EMPTY_LABEL
        self.fields["plan_stage"].help_text = PLAN_STAGE_HELP
        for name in ("title", "body"):
            self.fields[name].validators.append(no_control_characters)
        self.fields["title"].max_length = TITLE_MAX
        self.fields["body"].max_length = BODY_MAX
        if suggest:
            # Live suggestions while typing (htmx); without JavaScript they come as a step.
            self.fields["title"].widget.attrs.update(
                {
                    "hx-get": reverse_lazy("dilemmas:suggest"),
                    "hx-trigger": "input changed delay:400ms",
                    "hx-target": "#dilemma-suggestions",
                    "hx-swap": "innerHTML",
                    "autocomplete": "off",
                    "aria-controls": "dilemma-suggestions",
                }
            )
        if self.instance.pk:
            self.fields["tags"].initial = ", ".join(
                sorted(t.name for t in self.instance.tags.all())
            )
            del self.fields["confirmed"]
            if not self.instance.anonymous:
                # Turning anonymity on after the fact cannot take back what others have seen.
                del self.fields["anonymous"]


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Your reply"),
        max_length=BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 6, "data-markdown": ""}),
        validators=[no_control_characters],
        help_text=_("Markdown: **bold**, *italic*, lists with -, links as [text](https://…)."),
    )


class ConclusionForm(forms.Form):
    conclusion = forms.CharField(
        label=_("Conclusion"),
        max_length=BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 8, "data-markdown": ""}),
        validators=[no_control_characters],
        help_text=_(
            "What did the thread settle? Many dilemmas have no single right answer: sum up "
            "the options, what colleagues recommended and what you decided."
        ),
    )


class DuplicateForm(forms.Form):
    duplicate_of = forms.IntegerField(
        label=_("Number of the original dilemma"),
        min_value=1,
        required=False,
        help_text=_(
            "The number at the end of its address, /dilemmas/<number>/. Empty: not a duplicate."
        ),
    )

    def __init__(self, *args, dilemma: Dilemma, **kwargs):
        super().__init__(*args, **kwargs)
        self.dilemma = dilemma

    def clean_duplicate_of(self):
        pk = self.cleaned_data.get("duplicate_of")
        if not pk:
            return None
        if pk == self.dilemma.pk:
            raise forms.ValidationError(_("A dilemma cannot duplicate itself."))
        original = Dilemma.objects.filter(pk=pk).first()
        if original is None:
            raise forms.ValidationError(_("There is no dilemma with that number."))
        return original


class FlagForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Reason"), choices=FlagReason.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("Note for the moderators"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        validators=[no_control_characters],
    )


class DilemmaFilterForm(FacetFilterForm):
    """The dilemma list's GET parameters: the common facets and the list's own filters."""

    SORTS = [
        ("activity", _("Recent activity")),
        ("newest", _("Newest")),
        ("replies", _("Most replies")),
    ]
    q = forms.CharField(label=_("Search for"), required=False, max_length=200)
    status = forms.MultipleChoiceField(
        label=_("Status"), required=False, choices=DilemmaStatus.choices
    )
    kind = forms.MultipleChoiceField(label=_("Kind"), required=False, choices=Kind.choices)
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.all(),
        required=False,
        to_field_name="slug",
    )
    no_replies = forms.BooleanField(label=_("No replies yet"), required=False)
    following = forms.BooleanField(label=_("Only dilemmas I follow"), required=False)
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=SORTS)


# --- Cases that answer a dilemma ------------------------------------------------------------------

_DILEMMA_NUMBER = re.compile(r"(?:/dilemmas/|^#?)(\d{1,9})(?:/|$)")


class CaseByNameField(AutocompleteMultipleField):
    """Cases by exact title or slug, or by their address as copied from the browser."""

    def lookup(self, text: str):
        path = text.split("?")[0].split("#")[0].rstrip("/")
        if "/cases/" in path:
            return list(self.queryset.filter(slug=path.rsplit("/", 1)[-1])[:2])
        return super().lookup(text)


class DilemmaByNameField(AutocompleteMultipleField):
    """Dilemmas by exact title, by number ("12", "#12") or by their address."""

    def lookup(self, text: str):
        if match := _DILEMMA_NUMBER.search(text.split("?")[0]):
            return list(self.queryset.filter(pk=int(match.group(1)))[:2])
        return super().lookup(text)


class LinkCaseForm(forms.Form):
    """On a thread: the cases that answer it. Typed names are looked up among the cases the
    member may see, so that their own draft gets a clear "not published" rather than "not
    found"; the link service refuses anything unpublished as well."""

    cases = CaseByNameField(
        None,
        search_fields=("title", "slug"),
        label=_("Add a case that answers this dilemma"),
        help_text=_("A published case that shows how others solved what the dilemma asks."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["cases"]
        field.queryset = case_model().objects.visible_to(user).order_by("title")
        field.widget.url = reverse("cases:suggest_cases")
        field.widget.add_label = _("Case title")

    def clean_cases(self):
        cases = self.cleaned_data["cases"]
        errors = [
            forms.ValidationError(CASE_NOT_PUBLISHED, code="unpublished", params={"title": c.title})
            for c in cases
            if c.status != Status.PUBLISHED
        ]
        if errors:
            raise forms.ValidationError(errors)
        return cases


class LinkDilemmaForm(forms.Form):
    """On a case: the dilemmas it answers, out of the threads the member can see."""

    dilemmas = DilemmaByNameField(
        None,
        search_fields=("title",),
        label=_("Add a dilemma this case answers"),
        help_text=_("A thread whose question this case helps answer."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["dilemmas"]
        field.queryset = Dilemma.objects.linkable_by(user).order_by("-last_activity_at", "-pk")
        field.widget.url = reverse("dilemmas:suggest_dilemmas")
        field.widget.add_label = _("Dilemma title or number")

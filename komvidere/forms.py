"""Form pieces every content app uses: the form renderer, the tags field, the file form and
the fields for numbers written the Danish way."""

import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.db import models
from django.forms.renderers import TemplatesSetting
from django.utils import formats
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


# --- numbers written the Danish way ------------------------------------------------------------
# A comma is the decimal sign and dots or spaces group the thousands: "12,5", "2.500.000",
# "2 500 000". A reading that could have been meant the English way ("1.5", "1.500" where a
# decimal is possible, "1,500") is refused with a message rather than guessed: the portal's
# figures are summed and compared, and one silent factor of a thousand spoils every total.

# Spaces a person or a copy from a spreadsheet may use between groups of digits.
_SPACES = re.compile(r"[ \u00a0\u202f\u2009]+")
_DOT_GROUPS = re.compile(r"^[0-9]{1,3}(?:\.[0-9]{3})+$")
_SPACE_GROUPS = re.compile(r"^[0-9]{1,3}(?: [0-9]{3})+$")
_PLAIN = re.compile(r"^[0-9]+$")
_POINT_DECIMAL = re.compile(r"^[0-9]*\.[0-9]+$")

NUMBER_HELP = _("Write decimals with a comma and thousands with dots or spaces: 12,5 or 2.500.000.")


def _number_error(code: str, value: str) -> forms.ValidationError:
    messages = {
        "ambiguous": _(
            "“%(value)s” can be read in two ways. Write decimals with a comma (12,5) and "
            "thousands with dots or spaces (2.500.000 or 2 500 000)."
        ),
        "invalid": _(
            "“%(value)s” is not a number. Write decimals with a comma (12,5) and thousands "
            "with dots or spaces (2.500.000 or 2 500 000)."
        ),
        "whole": _("Give a whole number, without decimals: “%(value)s”."),
    }
    return forms.ValidationError(messages[code], code=code, params={"value": value})


def parse_danish_number(text: str, *, decimals: bool = True, dot_decimal: bool = False) -> Decimal:
    """The number in `text` written the Danish way, exactly (a Decimal), or a ValidationError.

    `decimals=False`: a whole number ("2.500" is 2500; "2.500,00" too). `dot_decimal=True`
    for values that can never need a thousands separator, such as coordinates: a single dot
    or comma is then the decimal sign ("55.676" and "55,676" are the same).
    """
    raw = str(text)
    value = _SPACES.sub(" ", raw.strip())
    sign = ""
    if value[:1] in ("-", "−", "+"):
        sign = "-" if value[0] != "+" else ""
        value = value[1:].strip()
    if dot_decimal and value.count(".") == 1 and "," not in value and " " not in value:
        value = value.replace(".", ",")
    whole, comma, fraction = value.partition(",")
    if comma and not _PLAIN.match(fraction):
        # A second comma, a dot after the comma ("12.500,5.3") or nothing after it.
        raise _number_error("invalid", raw)
    if _PLAIN.match(whole):
        if comma and len(fraction) == 3 and whole != "0" and not dot_decimal:
            raise _number_error("ambiguous", raw)  # "1,500": 1.5, or 1500 written in English
        digits = whole
    elif _DOT_GROUPS.match(whole):
        if decimals and not comma and whole.count(".") == 1:
            raise _number_error("ambiguous", raw)  # "1.500": 1500, or 1.5 written in English
        digits = whole.replace(".", "")
    elif _SPACE_GROUPS.match(whole):
        digits = whole.replace(" ", "")
    elif "." in whole and "," not in value and _POINT_DECIMAL.match(whole):
        raise _number_error("ambiguous", raw)  # "1.5" or ".5": an English decimal point
    else:
        raise _number_error("invalid", raw)
    if not decimals and comma:
        if fraction.strip("0"):
            raise _number_error("whole", raw)
        fraction = ""
    try:
        return Decimal(f"{sign}{digits}.{fraction}" if fraction else f"{sign}{digits}")
    except InvalidOperation:  # pragma: no cover - the patterns above admit digits only
        raise _number_error("invalid", raw) from None


def format_number(value, *, grouping: bool = True) -> str:
    """A number the way the active language writes it: 12,5 and 2.500.000 in Danish.

    Whole values lose their trailing zeros (125, not 125,0); others keep their digits.
    """
    if value is None or value == "":
        return ""
    number = Decimal(str(value))
    if number == number.to_integral_value():
        number = number.quantize(Decimal(1))
    return formats.number_format(number, use_l10n=True, force_grouping=grouping)


class DanishNumberInput(forms.TextInput):
    """A text box for a number (not type=number, which drops "12,5" in some browsers and
    shows a spinner): the saved value is written without thousand dots, "1500,5", so sending
    the form again reads it the same way; a value that did not parse is shown as typed."""

    def __init__(self, attrs=None, *, decimals: bool = True):
        attrs = {"inputmode": "decimal" if decimals else "numeric", **(attrs or {})}
        attrs.setdefault("autocomplete", "off")
        super().__init__(attrs)

    def format_value(self, value):
        if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
            number = Decimal(str(value))
            if number == number.to_integral_value():
                return str(number.quantize(Decimal(1)))
            return str(number).replace(".", ",")
        return super().format_value(value)


class DanishDecimalField(forms.DecimalField):
    """A decimal entered the Danish way (see parse_danish_number)."""

    widget = DanishNumberInput

    def __init__(self, *, dot_decimal: bool = False, **kwargs):
        self.dot_decimal = dot_decimal
        kwargs.pop("localize", None)
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values or not str(value).strip():
            return None
        return parse_danish_number(value, decimals=True, dot_decimal=self.dot_decimal)

    def widget_attrs(self, widget):
        # DecimalField would add step="any" and min/max for a type=number box: not for text.
        return forms.Field.widget_attrs(self, widget)


class DanishIntegerField(forms.IntegerField):
    """A whole number entered the Danish way: "2.500.000", "2 500 000" or "2500000"."""

    widget = DanishNumberInput

    def __init__(self, **kwargs):
        kwargs.pop("localize", None)
        super().__init__(**kwargs)
        self.widget.attrs["inputmode"] = "numeric"

    def to_python(self, value):
        if value in self.empty_values or not str(value).strip():
            return None
        return int(parse_danish_number(value, decimals=False))

    def widget_attrs(self, widget):
        return forms.Field.widget_attrs(self, widget)


class CoordinateField(DanishDecimalField):
    """Latitude or longitude: "55,676" or "55.676", as copied from a map."""

    def __init__(self, **kwargs):
        kwargs.setdefault("dot_decimal", True)
        super().__init__(**kwargs)


# --- choosing a few of many: autocomplete with a plain fallback --------------------------------

# Names typed into the "add" box may be separated by new lines or semicolons.
_NAME_SEPARATORS = re.compile(r"[\n;]+")


class AutocompleteWidget(forms.Widget):
    """The chosen items as checked checkboxes (untick to remove) and a text box to add more.

    Without JavaScript the box takes names, one per line or separated by ";" (a <datalist>
    suggests them as you type when the list is short); the server looks them up when the
    form is sent. static/js/autocomplete.js turns the box into a combobox fed by the JSON
    view at `url`, which ticks a new checkbox for each choice.
    """

    template_name = "includes/widgets/autocomplete.html"
    use_fieldset = True

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.queryset = None
        self.label_from_instance = str
        self.url = ""
        self.datalist = False
        self.add_label = _("Add")

    def __deepcopy__(self, memo):
        copy = super().__deepcopy__(memo)
        copy.queryset = self.queryset
        return copy

    def value_from_datadict(self, data, files, name):
        chosen = data.getlist(name) if hasattr(data, "getlist") else data.get(name) or []
        if isinstance(chosen, str):
            chosen = [chosen]
        return {"chosen": [str(v) for v in chosen], "add": data.get(f"{name}_add", "")}

    def value_omitted_from_data(self, data, files, name):
        return False  # an empty list of checkboxes is "none chosen", not "not sent"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        if isinstance(value, dict):
            chosen, add = value.get("chosen") or [], value.get("add") or ""
        else:
            chosen, add = value or [], ""
        pks = []
        for item in chosen:
            pk = getattr(item, "pk", item)
            if str(pk).isdigit() and str(pk) not in pks:
                pks.append(str(pk))
        objects = {str(obj.pk): obj for obj in self.queryset.filter(pk__in=pks)} if pks else {}
        context["widget"].update(
            chosen=[(pk, self.label_from_instance(objects[pk])) for pk in pks if pk in objects],
            add=add,
            url=self.url,
            add_label=self.add_label,
            # The field's errors (includes/field.html) describe the box too.
            invalid=context["widget"]["attrs"].get("aria-invalid") == "true",
            options=(
                [self.label_from_instance(obj) for obj in self.queryset] if self.datalist else []
            ),
        )
        return context

    def id_for_label(self, id_):
        return f"{id_}_add" if id_ else id_


class AutocompleteMultipleField(forms.ModelMultipleChoiceField):
    """Several objects out of many, without a Ctrl-click list: see AutocompleteWidget.

    `lookup(text)` gives the objects a typed name may mean (an exact, case-insensitive
    match on `search_fields`); an unknown or ambiguous name is an error that quotes it.
    """

    widget = AutocompleteWidget
    default_error_messages = {
        **forms.ModelMultipleChoiceField.default_error_messages,
        "unknown": _("Not found: “%(name)s”. Check the spelling or choose from the suggestions."),
        "ambiguous": _("“%(name)s” matches more than one: write the full name."),
    }

    def __init__(self, queryset, *, search_fields=("name",), url="", datalist=False, **kwargs):
        self.search_fields = search_fields
        super().__init__(queryset, **kwargs)
        self.widget.url = url
        self.widget.datalist = datalist

    def _set_queryset(self, queryset):
        super()._set_queryset(queryset)
        self.widget.queryset = self._queryset
        self.widget.label_from_instance = self.label_from_instance

    queryset = property(forms.ModelMultipleChoiceField._get_queryset, _set_queryset)

    def lookup(self, text: str):
        condition = models.Q()
        for name in self.search_fields:
            condition |= models.Q(**{f"{name}__iexact": text})
        return list(self.queryset.filter(condition)[:2])

    def clean(self, value):
        value = value if isinstance(value, dict) else {"chosen": value or [], "add": ""}
        chosen = [str(v) for v in value.get("chosen") or [] if str(v).strip()]
        add = str(value.get("add") or "").replace("\x00", "")
        errors, found = [], []
        for text in (" ".join(part.split()) for part in _NAME_SEPARATORS.split(add)):
            if not text:
                continue
            matches = self.lookup(text)
            if len(matches) == 1:
                found.append(str(matches[0].pk))
            else:
                code = "ambiguous" if matches else "unknown"
                errors.append(
                    forms.ValidationError(
                        self.error_messages[code], code=code, params={"name": text[:100]}
                    )
                )
        if errors:
            raise forms.ValidationError(errors)
        pks = list(dict.fromkeys(chosen + found))
        if self.required and not pks:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        if not pks:
            return self.queryset.none()
        queryset = self._check_values(pks)
        self.run_validators(queryset)
        return queryset

    def prepare_value(self, value):
        if isinstance(value, dict):  # what was sent: shown again as it was
            return value
        return super().prepare_value(value)

    def has_changed(self, initial, data):
        if isinstance(data, dict):
            if (data.get("add") or "").strip():
                return True
            data = data.get("chosen")
        return super().has_changed(initial, data)

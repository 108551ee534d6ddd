"""Numbers are entered and shown the Danish way, and never silently changed."""

from decimal import Decimal

import pytest
from django import forms
from django.template import Context, Template
from django.utils import translation

from komvidere.forms import (
    CoordinateField,
    DanishDecimalField,
    DanishIntegerField,
    format_number,
    parse_danish_number,
)

ACCEPTED = [
    ("12,5", Decimal("12.5")),
    ("2.500.000", Decimal("2500000")),
    ("2 500 000", Decimal("2500000")),
    ("2\u00a0500\u00a0000", Decimal("2500000")),  # no-break spaces, as copied from Excel
    ("2500000", Decimal("2500000")),
    ("12.500,5", Decimal("12500.5")),
    ("2 500,5", Decimal("2500.5")),
    ("0,125", Decimal("0.125")),
    (" 7 ", Decimal("7")),
    ("-3", Decimal("-3")),
]


@pytest.mark.parametrize(("text", "expected"), ACCEPTED)
def test_danish_numbers_are_read_exactly(text, expected):
    assert parse_danish_number(text) == expected


REFUSED = [
    ("1.5", "ambiguous"),  # an English decimal point, or a slip
    ("1.500", "ambiguous"),  # 1500 in Danish, 1.5 in English
    ("1,500", "ambiguous"),  # 1.5 in Danish, 1500 in English
    ("12.500,5.3", "invalid"),
    ("1,2,3", "invalid"),
    ("25 00", "invalid"),
    ("2.50.000", "invalid"),
    ("12,", "invalid"),
    ("mange", "invalid"),
    ("1e5", "invalid"),
    ("١٢", "invalid"),  # digits of another script
    ("12,5 ton", "invalid"),
]


@pytest.mark.parametrize(("text", "code"), REFUSED)
def test_ambiguous_or_malformed_numbers_are_refused(text, code):
    with pytest.raises(forms.ValidationError) as excinfo:
        parse_danish_number(text)
    assert excinfo.value.code == code
    assert text in str(excinfo.value.messages[0]) or code == "invalid"


def test_whole_numbers_take_thousand_dots_but_no_decimals():
    assert parse_danish_number("2.500", decimals=False) == 2500
    assert parse_danish_number("2.500,00", decimals=False) == 2500
    with pytest.raises(forms.ValidationError) as excinfo:
        parse_danish_number("2500,5", decimals=False)
    assert excinfo.value.code == "whole"


def test_coordinates_take_a_decimal_point_or_comma():
    assert parse_danish_number("55.70927", dot_decimal=True) == Decimal("55.70927")
    assert parse_danish_number("55,70927", dot_decimal=True) == Decimal("55.70927")
    assert parse_danish_number("9,536", dot_decimal=True) == Decimal("9.536")


class FiguresForm(forms.Form):
    co2e = DanishDecimalField(max_digits=12, decimal_places=1, required=False, min_value=0)
    budget = DanishIntegerField(required=False)
    latitude = CoordinateField(max_digits=8, decimal_places=5, required=False)


def test_the_form_fields_clean_danish_input():
    form = FiguresForm({"co2e": "12,5", "budget": "2.500.000", "latitude": "55.709"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {
        "co2e": Decimal("12.5"),
        "budget": 2500000,
        "latitude": Decimal("55.709"),
    }


def test_a_refused_number_gets_a_message_next_to_the_field_and_keeps_what_was_typed():
    form = FiguresForm({"co2e": "1.5", "budget": "2500,5", "latitude": ""})
    assert not form.is_valid()
    assert "two ways" in form.errors["co2e"][0] or "to måder" in form.errors["co2e"][0]
    assert "budget" in form.errors
    html = str(form["co2e"])
    assert 'value="1.5"' in html
    assert 'inputmode="decimal"' in html
    assert 'value="2500,5"' in str(form["budget"])


def test_too_many_decimals_or_digits_are_refused_by_the_field():
    assert "co2e" in FiguresForm({"co2e": "12,55"}).errors
    assert "co2e" in FiguresForm({"co2e": "-1"}).errors
    assert "co2e" in FiguresForm({"co2e": "1" + "0" * 20}).errors


def test_a_saved_value_is_shown_in_the_box_so_that_sending_it_again_reads_the_same():
    form = FiguresForm(initial={"co2e": Decimal("1500.5"), "budget": 2500000})
    assert 'value="1500,5"' in str(form["co2e"])
    assert 'value="2500000"' in str(form["budget"])
    again = FiguresForm({"co2e": "1500,5", "budget": "2500000"})
    assert again.is_valid()
    assert again.cleaned_data["co2e"] == Decimal("1500.5")


@pytest.mark.parametrize(
    ("value", "danish", "english"),
    [
        (Decimal("12.5"), "12,5", "12.5"),
        (Decimal("125.0"), "125", "125"),
        (2500000, "2.500.000", "2,500,000"),
        (Decimal("1234.5"), "1.234,5", "1,234.5"),
    ],
)
def test_numbers_are_shown_the_way_the_interface_language_writes_them(value, danish, english):
    template = Template("{% load komvidere %}{{ value|number }}")
    with translation.override("da"):
        assert format_number(value) == danish
        assert template.render(Context({"value": value})) == danish
    with translation.override("en"):
        assert template.render(Context({"value": value})) == english


def test_the_number_filter_leaves_nothing_for_no_value():
    template = Template("{% load komvidere %}[{{ value|number }}]")
    assert template.render(Context({"value": None})) == "[]"

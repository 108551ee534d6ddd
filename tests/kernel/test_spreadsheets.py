"""The kernel's XLSX writer on its own: kinds, sheet names, text that looks like a formula."""

import datetime
from decimal import Decimal

import pytest

from komvidere.spreadsheets import (
    DATE,
    DECIMAL,
    INTEGER,
    LINK,
    Column,
    sheet_title,
    xlsx_workbook,
)


def test_values_of_the_wrong_kind_become_text():
    columns = [Column("n", INTEGER), Column("d", DECIMAL), Column("date", DATE), Column("t")]

    sheet = xlsx_workbook(
        title="T",
        columns=columns,
        rows=[[True, "12,5", "2026-01-01", 7], [3, Decimal("0.25"), datetime.date(2026, 1, 2), ""]],
    ).active

    assert [c.data_type for c in sheet[2]] == ["s", "s", "s", "s"]
    assert [c.value for c in sheet[2]] == ["True", "12,5", "2026-01-01", "7"]
    assert sheet["A3"].value == 3 and sheet["B3"].value == Decimal("0.25")
    assert sheet["C3"].is_date and sheet["D3"].value is None


def test_aware_datetimes_are_refused_rather_than_shifted():
    with pytest.raises(TypeError):
        xlsx_workbook(
            title="T", columns=[Column("d", DATE)], rows=[[datetime.datetime.now(datetime.UTC)]]
        )


def test_formula_like_text_is_a_string_in_every_column():
    sheet = xlsx_workbook(
        title="T", columns=[Column("a"), Column("b", long=True)], rows=[["=1+1", "=SUM(A1)"]]
    ).active

    assert sheet["A2"].data_type == "s" and sheet["B2"].data_type == "s"


@pytest.mark.parametrize(
    ("title", "expected"),
    [("Cases", "Cases"), ("a/b:c*d?[e]\\f", "a-b-c-d--e--f"), ("x" * 40, "x" * 31), ("", "Sheet")],
)
def test_sheet_titles_excel_accepts(title, expected):
    assert sheet_title(title) == expected


def test_text_longer_than_excel_takes_is_cut_with_an_ellipsis():
    sheet = xlsx_workbook(title="T", columns=[Column("a")], rows=[["x" * 40_000]]).active

    assert len(sheet["A2"].value) == 32_767 and sheet["A2"].value.endswith("…")


def test_only_web_addresses_become_links():
    sheet = xlsx_workbook(
        title="T",
        columns=[Column("url", LINK)],
        rows=[["https://komvidere.dk/cases/a/"], ["javascript:alert(1)"], ["=HYPERLINK(1)"]],
    ).active

    assert sheet["A2"].hyperlink.target == "https://komvidere.dk/cases/a/"
    assert sheet["A3"].hyperlink is None and sheet["A4"].hyperlink is None
    assert sheet["A4"].data_type == "s"

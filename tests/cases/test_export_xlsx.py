"""The XLSX download of the case list: typed cells, the list's filters and visibility, no
formulas, a bold frozen header."""

import datetime
import io
import zipfile
from decimal import Decimal

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from cases.models import Status
from komvidere.spreadsheets import XLSX_CONTENT_TYPE
from tests.factories import CaseFactory

URL = "/cases/export.xlsx"


def read_xlsx(response):
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return workbook.active


def rows_by_title(sheet) -> tuple[list, dict]:
    header = [cell.value for cell in sheet[1]]
    rows = {row[0].value: row for row in sheet.iter_rows(min_row=2)}
    return header, rows


def test_a_visitor_is_sent_to_login(client, db):
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_workbook_is_a_download_with_typed_cells(member_client, sectors):
    case = CaseFactory(
        title="Fjernvarme på Ærø og i Østerå",
        summary="Én fælles løsning for små øer.",
        sectors=[sectors["energi"]],
        tags=["fjernvarme", "øer"],
        year_start=2021,
        year_end=2024,
        co2e_tonnes_per_year=Decimal("12.5"),
        budget_dkk=2_500_000,
        last_reviewed_at=datetime.date(2026, 3, 1),
        challenge="Mange **oliefyr** på øen.",
    )

    response = member_client.get(URL)

    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment")
    assert 'filename="kom-videre-cases-' in disposition and disposition.endswith('.xlsx"')
    sheet = read_xlsx(member_client.get(URL))
    assert sheet.title == "Cases"
    header, rows = rows_by_title(sheet)
    row = dict(zip(header, rows["Fjernvarme på Ærø og i Østerå"], strict=True))
    assert row["Resumé"].value == "Én fælles løsning for små øer."
    assert row["Tags"].value == "fjernvarme; øer"
    co2e = row["CO2e-reduktion (ton pr. år)"]
    assert co2e.data_type == "n" and co2e.value == 12.5
    budget = row["Budget (kr.)"]
    assert budget.data_type == "n" and budget.value == 2_500_000
    assert row["Startår"].value == 2021 and row["Startår"].data_type == "n"
    published = row["Udgivet"]
    assert published.is_date
    assert published.value.date() == timezone.localtime(case.published_at).date()
    assert row["Senest gennemgået"].is_date
    assert row["Senest gennemgået"].value.date() == datetime.date(2026, 3, 1)
    assert row["Udfordringen"].value == "Mange **oliefyr** på øen."
    address = row["Adresse"]
    assert address.value.endswith(case.get_absolute_url()) and address.data_type == "s"
    assert address.hyperlink.target == address.value


def test_the_header_is_bold_and_frozen_and_the_columns_have_widths(member_client):
    CaseFactory(title="En case")

    sheet = read_xlsx(member_client.get(URL))

    assert all(cell.font.bold for cell in sheet[1])
    assert sheet.freeze_panes == "A2"
    widths = [sheet.column_dimensions[letter].width for letter in ("A", "B", "C")]
    assert all(8 <= width <= 60 for width in widths)
    assert sheet.auto_filter.ref


def test_the_header_and_title_follow_the_interface_language(member_client, settings):
    CaseFactory(title="En case")
    member_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    sheet = read_xlsx(member_client.get(URL))

    assert sheet.title == "Cases"
    assert sheet["A1"].value == "Title"
    assert sheet["C1"].value == "Summary"


def test_the_same_columns_as_the_csv(member_client):
    CaseFactory(title="En case")

    csv_header = member_client.get("/cases/export.csv").content.decode("utf-8-sig")
    sheet = read_xlsx(member_client.get(URL))

    assert [cell.value for cell in sheet[1]] == csv_header.splitlines()[0].split(";")


def test_the_list_filters_apply(member_client, sectors):
    CaseFactory(title="Energi-case", sectors=[sectors["energi"]], tags=["sol"])
    CaseFactory(title="Transport-case", sectors=[sectors["transport"]])
    CaseFactory(title="Udkast", sectors=[sectors["energi"]], status=Status.DRAFT, published_at=None)

    _header, by_sector = rows_by_title(read_xlsx(member_client.get(URL + "?sector=energi")))
    _header, by_tag = rows_by_title(read_xlsx(member_client.get(URL + "?tag=sol")))
    _header, everything = rows_by_title(read_xlsx(member_client.get(URL + "?sort=title")))

    assert set(by_sector) == {"Energi-case"}
    assert set(by_tag) == {"Energi-case"}
    assert list(everything) == ["Energi-case", "Transport-case"]


def test_only_what_the_member_may_see(member, member_client, other_member):
    CaseFactory(author=member, title="Mit udkast", status=Status.DRAFT, published_at=None)
    CaseFactory(author=other_member, title="Andres udkast", status=Status.DRAFT, published_at=None)
    CaseFactory(author=other_member, title="Andres case")

    _header, published = rows_by_title(read_xlsx(member_client.get(URL)))
    _header, mine = rows_by_title(read_xlsx(member_client.get(URL + "?mine=1")))

    assert set(published) == {"Andres case"}
    assert set(mine) == {"Mit udkast"}


def test_cells_that_look_like_formulas_are_stored_as_text(member_client):
    CaseFactory(
        title='=HYPERLINK("https://evil.example","klik")',
        summary="+SUM(A1:A9)",
        contact_name="@navn",
        solution="-2+3",
    )

    response = member_client.get(URL)
    content = b"".join(response.streaming_content)
    sheet = load_workbook(io.BytesIO(content)).active
    _header, rows = rows_by_title(sheet)

    title = sheet["A2"]
    assert title.value == '=HYPERLINK("https://evil.example","klik")'
    assert title.data_type == "s"
    assert all(cell.data_type != "f" for row in rows.values() for cell in row)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml and "<f " not in xml


def test_control_characters_in_content_do_not_break_the_file(member_client):
    CaseFactory(title="Titel med \x01styretegn\x1f", summary="Linje 1\nLinje 2\tfane")

    sheet = read_xlsx(member_client.get(URL))

    assert sheet["A2"].value == "Titel med styretegn"
    assert sheet["C2"].value == "Linje 1\nLinje 2\tfane"


@pytest.mark.parametrize(
    "query",
    [
        "?sector=nope&sort=%00&page=abc",
        "?q=" + "x" * 3000,
        "?organisation=99999999999999999999&region=<script>",
        "?tag=%F0%9F%98%80&status=weird",
    ],
)
def test_bad_filters_never_break_the_download(member_client, query):
    CaseFactory(title="En case")

    assert member_client.get(URL + query).status_code == 200


def test_the_list_offers_both_downloads_with_the_filters(member_client, sectors, settings):
    CaseFactory(title="Energi-case", sectors=[sectors["energi"]])
    member_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    html = member_client.get("/cases/?sector=energi").content.decode()

    assert 'href="/cases/export.csv?sector=energi"' in html
    assert 'href="/cases/export.xlsx?sector=energi"' in html
    assert "Download as Excel (XLSX)" in html


def test_the_download_does_not_query_per_case(
    member_client, sectors, django_assert_max_num_queries
):
    for number in range(12):
        CaseFactory(title=f"Case {number}", sectors=[sectors["energi"]], tags=["sol", "vind"])

    with django_assert_max_num_queries(20):
        sheet = read_xlsx(member_client.get(URL))

    assert sheet.max_row == 13

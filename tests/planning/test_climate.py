"""/climate/: the sums of what published cases report, the CSV downloads and the municipal
accounts beside the cases per sector."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.models import EmissionRecord, Organisation
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db

URL = reverse("portal:climate")


def _csv(response) -> list[list[str]]:
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


@pytest.fixture
def known_cases(sectors, silkeborg, aarhus):
    """Known figures in two sectors and two municipalities, and cases that must not count."""
    energi, transport = sectors["energi"], sectors["transport"]
    CaseFactory(
        organisation=silkeborg,
        sectors=[energi],
        co2e_tonnes_per_year=Decimal("100.5"),
        co2e_method="measured",
        co2e_baseline_year=2019,
        year_start=2020,
    )
    CaseFactory(
        organisation=silkeborg,
        sectors=[transport],
        co2e_tonnes_per_year=Decimal("40"),
        co2e_method="estimated",
        year_start=2021,
    )
    CaseFactory(
        organisation=aarhus,
        sectors=[energi, transport],
        co2e_tonnes_per_year=Decimal("10"),
        co2e_method="calculated",
        year_start=2020,
    )
    CaseFactory(organisation=aarhus, sectors=[energi], co2e_tonnes_per_year=None)
    CaseFactory(
        organisation=aarhus,
        sectors=[energi],
        co2e_tonnes_per_year=Decimal("9999"),
        status="draft",
        published_at=None,
        title="Kladde med stort tal",
    )
    CaseFactory(
        organisation=aarhus,
        sectors=[energi],
        co2e_tonnes_per_year=Decimal("5000"),
        status="submitted",
        published_at=None,
    )


def _table(response, key):
    return next(t for t in response.context["tables"] if t.key == key)


def test_visitor_is_sent_to_login(client):
    assert client.get(URL).status_code == 302


def test_sums_by_sector_municipality_region_year_and_method(member_client, known_cases):
    response = member_client.get(URL)
    assert response.status_code == 200
    assert response.context["total"] == Decimal("150.5")
    assert response.context["case_count"] == 3
    rows = lambda key: {r.label: (r.total, r.count) for r in _table(response, key).rows}  # noqa: E731
    assert rows("sector") == {
        "Energy": (Decimal("110.5"), 2),
        "Transport": (Decimal("50"), 2),
    }
    assert rows("municipality") == {
        "Silkeborg Kommune": (Decimal("140.5"), 2),
        "Aarhus Kommune": (Decimal("10"), 1),
    }
    assert rows("region") == {"Region Midtjylland": (Decimal("150.5"), 3)}
    assert rows("year") == {"2020": (Decimal("110.5"), 2), "2021": (Decimal("40"), 1)}
    assert rows("method") == {
        "Measured": (Decimal("100.5"), 1),
        "Estimated": (Decimal("40"), 1),
        "Calculated": (Decimal("10"), 1),
    }
    html = response.content.decode()
    assert "Kladde med stort tal" not in html
    assert "9999" not in html and "9.999" not in html
    assert "reported effects, not verified accounts" in html
    assert html.count("<h1") == 1
    # Every chart has a text alternative and the table it comes from.
    assert html.count('role="img"') == 5 + 0  # no emission account yet
    assert 'id="sector-table"' in html


def test_csv_equals_the_table(member_client, known_cases):
    response = member_client.get(URL)
    for table in response.context["tables"]:
        rows = _csv(member_client.get(URL, {"format": "csv", "table": table.key}))
        assert rows[0] == table.csv_header()
        assert rows[1:] == [[row.label, f"{row.total:.1f}", str(row.count)] for row in table.rows]
    # The default table is the sectors; an unknown one is a 404, not a 500.
    assert _csv(member_client.get(URL, {"format": "csv"}))[1][0] == "Energy"
    assert member_client.get(URL, {"format": "csv", "table": "nope"}).status_code == 404


def test_csv_cells_cannot_run_as_formulas(member_client, silkeborg):
    silkeborg.name = '=HYPERLINK("http://evil")'
    silkeborg.save()
    CaseFactory(organisation=silkeborg, co2e_tonnes_per_year=Decimal("1"))
    rows = _csv(member_client.get(URL, {"format": "csv", "table": "municipality"}))
    assert rows[1][0].startswith("'=")


def test_the_case_list_names_method_and_baseline_year(member_client, known_cases):
    response = member_client.get(URL)
    cases = list(response.context["reporting_cases"])
    assert [c.co2e_tonnes_per_year for c in cases] == [Decimal("100.5"), 40, 10]
    html = response.content.decode()
    assert "Measured" in html and "2019" in html


@pytest.fixture
def account(sectors, silkeborg, aarhus):
    rows = [
        (silkeborg, "transport", 400),
        (silkeborg, "energi", 500),
        (silkeborg, "landbrug", 100),
        (aarhus, "transport", 1000),
    ]
    for org, slug, tonnes in rows:
        EmissionRecord.objects.create(
            organisation=org,
            year=2022,
            sector=sectors[slug],
            tonnes_co2e=tonnes,
            source="Energi- og CO2-regnskabet",
            is_sample=True,
        )
    # An older year is not mixed in.
    EmissionRecord.objects.create(
        organisation=silkeborg,
        year=2020,
        sector=sectors["energi"],
        tonnes_co2e=9000,
        source="Energi- og CO2-regnskabet",
    )
    CaseFactory(organisation=silkeborg, sectors=[sectors["transport"]])
    CaseFactory(organisation=aarhus, sectors=[sectors["transport"]])
    CaseFactory(organisation=aarhus, sectors=[sectors["transport"]], status="draft")


def test_emissions_beside_cases_for_one_municipality(member_client, account):
    response = member_client.get(URL, {"organisation": "silkeborg"})
    account = response.context["account"]
    assert account.year == 2022
    assert account.total == 1000
    rows = {r.sector.slug: (r.tonnes, round(r.percent), r.cases, r.own_cases) for r in account.rows}
    assert rows == {
        "energi": (500, 50, 0, 0),
        "transport": (400, 40, 2, 1),
        "landbrug": (100, 10, 0, 0),
    }
    html = response.content.decode()
    assert "Transport is 40 % of the emissions and has 2 cases." in html
    assert "Sample data" in html
    rows = _csv(
        member_client.get(URL, {"organisation": "silkeborg", "format": "csv", "table": "emissions"})
    )
    assert rows[0][:5] == [
        "Sector",
        "Tonnes CO2e",
        "Share of the emissions",
        "Cases on the portal",
        "Cases from Silkeborg",
    ]
    assert rows[1] == ["Energy", "500.0", "50.0", "0", "0", "2022", "yes"]


def test_emissions_of_all_municipalities(member_client, account):
    account = member_client.get(URL).context["account"]
    assert account.organisations == 2
    assert {r.sector.slug: r.tonnes for r in account.rows}["transport"] == 1400


def test_bad_organisation_is_ignored_not_a_500(member_client, account):
    response = member_client.get(URL, {"organisation": "nowhere\x00"})
    assert response.status_code == 200
    assert response.context["organisation"] is None


def test_query_budget(member_client, sectors, django_assert_max_num_queries):
    orgs = list(Organisation.objects.all()[:30])
    for index, org in enumerate(orgs):
        CaseFactory(
            organisation=org,
            sectors=[sectors["energi"], sectors["transport"]],
            co2e_tonnes_per_year=index + 1,
            year_start=2000 + index % 20,
        )
        EmissionRecord.objects.create(
            organisation=org, year=2022, sector=sectors["energi"], tonnes_co2e=100, source="x"
        )
    with django_assert_max_num_queries(16):
        response = member_client.get(URL)
    assert response.context["case_count"] == 30

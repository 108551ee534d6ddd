"""Facets: AND across facets, OR within one; counts match the results; a fixed query budget."""

from urllib.parse import urlencode

import pytest

from accounts.models import Region
from cases.models import Status, WorkStatus
from komvidere import search
from tests.factories import CaseFactory, OrganisationFactory, UserFactory, silkeborg


@pytest.fixture
def library(db, sectors, themes, stages):
    """Four published cases and one draft, with overlapping facet values."""
    aarhus = OrganisationFactory(
        name="Aarhusby Kommune", short_name="Aarhusby", slug="aarhusby", region=Region.MIDTJYLLAND
    )
    odense = OrganisationFactory(
        name="Fynby Kommune", short_name="Fynby", slug="fynby", region=Region.SYDDANMARK
    )
    cases = {
        "a": CaseFactory(
            title="A",
            organisation=aarhus,
            sectors=[sectors["energi"], sectors["transport"]],
            themes=[themes["borgerinddragelse"]],
            plan_stage=stages["implementering"],
            tags=["sol"],
            work_status=WorkStatus.ONGOING,
        ),
        "b": CaseFactory(
            title="B",
            organisation=silkeborg(),
            sectors=[sectors["energi"]],
            themes=[themes["finansiering"]],
            plan_stage=stages["implementering"],
            tags=["vind"],
            work_status=WorkStatus.COMPLETED,
        ),
        "c": CaseFactory(
            title="C",
            organisation=odense,
            sectors=[sectors["transport"]],
            themes=[themes["borgerinddragelse"]],
            plan_stage=stages["kortlaegning"],
            tags=["sol", "cykler"],
            work_status=WorkStatus.COMPLETED,
        ),
        "d": CaseFactory(
            title="D",
            organisation=aarhus,
            sectors=[sectors["klimatilpasning"]],
            tags=["skybrud"],
            work_status=WorkStatus.PLANNED,
        ),
    }
    CaseFactory(
        title="Draft",
        organisation=aarhus,
        sectors=[sectors["energi"]],
        tags=["sol"],
        status=Status.DRAFT,
        published_at=None,
    )
    search.rebuild()  # factories write no search entries; the text filter is the search
    return cases


def titles(response):
    return sorted(case.title for case in response.context["cases"])


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, ["A", "B", "C", "D"]),
        ({"sector": ["energi"]}, ["A", "B"]),
        ({"sector": ["energi", "transport"]}, ["A", "B", "C"]),  # OR within a facet
        ({"sector": ["energi"], "tag": ["sol"]}, ["A"]),  # AND across facets
        ({"sector": ["energi", "transport"], "tag": ["sol"]}, ["A", "C"]),
        ({"tag": ["sol", "skybrud"]}, ["A", "C", "D"]),
        ({"theme": ["borgerinddragelse"], "status": ["completed"]}, ["C"]),
        ({"stage": ["implementering"]}, ["A", "B"]),
        ({"organisation": ["aarhusby"]}, ["A", "D"]),
        ({"region": ["midtjylland"]}, ["A", "B", "D"]),
        ({"region": ["midtjylland", "syddanmark"], "status": ["completed"]}, ["B", "C"]),
        ({"region": ["midtjylland"], "sector": ["transport"], "tag": ["sol"]}, ["A"]),
        ({"sector": ["no-such-sector"], "tag": ["sol"]}, ["A", "C"]),  # a bad value is ignored
        ({"q": "nothing matches this"}, []),
    ],
)
def test_facets_combine(member_client, library, query, expected):
    response = member_client.get("/cases/?" + urlencode(query, doseq=True))

    assert response.status_code == 200
    assert titles(response) == expected
    assert response.context["paginator"].count == len(expected)


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"tag": ["sol"]},
        {"sector": ["energi", "transport"]},
        {"sector": ["transport"], "region": ["midtjylland"]},
        {"status": ["completed"], "theme": ["borgerinddragelse"], "q": "C"},
    ],
)
def test_each_count_is_the_number_of_results_you_get_by_choosing_it(
    member_client, library, query, no_page_cache
):
    """Disjunctive counts: a value's count = results with that value alone in its facet."""
    response = member_client.get("/cases/?" + urlencode(query, doseq=True))
    facets = response.context["facets"]
    assert facets

    checked = 0
    for facet in facets:
        for value in facet.values:
            narrowed = {**query, facet.name: [value.value]}
            result = member_client.get("/cases/?" + urlencode(narrowed, doseq=True))
            assert result.context["paginator"].count == value.count, (facet.name, value)
            checked += 1
    assert checked >= 5


def test_counts_ignore_drafts_and_show_chosen_values(member_client, library):
    response = member_client.get("/cases/?sector=energi")

    by_name = {facet.name: facet for facet in response.context["facets"]}
    sector_counts = {v.value: (v.count, v.selected) for v in by_name["sector"].values}
    assert sector_counts["energi"] == (2, True)  # the draft is not counted
    assert sector_counts["transport"] == (2, False)
    tag_counts = {v.value: v.count for v in by_name["tag"].values}
    assert tag_counts == {"sol": 1, "vind": 1}  # within the energy cases
    html = response.content.decode()
    assert 'name="sector" value="energi" id="facet-sector-energi" checked' in html


def test_the_filter_state_lives_in_the_url(member_client, library):
    response = member_client.get("/cases/?sector=energi&sort=title&q=A")

    html = response.content.decode()
    assert 'value="A"' in html
    assert '<option value="title" selected>' in html
    assert "/cases/export.csv?sector=energi&amp;sort=title&amp;q=A" in html


def make_library(count: int, sectors, themes, stages):
    organisations = [OrganisationFactory() for _ in range(8)]
    authors = [UserFactory() for _ in range(5)]
    sector_list, theme_list, stage_list = (
        list(sectors.values()),
        list(themes.values()),
        list(stages.values()),
    )
    cases = []
    for i in range(count):
        case = CaseFactory(
            organisation=organisations[i % 8],
            author=authors[i % 5],
            plan_stage=stage_list[i % len(stage_list)],
            sectors=[sector_list[i % 10], sector_list[(i + 3) % 10]],
            themes=[theme_list[i % len(theme_list)]],
            tags=[f"emne{i % 12}", f"tema{i % 7}"],
            co2e_tonnes_per_year=i * 10,
        )
        case.partners.set(organisations[(i + 1) % 8 : (i + 3) % 8 or None])
        case.links.create(title="Rapport", url="https://example.org")
        cases.append(case)
    for case in cases[:50]:
        case.related_cases.set(cases[50:55])
    return cases


# Measured: session + user, the page count and the 20 rows, sectors (one prefetch), tags (one
# query for the page), seven facet counts, the header's moderator check and unread count; each
# taxonomy, organisation or tag facet in the URL adds one lookup as the form validates (15, 17).
LIST_BUDGET = 17
# Includes the related box: 3 queries for links from articles and dilemmas, 3 for shared tags;
# and 3 for "other municipalities working on the same" (organisations by cases, by actions,
# people).
DETAIL_BUDGET = 21


def test_the_list_stays_within_a_query_budget_with_200_cases(
    member_client, django_assert_max_num_queries, sectors, themes, stages
):
    make_library(200, sectors, themes, stages)

    with django_assert_max_num_queries(LIST_BUDGET):
        response = member_client.get("/cases/?sort=co2e")
    assert len(response.context["cases"]) == 20
    with django_assert_max_num_queries(LIST_BUDGET):
        response = member_client.get(
            "/cases/?sector=energi&sector=transport&tag=emne1&region=syddanmark&page=1"
        )
    assert response.status_code == 200


def test_the_detail_page_stays_within_a_query_budget(
    member_client, moderator_client, django_assert_max_num_queries, sectors, themes, stages
):
    cases = make_library(200, sectors, themes, stages)
    case = cases[0]

    with django_assert_max_num_queries(DETAIL_BUDGET + 1):  # + whether the member follows it
        response = member_client.get(case.get_absolute_url())
    assert response.status_code == 200
    assert len(response.context["case"].published_related_cases) == 5
    # + the moderation panel and history, + whether the moderator follows the case
    with django_assert_max_num_queries(DETAIL_BUDGET + 3):
        assert moderator_client.get(case.get_absolute_url()).status_code == 200


def test_csv_export_stays_within_a_query_budget(
    member_client, django_assert_max_num_queries, sectors, themes, stages
):
    make_library(200, sectors, themes, stages)

    with django_assert_max_num_queries(12):
        response = member_client.get("/cases/export.csv")
    assert response.content.decode("utf-8-sig").count("\n") == 201

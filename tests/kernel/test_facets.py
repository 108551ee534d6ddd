"""The kernel's facet engine on both faceted lists (cases and articles).

Each list gets the same library: five published items and a draft, with overlapping sectors,
themes, plan stages and tags. The engine must give both lists the same behaviour: AND across
facets, OR within one, disjunctive counts, and the same ordering of values.
"""

from urllib.parse import urlencode

import pytest

from accounts.models import Region
from cases.models import WorkStatus
from komvidere.facets import FacetSet, TagFacet, TaxonomyFacet
from komvidere.models import PlanStage, Sector, Theme
from tests.factories import ArticleFactory, CaseFactory, OrganisationFactory, silkeborg

pytestmark = pytest.mark.django_db


def _taxonomies():
    sectors = {s.slug: s for s in Sector.objects.all()}
    themes = {t.slug: t for t in Theme.objects.all()}
    stages = list(PlanStage.objects.all())
    return sectors, themes, stages


# (title, sector slugs, theme index, stage index, tags); the sixth row is a draft.
ROWS = [
    ("A", ["energi", "transport"], 0, 0, ["sol"]),
    ("B", ["energi"], 1, 0, ["vind"]),
    ("C", ["transport"], 0, 1, ["sol", "cykler"]),
    ("D", ["klimatilpasning"], None, None, ["skybrud", "sol"]),
    ("E", ["energi", "klimatilpasning"], 1, 1, []),
    ("Draft", ["energi", "transport", "klimatilpasning"], 0, 0, ["sol", "vind"]),
]


def _cases():
    sectors, themes, stages = _taxonomies()
    fynby = OrganisationFactory(
        name="Fynby Kommune", short_name="Fynby", slug="fynby", region=Region.SYDDANMARK
    )
    organisations = [silkeborg(), fynby, silkeborg(), fynby, fynby, silkeborg()]
    statuses = [WorkStatus.ONGOING, WorkStatus.COMPLETED, WorkStatus.COMPLETED] * 2
    theme_list = list(themes.values())
    for (title, slugs, theme, stage, tags), organisation, work_status in zip(
        ROWS, organisations, statuses, strict=True
    ):
        extra = {"status": "draft", "published_at": None} if title == "Draft" else {}
        CaseFactory(
            title=title,
            organisation=organisation,
            work_status=work_status,
            sectors=[sectors[s] for s in slugs],
            themes=[] if theme is None else [theme_list[theme]],
            plan_stage=None if stage is None else stages[stage],
            tags=tags,
            **extra,
        )


def _articles():
    sectors, themes, stages = _taxonomies()
    theme_list = list(themes.values())
    kinds = ["video", "guide", "guide", "podcast", "report", "guide"]
    for (title, slugs, theme, stage, tags), kind in zip(ROWS, kinds, strict=True):
        extra = {"status": "draft", "published_at": None} if title == "Draft" else {}
        ArticleFactory(
            title=title,
            kind=kind,
            sectors=[sectors[s] for s in slugs],
            themes=[] if theme is None else [theme_list[theme]],
            plan_stage=None if stage is None else stages[stage],
            tags=tags,
            **extra,
        )


LISTS = {
    "cases": ("/cases/", _cases, "cases", CaseFactory),
    "articles": ("/articles/", _articles, "articles", ArticleFactory),
}


@pytest.fixture(params=list(LISTS))
def content_list(request, member_client, no_page_cache):
    url, make, context_name, factory = LISTS[request.param]
    make()

    def get(query: dict):
        response = member_client.get(url + "?" + urlencode(query, doseq=True))
        assert response.status_code == 200
        return response

    get.kind = request.param
    get.factory = factory
    get.titles = lambda response: sorted(item.title for item in response.context[context_name])
    return get


def _facets(response) -> dict:
    return {facet.name: facet for facet in response.context["facets"]}


def _counts(response, name) -> dict:
    return {v.value: v.count for v in _facets(response)[name].values}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, ["A", "B", "C", "D", "E"]),
        ({"sector": ["energi"]}, ["A", "B", "E"]),
        ({"sector": ["energi", "transport"]}, ["A", "B", "C", "E"]),  # OR within a facet
        ({"sector": ["energi"], "tag": ["sol"]}, ["A"]),  # AND across facets
        ({"sector": ["transport", "klimatilpasning"], "tag": ["sol"]}, ["A", "C", "D"]),
        ({"tag": ["vind", "skybrud"]}, ["B", "D"]),
    ],
)
def test_and_across_facets_or_within_one(content_list, query, expected):
    response = content_list(query)

    assert content_list.titles(response) == expected
    assert response.context["paginator"].count == len(expected)


def test_counts_are_disjunctive(content_list):
    response = content_list({"sector": ["energi"], "tag": ["sol"]})

    # Within "sector": the counts among the "sol" items, as if each sector were chosen alone.
    assert _counts(response, "sector") == {"energi": 1, "transport": 2, "klimatilpasning": 1}
    # Within "tag": every tag among the energy items; the draft is never counted.
    assert _counts(response, "tag") == {"sol": 1, "vind": 1}
    # Another facet describes the current result (A only).
    assert sum(_counts(response, "stage").values()) == 1


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"sector": ["energi", "transport"]},
        {"sector": ["klimatilpasning"], "tag": ["sol", "vind"]},
        {"tag": ["sol"], "stage": ["kortlaegning"]},
    ],
)
def test_each_count_is_what_choosing_that_value_gives(content_list, query):
    response = content_list(query)

    checked = 0
    for facet in response.context["facets"]:
        for value in facet.values:
            narrowed = {**query, facet.name: [value.value]}
            result = content_list(narrowed)
            assert result.context["paginator"].count == value.count, (facet.name, value)
            checked += 1
    assert checked >= 6


def test_taxonomy_values_follow_position_then_name(content_list):
    """Not the database's row order, not the name alone: position first, then name."""
    content_list.factory(sectors=[Sector.objects.get(slug="bygninger")])
    first, second, third, fourth = Sector.objects.filter(
        slug__in=["energi", "transport", "klimatilpasning", "bygninger"]
    ).order_by("pk")
    for sector, position, name in [
        (fourth, 1, "Mellem"),
        (first, 2, "Zeta"),
        (second, 2, "Alfa"),
        (third, 3, "Beta"),
    ]:
        Sector.objects.filter(pk=sector.pk).update(position=position, name=name)

    response = content_list({})

    shown = [v.value for v in _facets(response)["sector"].values]
    assert shown == [fourth.slug, second.slug, first.slug, third.slug]
    for name, model in [("theme", Theme), ("stage", PlanStage)]:
        shown = [v.value for v in _facets(response)[name].values]
        in_order = [t.slug for t in model.objects.order_by("position", "name") if t.slug in shown]
        assert shown == in_order, name


def test_choices_in_their_order_tags_by_use_and_a_chosen_empty_value_kept(content_list):
    response = content_list({"tag": ["cykler"], "sector": ["klimatilpasning"]})

    tags = _facets(response)["tag"].values
    # Among the climate-adaptation items: "skybrud" and "sol" once each, then by name; the
    # chosen "cykler" has no result with that sector, but keeps its (checked) box.
    assert [(v.value, v.count, v.selected) for v in tags] == [
        ("skybrud", 1, False),
        ("sol", 1, False),
        ("cykler", 0, True),
    ]
    response = content_list({})
    tag_order = [(v.count, v.value) for v in _facets(response)["tag"].values]
    assert tag_order == sorted(tag_order, key=lambda pair: (-pair[0], pair[1]))
    choice_facet = "status" if content_list.kind == "cases" else "kind"
    values = [v.value for v in _facets(response)[choice_facet].values]
    declared = {
        "status": [c.value for c in WorkStatus],
        "kind": ["guide", "method", "tool", "report", "podcast", "video", "news"],
    }[choice_facet]
    assert len(values) >= 2
    assert values == [value for value in declared if value in values]


def test_the_facet_template_checks_the_chosen_values(content_list):
    html = content_list({"sector": ["transport"]}).content.decode()

    assert 'name="sector" value="transport"' in html
    assert html.count(" checked>") == 1
    assert 'class="facet__count"' in html


def test_a_facet_set_works_on_any_model_with_the_fields():
    """The engine knows no app: a set declared over articles filters and counts them alone."""
    from articles.models import Article

    _articles()
    facets = FacetSet(Article, [TaxonomyFacet("sector", "sectors"), TagFacet()])
    sol = Article.objects.filter(title="A").get().tags.get(slug="sol")
    data = {"tag": [sol]}

    result = facets.apply(Article.objects.published(), data)
    counts = {
        f.name: {v.value: v.count for v in f.values}
        for f in facets.counts(Article.objects.published(), data)
    }

    assert sorted(result.values_list("title", flat=True)) == ["A", "C", "D"]
    assert counts["sector"] == {"energi": 1, "transport": 2, "klimatilpasning": 1}
    assert counts["tag"]["sol"] == 3 and counts["tag"]["vind"] == 1

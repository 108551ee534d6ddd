"""One filter pattern for cases, articles and dilemmas: folding groups with counts, an apply
button at the top, removable chips, a "Filtrér" button and htmx only as an enhancement."""

import pytest

from tests.factories import ArticleFactory, CaseFactory, DilemmaFactory

LISTS = {
    "cases": ("/cases/", CaseFactory),
    "articles": ("/articles/", ArticleFactory),
    "dilemmas": ("/dilemmas/", DilemmaFactory),
}


def _make(factory, sector):
    item = factory()
    item.sectors.set([sector])
    return item


@pytest.fixture
def energi(db):
    from komvidere.models import Sector

    return Sector.objects.get(slug="energi")


@pytest.mark.parametrize("name", LISTS)
def test_every_list_has_the_one_filter_pattern(member_client, energi, name):
    url, factory = LISTS[name]
    _make(factory, energi)

    html = member_client.get(url).content.decode()

    assert html.count('<details class="filter-panel" id="filter-panel"') == 1
    assert "Filtrér" in html or ">Filter" in html
    assert '<details class="facet" id="facet-sector">' in html  # folded: nothing chosen
    assert 'class="facet__count">(1' in html
    assert html.index('class="filter-panel__actions"') < html.index('id="facet-sector"')
    assert 'hx-get="' + url + '"' in html
    assert "django_htmx/htmx" in html  # the vendored copy, no CDN
    assert "css/filters.css" in html
    assert 'id="active-filters"' not in html


@pytest.mark.parametrize("name", LISTS)
def test_a_chosen_value_opens_its_group_and_becomes_a_removable_chip(member_client, energi, name):
    url, factory = LISTS[name]
    _make(factory, energi)

    response = member_client.get(f"{url}?sector=energi&q=varme&page=1")
    html = response.content.decode()

    assert '<details class="facet" id="facet-sector" open>' in html
    chips = {chip.label: chip.url for chip in response.context["chips"]}
    assert chips["“varme”"] == "?sector=energi"
    label = next(label for label in chips if label.endswith(": Energi"))
    assert chips[label] == "?q=varme"
    assert 'id="active-filters"' in html
    assert f'href="{url}">' in html or "Nulstil filtre" in html


def test_the_dilemma_list_filters_by_several_values_and_keeps_its_own_filters(
    member_client, member, energi
):
    open_one = DilemmaFactory(title="Åben tråd")
    closed = DilemmaFactory(title="Lukket tråd", status="closed")
    DilemmaFactory(title="Besvaret tråd", reply_count=2)

    response = member_client.get("/dilemmas/?status=open&status=closed&no_replies=1")

    assert set(response.context["dilemmas"]) == {open_one, closed}
    labels = [chip.label for chip in response.context["chips"]]
    assert len(labels) == 3
    html = response.content.decode()
    assert 'name="no_replies"' in html


def test_the_organisation_of_anonymous_askers_is_never_a_facet(member_client):
    asker = DilemmaFactory(anonymous=True)

    response = member_client.get("/dilemmas/")

    assert "organisation" not in [facet.name for facet in response.context["facets"]]
    html = response.content.decode()
    assert (
        asker.organisation.short_name
        not in html.split('id="filter-panel"')[1].split("</details>")[-2]
    )


def test_an_organisation_filter_from_a_link_is_kept_as_a_chip(member_client):
    shown = DilemmaFactory()
    slug = shown.organisation.slug

    response = member_client.get(f"/dilemmas/?organisation={slug}")

    assert [chip.url for chip in response.context["chips"]] == ["?"]
    assert f'type="hidden" name="organisation" value="{slug}"' in response.content.decode()

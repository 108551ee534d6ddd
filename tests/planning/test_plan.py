"""/plan/ and /plan/<stage>/: the six stages in order with their published items, never
drafts; the stage filter on the dilemma list and on search; the stage asked when writing."""

import pytest
from django.urls import reverse

from cases.forms import CaseForm
from dilemmas.forms import DilemmaForm
from komvidere import search
from tests.factories import ArticleFactory, CaseFactory, DilemmaFactory, ReplyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def content(stages):
    kort, impl = stages["kortlaegning"], stages["implementering"]
    return {
        "case": CaseFactory(title="Klimaregnskab i Silkeborg", plan_stage=kort),
        "draft": CaseFactory(
            title="Kladde om kortlægning", plan_stage=kort, status="draft", published_at=None
        ),
        "submitted": CaseFactory(
            title="Indsendt om kortlægning",
            plan_stage=kort,
            status="submitted",
            published_at=None,
        ),
        "other": CaseFactory(title="Ladestandere i Testrup", plan_stage=impl),
        "article": ArticleFactory(title="Guide til basisåret", plan_stage=kort),
        "draft_article": ArticleFactory(
            title="Kladdeartikel", plan_stage=kort, status="draft", published_at=None
        ),
        "dilemma": DilemmaFactory(title="Hvordan kortlægger vi scope 3?", plan_stage=kort),
        "closed": DilemmaFactory(
            title="Afsluttet kortlægning", plan_stage=kort, status="concluded", conclusion="Sådan."
        ),
        "hidden": DilemmaFactory(title="Skjult kortlægning", plan_stage=kort, hidden=True),
    }


def test_the_cycle_shows_six_stages_in_order(member_client, content):
    response = member_client.get(reverse("portal:plan"))
    assert response.status_code == 200
    stages = response.context["stages"]
    assert [s.slug for s in stages] == [
        "forankring-og-samarbejde",
        "kortlaegning",
        "maal-og-handlinger",
        "implementering",
        "opfoelgning",
        "revision-og-recertificering",
    ]
    assert all(s.description for s in stages)
    kort = stages[1]
    assert kort.cases == [content["case"]] and kort.cases_count == 1
    assert kort.articles == [content["article"]] and kort.articles_count == 1
    assert kort.dilemmas == [content["dilemma"]] and kort.dilemmas_count == 1
    assert stages[3].cases == [content["other"]]
    html = response.content.decode()
    for name in ("draft", "submitted", "draft_article", "closed", "hidden"):
        assert content[name].title not in html
    assert html.count("<h1") == 1
    assert "?stage=kortlaegning" in html
    assert "The starting point: the municipality" in html  # from portal/data/plan_stages.toml


def test_one_stage_lists_its_published_items(member_client, content):
    response = member_client.get(reverse("portal:plan_stage", args=["kortlaegning"]))
    assert response.status_code == 200
    assert response.context["number"] == 2
    assert response.context["cases"] == [content["case"]]
    assert response.context["articles"] == [content["article"]]
    assert response.context["dilemmas"] == [content["dilemma"]]
    html = response.content.decode()
    assert "Ladestandere i Testrup" not in html
    for name in ("draft", "submitted", "draft_article", "closed", "hidden"):
        assert content[name].title not in html
    assert member_client.get(reverse("portal:plan_stage", args=["nope"])).status_code == 404


def test_visitor_is_sent_to_login(client):
    assert client.get(reverse("portal:plan")).status_code == 302


def test_stage_filter_on_the_dilemma_list(member_client, content, stages):
    DilemmaFactory(title="Dilemma uden fase")
    url = reverse("dilemmas:list")
    response = member_client.get(url, {"stage": "kortlaegning"})
    titles = {d.title for d in response.context["dilemmas"]}
    assert titles == {"Hvordan kortlægger vi scope 3?", "Afsluttet kortlægning"}
    open_only = member_client.get(url, {"stage": "kortlaegning", "status": "open"})
    assert [d.title for d in open_only.context["dilemmas"]] == ["Hvordan kortlægger vi scope 3?"]
    # An unknown stage is ignored with a message next to the field, not a 500.
    assert member_client.get(url, {"stage": "nope\x00"}).status_code == 200


def test_stage_filter_on_search(member_client, stages):
    kort, impl = stages["kortlaegning"], stages["implementering"]
    items = [
        CaseFactory(title="Varmeplan kortlagt", plan_stage=kort),
        CaseFactory(title="Varmeplan gennemført", plan_stage=impl),
        ArticleFactory(title="Varmeplan guide", plan_stage=kort),
    ]
    thread = DilemmaFactory(title="Spørgsmål om fjernvarme", plan_stage=impl)
    reply = ReplyFactory(dilemma=thread, body="Vores varmeplan tog to år.")
    for item in [*items, thread, reply]:
        search.index(item)
    url = reverse("portal:search")

    def titles(**params):
        response = member_client.get(url, {"q": "varmeplan", **params})
        assert response.status_code == 200
        return sorted(entry.title for entry in response.context["results"])

    assert len(titles()) == 4
    assert titles(stage="kortlaegning") == ["Varmeplan guide", "Varmeplan kortlagt"]
    # A reply counts in its thread's stage.
    implementation = titles(stage="implementering")
    assert "Varmeplan gennemført" in implementation and len(implementation) == 2
    assert titles(stage="implementering", type="case") == ["Varmeplan gennemført"]
    assert len(titles(stage="nope")) == 4  # an unknown stage is ignored


def test_the_stage_is_asked_with_dont_know_allowed():
    for form in (CaseForm(), DilemmaForm()):
        field = form.fields["plan_stage"]
        assert not field.required
        assert str(field.empty_label).startswith("Don't know")
        assert "planning cycle" in str(field.help_text)


def test_query_budgets(member_client, stages, django_assert_max_num_queries):
    for stage in stages.values():
        for _n in range(6):
            CaseFactory(plan_stage=stage)
            ArticleFactory(plan_stage=stage)
            DilemmaFactory(plan_stage=stage)
    with django_assert_max_num_queries(14):
        response = member_client.get(reverse("portal:plan"))
    assert all(len(s.cases) == 3 and s.cases_count == 6 for s in response.context["stages"])
    with django_assert_max_num_queries(14):
        member_client.get(reverse("portal:plan_stage", args=["opfoelgning"]))

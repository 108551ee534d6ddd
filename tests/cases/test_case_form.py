"""Writing a case: Danish numbers, sections, lenient drafts and the Climate-ADAPT fields."""

import re
from decimal import Decimal

import pytest

from cases import services
from cases.models import Case, Status
from tests.cases.conftest import case_form_data
from tests.factories import CaseFactory, silkeborg


def post_new(client, sector, **change):
    return client.post("/cases/new/", case_form_data([sector.pk], silkeborg().pk, **change))


@pytest.mark.parametrize(
    ("typed", "saved"),
    [("12,5", Decimal("12.5")), ("1.250,5", Decimal("1250.5")), ("7", Decimal("7"))],
)
def test_a_danish_decimal_co2e_is_saved_exactly(member_client, sector, typed, saved):
    response = post_new(member_client, sector, co2e_tonnes_per_year=typed)

    assert response.status_code == 302, response.context["form"].errors
    assert Case.objects.get().co2e_tonnes_per_year == saved


@pytest.mark.parametrize("typed", ["2.500.000", "2 500 000", "2500000", "2.500.000,00"])
def test_a_budget_with_thousand_separators_is_saved_as_the_number(member_client, sector, typed):
    response = post_new(member_client, sector, budget_dkk=typed)

    assert response.status_code == 302, response.context["form"].errors
    assert Case.objects.get().budget_dkk == 2_500_000


@pytest.mark.parametrize(
    ("field", "typed"),
    [
        ("co2e_tonnes_per_year", "1.5"),
        ("co2e_tonnes_per_year", "1.500"),
        ("co2e_tonnes_per_year", "12.500,5.3"),
        ("budget_dkk", "1,500"),
        ("budget_dkk", "2500,5"),
        ("latitude", "55,7.1"),
    ],
)
def test_ambiguous_numbers_are_refused_next_to_the_field_and_kept(
    member_client, sector, field, typed
):
    response = post_new(member_client, sector, action="submit", **{field: typed})

    assert response.status_code == 200
    form = response.context["form"]
    assert field in form.errors
    html = response.content.decode()
    assert f'id="id_{field}_error"' in html  # the message next to the field
    assert f'value="{typed}"' in html  # what was typed is kept
    assert not Case.objects.exists()


def test_the_detail_page_and_the_list_show_numbers_the_danish_way(member_client, member, sector):
    case = CaseFactory(
        author=member, sectors=[sector], co2e_tonnes_per_year=Decimal("12.5"), budget_dkk=2500000
    )

    detail = member_client.get(case.get_absolute_url()).content.decode()
    listing = member_client.get("/cases/").content.decode()

    assert "12,5 ton" in detail
    assert "2.500.000" in detail
    assert "12,5 ton" in listing
    assert "125 ton" not in detail + listing


def test_the_edit_form_shows_the_saved_figures_so_that_saving_again_changes_nothing(
    member_client, member, sector
):
    case = CaseFactory(
        author=member,
        sectors=[sector],
        status=Status.DRAFT,
        published_at=None,
        co2e_tonnes_per_year=Decimal("1500.5"),
        budget_dkk=2500000,
    )
    form = member_client.get(case.get_edit_url()).context["form"]
    assert 'value="1500,5"' in str(form["co2e_tonnes_per_year"])

    data = case_form_data(
        [sector.pk],
        silkeborg().pk,
        co2e_tonnes_per_year=form["co2e_tonnes_per_year"].value(),
        budget_dkk=form["budget_dkk"].value(),
    )
    data["co2e_tonnes_per_year"] = re.search(
        r'value="([^"]*)"', str(form["co2e_tonnes_per_year"])
    ).group(1)
    data["budget_dkk"] = re.search(r'value="([^"]*)"', str(form["budget_dkk"])).group(1)
    member_client.post(case.get_edit_url(), data)

    case.refresh_from_db()
    assert case.co2e_tonnes_per_year == Decimal("1500.5")
    assert case.budget_dkk == 2500000


# --- lenient drafts ---------------------------------------------------------------------------


def test_save_draft_keeps_what_is_valid_and_shows_the_rest_as_typed(member_client, sector):
    response = post_new(
        member_client,
        sector,
        co2e_tonnes_per_year="1.5",
        contact_email="ikke en adresse",
        lessons_learned="Det her skal ikke gå tabt 🌱",
    )

    assert response.status_code == 200
    case = Case.objects.get()
    assert case.status == Status.DRAFT
    assert case.lessons_learned == "Det her skal ikke gå tabt 🌱"
    assert case.budget_dkk == 1_800_000
    assert case.co2e_tonnes_per_year is None
    assert case.contact_email == ""
    form = response.context["form"]
    assert set(form.errors) == {"co2e_tonnes_per_year", "contact_email"}
    html = response.content.decode()
    assert 'value="1.5"' in html
    assert "ikke en adresse" in html
    assert f'action="{case.get_edit_url()}"' in html  # saving again updates this draft
    assert "error-summary" in html

    again = {
        **case_form_data([sector.pk], silkeborg().pk),
        "co2e_tonnes_per_year": "1,5",
        "contact_email": "mette@silkeborg.dk",
    }
    assert member_client.post(case.get_edit_url(), again).status_code == 302
    assert Case.objects.count() == 1
    case.refresh_from_db()
    assert case.co2e_tonnes_per_year == Decimal("1.5")


def test_a_draft_needs_only_a_title_and_is_complete_before_it_is_submitted(
    member_client, member, sector
):
    response = member_client.post(
        "/cases/new/", {"title": "Kun en titel", "organisation": silkeborg().pk, "action": "draft"}
    )

    assert response.status_code == 302, response.context["form"].errors
    case = Case.objects.get()
    assert case.summary == ""
    assert case.status == Status.DRAFT

    response = member_client.post(f"{case.get_absolute_url()}submit/", follow=True)
    case.refresh_from_db()
    assert case.status == Status.DRAFT
    assert "summary" in response.content.decode().lower() or "resumé" in response.content.decode()

    with pytest.raises(services.ValidationError):
        services.case_submit(case=case, user=member)


def test_a_draft_without_a_title_is_not_saved_and_keeps_what_was_typed(member_client, sector):
    response = post_new(member_client, sector, title="", challenge="Noget vigtigt")

    assert response.status_code == 200
    assert "title" in response.context["form"].errors
    assert "Noget vigtigt" in response.content.decode()
    assert not Case.objects.exists()


def test_submit_still_requires_every_required_field(member_client, sector):
    response = post_new(member_client, sector, action="submit", summary="", sectors=[])

    assert {"summary", "sectors"} <= set(response.context["form"].errors)
    assert not Case.objects.exists()


def test_editing_a_published_case_is_never_lenient(member_client, member, sector):
    case = CaseFactory(author=member, sectors=[sector], budget_dkk=10)
    data = case_form_data([sector.pk], silkeborg().pk, budget_dkk="1.5", title="Nyt navn")

    response = member_client.post(case.get_edit_url(), data)

    assert response.status_code == 200
    case.refresh_from_db()
    assert case.title != "Nyt navn"
    assert case.budget_dkk == 10


# --- sections and help ------------------------------------------------------------------------


def test_the_form_is_in_collapsible_sections_with_one_formatting_help(member_client):
    html = member_client.get("/cases/new/").content.decode()

    assert html.count('<details class="form-section"') == 7
    assert html.count('<details class="form-section" id="section-basics" open>') == 1
    assert html.count("How to format the text") + html.count("Sådan formaterer du") == 1
    assert "Markdown: **bold**" not in html
    assert html.count("data-markdown") == 10  # every story field gets the toolbar
    assert 'href="#section-figures"' in html
    assert "js/case-form.js" in html
    assert "css/filters.css" in html


def test_a_section_with_errors_opens_and_says_so(member_client, sector):
    response = post_new(member_client, sector, action="submit", budget_dkk="1,500")
    html = response.content.decode()

    assert '<details class="form-section" id="section-figures" open>' in html
    assert '<details class="form-section" id="section-contact">' in html
    assert "autofocus" in html.split('class="error-summary"')[1].split(">")[0]


# --- the Climate-ADAPT fields ---------------------------------------------------------------------


def test_the_climate_adapt_fields_are_saved_and_shown(member_client, moderator, sector):
    response = post_new(
        member_client,
        sector,
        action="submit",
        success_factors="En stærk **projektleder**.",
        limiting_factors="Lange sagsbehandlingstider.",
        implementation_time="2 år",
        co2e_method="measured",
        co2e_baseline_year="2019",
        location_address="Havnegade 1, Vejle",
        latitude="55.70927",
        longitude="9,53570",
    )

    assert response.status_code == 302, response.context["form"].errors
    case = Case.objects.get()
    assert case.success_factors == "En stærk **projektleder**."
    assert case.co2e_method == "measured"
    assert case.co2e_baseline_year == 2019
    assert (case.latitude, case.longitude) == (Decimal("55.70927"), Decimal("9.53570"))
    services.case_publish(case=case, user=moderator)

    html = member_client.get(case.get_absolute_url()).content.decode()
    assert "<strong>projektleder</strong>" in html
    assert "Lange sagsbehandlingstider." in html
    assert "2 år" in html
    assert "Havnegade 1, Vejle" in html
    assert "55,70927" in html
    assert "2019" in html


def test_a_point_needs_both_coordinates(member_client, sector):
    response = post_new(member_client, sector, action="submit", latitude="55,7")

    assert "longitude" in response.context["form"].errors
    assert not Case.objects.exists()


def test_a_draft_saved_with_a_bad_cover_image_keeps_the_rest(member_client, sector):
    from tests.cases.conftest import upload

    data = case_form_data([sector.pk], silkeborg().pk)
    fake = upload("forside.png", b"not an image at all")

    response = member_client.post("/cases/new/", {**data, "cover_image": fake})

    assert "cover_image" in response.context["form"].errors
    case = Case.objects.get()
    assert not case.cover_image
    assert case.title == data["title"]


# --- partners and related cases: autocomplete with a plain fallback ---------------------------


def test_partners_are_added_by_typed_names_without_javascript(member_client, sector):
    from accounts.models import Organisation

    aarhus = Organisation.objects.get(slug="aarhus")
    response = post_new(member_client, sector, partners_add=f"{aarhus.name}; vejle kommune")

    assert response.status_code == 302, response.context["form"].errors
    case = Case.objects.get()
    assert set(case.partners.values_list("slug", flat=True)) == {"aarhus", "vejle"}

    html = member_client.get(case.get_edit_url()).content.decode()
    assert f'name="partners" value="{aarhus.pk}" id="id_partners_{aarhus.pk}" checked' in html
    assert "<select" not in html.split('id="id_partners"')[1][:400]  # no Ctrl-click list


def test_an_unknown_partner_name_is_an_error_that_keeps_the_typed_text(member_client, sector):
    response = post_new(member_client, sector, action="submit", partners_add="Atlantis Kommune")

    assert response.status_code == 200
    errors = response.context["form"].errors["partners"]
    assert "Atlantis Kommune" in errors[0]
    assert 'value="Atlantis Kommune"' in response.content.decode()
    assert not Case.objects.exists()


def test_unticking_a_partner_removes_it(member_client, member, sector):
    from accounts.models import Organisation

    case = CaseFactory(author=member, sectors=[sector], status=Status.DRAFT, published_at=None)
    case.partners.set(Organisation.objects.filter(slug__in=["aarhus", "vejle"]))
    vejle = Organisation.objects.get(slug="vejle")
    data = case_form_data([sector.pk], silkeborg().pk, partners=[vejle.pk])

    assert member_client.post(case.get_edit_url(), data).status_code == 302
    assert list(case.partners.values_list("slug", flat=True)) == ["vejle"]


def test_related_cases_by_title_or_address(member_client, member, sector):
    first = CaseFactory(title="Solceller på skolerne")
    second = CaseFactory(title="Cykelstier i byen")
    draft = CaseFactory(title="Ikke udgivet", status=Status.DRAFT, published_at=None)

    response = post_new(
        member_client,
        sector,
        related_cases_add=f"solceller på skolerne\nhttp://testserver{second.get_absolute_url()}",
    )
    assert response.status_code == 302, response.context["form"].errors
    assert set(Case.objects.get(title="Varmepumper i landsbyerne").related_cases.all()) == {
        first,
        second,
    }

    response = post_new(member_client, sector, action="submit", related_cases_add=draft.title)
    assert "related_cases" in response.context["form"].errors  # drafts cannot be related


def test_the_suggestions_are_json_for_members_only(
    client, member_client, django_assert_max_num_queries
):
    with django_assert_max_num_queries(6):
        response = member_client.get("/cases/suggest/organisations/?q=aar")
    names = [item["label"] for item in response.json()["results"]]
    assert "Aarhus Kommune" in names
    assert all("aar" in name.lower() for name in names)
    assert member_client.get("/cases/suggest/organisations/?q=").json() == {"results": []}
    assert member_client.get("/cases/suggest/organisations/?q=a%00b").status_code == 200
    assert member_client.get("/cases/suggest/organisations/?q=" + "x" * 500).json() == {
        "results": []
    }
    assert client.get("/cases/suggest/organisations/?q=aar").status_code == 302


def test_case_suggestions_offer_published_cases_but_not_the_case_itself(member_client):
    shown = CaseFactory(title="Solceller på skolerne")
    itself = CaseFactory(title="Solceller på rådhuset")
    CaseFactory(title="Solceller i kladde", status=Status.DRAFT, published_at=None)

    response = member_client.get(f"/cases/suggest/cases/?q=solceller&exclude={itself.pk}")

    assert [item["id"] for item in response.json()["results"]] == [shown.pk]
    assert response.json()["results"][0]["detail"] == shown.organisation.short_name

"""Climate plans and plan actions: kept by the organisation's members and coordinators,
loaded from CSV, shown on the organisation page with the cases under each action; a case
names its plan action; "other municipalities working on the same" on a case."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts import services
from accounts.models import ClimatePlan, PlanAction
from cases import services as case_services
from tests.factories import CaseFactory, ModeratorFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def _plan_url(org):
    return reverse("accounts:plan_edit", kwargs={"slug": org.slug})


def test_the_ladder(client, member_client, moderator_client, silkeborg, aarhus):
    url = _plan_url(silkeborg)
    assert client.get(url).status_code == 302
    assert member_client.get(url).status_code == 200  # a Silkeborg member
    assert member_client.get(_plan_url(aarhus)).status_code == 403
    assert moderator_client.get(_plan_url(aarhus)).status_code == 200
    response = member_client.post(
        reverse("accounts:plan_action_create", kwargs={"slug": "aarhus"}),
        {"new-title": "Ikke vores"},
    )
    assert response.status_code == 403
    assert not PlanAction.objects.exists()


def test_members_keep_the_plan_and_its_actions(member_client, silkeborg, sectors):
    response = member_client.post(
        _plan_url(silkeborg),
        {
            "url": "https://silkeborg.dk/klimaplan",
            "adopted_year": "2021",
            "reduction_2030_percent": "70",
            "net_zero_year": "2050",
        },
    )
    assert response.status_code == 302
    plan = ClimatePlan.objects.get(organisation=silkeborg)
    assert (plan.adopted_year, plan.reduction_2030_percent, plan.net_zero_year) == (2021, 70, 2050)

    create = reverse("accounts:plan_action_create", kwargs={"slug": "silkeborg"})
    member_client.post(
        create,
        {"new-code": "T1", "new-title": "Ladestandere", "new-sector": sectors["transport"].pk},
    )
    action = PlanAction.objects.get()
    assert action.sector == sectors["transport"] and action.position == 1
    # A duplicate title is refused next to the field, the input kept.
    response = member_client.post(create, {"new-title": "ladestandere"})
    assert response.status_code == 400
    assert "already has an action with this title" in response.content.decode()
    assert 'value="ladestandere"' in response.content.decode()

    edit = reverse("accounts:plan_action_edit", kwargs={"slug": "silkeborg", "pk": action.pk})
    response = member_client.post(edit, {"code": "T1", "title": "Flere ladestandere"})
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.title == "Flere ladestandere" and action.sector is None
    delete = reverse("accounts:plan_action_delete", kwargs={"slug": "silkeborg", "pk": action.pk})
    assert member_client.post(delete).status_code == 302
    assert not PlanAction.objects.exists()


def test_bad_plan_input_is_refused_with_a_message(member_client, silkeborg):
    response = member_client.post(
        _plan_url(silkeborg),
        {"url": "javascript:alert(1)", "reduction_2030_percent": "170", "net_zero_year": "x\x00"},
    )
    assert response.status_code == 400
    assert not ClimatePlan.objects.exists()


def test_actions_from_csv_all_or_nothing(member_client, silkeborg, sectors):
    services.plan_action_create(
        organisation=silkeborg, user=UserFactory(), title="Gammel", code="E1"
    )
    url = reverse("accounts:plan_actions_import", kwargs={"slug": "silkeborg"})

    def upload(text):
        return member_client.post(
            url, {"csv-file": SimpleUploadedFile("a.csv", text.encode(), "text/csv")}
        )

    bad = "code,title,sector,description\nT1,Cykelstier,transport,\nT2,,transport,\nT3,X,Rumfart,\n"
    response = upload(bad)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Line 3: the title is missing." in html
    assert "Line 4: unknown sector “Rumfart”." in html
    assert PlanAction.objects.count() == 1

    good = (
        "code;title;sector;description\nE1;Fjernvarme til alle;energi;Udbygning\n"
        "T1;Cykelstier;Transport;\n"
    )
    assert upload(good).status_code == 302
    actions = {a.code: a for a in PlanAction.objects.filter(organisation=silkeborg)}
    assert actions["E1"].title == "Fjernvarme til alle"  # updated by its number
    assert actions["T1"].sector == sectors["transport"] and actions["T1"].position == 2


def test_services_refuse_outsiders(aarhus):
    with pytest.raises(PermissionDenied):
        services.plan_action_create(organisation=aarhus, user=UserFactory(), title="X")
    moderator = ModeratorFactory()
    services.plan_action_create(organisation=aarhus, user=moderator, title="X")
    with pytest.raises(ValidationError):
        services.plan_action_create(organisation=aarhus, user=moderator, title="")


def test_organisation_page_shows_plan_actions_and_their_cases(
    member_client, silkeborg, django_assert_max_num_queries
):
    user = UserFactory()
    services.climate_plan_save(
        organisation=silkeborg,
        user=user,
        url="https://x.dk/plan",
        adopted_year=2021,
        reduction_2030_percent=70,
        net_zero_year=2045,
    )
    for n in range(8):
        action = services.plan_action_create(
            organisation=silkeborg, user=user, title=f"Indsats {n}", code=f"A{n}"
        )
        CaseFactory(title=f"Case under indsats {n}", plan_action=action)
        CaseFactory(title=f"Kladde under indsats {n}", plan_action=action, status="draft")
    with django_assert_max_num_queries(14):
        response = member_client.get(silkeborg.get_absolute_url())
    html = response.content.decode()
    assert "70 % less greenhouse gas than in 1990" in html and "2045" in html
    assert "Case under indsats 7" in html and "Kladde under indsats" not in html
    assert "Edit the climate plan and its actions" in html


def test_a_case_names_an_action_of_its_own_organisation(member, silkeborg, aarhus):
    own = services.plan_action_create(organisation=silkeborg, user=member, title="Egen")
    coordinator = ModeratorFactory()
    other = services.plan_action_create(organisation=aarhus, user=coordinator, title="Fremmed")
    case = case_services.case_create(
        author=member, title="Ny case", summary="Kort.", organisation=silkeborg, plan_action=own
    )
    assert case.plan_action == own
    with pytest.raises(ValidationError) as error:
        case_services.case_update(case=case, editor=member, plan_action=other)
    assert "plan_action" in error.value.error_dict


def test_the_case_form_offers_the_lead_organisations_actions(
    member_client, member, silkeborg, aarhus
):
    own = services.plan_action_create(organisation=silkeborg, user=member, title="Egen indsats")
    services.plan_action_create(organisation=aarhus, user=ModeratorFactory(), title="Fremmed")
    html = member_client.get(reverse("cases:create")).content.decode()
    assert "Egen indsats" in html and "Fremmed" not in html
    case = CaseFactory(
        author=member, plan_action=own, co2e_method="measured", co2e_baseline_year=2018
    )
    html = member_client.get(case.get_absolute_url()).content.decode()
    assert "Egen indsats" in html and "Measured" in html and "2018" in html


def test_others_working_on_the_same(member_client, sectors, silkeborg, aarhus):
    from komvidere.models import Theme

    theme = Theme.objects.first()
    case = CaseFactory(organisation=silkeborg, sectors=[sectors["energi"]], themes=[theme])
    CaseFactory(organisation=aarhus, sectors=[sectors["energi"]], themes=[theme])
    CaseFactory(organisation=OrganisationFactory(name="Kun sektor"), sectors=[sectors["energi"]])
    planner = OrganisationFactory(name="Planlægger Kommune")
    services.plan_action_create(
        organisation=planner, user=ModeratorFactory(), title="Sol", sector=sectors["energi"]
    )
    person = UserFactory(name="Eva Energi", organisation=aarhus)
    person.sectors.add(sectors["energi"])
    person.themes.add(theme)
    response = member_client.get(case.get_absolute_url())
    html = response.content.decode()
    assert "Other municipalities working on the same" in html
    assert "Aarhus Kommune" in html and "Planlægger Kommune" in html
    assert "Kun sektor" not in html  # a case in the sector but not the theme
    assert "Eva Energi" in html

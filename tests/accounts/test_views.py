"""Profile, people and organisation pages, sign-up input handling, and the admin."""

import html
import re

import pytest
from allauth.account.models import EmailAddress
from django.forms.models import model_to_dict
from django.test import Client

from accounts.models import Organisation, Region, User
from komvidere.models import Sector, Theme
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

MARKUP = "<script>alert(1)</script>"
HUGE = "x" * 10_000


def koebenhavn() -> Organisation:
    return Organisation.objects.get(slug="koebenhavn")


def listed(response) -> set[User]:
    return set(response.context["paginator"].object_list)


# --- Profile ------------------------------------------------------------------------------------


def profile_data(**overrides):
    data = {
        "name": "Mette Kjær",
        "job_title": "Klimastrateg",
        "bio": "Varmeplanlægning og borgerinddragelse.",
        "email_notifications": "daily",
        "sectors": [
            str(pk) for pk in Sector.objects.filter(slug="energi").values_list("pk", flat=True)
        ],
        "themes": [],
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_profile_shows_the_members_own_data(member, member_client):
    response = member_client.get("/profile/")

    assert response.status_code == 200
    page = response.content.decode()
    assert member.email in page
    assert html.escape(member.name) in page
    assert "Silkeborg Kommune" in page


def test_profile_saves_name_title_bio_interests_and_notifications(member, member_client):
    finance = Theme.objects.get(slug="finansiering")
    response = member_client.post("/profile/", profile_data(themes=[str(finance.pk)]), follow=True)

    assert response.redirect_chain == [("/profile/", 302)]
    member.refresh_from_db()
    assert member.name == "Mette Kjær"
    assert member.job_title == "Klimastrateg"
    assert member.bio == "Varmeplanlægning og borgerinddragelse."
    assert member.email_notifications == User.NotifyBy.DAILY
    assert [s.slug for s in member.sectors.all()] == ["energi"]
    assert list(member.themes.all()) == [finance]
    assert 'class="message message--success"' in response.content.decode()


def test_profile_ignores_fields_a_member_may_not_change(member, member_client, other_member):
    other_org = koebenhavn()
    member_client.post(
        "/profile/",
        profile_data(
            email="taken-over@kk.dk",
            is_staff="on",
            is_superuser="on",
            organisation=str(other_org.pk),
            is_active="",
        ),
    )

    member.refresh_from_db()
    assert member.email.endswith("@silkeborg.dk")
    assert not member.is_staff
    assert not member.is_superuser
    assert member.is_active
    assert member.organisation.slug == "silkeborg"
    other_member.refresh_from_db()
    assert other_member.name == "Ole Andersen"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name", ""),
        ("name", "   "),
        ("name", HUGE),
        ("name", "Mette\x00Kjær"),
        ("name", "Mette\x1bKjær"),
        ("job_title", HUGE),
        ("job_title", "Klima\x00koordinator"),
        ("bio", HUGE),
        ("bio", "Linje et\x00"),
        ("email_notifications", "sometimes"),
        ("email_notifications", ""),
        ("sectors", ["999999"]),
        ("sectors", ["not-a-number"]),
        ("themes", ["1 OR 1=1"]),
    ],
)
def test_profile_refuses_bad_input_and_keeps_what_was_typed(member, member_client, field, value):
    before = model_to_dict(member)
    data = profile_data(**{field: value})
    if field != "job_title":
        data["job_title"] = "Typed but not saved"

    response = member_client.post("/profile/", data)

    assert response.status_code == 200
    assert field in response.context["form"].errors
    page = response.content.decode()
    assert 'class="error-summary"' in page
    if field != "job_title":
        assert "Typed but not saved" in page
    member.refresh_from_db()
    assert model_to_dict(member) == before


def test_markup_in_the_profile_is_stored_as_text_and_shown_escaped(
    member, member_client, other_member
):
    response = member_client.post(
        "/profile/", profile_data(name=f"Mette {MARKUP}", job_title=MARKUP, bio=MARKUP)
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.bio == MARKUP

    other_member_client = Client()
    other_member_client.force_login(other_member)
    for path in [member.get_absolute_url(), "/people/", "/organisations/silkeborg/"]:
        page = other_member_client.get(path).content.decode()
        assert MARKUP not in page, path
        assert html.escape(MARKUP) in page, path
    own_pages = [member_client.get(p).content.decode() for p in ["/", "/profile/"]]
    assert all(MARKUP not in page for page in own_pages)


def test_emoji_and_danish_letters_are_kept(member, member_client):
    member_client.post("/profile/", profile_data(name="Søren Ærø 🌍", bio="Klimaplan 🌱"))

    member.refresh_from_db()
    assert member.name == "Søren Ærø 🌍"
    assert "Søren Ærø 🌍" in member_client.get(member.get_absolute_url()).content.decode()


# --- Sign-up input handling ----------------------------------------------------------------------

GOOD_PASSWORD = "Klimaplan-2030-Silkeborg"


@pytest.mark.parametrize(
    "overrides",
    [
        {"email": "", "name": "", "password1": "", "password2": ""},
        {"email": HUGE + "@silkeborg.dk"},
        {"name": HUGE},
        {"email": "so\x00fie@silkeborg.dk"},
        {"name": "Sofie\x00"},
        {"email": f"{MARKUP}@silkeborg.dk"},
        {"email": "sofie@silkeborg.dk" + MARKUP},
        {"email": "not an address"},
        {"password2": "Klimaplan-2030-Silkeborx"},
        {"password1": "12345678", "password2": "12345678"},
        {"password1": "sofie@silkeborg.dk", "password2": "sofie@silkeborg.dk"},
    ],
    ids=[
        "empty",
        "huge-email",
        "huge-name",
        "nul-email",
        "nul-name",
        "markup-email",
        "markup-after-email",
        "not-an-email",
        "passwords-differ",
        "weak-password",
        "password-is-email",
    ],
)
def test_signup_refuses_bad_input(client, overrides):
    data = {
        "email": "sofie@silkeborg.dk",
        "name": "Sofie Sørensen",
        "password1": GOOD_PASSWORD,
        "password2": GOOD_PASSWORD,
        **overrides,
    }

    response = client.post("/accounts/signup/", data)

    assert response.status_code == 200
    assert response.context["form"].errors
    assert MARKUP not in response.content.decode()
    assert not User.objects.exists()
    assert not EmailAddress.objects.exists()


def test_markup_in_a_signup_name_is_stored_as_text(client):
    client.post(
        "/accounts/signup/",
        {
            "email": "sofie@silkeborg.dk",
            "name": MARKUP,
            "password1": GOOD_PASSWORD,
            "password2": GOOD_PASSWORD,
        },
    )

    assert User.objects.get(email="sofie@silkeborg.dk").name == MARKUP


# --- People -------------------------------------------------------------------------------------


def test_people_lists_only_verified_active_members(member, member_client):
    unverified = UserFactory(verified=False)
    inactive = UserFactory(is_active=False)
    no_address = UserFactory()
    no_address.emailaddress_set.all().delete()
    two_addresses = UserFactory()
    EmailAddress.objects.create(
        user=two_addresses, email="second@silkeborg.dk", verified=True, primary=False
    )

    response = member_client.get("/people/")

    assert response.status_code == 200
    assert listed(response) == {member, two_addresses}
    page = response.content.decode()
    assert unverified.get_absolute_url() not in page
    assert inactive.get_absolute_url() not in page
    assert no_address.get_absolute_url() not in page


def test_people_filters_by_organisation_and_region(member, member_client):
    kk = UserFactory(organisation=koebenhavn())
    aarhus = UserFactory(organisation=Organisation.objects.get(slug="aarhus"))

    assert listed(member_client.get("/people/?organisation=koebenhavn")) == {kk}
    assert listed(member_client.get("/people/?organisation=silkeborg")) == {member}
    assert listed(member_client.get("/people/?region=hovedstaden")) == {kk}
    assert listed(member_client.get("/people/?region=midtjylland")) == {member, aarhus}
    assert listed(member_client.get("/people/?region=midtjylland&organisation=aarhus")) == {aarhus}
    assert listed(member_client.get("/people/")) == {member, kk, aarhus}


def test_people_filters_by_sector_theme_and_text(member, member_client):
    energy = UserFactory(name="Erik Energi", job_title="Energiplanlægger")
    energy.sectors.add(Sector.objects.get(slug="energi"))
    energy.themes.add(Theme.objects.get(slug="finansiering"))

    assert listed(member_client.get("/people/?sector=energi")) == {energy}
    assert listed(member_client.get("/people/?theme=finansiering")) == {energy}
    assert listed(member_client.get("/people/?sector=transport")) == set()
    assert listed(member_client.get("/people/?q=energiplan")) == {energy}
    assert listed(member_client.get("/people/?q=Erik+Energi")) == {energy}


@pytest.mark.parametrize(
    "query",
    [
        "organisation=no-such-organisation",
        "region=mars",
        "sector=%00",
        "q=" + "x" * 10_000,
        "q=%00",
        f"q={MARKUP}",
        "organisation[]=silkeborg",
    ],
)
def test_people_ignores_bad_filters(member, member_client, query):
    response = member_client.get(f"/people/?{query}")

    assert response.status_code == 200
    assert MARKUP not in response.content.decode()


@pytest.mark.parametrize("page", ["999", "abc", "-1", "0", "9" * 30])
def test_people_bad_page_numbers_are_404(member_client, page):
    assert member_client.get(f"/people/?page={page}").status_code == 404


def test_people_list_query_budget(member, member_client, django_assert_max_num_queries):
    energy, transport = Sector.objects.filter(slug__in=["energi", "transport"])
    for user in UserFactory.create_batch(60, organisation=koebenhavn()):
        user.sectors.add(energy, transport)

    with django_assert_max_num_queries(9):
        response = member_client.get("/people/")
    assert response.context["paginator"].count == 61
    assert len(response.context["people"]) == 30

    with django_assert_max_num_queries(9):
        assert (
            member_client.get("/people/?region=hovedstaden&sector=energi&page=2").status_code == 200
        )


# --- A person's page ------------------------------------------------------------------------------


def test_person_page_shows_the_member(member_client, other_member):
    other_member.sectors.add(Sector.objects.get(slug="klimatilpasning"))

    response = member_client.get(f"/people/{other_member.pk}/")

    assert response.status_code == 200
    page = response.content.decode()
    assert "Ole Andersen" in page
    assert other_member.email in page
    assert "Silkeborg Kommune" in page
    assert "Klimatilpasning" in page


def test_person_page_query_budget(member_client, other_member, django_assert_max_num_queries):
    other_member.sectors.set(Sector.objects.all())
    other_member.themes.set(Theme.objects.all())

    with django_assert_max_num_queries(9):  # + cases and dilemmas sections
        assert member_client.get(f"/people/{other_member.pk}/").status_code == 200


@pytest.mark.parametrize("who", ["unverified", "inactive", "missing"])
def test_person_page_is_404_for_people_not_in_the_directory(member_client, who):
    if who == "missing":
        pk = User.objects.order_by("-pk").values_list("pk", flat=True).first() + 1000
    else:
        pk = UserFactory(verified=who != "unverified", is_active=who != "inactive").pk

    assert member_client.get(f"/people/{pk}/").status_code == 404


@pytest.mark.parametrize("path", ["abc", "0", "-1", "1.5", "9" * 30, "%00"])
def test_person_page_nonsense_ids_are_404(member_client, path):
    assert member_client.get(f"/people/{path}/").status_code == 404


# --- Organisations ------------------------------------------------------------------------------


def test_organisations_are_listed_by_region(member_client):
    response = member_client.get("/organisations/")

    assert response.status_code == 200
    regions = response.context["regions"]
    assert [r["key"] for r in regions] == sorted(Region.values)
    assert sum(len(r["items"]) for r in regions) == 103
    assert len(response.context["organisations"]) == 103
    midt = next(r for r in regions if r["key"] == Region.MIDTJYLLAND)
    assert "Silkeborg" in [o.short_name for o in midt["items"]]
    assert "København" not in [o.short_name for o in midt["items"]]
    page = response.content.decode()
    assert len(set(re.findall(r'href="(/organisations/[^"/]+/)"', page))) == 103


def test_organisation_member_counts_match_the_directory(member, member_client):
    UserFactory(verified=False)
    UserFactory(is_active=False)

    response = member_client.get("/organisations/")

    silkeborg = next(o for o in response.context["organisations"] if o.slug == "silkeborg")
    assert silkeborg.member_count == 1
    kk = next(o for o in response.context["organisations"] if o.slug == "koebenhavn")
    assert kk.member_count == 0


def test_organisation_list_query_budget(member_client, django_assert_max_num_queries):
    UserFactory.create_batch(20, organisation=koebenhavn())
    UserFactory.create_batch(20)

    # One query more per content type that says what organisations have shared.
    with django_assert_max_num_queries(7):
        assert member_client.get("/organisations/").status_code == 200


def test_organisation_page_lists_its_members_only(member, member_client):
    colleague = UserFactory()
    unverified = UserFactory(verified=False)
    elsewhere = UserFactory(organisation=koebenhavn())

    response = member_client.get("/organisations/silkeborg/")

    assert response.status_code == 200
    assert set(response.context["people"]) == {member, colleague}
    page = response.content.decode()
    assert "<h1>Silkeborg Kommune</h1>" in page
    assert colleague.get_absolute_url() in page
    assert unverified.get_absolute_url() not in page
    assert elsewhere.get_absolute_url() not in page


def test_an_organisation_without_members_says_so(member_client):
    org = OrganisationFactory()

    response = member_client.get(org.get_absolute_url())

    assert response.status_code == 200
    assert list(response.context["people"]) == []


def test_organisation_page_query_budget(member_client, django_assert_max_num_queries):
    UserFactory.create_batch(60)

    # + cases and dilemmas sections, + the climate section (plan, actions, emission account)
    with django_assert_max_num_queries(12):
        response = member_client.get("/organisations/silkeborg/")
    assert len(response.context["people"]) == 61


@pytest.mark.parametrize("slug", ["no-such-organisation", "SILKEBORG", "%00", "x" * 300])
def test_unknown_organisations_are_404(member_client, slug):
    assert member_client.get(f"/organisations/{slug}/").status_code == 404


# --- Admin --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/admin/accounts/user/", "mette@silkeborg.dk"),
        ("/admin/accounts/organisation/", "Silkeborg Kommune"),
        ("/admin/accounts/emaildomain/", "silkeborg.dk"),
    ],
)
def test_admin_changelists_and_search(admin_client, member, path, expected):
    response = admin_client.get(path)
    assert response.status_code == 200

    response = admin_client.get(path, {"q": "silkeborg"})
    assert response.status_code == 200
    results = response.context["cl"].result_list
    assert len(results) >= 1
    assert expected in response.content.decode()

    response = admin_client.get(path, {"q": "no-such-thing-anywhere"})
    assert response.context["cl"].result_count == 0


def test_admin_change_and_add_pages(admin_client, member):
    silkeborg = member.organisation
    domain = silkeborg.email_domains.first()
    for path in [
        "/admin/",
        "/admin/accounts/user/add/",
        f"/admin/accounts/user/{member.pk}/change/",
        "/admin/accounts/organisation/add/",
        f"/admin/accounts/organisation/{silkeborg.pk}/change/",
        f"/admin/accounts/emaildomain/{domain.pk}/change/",
    ]:
        assert admin_client.get(path).status_code == 200, path


def test_admin_can_create_an_account_by_hand(admin_client):
    response = admin_client.post(
        "/admin/accounts/user/add/",
        {
            "email": "konsulent@example.org",
            "name": "Karl Konsulent",
            "organisation": str(koebenhavn().pk),
            "usable_password": "true",
            "password1": GOOD_PASSWORD,
            "password2": GOOD_PASSWORD,
        },
    )

    assert response.status_code == 302
    assert User.objects.get(email="konsulent@example.org").organisation == koebenhavn()


def test_admin_login_goes_through_allauth(client):
    response = client.get("/admin/login/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")

    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_admin_is_closed_to_members(member_client):
    assert member_client.get("/admin/login/").status_code == 403
    response = member_client.get("/admin/accounts/user/")
    assert response.status_code in {302, 403}
    if response.status_code == 302:
        assert member_client.get(response["Location"]).status_code == 403

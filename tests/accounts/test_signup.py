"""Sign-up is open to staff addresses only, verification is mandatory, logins are rate limited."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.core import mail
from django.test import Client

from accounts.models import EmailDomain, User
from tests.factories import PASSWORD, EmailDomainFactory, OrganisationFactory, UserFactory

NEW_PASSWORD = "Klimaplan-2030-Silkeborg"

pytestmark = pytest.mark.django_db


def signup(client, email, **overrides):
    data = {
        "email": email,
        "name": "Sofie Sørensen",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
        **overrides,
    }
    return client.post("/accounts/signup/", data)


def login(client, email, password):
    return client.post("/accounts/login/", {"login": email, "password": password})


def is_logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def confirmation_path(message) -> str:
    match = re.search(r"https?://[^/\s]+(/accounts/confirm-email/[^/\s]+/)", message.body)
    assert match, f"No confirmation link in:\n{message.body}"
    return match.group(1)


def test_signup_with_a_municipal_address_sends_a_verification_mail(client):
    response = signup(client, "sofie@silkeborg.dk")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    user = User.objects.get(email="sofie@silkeborg.dk")
    assert user.organisation.name == "Silkeborg Kommune"
    assert user.name == "Sofie Sørensen"
    assert not EmailAddress.objects.get(user=user).verified
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["sofie@silkeborg.dk"]
    assert mail.outbox[0].subject.startswith("[Kom Videre] ")
    # Not logged in before the address is verified.
    assert not is_logged_in(client)
    assert client.get("/")["Location"].startswith("/accounts/login/")


def test_the_confirmation_link_verifies_the_address_and_allows_login(client):
    signup(client, "sofie@silkeborg.dk")
    path = confirmation_path(mail.outbox[0])

    assert client.get(path).status_code == 200  # a confirmation page: GET changes nothing
    assert not EmailAddress.objects.get(email="sofie@silkeborg.dk").verified
    response = client.post(path)

    assert response.status_code == 302
    assert EmailAddress.objects.get(email="sofie@silkeborg.dk").verified
    fresh = Client()
    response = login(fresh, "sofie@silkeborg.dk", NEW_PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert is_logged_in(fresh)
    assert fresh.get("/").status_code == 200


def test_an_address_is_stored_lowercase(client):
    signup(client, "Sofie.Sorensen@SILKEBORG.DK")

    assert User.objects.filter(email="sofie.sorensen@silkeborg.dk").exists()


def test_a_sub_domain_attaches_to_the_parent_domains_organisation(client):
    response = signup(client, "x@okf.kk.dk")

    assert response.status_code == 302
    assert User.objects.get(email="x@okf.kk.dk").organisation.name == "Københavns Kommune"


@pytest.mark.parametrize(
    "email",
    ["x@gmail.com", "x@kk.dk.evil.com", "x@evilkk.dk", "x@silkeborg.dk.", "x@dk", "x@kk"],
)
def test_addresses_outside_the_known_domains_are_refused_with_whom_to_contact(client, email):
    response = signup(client, email)

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "email" in errors
    assert not User.objects.exists()
    assert mail.outbox == []
    if email in {"x@gmail.com", "x@kk.dk.evil.com", "x@evilkk.dk"}:
        assert settings.ADMIN_CONTACT_EMAIL in " ".join(errors["email"])
        assert settings.ADMIN_CONTACT_EMAIL in response.content.decode()


def test_an_address_already_registered_creates_no_second_account(client, member):
    response = signup(client, member.email.upper())

    # allauth hides whether an address is registered (no account enumeration)...
    assert response.status_code in {200, 302}
    # ...but never creates a second account.
    assert User.objects.filter(email__iexact=member.email).count() == 1


def test_login_is_refused_until_the_address_is_verified(client):
    user = UserFactory(verified=False)
    mail.outbox.clear()

    response = login(client, user.email, PASSWORD)

    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    assert not is_logged_in(client)
    assert client.get("/")["Location"].startswith("/accounts/login/")
    # A new verification mail is sent.
    assert [m.to for m in mail.outbox] == [[user.email]]


def test_login_with_a_wrong_password_fails(client, member):
    response = login(client, member.email, "not-the-password")

    assert response.status_code == 200
    assert response.context["form"].errors
    assert not is_logged_in(client)


def _error_codes(response) -> set[str]:
    return {
        error.code
        for errors in response.context["form"].errors.as_data().values()
        for error in errors
    }


@pytest.mark.parametrize("last_password", [PASSWORD, "still-wrong"], ids=["right", "wrong"])
def test_repeated_failed_logins_are_rate_limited(client, member, last_password):
    for _ in range(5):
        response = login(client, member.email, "wrong-password")
        assert response.status_code == 200
        assert "too_many_login_attempts" not in _error_codes(response)

    response = login(client, member.email, last_password)

    assert response.status_code in {200, 429}
    if response.status_code == 200:
        assert "too_many_login_attempts" in _error_codes(response)
    assert not is_logged_in(client)


def test_the_login_rate_limit_is_per_address_too(member):
    # Different clients from the same address: the per-key limit alone must hold.
    for n in range(5):
        login(Client(REMOTE_ADDR=f"10.0.0.{n}"), member.email, "wrong-password")

    client = Client(REMOTE_ADDR="10.0.0.99")
    response = login(client, member.email, PASSWORD)

    assert not is_logged_in(client)
    assert response.status_code == 429 or "too_many_login_attempts" in _error_codes(response)


def test_a_successful_login_is_not_counted_as_a_failure(client, member):
    for _ in range(4):
        login(client, member.email, "wrong-password")
    response = login(client, member.email, PASSWORD)

    assert response.status_code == 302
    assert is_logged_in(client)


class TestEmailDomainMatch:
    @pytest.mark.parametrize(
        ("value", "expected"),
        [
            ("someone@silkeborg.dk", "silkeborg.dk"),
            ("silkeborg.dk", "silkeborg.dk"),
            ("Someone@SILKEBORG.DK", "silkeborg.dk"),
            ("someone@silkeborg.dk.", "silkeborg.dk"),
            ("  someone@silkeborg.dk  ", "silkeborg.dk"),
            ("x@okf.kk.dk", "kk.dk"),
            ("x@a.b.okf.kk.dk", "kk.dk"),
            ("strange@name@kk.dk", "kk.dk"),
        ],
    )
    def test_matches(self, value, expected):
        match = EmailDomain.objects.match(value)

        assert match is not None
        assert match.domain == expected

    @pytest.mark.parametrize(
        "value",
        [
            "x@kk.dk.evil.com",
            "x@evilkk.dk",
            "x@kkdk",
            "x@dk",
            "x@gmail.com",
            "kk",
            "",
            "@",
            "x@",
            "x@.",
            "x@.kk",
            "x@silkeborg.dk\x00",
            "x@silkeborg.dk/",
        ],
    )
    def test_does_not_match(self, value):
        assert EmailDomain.objects.match(value) is None

    def test_the_most_specific_domain_wins(self):
        team = OrganisationFactory(name="Kommunens Klimasekretariat")
        EmailDomainFactory(domain="klima.kk.dk", organisation=team)

        assert EmailDomain.objects.match("x@klima.kk.dk").organisation == team
        assert EmailDomain.objects.match("x@a.klima.kk.dk").organisation == team
        assert EmailDomain.objects.match("x@okf.kk.dk").organisation.name == "Københavns Kommune"

    def test_domains_are_stored_normalised(self):
        domain = EmailDomainFactory(domain="  Example-Kommune.DK. ")

        domain.refresh_from_db()
        assert domain.domain == "example-kommune.dk"
        assert EmailDomain.objects.match("x@example-kommune.dk") == domain


def test_confirming_logs_the_new_member_in_and_opens_the_welcome_step(client):
    signup(client, "sofie@silkeborg.dk")
    path = confirmation_path(mail.outbox[0])

    response = client.post(path)

    assert response.status_code == 302
    assert response["Location"] == "/welcome/"
    assert is_logged_in(client)
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "Velkommen til Kom Videre" in page.content.decode()

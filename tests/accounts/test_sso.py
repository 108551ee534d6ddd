"""Single sign-on through allauth's OpenID Connect provider, run against a real provider on
127.0.0.1 (tests/accounts/oidc_provider.py): the full redirect flow, no mocks of allauth."""

import pytest
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from django.conf import settings

from accounts.models import User
from tests.accounts.sso import PROVIDER_ID, PROVIDER_NAME, sso_login
from tests.helpers import count_h1
from tests.test_settings import _settings

pytestmark = pytest.mark.django_db


def is_logged_in_as(client, user) -> bool:
    return client.session.get("_auth_user_id") == str(user.pk)


def test_the_login_page_offers_single_sign_on_above_the_password_form(client, oidc):
    html = client.get("/accounts/login/").content.decode()

    sso_form = html.index(f'action="/accounts/oidc/{PROVIDER_ID}/login/?process=login"')
    password = html.index('name="password"')
    assert sso_form < password
    # "Log ind med …" in Danish; the catalogue may not have it yet, so the name is what counts.
    assert PROVIDER_NAME in html[sso_form:password]
    assert count_h1(client.get("/accounts/login/")) == 1


def test_without_a_provider_the_login_page_has_no_single_sign_on(client):
    html = client.get("/accounts/login/").content.decode()

    assert "/accounts/oidc/" not in html
    assert 'name="password"' in html


def test_a_municipal_address_signs_up_and_joins_its_organisation(client, oidc):
    oidc.log_in_as(sub="entra-sofie", email="Sofie.Sorensen@Silkeborg.dk", name="Sofie Sørensen")

    response = sso_login(client, oidc)

    user = User.objects.get(email="sofie.sorensen@silkeborg.dk")
    assert is_logged_in_as(client, user)
    assert user.organisation.name == "Silkeborg Kommune"
    assert user.name == "Sofie Sørensen"
    assert EmailAddress.objects.get(user=user).verified
    account = SocialAccount.objects.get(user=user)
    assert (account.provider, account.uid) == (PROVIDER_ID, "entra-sofie")
    # The new member lands on the welcome step.
    assert response.status_code == 200
    assert response.request["PATH_INFO"] == "/welcome/"
    # The whole protocol ran over HTTP: discovery, authorize, token with the code, userinfo.
    for path in ("/.well-known/openid-configuration", "/authorize", "/token", "/userinfo"):
        assert path in oidc.hits
    assert client.get("/").status_code == 200


def test_a_second_login_is_the_same_account(client, oidc):
    oidc.log_in_as(sub="entra-sofie", email="sofie@silkeborg.dk", name="Sofie Sørensen")
    sso_login(client, oidc)
    client.logout()

    sso_login(client, oidc)

    assert User.objects.filter(email="sofie@silkeborg.dk").count() == 1
    assert is_logged_in_as(client, User.objects.get(email="sofie@silkeborg.dk"))


def test_an_unknown_domain_is_refused_with_the_sign_up_forms_message(client, oidc):
    oidc.log_in_as(sub="entra-gmail", email="someone@gmail.com", name="Some One")

    response = sso_login(client, oidc)

    assert not User.objects.exists()
    assert not SocialAccount.objects.exists()
    assert "_auth_user_id" not in client.session
    assert response.request["PATH_INFO"] == "/accounts/login/"
    html = response.content.decode()
    assert "gmail.com" in html
    assert settings.ADMIN_CONTACT_EMAIL in html


def test_a_look_alike_domain_is_refused(client, oidc):
    oidc.log_in_as(sub="entra-evil", email="x@silkeborg.dk.evil.com")

    sso_login(client, oidc)

    assert not User.objects.exists()


def test_an_existing_member_with_the_same_verified_address_is_the_same_person(client, oidc, member):
    members_before = User.objects.count()
    oidc.log_in_as(sub="entra-mette", email=member.email.upper(), name="Mette K.")

    response = sso_login(client, oidc)

    assert User.objects.count() == members_before
    assert is_logged_in_as(client, member)
    assert SocialAccount.objects.get(uid="entra-mette").user == member
    # An existing member goes to the front page, not the welcome step; the name is kept.
    assert response.request["PATH_INFO"] == "/"
    member.refresh_from_db()
    assert member.name == "Mette Klimasen"
    assert member.has_usable_password()


def test_next_is_kept_through_the_provider(client, oidc, member):
    oidc.log_in_as(sub="entra-mette", email=member.email)

    response = sso_login(client, oidc, next_url="/people/")

    assert response.request["PATH_INFO"] == "/people/"


def test_a_forged_callback_is_refused(client, oidc):
    response = client.get(
        f"/accounts/oidc/{PROVIDER_ID}/login/callback/", {"code": "x", "state": "forged"}
    )

    assert response.status_code in {400, 401}
    assert count_h1(response) == 1
    assert "_auth_user_id" not in client.session


def test_the_social_sign_up_step_without_a_login_in_progress_goes_to_login(client):
    response = client.get("/accounts/3rdparty/signup/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_csp_form_action_admits_the_providers_origin():
    configured = _settings(
        "config.settings",
        OIDC_SERVER_URL="https://login.microsoftonline.com/tenant-id/v2.0",
        OIDC_CLIENT_ID="client",
        OIDC_CLIENT_SECRET="secret",  # noqa: S106
        OIDC_PROVIDER_ID="silkeborg",
        OIDC_PROVIDER_NAME="Silkeborg Kommune",
    )

    assert "'https://login.microsoftonline.com'" in configured["CONTENT_SECURITY_POLICY"]
    assert "'silkeborg'" in configured["SOCIALACCOUNT_PROVIDERS"]
    assert "tenant-id/v2.0" in configured["SOCIALACCOUNT_PROVIDERS"]
    unconfigured = _settings("config.settings")
    assert "microsoftonline" not in unconfigured["CONTENT_SECURITY_POLICY"]
    assert "'APPS': []" in unconfigured["SOCIALACCOUNT_PROVIDERS"]

"""Two-factor authentication (TOTP): activation through the web, then required at login."""

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY

from tests.factories import PASSWORD
from tests.helpers import enable_mfa, totp_code, wrong_totp_code

ACTIVATE = "/accounts/2fa/totp/activate/"
AUTHENTICATE = "/accounts/2fa/authenticate/"

pytestmark = pytest.mark.django_db


def is_logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_activating_totp_asks_for_the_password_then_a_valid_code(member, member_client):
    # Even right after login, activation asks for the password again.
    response = member_client.get(ACTIVATE)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/reauthenticate/")

    response = member_client.post(response["Location"], {"password": "not-my-password"})
    assert response.status_code == 200
    assert member_client.get(ACTIVATE).status_code == 302

    reauth_url = member_client.get(ACTIVATE)["Location"]
    response = member_client.post(reauth_url, {"password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == ACTIVATE

    response = member_client.get(ACTIVATE)
    assert response.status_code == 200
    assert 'src="data:image/svg+xml;base64,' in response.content.decode()  # the QR code
    secret = member_client.session[SECRET_SESSION_KEY]

    response = member_client.post(ACTIVATE, {"code": wrong_totp_code(secret)})
    assert response.status_code == 200
    assert response.context["form"].errors["code"]
    assert not Authenticator.objects.filter(user=member).exists()

    response = member_client.post(ACTIVATE, {"code": totp_code(secret)})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/recovery-codes/"
    types = set(Authenticator.objects.filter(user=member).values_list("type", flat=True))
    assert types == {Authenticator.Type.TOTP, Authenticator.Type.RECOVERY_CODES}
    assert member_client.get("/accounts/2fa/recovery-codes/").status_code == 200


def _password_step(client, user):
    response = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == AUTHENTICATE
    assert not is_logged_in(client)
    return response


def test_login_requires_a_valid_code_once_totp_is_enabled(client, member):
    secret = enable_mfa(member)

    _password_step(client, member)
    assert client.get("/")["Location"].startswith("/accounts/login/")
    assert client.get(AUTHENTICATE).status_code == 200

    response = client.post(AUTHENTICATE, {"code": wrong_totp_code(secret)})
    assert response.status_code == 200
    assert response.context["form"].errors["code"]
    assert not is_logged_in(client)

    response = client.post(AUTHENTICATE, {"code": totp_code(secret)})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert is_logged_in(client)
    assert client.get("/").status_code == 200


def test_a_totp_code_cannot_be_used_twice(client, member):
    secret = enable_mfa(member)
    code = totp_code(secret)
    _password_step(client, member)
    client.post(AUTHENTICATE, {"code": code})
    client.post("/accounts/logout/")
    assert not is_logged_in(client)

    _password_step(client, member)
    response = client.post(AUTHENTICATE, {"code": code})

    assert response.status_code == 200
    assert not is_logged_in(client)


def test_a_recovery_code_works_once(client, member):
    enable_mfa(member)
    code = RecoveryCodes.activate(member).get_unused_codes()[0]

    _password_step(client, member)
    response = client.post(AUTHENTICATE, {"code": code})
    assert response.status_code == 302
    assert is_logged_in(client)
    client.post("/accounts/logout/")

    _password_step(client, member)
    response = client.post(AUTHENTICATE, {"code": code})
    assert response.status_code == 200
    assert not is_logged_in(client)


def test_the_code_step_cannot_be_reached_without_the_password(client, member):
    secret = enable_mfa(member)

    response = client.post(AUTHENTICATE, {"code": totp_code(secret)})

    assert response.status_code == 302
    assert not is_logged_in(client)


@pytest.mark.parametrize("code", ["", "x" * 10_000, "12345\x00", "<script>"])
def test_bad_codes_are_refused(client, member, code):
    enable_mfa(member)
    _password_step(client, member)

    response = client.post(AUTHENTICATE, {"code": code})

    assert response.status_code == 200
    assert not is_logged_in(client)

"""Failed logins are limited per account, and per network address only far higher: one
script cannot lock a whole town hall (one shared address) out."""

import pytest
from django.test import Client

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

TOWN_HALL = "192.0.2.10"


def login(client, email, password):
    return client.post("/accounts/login/", {"login": email, "password": password})


def is_logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def is_limited(response) -> bool:
    if response.status_code == 429:
        return True
    form = response.context and response.context.get("form")
    codes = {e.code for errors in form.errors.as_data().values() for e in errors} if form else set()
    return "too_many_login_attempts" in codes


def test_failed_logins_for_one_account_do_not_lock_out_a_colleague_at_the_same_address(
    member, other_member
):
    attacker = Client(REMOTE_ADDR=TOWN_HALL)
    for _ in range(6):
        login(attacker, member.email, "wrong-password")
    assert is_limited(login(attacker, member.email, PASSWORD))

    colleague = Client(REMOTE_ADDR=TOWN_HALL)
    response = login(colleague, other_member.email, PASSWORD)

    assert response.status_code == 302
    assert is_logged_in(colleague)


def test_hammering_one_account_never_uses_up_the_addresss_allowance(member, other_member):
    # Once the account is limited, further guesses at it stop counting against the address.
    attacker = Client(REMOTE_ADDR=TOWN_HALL)
    for _ in range(150):
        login(attacker, member.email, "wrong-password")

    colleague = Client(REMOTE_ADDR=TOWN_HALL)
    login(colleague, other_member.email, PASSWORD)

    assert is_logged_in(colleague)


def test_an_account_stays_limited_when_the_failures_come_from_many_addresses(member):
    for n in range(6):
        login(Client(REMOTE_ADDR=f"198.51.100.{n}"), member.email, "wrong-password")

    client = Client(REMOTE_ADDR="203.0.113.99")
    response = login(client, member.email, PASSWORD)

    assert not is_logged_in(client)
    assert is_limited(response)


def test_guessing_at_many_accounts_from_one_address_meets_a_much_higher_ceiling():
    # 5 failures each at 20 different addresses of the domain: the address's ceiling (100).
    for n in range(20):
        for _ in range(5):
            login(Client(REMOTE_ADDR=TOWN_HALL), f"guess{n}@silkeborg.dk", "wrong-password")

    victim = UserFactory()
    response = login(Client(REMOTE_ADDR=TOWN_HALL), victim.email, "still-a-guess")

    assert is_limited(response)
    # From another address the same account is not limited.
    elsewhere = Client(REMOTE_ADDR="203.0.113.5")
    login(elsewhere, victim.email, PASSWORD)
    assert is_logged_in(elsewhere)


def test_the_limits_are_allauths_own_settings(settings):
    rates = settings.ACCOUNT_RATE_LIMITS["login_failed"].split(",")

    assert rates[0].endswith("/key")  # first: the account, so a locked one stops counting
    per_ip = [r for r in rates if r.endswith("/ip")]
    assert per_ip and int(per_ip[0].split("/")[0]) >= 10 * int(rates[0].split("/")[0])

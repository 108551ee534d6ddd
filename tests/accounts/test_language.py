"""The language choice is stored on the member's account and used for their e-mails."""

import pytest
from django.core import mail
from django.test import Client

from accounts.models import Notification
from accounts.notifications import send_immediate_emails
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_the_switch_stores_a_members_choice_on_the_account(member_client, member):
    member_client.post("/i18n/setlang/", {"language": "en", "next": "/"})

    member.refresh_from_db()
    assert member.language == "en"


def test_the_choice_follows_the_member_to_another_browser(member):
    member.language = "en"
    member.save()
    browser = Client()
    browser.post("/accounts/login/", {"login": member.email, "password": PASSWORD})

    assert '<html lang="en">' in browser.get("/").content.decode()


def test_a_visitors_choice_stays_in_the_cookie(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})

    assert response.cookies["django_language"].value == "en"


@pytest.mark.parametrize(("language", "greeting"), [("en", "Hello"), ("da", "Hej")])
def test_emails_follow_the_accounts_language(member, language, greeting):
    member.language = language
    member.save()
    notification = Notification.objects.create(
        recipient=member, kind="reply_on_followed", title="Solceller", url="/dilemmas/1/"
    )

    send_immediate_emails([notification.pk])

    assert mail.outbox[-1].body.startswith(greeting)

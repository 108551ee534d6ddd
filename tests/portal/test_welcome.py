"""The welcome after confirming the e-mail address: logged in, asked for sectors and themes."""

import re

import pytest
from django.core import mail

from komvidere import follows
from komvidere.models import Sector, Theme
from tests.accounts.test_signup import confirmation_path, is_logged_in, signup

pytestmark = pytest.mark.django_db


def test_confirming_lands_on_the_welcome_which_saves_sectors_and_themes(client):
    signup(client, "sofie@silkeborg.dk")
    response = client.post(confirmation_path(mail.outbox[0]))
    assert response["Location"] == "/welcome/"
    assert is_logged_in(client)
    page = client.get("/welcome/")
    html = page.content.decode()
    assert page.status_code == 200 and html.count("<h1") == 1
    assert 'name="sectors"' in html and 'name="themes"' in html

    energi, transport = Sector.objects.get(slug="energi"), Sector.objects.get(slug="transport")
    theme = Theme.objects.first()
    response = client.post(
        "/welcome/",
        {"sectors": [energi.pk, transport.pk], "themes": [theme.pk], "follow_sectors": "on"},
    )
    assert response.status_code == 302 and response["Location"] == "/"
    user = page.context["user"]
    user.refresh_from_db()
    assert set(user.sectors.all()) == {energi, transport}
    assert list(user.themes.all()) == [theme]
    assert follows.is_following(user, energi) and follows.is_following(user, transport)


def test_a_bad_choice_keeps_what_was_ticked_and_says_why(member_client, member):
    energi = Sector.objects.get(slug="energi")
    response = member_client.post("/welcome/", {"sectors": [energi.pk, 999999]})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="error-summary"' in html
    ticked = re.findall(r'<input[^>]*name="sectors"[^>]*>', html)
    assert [t for t in ticked if f'value="{energi.pk}"' in t and "checked" in t]
    assert len([t for t in ticked if "checked" in t]) == 1
    assert not member.sectors.exists()


def test_without_following(member_client, member):
    energi = Sector.objects.get(slug="energi")
    member_client.post("/welcome/", {"sectors": [energi.pk]})
    assert list(member.sectors.all()) == [energi]
    assert not follows.is_following(member, energi)

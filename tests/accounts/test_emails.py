"""Every e-mail type has a text part and a single-column HTML part that works in desktop
Outlook, both in the member's language."""

import re

import pytest
from django.core import mail
from django.test import Client

from accounts.models import User
from accounts.notifications import notify, send_digests, send_immediate_emails
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

# What each language's mail says, in every part: greeting or link text.
WORDS = {
    "da": {
        "notification": "Hej",
        "digest": "Hej",
        "password_reset": "adgangskode",
        "signup": "Hej fra",
    },
    "en": {
        "notification": "Hello",
        "digest": "Hello",
        "password_reset": "password",
        "signup": "Hello from",
    },
}


def parts(message) -> tuple[str, str]:
    html = [content for content, mimetype in message.alternatives if mimetype == "text/html"]
    assert len(html) == 1, "one HTML part"
    return message.body, html[0]


def assert_outlook_safe(html: str, language: str) -> None:
    assert f'<html lang="{language}">' in html
    assert "max-width:600px" in html
    widths = [int(w) for w in re.findall(r'width="(\d+)"', html)]
    assert widths and max(widths) <= 600
    for forbidden in (
        "display:flex",
        "display: flex",
        "display:grid",
        "display: grid",
        "<style",
        "<link",
        "<script",
    ):
        assert forbidden not in html, forbidden
    assert "KL – Kommunernes Landsforening" in html  # the responsible authority


def send(kind: str, user: User) -> object:
    mail.outbox.clear()
    if kind == "notification":
        note = notify(
            recipient=user,
            kind="reply_on_followed",
            title="Varmeplan <i>2030</i>",
            url="/dilemmas/1/",
        )
        send_immediate_emails([note.pk])
    elif kind == "digest":
        for n in range(2):
            notify(
                recipient=user, kind="reply_on_followed", title=f"Tråd {n}", url=f"/dilemmas/{n}/"
            )
        send_digests()
    elif kind == "password_reset":
        Client().post("/accounts/password/reset/", {"email": user.email})
    elif kind == "signup":
        client = Client()
        client.post("/i18n/setlang/", {"language": user.language, "next": "/"})
        client.post(
            "/accounts/signup/",
            {
                "email": "ny.kollega@silkeborg.dk",
                "name": "Ny Kollega",
                "password1": "Klimaplan-2030-Silkeborg",
                "password2": "Klimaplan-2030-Silkeborg",
            },
        )
    assert len(mail.outbox) == 1, kind
    return mail.outbox[0]


@pytest.mark.parametrize("language", ["da", "en"])
@pytest.mark.parametrize("kind", ["notification", "digest", "password_reset", "signup"])
def test_each_mail_has_a_text_and_an_html_part_in_the_members_language(kind, language):
    daily = "daily" if kind == "digest" else "immediately"
    user = UserFactory(name="Mette Kjær", language=language, email_notifications=daily)
    message = send(kind, user)

    text, html = parts(message)
    assert message.subject.startswith("[Kom Videre] ")
    assert WORDS[language][kind] in text
    assert WORDS[language][kind] in html
    other = "en" if language == "da" else "da"
    if WORDS[other][kind] != WORDS[language][kind]:
        assert WORDS[other][kind] not in text.split("http")[0]
    assert_outlook_safe(html, language)


def test_subjects_are_templated_and_translated():
    danish = UserFactory(language="da", email_notifications="daily")
    english = UserFactory(language="en", email_notifications="daily")
    notify(recipient=danish, kind="reply_on_followed", title="Tråd", url="/")
    notify(recipient=english, kind="reply_on_followed", title="Thread", url="/")
    notify(recipient=english, kind="reply_on_followed", title="Thread 2", url="/")
    send_digests()
    subjects = {m.to[0]: m.subject for m in mail.outbox}
    assert subjects[danish.email] == "[Kom Videre] Din daglige opsamling: 1 ny notifikation"
    assert subjects[english.email] == "[Kom Videre] Your daily digest: 2 new notifications"


def test_the_digest_gives_each_item_its_own_row_and_escapes_titles():
    user = UserFactory(email_notifications="daily")
    notify(recipient=user, kind="reply_on_followed", title="Biogas <script>", url="/dilemmas/7/")
    notify(recipient=user, kind="reply_on_followed", title="Solceller", url="/dilemmas/8/")
    send_digests()
    text, html = parts(mail.outbox[0])
    assert html.count('<tr><td style="padding:10px 0;') == 2
    assert "Biogas &lt;script&gt;" in html and "<script>" not in html
    assert "Biogas <script>" in text  # the text part is plain text, not HTML
    # A blank line between items in the text part, so no mail program joins them.
    assert re.search(r"/dilemmas/7/\n\n\* ", text)

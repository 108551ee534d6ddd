"""The thread page: counts match what is listed, the accepted answer is shown once in place,
posting lands on the new reply, quoting fills the form."""

import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from dilemmas import services
from tests.factories import ModeratorFactory, UserFactory

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _heading(html: str) -> str:
    return re.search(r'<h2 id="replies-title">(.*?)</h2>', html, re.S).group(1)


def _page(client, dilemma) -> str:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client.get(dilemma.get_absolute_url()).content.decode()


def _listed(html: str) -> int:
    return len(re.findall(r'<article class="reply[^"]*" id="reply-\d+"', html))


@pytest.fixture
def three(dilemma):
    return [
        services.reply_create(
            author=UserFactory(name=f"Svarer {n}"),
            dilemma=dilemma,
            body=f"Svar {n}",
            check_rate=False,
        )
        for n in range(3)
    ]


def test_counts_match_what_is_shown_after_hide_delete_and_accept(dilemma, member, three):
    moderator = ModeratorFactory()
    reader = client_for(UserFactory())
    html = _page(reader, dilemma)
    assert "3 replies" in _heading(html) and _listed(html) == 3

    services.reply_set_hidden(user=moderator, reply=three[0], hidden=True)
    html = _page(reader, dilemma)
    assert "2 replies" in _heading(html) and _listed(html) == 2
    moderator_html = _page(client_for(moderator), dilemma)
    assert "3 replies" in _heading(moderator_html) and _listed(moderator_html) == 3
    assert "1 of them hidden" in _heading(moderator_html)

    services.reply_delete(user=three[1].author, reply=three[1])
    html = _page(reader, dilemma)
    assert "1 reply" in _heading(html) and _listed(html) == 1
    assert "1 reply was deleted" in html

    services.dilemma_accept_reply(user=member, dilemma=dilemma, reply=three[2])
    html = _page(reader, dilemma)
    assert "1 reply" in _heading(html) and _listed(html) == 1
    assert html.count("Svar 2<") == 1  # once, in place
    assert html.count(">Accepted answer<") == 1
    assert f'href="#reply-{three[2].pk}"' in html  # the jump link at the top
    dilemma.refresh_from_db()
    assert dilemma.reply_count == 1  # the lists say the same


def test_conclusion_and_accepted_answer_look_different(dilemma, member, three):
    services.dilemma_accept_reply(user=member, dilemma=dilemma, reply=three[0])
    services.dilemma_conclude(user=member, dilemma=dilemma, conclusion="Vi valgte borgerpanelet.")
    html = _page(client_for(member), dilemma)
    assert 'class="thread-conclusion"' in html
    assert 'class="reply reply--accepted"' in html
    assert 'href="#conclusion-title"' in html


def test_posting_lands_on_the_new_reply_with_the_message_next_to_it(dilemma, other_member):
    client = client_for(other_member)
    response = client.post(reverse("dilemmas:reply", args=[dilemma.pk]), {"body": "Prøv et panel."})
    reply = dilemma.replies.get()
    assert response["Location"] == f"/dilemmas/{dilemma.pk}/?posted={reply.pk}#reply-{reply.pk}"
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(response["Location"]).content.decode()
    article = html[html.index(f'id="reply-{reply.pk}"') :]
    article = article[: article.index("</article>")]
    assert (
        'tabindex="-1"'
        in html[html.rindex("<article", 0, html.index(f'id="reply-{reply.pk}"')) :][:300]
    )
    assert "Your reply is posted." in article
    assert html.count("Your reply is posted.") == 1


def test_someone_elses_posted_id_shows_no_message(dilemma, other_member, member):
    reply = services.reply_create(
        author=other_member, dilemma=dilemma, body="Hej", check_rate=False
    )
    client = client_for(member)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(f"{dilemma.get_absolute_url()}?posted={reply.pk}").content.decode()
    assert "Your reply is posted." not in html
    assert client.get(f"{dilemma.get_absolute_url()}?posted=x&quote=%00").status_code == 200


def test_quote_fills_the_reply_form_with_a_markdown_quote(dilemma, member, other_member):
    reply = services.reply_create(
        author=other_member, dilemma=dilemma, body="Linje et\nLinje to", check_rate=False
    )
    html = _page(client_for(member), dilemma)
    assert f'href="?quote={reply.pk}#reply-form-title"' in html
    client = client_for(member)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(f"{dilemma.get_absolute_url()}?quote={reply.pk}")
    assert page.context["reply_form"].initial["body"] == (
        "> Ole Andersen (Silkeborg) wrote:\n>\n> Linje et\n> Linje to\n\n"
    )
    assert "&gt; Linje et" in page.content.decode()


def test_quoting_the_anonymous_asker_does_not_name_them(member, other_member):
    dilemma = services.dilemma_create(
        author=member,
        kind="question",
        title="Anonymt spørgsmål?",
        body="Hvad gør vi?",
        anonymous=True,
        check_rate=False,
    )
    reply = services.reply_create(
        author=member, dilemma=dilemma, body="Mere info", check_rate=False
    )
    client = client_for(other_member)
    page = client.get(f"{dilemma.get_absolute_url()}?quote={reply.pk}")
    assert "Mette" not in page.context["reply_form"].initial["body"]


def test_pressed_helpful_is_a_quiet_toggle(dilemma, member, other_member):
    reply = services.reply_create(
        author=other_member, dilemma=dilemma, body="Hej", check_rate=False
    )
    services.reply_toggle_helpful(user=member, reply=reply)
    html = _page(client_for(member), dilemma)
    button = re.search(r'<button[^>]*aria-pressed="true"[^>]*>', html).group(0)
    assert "button--secondary" in button and "helpful__toggle" in button

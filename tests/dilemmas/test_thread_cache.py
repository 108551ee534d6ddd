"""The thread's main column is cached (dilemmas.views._thread_fragment): rendered once per
change of the thread, the content it links and the people it names, and never shown to one
member as another sees it."""

import re

import pytest
from django.core.cache import cache
from django.test import Client

from dilemmas import services
from komvidere.fragments import HOLE
from tests.factories import DilemmaFactory, UserFactory

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture
def thread(db, other_member):
    dilemma = DilemmaFactory(author=other_member, title="Varmeplan i landsbyerne")
    reply = services.reply_create(
        author=UserFactory(), dilemma=dilemma, body="Vi startede med et borgermøde."
    )
    return dilemma, reply


def _page(client, dilemma, **params) -> str:
    response = client.get(dilemma.get_absolute_url(), params)
    assert response.status_code == 200
    return response.content.decode()


def test_a_second_view_is_served_from_the_cache_and_skips_the_queries(
    member_client, thread, django_assert_max_num_queries
):
    dilemma, _reply = thread
    first = _page(member_client, dilemma)
    with django_assert_max_num_queries(8) as second:
        again = _page(member_client, dilemma)
    # The replies, the cases that answer it and the related box are not asked for again.
    assert not any("helpful_count" in q["sql"] for q in second)
    assert TOKEN.sub("", again) == TOKEN.sub("", first)


def test_a_hidden_reply_leaves_the_cached_thread(member_client, moderator, thread):
    dilemma, reply = thread
    assert "Vi startede med et borgermøde." in _page(member_client, dilemma)
    services.reply_set_hidden(user=moderator, reply=reply, hidden=True)
    page = _page(member_client, dilemma)
    assert "Vi startede med et borgermøde." not in page
    assert "0 svar" in page  # the heading counts what the page lists


def test_an_edited_reply_and_a_helpful_mark_show_at_once(member_client, member, thread):
    dilemma, reply = thread
    bystander = UserFactory()  # before the page is cached: a new member is news of its own
    _page(member_client, dilemma)
    services.reply_edit(user=reply.author, reply=reply, body="Vi startede med en workshop.")
    assert "Vi startede med en workshop." in _page(member_client, dilemma)
    services.reply_toggle_helpful(user=bystander, reply=reply)
    assert "1 fandt dette nyttigt" in _page(member_client, dilemma)


def test_each_response_carries_its_own_csrf_token_and_the_cache_none(member_client, thread):
    dilemma, _reply = thread
    first = _page(member_client, dilemma)
    second = _page(member_client, dilemma)
    tokens = TOKEN.findall(second)
    assert len(tokens) > 2  # the follow form, the reply form and the header's language form
    assert len(set(tokens)) == 1 and tokens[0] not in first
    stored = [v for v in cache._cache.values() if b"Varmeplan i landsbyerne" in v]
    assert stored
    assert not any(tokens[0].encode() in v or TOKEN.pattern.encode() in v for v in stored)
    assert all(HOLE.encode() in v for v in stored if b"csrfmiddlewaretoken" in v)


def test_the_thread_s_own_people_and_moderators_are_not_shared(
    member, member_client, moderator_client, thread
):
    dilemma, reply = thread
    stranger = Client()
    stranger.force_login(UserFactory())
    _page(stranger, dilemma)  # cached as a member with no part in the thread sees it
    # The reply's author sees their own edit link; others do not.
    author = Client()
    author.force_login(reply.author)
    edit = f"/dilemmas/replies/{reply.pk}/edit/"
    assert edit in _page(author, dilemma)
    assert edit not in _page(member_client, dilemma)
    assert edit in _page(moderator_client, dilemma)  # moderators may edit any reply
    assert "Skjul svar" in _page(moderator_client, dilemma)
    assert "Skjul svar" not in _page(member_client, dilemma)
    # A member who marks the reply helpful sees it pressed; the stranger does not.
    services.reply_toggle_helpful(user=member, reply=reply)
    assert 'aria-pressed="true"' in _page(member_client, dilemma)
    assert 'aria-pressed="true"' not in _page(stranger, dilemma)


def test_following_changes_the_follow_button(member, member_client, thread):
    dilemma, _reply = thread
    follow = f'action="/dilemmas/{dilemma.pk}/follow/"'
    assert 'value="follow"' in _page(member_client, dilemma)
    services.dilemma_follow(user=member, dilemma=dilemma)
    page = _page(member_client, dilemma)
    assert follow in page and 'value="unfollow"' in page


def test_a_posted_reply_and_a_quote_are_not_cached(member, member_client, thread):
    dilemma, reply = thread
    mine = services.reply_create(author=member, dilemma=dilemma, body="Tak for svaret.")
    posted = member_client.get(dilemma.get_absolute_url(), {"posted": mine.pk})
    assert posted.context["thread_fragment"] is None
    quoted = member_client.get(dilemma.get_absolute_url(), {"quote": reply.pk})
    assert quoted.context["thread_fragment"] is None
    assert "&gt; " in quoted.content.decode()

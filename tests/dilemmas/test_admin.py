"""The admin is one more client of the dilemma services: hiding, editing and deleting there
keeps search, the lists, the counters and the accepted answer in step with what members see."""

import pytest
from django.urls import reverse

from dilemmas import services
from dilemmas.models import Dilemma, DilemmaStatus, Flag, FlagStatus, Reply
from komvidere.models import SearchEntry
from tests.admin_forms import admin_url, change_form_data, changelist_action

pytestmark = pytest.mark.django_db


@pytest.fixture
def thread(dilemma, other_member):
    """`dilemma` with two replies, made on the site."""
    replies = [
        services.reply_create(author=other_member, dilemma=dilemma, body=body, check_rate=False)
        for body in ("Prøv et borgermøde om solceller.", "Vi brugte en digital høring.")
    ]
    dilemma.refresh_from_db()
    assert dilemma.reply_count == 2
    return dilemma, replies


def _found(client, query: str) -> int:
    response = client.get(reverse("portal:search"), {"q": query})
    assert response.status_code == 200
    return response.context["total"]


def _entries(obj) -> int:
    kind = "reply" if isinstance(obj, Reply) else "dilemma"
    return SearchEntry.objects.filter(kind=kind, object_id=obj.pk).count()


def _listed(client) -> dict[int, int]:
    """The threads on /dilemmas/ as a member sees them, with their reply counts."""
    response = client.get(reverse("dilemmas:list"))
    assert response.status_code == 200
    return {d.pk: d.reply_count for d in response.context["object_list"]}


def _thread_page(client, dilemma):
    return client.get(dilemma.get_absolute_url())


# --- hiding ---------------------------------------------------------------------------------------


def test_hiding_a_thread_in_the_admin_hides_it_everywhere(admin_client, member_client, thread):
    dilemma, replies = thread
    flag = services.flag_create(reporter=replies[0].author, reason="spam", dilemma=dilemma)
    assert _found(member_client, "vindmøller") == 1
    assert _found(member_client, "borgermøde") == 1
    assert dilemma.pk in _listed(member_client)

    response = changelist_action(admin_client, Dilemma, "hide", [dilemma])

    assert response.status_code == 200
    dilemma.refresh_from_db()
    assert dilemma.hidden
    assert _entries(dilemma) == 0
    assert all(_entries(reply) == 0 for reply in replies)
    assert _found(member_client, "vindmøller") == 0
    assert _found(member_client, "borgermøde") == 0
    assert dilemma.pk not in _listed(member_client)
    assert _thread_page(member_client, dilemma).status_code == 404
    flag.refresh_from_db()
    assert flag.status == FlagStatus.HIDDEN
    assert dilemma.revisions.filter(history_change_reason="hide").exists()

    changelist_action(admin_client, Dilemma, "unhide", [dilemma])

    assert _found(member_client, "vindmøller") == 1
    assert _found(member_client, "borgermøde") == 1
    assert _listed(member_client)[dilemma.pk] == 2


def test_hiding_a_reply_in_the_admin_updates_search_and_the_counter(
    admin_client, member_client, thread
):
    dilemma, (hidden, kept) = thread

    changelist_action(admin_client, Reply, "hide", [hidden])

    hidden.refresh_from_db()
    dilemma.refresh_from_db()
    assert hidden.hidden
    assert dilemma.reply_count == 1
    assert _listed(member_client)[dilemma.pk] == 1
    assert _entries(hidden) == 0 and _entries(kept) == 1
    assert _found(member_client, "borgermøde") == 0
    assert _found(member_client, "digital høring") == 1
    page = _thread_page(member_client, dilemma).content.decode()
    assert "borgermøde" not in page and "digital høring" in page

    changelist_action(admin_client, Reply, "unhide", [hidden])

    dilemma.refresh_from_db()
    assert dilemma.reply_count == 2
    assert _found(member_client, "borgermøde") == 1


def test_unhiding_an_accepted_reply_makes_it_the_answer_again(
    admin_client, member, member_client, thread
):
    dilemma, (answer, _other) = thread
    services.dilemma_accept_reply(user=member, dilemma=dilemma, reply=answer)

    changelist_action(admin_client, Reply, "hide", [answer])

    dilemma.refresh_from_db()
    assert dilemma.status == DilemmaStatus.OPEN  # no visible answer: open again
    page = _thread_page(member_client, dilemma)
    assert page.context["accepted_reply"] is None
    assert 'class="accepted-jump"' not in page.content.decode()
    open_threads = member_client.get(reverse("dilemmas:list"), {"status": "open"})
    assert dilemma in open_threads.context["object_list"]

    changelist_action(admin_client, Reply, "unhide", [answer])

    dilemma.refresh_from_db()
    assert dilemma.status == DilemmaStatus.ANSWERED
    assert dilemma.accepted_reply == answer
    page = _thread_page(member_client, dilemma)
    assert page.context["accepted_reply"] == answer
    assert 'class="accepted-jump"' in page.content.decode()


def test_a_reply_deleted_while_hidden_is_never_the_answer_again(
    admin_client, admin_user, member, thread
):
    dilemma, (answer, _other) = thread
    services.dilemma_accept_reply(user=member, dilemma=dilemma, reply=answer)
    changelist_action(admin_client, Reply, "hide", [answer])

    services.reply_delete(user=admin_user, reply=Reply.objects.get(pk=answer.pk))
    changelist_action(admin_client, Reply, "unhide", [answer])

    dilemma.refresh_from_db()
    assert (dilemma.accepted_reply, dilemma.status) == (None, DilemmaStatus.OPEN)
    assert dilemma.reply_count == 1


# --- the change forms -----------------------------------------------------------------------------


def test_state_fields_are_read_only_in_the_change_form(admin_client, member_client, thread):
    dilemma, _replies = thread
    url = admin_url(dilemma)
    data = change_form_data(admin_client, url)
    for name in ("hidden", "locked", "status", "accepted_reply", "reply_count", "author"):
        assert name not in data, name
    data.update(hidden="on", locked="on", reply_count="99", status="closed")

    response = admin_client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    dilemma.refresh_from_db()
    assert (dilemma.hidden, dilemma.locked, dilemma.reply_count) == (False, False, 2)
    assert dilemma.status == DilemmaStatus.OPEN
    assert _found(member_client, "vindmøller") == 1


def test_retitling_a_thread_in_the_admin_updates_search(
    admin_client, admin_user, member_client, thread
):
    dilemma, replies = thread
    url = admin_url(dilemma)
    data = change_form_data(admin_client, url)
    data["title"] = "Hvordan finder vi arealer til solcelleparker?"

    response = admin_client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    dilemma.refresh_from_db()
    assert dilemma.title == "Hvordan finder vi arealer til solcelleparker?"
    assert dilemma.edited_at is not None
    entry = SearchEntry.objects.get(kind="dilemma", object_id=dilemma.pk)
    assert entry.title == dilemma.title
    # a reply is found under its thread's title: that follows too
    assert SearchEntry.objects.get(kind="reply", object_id=replies[0].pk).title == dilemma.title
    assert _found(member_client, "solcelleparker") >= 1
    revision = dilemma.revisions.filter(history_change_reason="edit").get()
    assert revision.history_user == admin_user
    assert revision.previous_values["title"].startswith("Hvordan inddrager vi borgerne")


def test_editing_a_reply_in_the_admin_updates_search(admin_client, member_client, thread):
    _dilemma, (reply, _other) = thread
    url = admin_url(reply)
    data = change_form_data(admin_client, url)
    assert "hidden" not in data and "dilemma" not in data
    data["body"] = "Prøv et fællesmøde med lokalrådet."

    response = admin_client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    reply.refresh_from_db()
    assert reply.body == "Prøv et fællesmøde med lokalrådet." and reply.edited_at
    assert _found(member_client, "lokalrådet") == 1
    assert _found(member_client, "borgermøde") == 0


def test_threads_and_replies_are_posted_on_the_site_not_in_the_admin(admin_client):
    assert admin_client.get(reverse("admin:dilemmas_dilemma_add")).status_code == 403
    assert admin_client.get(reverse("admin:dilemmas_reply_add")).status_code == 403


# --- deleting -------------------------------------------------------------------------------------


def test_deleting_a_reply_in_the_admin(admin_client, member, member_client, thread):
    dilemma, (answer, kept) = thread
    services.dilemma_accept_reply(user=member, dilemma=dilemma, reply=answer)

    response = admin_client.post(admin_url(answer, "delete"), {"post": "yes"})

    assert response.status_code == 302
    assert not Reply.objects.filter(pk=answer.pk).exists()
    dilemma.refresh_from_db()
    assert dilemma.reply_count == 1
    assert (dilemma.accepted_reply, dilemma.status) == (None, DilemmaStatus.OPEN)
    assert _listed(member_client)[dilemma.pk] == 1
    assert _entries(answer) == 0
    assert _found(member_client, "borgermøde") == 0


def test_deleting_a_thread_in_the_admin(admin_client, member, member_client, thread):
    dilemma, replies = thread
    services.dilemma_accept_reply(user=member, dilemma=dilemma, reply=replies[0])

    response = changelist_action(admin_client, Dilemma, "delete_selected", [dilemma], post="yes")

    assert response.status_code == 200
    assert not Dilemma.objects.exists() and not Reply.objects.exists()
    assert not SearchEntry.objects.filter(kind__in=["dilemma", "reply"]).exists()
    assert _found(member_client, "vindmøller") == 0
    assert dilemma.pk not in _listed(member_client)


# --- flags ----------------------------------------------------------------------------------------


def test_flags_are_handled_by_the_actions_only(admin_client, member_client, other_member, thread):
    dilemma, (reply, _kept) = thread
    flag = services.flag_create(reporter=other_member, reason="spam", reply=reply)
    data = change_form_data(admin_client, admin_url(flag))
    assert "status" not in data and "handled_by" not in data

    changelist_action(admin_client, Flag, "hide_content", [flag])

    flag.refresh_from_db()
    reply.refresh_from_db()
    dilemma.refresh_from_db()
    assert flag.status == FlagStatus.HIDDEN
    assert reply.hidden and dilemma.reply_count == 1
    assert _found(member_client, "borgermøde") == 0

"""The dilemma pages: who may do what (the ladder), what members never see, bad input, budgets."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from dilemmas import services
from dilemmas.models import Dilemma, DilemmaStatus, Flag, FlagStatus, Reply
from komvidere.models import Sector
from tests.factories import DilemmaFactory, ModeratorFactory, ReplyFactory, UserFactory
from tests.helpers import count_h1

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _reply(dilemma, author, body="Vi brugte et borgerpanel med lodtrækning."):
    return services.reply_create(author=author, dilemma=dilemma, body=body, check_rate=False)


def assert_login_redirect(response):
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


# --- The ladder -----------------------------------------------------------------------------------


@pytest.fixture
def thread(dilemma, other_member):
    """`member` asked; `other_member` replied."""
    return dilemma, _reply(dilemma, other_member)


def test_ladder_ask(member):
    assert_login_redirect(client_for(None).get("/dilemmas/new/"))
    assert_login_redirect(client_for(None).post("/dilemmas/new/", {"title": "x"}))
    response = client_for(member).get("/dilemmas/new/")
    assert response.status_code == 200 and count_h1(response) == 1


def test_ladder_read(thread, member, other_member):
    dilemma, _ = thread
    assert_login_redirect(client_for(None).get(dilemma.get_absolute_url()))
    assert_login_redirect(client_for(None).get("/dilemmas/"))
    for user in (member, other_member, ModeratorFactory()):
        response = client_for(user).get(dilemma.get_absolute_url())
        assert response.status_code == 200 and count_h1(response) == 1


@pytest.mark.parametrize("action", ["edit", "delete", "conclude"])
def test_ladder_asker_actions(thread, member, other_member, action):
    dilemma, _ = thread
    url = reverse(f"dilemmas:{action}", args=[dilemma.pk])

    assert_login_redirect(client_for(None).get(url))
    assert client_for(other_member).get(url).status_code == 403
    assert client_for(other_member).post(url, {"conclusion": "x", "title": "x"}).status_code == 403
    assert client_for(member).get(url).status_code == 200
    assert client_for(ModeratorFactory()).get(url).status_code == 200

    dilemma.refresh_from_db()
    assert dilemma.status == DilemmaStatus.OPEN and dilemma.deleted_at is None


def test_ladder_accept(thread, member, other_member):
    dilemma, reply = thread
    url = reverse("dilemmas:accept", args=[dilemma.pk])

    assert_login_redirect(client_for(None).post(url, {"reply": reply.pk}))
    assert client_for(other_member).post(url, {"reply": reply.pk}).status_code == 403
    dilemma.refresh_from_db()
    assert dilemma.accepted_reply is None

    assert client_for(member).post(url, {"reply": reply.pk}).status_code == 302
    dilemma.refresh_from_db()
    assert dilemma.accepted_reply == reply and dilemma.status == DilemmaStatus.ANSWERED

    moderator_client = client_for(ModeratorFactory())
    assert moderator_client.post(url, {"action": "unaccept"}).status_code == 302
    dilemma.refresh_from_db()
    assert dilemma.accepted_reply is None and dilemma.status == DilemmaStatus.OPEN


def test_ladder_conclude(thread, member, other_member):
    dilemma, _ = thread
    url = reverse("dilemmas:conclude", args=[dilemma.pk])

    response = client_for(member).post(url, {"conclusion": "Borgerpanel virkede."})

    assert response.status_code == 302
    dilemma.refresh_from_db()
    assert dilemma.status == DilemmaStatus.CONCLUDED
    page = client_for(other_member).get(dilemma.get_absolute_url()).content.decode()
    assert "Borgerpanel virkede." in page


def test_ladder_edit_and_delete_a_reply(thread, member, other_member):
    _, reply = thread
    edit = reverse("dilemmas:reply_edit", args=[reply.pk])
    delete = reverse("dilemmas:reply_delete", args=[reply.pk])

    assert_login_redirect(client_for(None).post(edit, {"body": "x"}))
    assert client_for(member).post(edit, {"body": "Overtaget"}).status_code == 403
    assert client_for(member).post(delete).status_code == 403
    assert client_for(other_member).post(edit, {"body": "Rettet"}).status_code == 302
    reply.refresh_from_db()
    assert reply.body == "Rettet" and reply.revisions.count() == 1

    assert client_for(ModeratorFactory()).post(delete).status_code == 302
    reply.refresh_from_db()
    assert reply.is_deleted
    page = client_for(member).get(reply.dilemma.get_absolute_url()).content.decode()
    assert "reply__deleted" in page  # the notice in place of the text
    assert "Rettet" not in page


def test_ladder_reply(dilemma, other_member):
    url = reverse("dilemmas:reply", args=[dilemma.pk])

    assert_login_redirect(client_for(None).post(url, {"body": "Hej"}))
    response = client_for(other_member).post(url, {"body": "Prøv et borgerpanel."})

    assert response.status_code == 302
    assert response["Location"].startswith(f"/dilemmas/{dilemma.pk}/?posted=")
    dilemma.refresh_from_db()
    assert dilemma.reply_count == 1


def test_nobody_replies_to_a_locked_thread(dilemma, member, other_member):
    moderator = ModeratorFactory()
    services.dilemma_set_locked(user=moderator, dilemma=dilemma, locked=True)
    url = reverse("dilemmas:reply", args=[dilemma.pk])

    for user in (member, other_member, moderator):
        assert client_for(user).post(url, {"body": "Alligevel"}).status_code == 403
    assert not Reply.objects.exists()
    page = client_for(other_member).get(dilemma.get_absolute_url()).content.decode()
    assert 'name="body"' not in page


@pytest.mark.parametrize("action", ["lock", "hide"])
def test_ladder_moderate_thread(dilemma, member, other_member, action):
    url = reverse("dilemmas:moderate", args=[dilemma.pk])

    assert_login_redirect(client_for(None).post(url, {"action": action}))
    assert client_for(member).post(url, {"action": action}).status_code == 403
    assert client_for(other_member).post(url, {"action": action}).status_code == 403
    dilemma.refresh_from_db()
    assert not dilemma.locked and not dilemma.hidden

    assert client_for(ModeratorFactory()).post(url, {"action": action}).status_code == 302
    dilemma.refresh_from_db()
    assert dilemma.locked or dilemma.hidden


def test_ladder_mark_duplicate(dilemma, member):
    original = DilemmaFactory()
    url = reverse("dilemmas:duplicate", args=[dilemma.pk])

    assert client_for(member).post(url, {"duplicate_of": original.pk}).status_code == 403
    response = client_for(ModeratorFactory()).post(url, {"duplicate_of": original.pk})

    assert response.status_code == 302
    dilemma.refresh_from_db()
    assert dilemma.duplicate_of == original and dilemma.status == DilemmaStatus.CLOSED


def test_ladder_moderate_reply(thread, member):
    _, reply = thread
    url = reverse("dilemmas:reply_moderate", args=[reply.pk])

    assert client_for(member).post(url, {"action": "hide"}).status_code == 403
    assert client_for(ModeratorFactory()).post(url, {"action": "hide"}).status_code == 302
    reply.refresh_from_db()
    assert reply.hidden


def test_ladder_follow(dilemma, other_member):
    url = reverse("dilemmas:follow", args=[dilemma.pk])

    assert_login_redirect(client_for(None).post(url))
    client_for(other_member).post(url, {"action": "follow"})
    assert dilemma.follows.filter(user=other_member).exists()
    client_for(other_member).post(url, {"action": "unfollow"})
    assert not dilemma.follows.filter(user=other_member).exists()


def test_ladder_helpful(thread, member, other_member):
    _, reply = thread
    url = reverse("dilemmas:reply_helpful", args=[reply.pk])

    assert_login_redirect(client_for(None).post(url))
    assert client_for(other_member).post(url).status_code == 400  # your own reply
    response = client_for(member).post(url, HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    assert 'aria-pressed="true"' in response.content.decode()
    assert reply.helpful_marks.filter(user=member).exists()


def test_ladder_flags(thread, member, other_member):
    dilemma, reply = thread
    url = reverse("dilemmas:reply_flag", args=[reply.pk])

    assert_login_redirect(client_for(None).post(url, {"reason": "spam"}))
    response = client_for(member).post(url, {"reason": "offensive", "note": "Groft sprog"})
    assert response.status_code == 302
    # The same again: a form error, not a second flag.
    response = client_for(member).post(url, {"reason": "spam"})
    assert response.status_code == 200 and "error-summary" in response.content.decode()
    assert Flag.objects.count() == 1
    flag = Flag.objects.get()

    # A member's /dilemmas/flags/ lists only their own reports.
    stranger = UserFactory()
    assert "Groft sprog" not in client_for(stranger).get("/dilemmas/flags/").content.decode()
    handle = reverse("dilemmas:flag_handle", args=[flag.pk])
    assert client_for(stranger).post(handle, {"action": "hide"}).status_code == 403
    assert client_for(member).post(handle, {"action": "hide"}).status_code == 403

    moderator = client_for(ModeratorFactory())
    queue = moderator.get("/dilemmas/flags/").content.decode()
    assert "Groft sprog" in queue and reply.body in queue
    assert moderator.post(handle, {"action": "dismiss"}).status_code == 302
    flag.refresh_from_db()
    assert flag.status == FlagStatus.DISMISSED
    assert "Groft sprog" not in moderator.get("/dilemmas/flags/").content.decode()


# --- Hidden content -------------------------------------------------------------------------------


def test_hidden_content_is_invisible_to_members_and_visible_to_moderators(
    thread, member, other_member
):
    dilemma, reply = thread
    moderator = ModeratorFactory()
    hidden_reply = _reply(dilemma, other_member, body="Skjult svar med reklame")
    services.reply_set_hidden(user=moderator, reply=hidden_reply, hidden=True)

    page = client_for(member).get(dilemma.get_absolute_url()).content.decode()
    assert "Skjult svar med reklame" not in page
    assert (
        "Skjult svar med reklame"
        in client_for(moderator).get(dilemma.get_absolute_url()).content.decode()
    )

    services.dilemma_set_hidden(user=moderator, dilemma=dilemma, hidden=True)
    assert client_for(member).get(dilemma.get_absolute_url()).status_code == 404
    assert dilemma.title not in client_for(other_member).get("/dilemmas/").content.decode()
    assert client_for(moderator).get(dilemma.get_absolute_url()).status_code == 200
    assert dilemma.title in client_for(moderator).get("/dilemmas/").content.decode()
    # Nor can members act on it.
    helpful = reverse("dilemmas:reply_helpful", args=[reply.pk])
    assert client_for(member).post(helpful).status_code == 404


def test_replying_to_a_hidden_dilemma_is_a_404_and_saves_nothing(dilemma, other_member):
    services.dilemma_set_hidden(user=ModeratorFactory(), dilemma=dilemma, hidden=True)

    response = client_for(other_member).post(
        reverse("dilemmas:reply", args=[dilemma.pk]), {"body": "Hej"}
    )

    assert response.status_code == 404
    assert not Reply.objects.exists()


# --- Anonymous askers -----------------------------------------------------------------------------


def test_an_anonymous_askers_name_appears_nowhere_a_member_looks(other_member):
    asker = UserFactory(name="Hemmelig Spørger", email_local_part="hemmelig")
    dilemma = services.dilemma_create(
        author=asker,
        kind="dilemma",
        title="Politikerne vil ikke prioritere scope 3",
        body="Hvordan får vi scope 3 på dagsordenen?",
        tags=["scope 3"],
        anonymous=True,
    )
    reply = _reply(dilemma, other_member)
    _reply(dilemma, asker, body="Tak, det prøver vi.")  # the asker answers in their thread
    services.dilemma_accept_reply(user=asker, dilemma=dilemma, reply=reply)
    services.reply_toggle_helpful(user=asker, reply=reply)

    member_client = client_for(other_member)
    pages = [
        dilemma.get_absolute_url(),
        "/dilemmas/",
        "/dilemmas/?tag=scope-3",
        f"/dilemmas/?organisation={asker.organisation.slug}",
        "/dilemmas/suggest/?title=scope+dagsordenen",
        "/notifications/",
        "/",
    ]
    for path in pages:
        html = member_client.get(path).content.decode()
        for secret in (asker.name, asker.email, asker.get_absolute_url(), "hemmelig"):
            assert secret not in html, (path, secret)
    thread = member_client.get(dilemma.get_absolute_url()).content.decode()
    assert "Region Midtjylland" in thread  # "a colleague in Region Midtjylland"
    # Opening the notifications leads to the thread, not to a profile.
    for notification in other_member.notifications.all():
        assert notification.actor is None
    # Filtering by the organisation does not find it.
    by_org = member_client.get(f"/dilemmas/?organisation={asker.organisation.slug}")
    assert dilemma.title not in by_org.content.decode()

    # Moderators see who asked.
    moderator_html = client_for(ModeratorFactory()).get(dilemma.get_absolute_url()).content.decode()
    assert asker.name in moderator_html


# --- Bad input ------------------------------------------------------------------------------------


def _ask_data(**overrides):
    data = {
        "kind": "question",
        "title": "Hvordan tæller vi scope 3-udledninger fra indkøb?",
        "body": "Vi vil gerne opgøre **indkøb**.",
        "tags": "scope 3, indkøb",
        "confirmed": "1",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    "overrides",
    [
        {"title": ""},
        {"body": ""},
        {"title": "x" * 100_000},
        {"body": "x" * 100_000},
        {"title": "Nul\x00byte"},
        {"body": "Nul\x00byte"},
        {"tags": "a\x00b"},
        {"tags": ", ".join(f"tag{n}" for n in range(30))},
        {"kind": "nonsense"},
        {"sectors": ["not-a-number"]},
        {"plan_stage": "999999"},
    ],
    ids=lambda o: next(iter(o)) + ":" + str(next(iter(o.values())))[:12],
)
def test_bad_input_when_asking_gives_a_form_error_and_saves_nothing(member_client, overrides):
    response = member_client.post("/dilemmas/new/", _ask_data(**overrides))

    assert response.status_code == 200
    assert "error-summary" in response.content.decode()
    assert not Dilemma.objects.exists()


def test_markup_is_stored_as_written_and_rendered_safely(member_client):
    body = '<script>alert("x")</script> **fed** <img src=x onerror=alert(1)> 🌍'
    response = member_client.post(
        "/dilemmas/new/", _ask_data(title="<b>Vindmøller</b> 🌬️", body=body)
    )

    assert response.status_code == 302
    dilemma = Dilemma.objects.get()
    assert dilemma.body == body
    html = member_client.get(dilemma.get_absolute_url()).content.decode()
    assert "<script>alert" not in html and "onerror" not in html
    assert "&lt;b&gt;Vindmøller&lt;/b&gt;" in html
    assert "<strong>fed</strong>" in html and "🌍" in html


def test_accepting_another_threads_reply_is_a_400_and_changes_nothing(thread, member):
    dilemma, _ = thread
    elsewhere = ReplyFactory()
    url = reverse("dilemmas:accept", args=[dilemma.pk])

    for value in (elsewhere.pk, "abc", "", "999999999"):
        response = client_for(member).post(url, {"reply": value})
        assert response.status_code == 400, value

    dilemma.refresh_from_db()
    assert dilemma.accepted_reply is None and dilemma.status == DilemmaStatus.OPEN


@pytest.mark.parametrize("body", ["", "   ", "x" * 100_000, "a\x00b"])
def test_bad_replies_give_a_form_error(dilemma, other_member, body):
    response = client_for(other_member).post(
        reverse("dilemmas:reply", args=[dilemma.pk]), {"body": body}
    )

    assert response.status_code == 200
    assert "error-summary" in response.content.decode()
    assert not Reply.objects.exists()


def test_unknown_moderation_actions_are_a_400(dilemma):
    client = client_for(ModeratorFactory())
    assert (
        client.post(reverse("dilemmas:moderate", args=[dilemma.pk]), {"action": "nuke"}).status_code
        == 400
    )
    response = client.post(
        reverse("dilemmas:duplicate", args=[dilemma.pk]), {"duplicate_of": dilemma.pk}
    )
    assert response.status_code == 200 and "error-summary" in response.content.decode()
    response = client.post(reverse("dilemmas:duplicate", args=[dilemma.pk]), {"duplicate_of": "x"})
    assert response.status_code == 200


@pytest.mark.parametrize(
    "query",
    ["?page=999", "?page=abc"],
)
def test_list_pages_out_of_range_are_404(member_client, query):
    assert member_client.get("/dilemmas/" + query).status_code == 404


@pytest.mark.parametrize(
    "query",
    [
        "?status=nope",
        "?sector=nope",
        "?organisation=%00",
        "?sort=drop",
        "?tag=%F0%9F%8C%8D",
        "?kind=x",
    ],
)
def test_bad_filters_are_ignored(member_client, dilemma, query):
    response = member_client.get("/dilemmas/" + query)
    assert response.status_code == 200


def test_missing_things_are_404(member_client):
    for url in ["/dilemmas/999999/", "/dilemmas/replies/999999/edit/", "/notifications/999999/"]:
        assert member_client.get(url).status_code == 404


def test_posting_too_fast_gives_a_429_with_the_form_kept(member_client, settings):
    settings.DILEMMAS_POST_RATE = "1/10m"
    assert (
        member_client.post("/dilemmas/new/", _ask_data(title="Første spørgsmål")).status_code == 302
    )

    response = member_client.post("/dilemmas/new/", _ask_data(title="Andet spørgsmål"))

    assert response.status_code == 429
    html = response.content.decode()
    assert "error-summary" in html and "Andet spørgsmål" in html
    assert Dilemma.objects.count() == 1


# --- Asking with suggestions ----------------------------------------------------------------------


def test_suggestions_while_typing(member_client, dilemma):
    DilemmaFactory(title="Skjult vindmølle-tråd", hidden=True)

    response = member_client.get(
        "/dilemmas/suggest/", {"title": "Borgerne og vindmøller: hvordan?"}, HTTP_HX_REQUEST="true"
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert dilemma.title in html
    assert "Skjult" not in html
    assert "<h1" not in html  # a partial


def test_suggestions_are_ranked_by_matching_words_and_capped(member):
    for n in range(7):
        DilemmaFactory(title=f"Vindmøller nummer {n}")
    best = DilemmaFactory(title="Vindmøller og borgerinddragelse i lokalplaner")

    from dilemmas.suggestions import similar_dilemmas, terms_for

    assert terms_for("Hvad gør vi med vindmøller og borgerinddragelse?") == [
        "hvad",
        "vindmøller",
        "borgerinddragelse",
    ]
    found = similar_dilemmas("vindmøller borgerinddragelse")
    assert len(found) == 5 and found[0] == best
    assert similar_dilemmas("og i at") == []


def test_suggestions_include_published_cases(member):
    from tests.factories import CaseFactory

    case = CaseFactory(title="Borgerinddragelse om vindmøller på Samsø")
    CaseFactory(title="Vindmøller i kladde", status="draft")

    from dilemmas.suggestions import similar_cases

    assert similar_cases("vindmøller") == [case]


def test_without_javascript_the_suggestions_come_as_a_confirmation_step(member_client, dilemma):
    data = _ask_data(title="Vindmøller: hvordan inddrager vi borgerne?")
    del data["confirmed"]

    response = member_client.post("/dilemmas/new/", data)

    html = response.content.decode()
    assert response.status_code == 200
    assert dilemma.title in html
    assert 'name="confirmed" value="1"' in html or 'value="True"' in html
    assert Dilemma.objects.count() == 1
    # "Post anyway" posts it.
    data["confirmed"] = "1"
    assert member_client.post("/dilemmas/new/", data).status_code == 302
    assert Dilemma.objects.count() == 2


def test_no_confirmation_step_when_nothing_is_similar(member_client):
    data = _ask_data(title="Fjernkøling i kontorbyggeri")
    del data["confirmed"]

    assert member_client.post("/dilemmas/new/", data).status_code == 302


def test_preview_renders_without_saving(member_client):
    response = member_client.post("/dilemmas/new/", {**_ask_data(), "preview": "1"})

    assert response.status_code == 200
    assert "<strong>indkøb</strong>" in response.content.decode()
    assert not Dilemma.objects.exists()


def test_asking_saves_everything_and_follows(member_client, member):
    energi = Sector.objects.get(slug="energi")
    response = member_client.post("/dilemmas/new/", _ask_data(sectors=[energi.pk], anonymous="on"))

    dilemma = Dilemma.objects.get()
    assert response["Location"] == dilemma.get_absolute_url()
    assert dilemma.anonymous and list(dilemma.sectors.all()) == [energi]
    assert sorted(t.name for t in dilemma.tags.all()) == ["indkøb", "scope 3"]
    assert dilemma.follows.filter(user=member).exists()


# --- The list -------------------------------------------------------------------------------------


def test_list_filters_and_sorts(member, other_member):
    client = client_for(member)
    answered = DilemmaFactory(title="Besvaret tråd", author=other_member)
    reply = _reply(answered, member)
    services.dilemma_accept_reply(user=other_member, dilemma=answered, reply=reply)
    quiet = DilemmaFactory(title="Stille tråd", kind="challenge")
    services.dilemma_follow(user=member, dilemma=quiet)

    def titles(query):
        html = client.get("/dilemmas/" + query).content.decode()
        return set(re.findall(r'dilemma-card__title"><a href="[^"]+">([^<]+)<', html))

    assert titles("?status=answered") == {"Besvaret tråd"}
    assert titles("?kind=challenge") == {"Stille tråd"}
    assert titles("?no_replies=on") == {"Stille tråd"}
    assert titles("?following=on") == {"Besvaret tråd", "Stille tråd"}
    assert titles("?organisation=silkeborg") == {"Besvaret tråd", "Stille tråd"}
    html = client.get("/dilemmas/?sort=replies").content.decode()
    assert html.index("Besvaret tråd") < html.index("Stille tråd")


def test_list_paginates_20(member_client):
    for n in range(25):
        DilemmaFactory(title=f"Tråd {n}")

    html = member_client.get("/dilemmas/").content.decode()

    assert html.count('class="dilemma-card"') == 20
    assert (
        member_client.get("/dilemmas/?page=2").content.decode().count('class="dilemma-card"') == 5
    )


# --- Query budgets --------------------------------------------------------------------------------


def test_thread_with_100_replies_has_a_fixed_query_count(
    dilemma, member, django_assert_max_num_queries
):
    repliers = [UserFactory() for _ in range(5)]
    replies = Reply.objects.bulk_create(
        [Reply(dilemma=dilemma, author=repliers[n % 5], body=f"Svar {n}") for n in range(100)]
    )
    Dilemma.objects.filter(pk=dilemma.pk).update(reply_count=100)
    for reply in replies[:10]:
        services.reply_toggle_helpful(
            user=repliers[0] if reply.author != repliers[0] else member, reply=reply
        )
    services.dilemma_accept_reply(user=member, dilemma=dilemma, reply=replies[50])
    dilemma.tags.set(["vind", "borgere"])
    client = client_for(member)

    with django_assert_max_num_queries(16):
        response = client.get(dilemma.get_absolute_url())

    html = response.content.decode()
    assert html.count('class="reply') >= 100
    # The accepted answer stays in its place, once, with a link to it at the top.
    assert html.index("Svar 0<") < html.index("Svar 50<") < html.index("Svar 51<")
    assert html.count("Svar 50<") == 1
    assert html.index(f'href="#reply-{replies[50].pk}"') < html.index("Svar 0<")


def test_list_with_200_dilemmas_has_a_fixed_query_count(member, django_assert_max_num_queries):
    authors = [UserFactory() for _ in range(5)]
    dilemmas = Dilemma.objects.bulk_create(
        [
            Dilemma(
                title=f"Tråd {n}",
                body="B",
                author=authors[n % 5],
                organisation=authors[0].organisation,
            )
            for n in range(200)
        ]
    )
    for dilemma in dilemmas[:40]:
        dilemma.tags.set(["vind", f"tag{dilemma.pk % 7}"])
    client = client_for(member)

    # Fixed per page whatever the number of rows: six of them count the facets' values.
    with django_assert_max_num_queries(13):
        response = client.get("/dilemmas/?sort=newest")

    assert response.content.decode().count('class="dilemma-card"') == 20


def test_a_deleted_dilemma_keeps_its_thread_readable(thread, member, other_member):
    dilemma, reply = thread

    assert client_for(other_member).post(f"/dilemmas/{dilemma.pk}/delete/").status_code == 403
    assert client_for(member).post(f"/dilemmas/{dilemma.pk}/delete/").status_code == 302

    html = client_for(other_member).get(dilemma.get_absolute_url()).content.decode()
    assert "vil inddrage borgerne tidligt" not in html  # the question text is gone
    assert reply.body in html  # the replies stay
    assert dilemma.title not in client_for(other_member).get("/dilemmas/").content.decode()


def test_the_list_text_filter_is_the_search(member_client, member):
    from komvidere import search
    from tests.factories import DilemmaFactory

    DilemmaFactory(author=member, title="Hvordan finansierer vi varmepumper i landsbyer?")
    DilemmaFactory(author=member, title="Cykelparkering ved stationen")
    search.rebuild()

    html = member_client.get("/dilemmas/", {"q": "varmepumpe landsby"}).content.decode()

    assert "Hvordan finansierer vi varmepumper" in html
    assert "Cykelparkering" not in html

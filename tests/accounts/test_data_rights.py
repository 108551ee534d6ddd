"""My data (/profile/export/) and deleting my account (/profile/delete/, and the admin action)."""

import json

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount
from django.test import Client

from accounts import feeds
from accounts.models import FeedToken, Notification, User
from cases.models import Case
from dilemmas import services as dilemma_services
from dilemmas.models import Dilemma, Follow, Reply
from komvidere import search
from komvidere.models import SearchEntry
from tests.accounts.sso import sso_login
from tests.factories import PASSWORD, CaseFactory
from tests.helpers import enable_mfa

pytestmark = pytest.mark.django_db

EXPORT_KEYS = {
    "profile",
    "cases",
    "dilemmas",
    "replies",
    "follows",
    "notifications",
    "helpful_marks",
    "flags",
}


@pytest.fixture
def posts(member, other_member):
    """The member has a published case (with themselves as contact), an anonymous dilemma, a
    reply in another member's thread, a follow, a flag, a helpful mark and a notification."""
    case = CaseFactory(
        author=member,
        title="Varmepumper i Gjern",
        contact_name=member.name,
        contact_email=member.email,
    )
    search.index(case)
    anonymous = dilemma_services.dilemma_create(
        author=member,
        kind="question",
        title="Hvordan får vi politikerne med på en klimaplan?",
        body="Byrådet tøver. Hvad virkede hos jer?",
        anonymous=True,
        check_rate=False,
    )
    theirs = dilemma_services.dilemma_create(
        author=other_member,
        kind="question",
        title="Solceller på skolernes tage?",
        body="Ole spørger om solceller på skolerne i Ry.",
        check_rate=False,
    )
    reply = dilemma_services.reply_create(
        author=member, dilemma=theirs, body="Vi satte solceller på fire skoler.", check_rate=False
    )
    their_reply = dilemma_services.reply_create(
        author=other_member,
        dilemma=anonymous,
        body="Ole svarer: inviter byrådet på besøg.",
        check_rate=False,
    )
    dilemma_services.reply_toggle_helpful(user=member, reply=their_reply)
    dilemma_services.flag_create(reporter=member, reason="off_topic", dilemma=theirs)
    return {
        "case": case,
        "anonymous": anonymous,
        "theirs": theirs,
        "reply": reply,
        "their_reply": their_reply,
    }


def export(client) -> dict:
    response = client.get("/profile/export/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith("attachment;")
    return json.loads(
        b"".join(response.streaming_content) if response.streaming else response.content
    )


# --- My data --------------------------------------------------------------------------------------


def test_the_export_holds_everything_of_mine_under_the_contracts_keys(member_client, member, posts):
    data = export(member_client)

    assert set(data) == EXPORT_KEYS
    assert data["profile"]["email"] == member.email
    assert data["profile"]["name"] == "Mette Klimasen"
    assert data["profile"]["organisation"] == "Silkeborg Kommune"
    assert [c["title"] for c in data["cases"]] == ["Varmepumper i Gjern"]
    (dilemma,) = data["dilemmas"]
    assert dilemma["title"] == posts["anonymous"].title
    assert dilemma["anonymous"] is True
    assert [r["body"] for r in data["replies"]] == ["Vi satte solceller på fire skoler."]
    followed = {f["dilemma_id"] for f in data["follows"]}
    assert followed == {posts["anonymous"].pk, posts["theirs"].pk}
    assert [n["kind"] for n in data["notifications"]] == ["reply_on_followed"]
    assert [m["reply_id"] for m in data["helpful_marks"]] == [posts["their_reply"].pk]
    assert [(f["dilemma_id"], f["reason"]) for f in data["flags"]] == [
        (posts["theirs"].pk, "off_topic")
    ]


def test_the_export_shows_nothing_of_another_member(member_client, other_member, posts):
    text = member_client.get("/profile/export/").content.decode()

    assert other_member.email not in text
    assert other_member.name not in text
    assert "Ole" not in text  # neither their thread's text nor their reply
    assert posts["theirs"].title not in text


def test_a_visitor_is_sent_to_login(client):
    response = client.get("/profile/export/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert client.get("/profile/delete/")["Location"].startswith("/accounts/login/")


def test_the_profile_page_links_to_both_rights(member_client):
    html = member_client.get("/profile/").content.decode()

    assert 'href="/profile/export/"' in html
    assert 'href="/profile/delete/"' in html


def test_the_privacy_page_describes_both_rights_and_what_stays(client):
    html = client.get("/privacy/").content.decode()

    assert "JSON" in html
    assert "former member" in html or "tidligere medlem" in html


# --- Deleting the account -------------------------------------------------------------------------


def test_the_delete_page_explains_before_anything_happens(member_client, member):
    response = member_client.get("/profile/delete/")

    assert response.status_code == 200
    assert 'name="password"' in response.content.decode()
    member.refresh_from_db()
    assert member.is_active and not member.is_deleted


def test_a_wrong_password_is_refused_and_nothing_changes(member_client, member, posts):
    response = member_client.post("/profile/delete/", {"password": "not-my-password"})

    assert response.status_code == 200
    assert response.context["form"].errors["password"]
    member.refresh_from_db()
    assert member.is_active and not member.is_deleted
    assert member.name == "Mette Klimasen"
    assert member.email == "mette@silkeborg.dk"
    assert Follow.objects.filter(user=member).count() == 2
    assert member_client.get("/profile/").status_code == 200


def _delete(member_client) -> None:
    response = member_client.post("/profile/delete/", {"password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/"


def test_after_deletion_the_member_cannot_log_in_and_every_session_ends(
    member_client, member, posts
):
    enable_mfa(member)
    feeds.feed_token_renew(user=member)
    elsewhere = Client()
    elsewhere.force_login(member)
    email = member.email

    _delete(member_client)

    assert "_auth_user_id" not in member_client.session
    assert elsewhere.get("/")["Location"].startswith("/accounts/login/")
    fresh = Client()
    response = fresh.post("/accounts/login/", {"login": email, "password": PASSWORD})
    assert "_auth_user_id" not in fresh.session
    assert response.status_code == 200
    member.refresh_from_db()
    assert member.is_deleted and not member.is_active
    assert not member.has_usable_password()
    assert (member.name, member.job_title, member.bio) == ("", "", "")
    assert email not in member.email
    assert not Notification.objects.filter(recipient=member).exists()
    assert not Follow.objects.filter(user=member).exists()
    assert not FeedToken.objects.filter(user=member).exists()
    assert not Authenticator.objects.filter(user=member).exists()
    assert not EmailAddress.objects.filter(user=member).exists()
    assert not SocialAccount.objects.filter(user=member).exists()


def test_after_deletion_name_and_email_appear_on_no_page_feed_or_search(
    member_client, member, other_member, posts
):
    name, email = member.name, member.email
    pk = member.pk

    _delete(member_client)

    reader = Client()
    reader.force_login(other_member)
    token = feeds.feed_token_renew(user=other_member)
    pages = [
        "/",
        posts["case"].get_absolute_url(),
        posts["anonymous"].get_absolute_url(),
        posts["theirs"].get_absolute_url(),
        "/cases/",
        "/dilemmas/",
        "/people/",
        "/people/?q=Mette",
        "/organisations/silkeborg/",
        "/search/?q=solceller",
        "/search/?q=varmepumper",
        "/search/?q=klimaplan",
        "/feeds/cases/",
        "/feeds/dilemmas/",
        f"/feeds/{token.key}/cases/",
        f"/feeds/{token.key}/dilemmas/",
    ]
    for path in pages:
        response = reader.get(path)
        assert response.status_code == 200, path
        text = response.content.decode()
        assert name not in text, path
        assert "Klimasen" not in text, path
        assert email not in text, path
    assert reader.get(f"/people/{pk}/").status_code == 404
    # Searching for the name or address finds nobody and nothing (the page repeats the query).
    for query in ("Mette", "Klimasen", email):
        response = reader.get("/search/", {"q": query})
        assert response.status_code == 200
        assert not response.context["people"], query
        text = response.content.decode().replace(query, "")
        assert name not in text and email not in text
        assert not search.search(query).exists(), query
    for entry in SearchEntry.objects.all():
        assert "Klimasen" not in f"{entry.title} {entry.meta} {entry.body} {entry.summary}"


def test_what_they_wrote_stays_written_by_a_former_member(
    member_client, member, other_member, posts
):
    _delete(member_client)

    assert Case.objects.filter(pk=posts["case"].pk, author=member).exists()
    assert Dilemma.objects.filter(pk=posts["anonymous"].pk, author=member).exists()
    assert Reply.objects.filter(pk=posts["reply"].pk, author=member).exists()
    case = Case.objects.get(pk=posts["case"].pk)
    assert (case.contact_name, case.contact_email) == ("", "")
    reader = Client()
    reader.force_login(other_member)
    with_reply = reader.get(posts["theirs"].get_absolute_url()).content.decode()
    assert "Vi satte solceller på fire skoler." in with_reply
    assert "a former member" in with_reply or "et tidligere medlem" in with_reply
    # The byline links to their organisation, not to a missing person page.
    assert 'href="/organisations/silkeborg/"' in with_reply
    # The anonymous dilemma stays anonymous: "a colleague in the region", no "former member".
    anonymous = reader.get(posts["anonymous"].get_absolute_url()).content.decode()
    assert "Byrådet tøver" in anonymous
    assert "former member" not in anonymous and "tidligere medlem" not in anonymous


def test_a_moderator_still_sees_the_content(member_client, moderator_client, posts):
    _delete(member_client)

    response = moderator_client.get(posts["anonymous"].get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "Byrådet tøver" in html
    assert "Mette" not in html
    assert "former member" in html or "tidligere medlem" in html
    case_page = moderator_client.get(posts["case"].get_absolute_url())
    assert case_page.status_code == 200
    assert "former member" in case_page.content.decode() or "tidligere medlem" in (
        case_page.content.decode()
    )


def test_the_admin_action_deletes_a_member_who_has_posted(admin_client, member, posts):
    response = admin_client.post(
        "/admin/accounts/user/",
        {"action": "delete_accounts", "_selected_action": [member.pk]},
        follow=True,
    )

    assert response.status_code == 200
    member.refresh_from_db()
    assert member.is_deleted and not member.is_active
    assert member.name == ""
    assert not EmailAddress.objects.filter(user=member).exists()
    assert Case.objects.filter(author=member).count() == 1
    assert Reply.objects.filter(author=member).count() == 1


def test_the_admin_action_spares_the_admin_themselves(admin_client, admin_user):
    admin_client.post(
        "/admin/accounts/user/",
        {"action": "delete_accounts", "_selected_action": [admin_user.pk]},
    )

    admin_user.refresh_from_db()
    assert not admin_user.is_deleted


def test_a_single_sign_on_member_confirms_with_a_fresh_login(client, oidc):
    oidc.log_in_as(sub="entra-sofie", email="sofie@silkeborg.dk", name="Sofie Sørensen")
    sso_login(client, oidc)
    user = User.objects.get(email="sofie@silkeborg.dk")
    assert not user.has_usable_password()
    # Long after the login, a POST without a fresh login deletes nothing.
    session = client.session
    session["account_authentication_methods"] = [
        {**record, "at": record["at"] - 3600}
        for record in session["account_authentication_methods"]
    ]
    session.save()
    page = client.get("/profile/delete/").content.decode()
    assert 'name="password"' not in page
    assert "/accounts/oidc/testkommune/login/" in page
    client.post("/profile/delete/", {})
    user.refresh_from_db()
    assert not user.is_deleted

    response = sso_login(client, oidc, next_url="/profile/delete/")

    assert response.request["PATH_INFO"] == "/profile/delete/"
    response = client.post("/profile/delete/", {})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.is_deleted
    # Logging in through the provider again does not reach the deleted account.
    sso_login(client, oidc)
    assert client.session.get("_auth_user_id") != str(user.pk)

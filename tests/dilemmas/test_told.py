"""Notifications in threads name who did what, never an anonymous asker; new reports reach
the moderators of the region."""

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import Notification, Region
from dilemmas import services
from tests.factories import ModeratorFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_reply_notification_names_the_replier(dilemma, member, other_member):
    reply = services.reply_create(
        author=other_member, dilemma=dilemma, body="Vi brugte borgermøder.", check_rate=False
    )
    notification = Notification.objects.get(recipient=member, kind="reply_on_followed")
    assert notification.title == dilemma.title
    assert notification.actor == other_member
    assert notification.url == reply.get_absolute_url()
    client = Client()
    client.force_login(member)
    inbox = client.get(reverse("accounts:notifications")).content.decode()
    assert f"Ole Andersen (Silkeborg): {dilemma.title}" in inbox


def test_an_anonymous_asker_is_never_named(member, other_member):
    dilemma = services.dilemma_create(
        author=member,
        kind="question",
        title="Hvad gør vi med klagerne?",
        body="Vi får mange klager over vindmøllerne.",
        anonymous=True,
        check_rate=False,
    )
    services.reply_create(
        author=other_member, dilemma=dilemma, body="Vi inviterede til dialog.", check_rate=False
    )
    reply = services.reply_create(
        author=member, dilemma=dilemma, body="Tak, det prøver vi.", check_rate=False
    )
    notification = Notification.objects.get(recipient=other_member, kind="reply_on_followed")
    assert notification.actor is None
    client = Client()
    client.force_login(other_member)
    assert "Mette" not in client.get(reverse("accounts:notifications")).content.decode()
    assert notification.title.endswith(dilemma.title)
    services.reply_toggle_helpful(user=member, reply=dilemma.replies.exclude(pk=reply.pk).get())
    helpful = Notification.objects.get(recipient=other_member, kind="reply_helpful")
    assert "Mette" not in helpful.title and helpful.actor is None


def test_a_new_flag_tells_the_regions_moderators_naming_the_reporter(dilemma, other_member):
    local = ModeratorFactory(name="Maja Moderator")
    elsewhere = ModeratorFactory(organisation=OrganisationFactory(region=Region.SYDDANMARK))
    reply = services.reply_create(
        author=UserFactory(), dilemma=dilemma, body="Køb vores produkt!", check_rate=False
    )
    services.flag_create(reporter=other_member, reason="spam", reply=reply)
    told = Notification.objects.filter(kind="flag_new")
    assert [n.recipient for n in told] == [local]
    assert told.get().title == dilemma.title and told.get().actor == other_member
    assert told.get().url == "/dilemmas/flags/"
    assert not told.filter(recipient=elsewhere).exists()


def test_accepting_reindexes_the_thread(dilemma, member, other_member, monkeypatch):
    reply = services.reply_create(
        author=other_member, dilemma=dilemma, body="Vi holdt borgermøder.", check_rate=False
    )
    indexed = []
    monkeypatch.setattr(services.search, "index", lambda obj: indexed.append(obj))
    monkeypatch.setattr(services.search, "index_many", lambda objs: indexed.extend(objs))
    services.dilemma_accept_reply(user=member, dilemma=dilemma, reply=reply)
    assert dilemma in indexed and reply in indexed
    indexed.clear()
    services.dilemma_unaccept_reply(user=member, dilemma=dilemma)
    assert dilemma in indexed and reply in indexed

"""Notifications: the in-app inbox, immediate e-mails after commit, and the daily digest."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.core.management import call_command
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.context_processors import notifications as notifications_context
from accounts.models import Notification, User
from accounts.notifications import notify, send_digests
from dilemmas import services
from dilemmas.registration import DilemmaNotification
from tests.factories import ModeratorFactory, UserFactory

pytestmark = pytest.mark.django_db

DAILY = User.NotifyBy.DAILY
NEVER = User.NotifyBy.NEVER


def _reply(dilemma, author, body="Et godt svar"):
    return services.reply_create(author=author, dilemma=dilemma, body=body, check_rate=False)


# --- Events ---------------------------------------------------------------------------------------


def test_followers_get_an_in_app_notification_and_an_email_after_commit(
    dilemma, member, other_member, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        reply = _reply(dilemma, other_member)

    assert callbacks  # the mail waited for the commit
    notification = Notification.objects.get(recipient=member)
    assert notification.kind == DilemmaNotification.REPLY_ON_FOLLOWED
    assert notification.url == reply.get_absolute_url()
    assert notification.read_at is None and notification.emailed_at is not None
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [member.email]
    assert dilemma.title in mail.outbox[0].subject
    assert f"/dilemmas/{dilemma.pk}/#reply-{reply.pk}" in mail.outbox[0].body
    # The replier is not told about their own reply.
    assert not Notification.objects.filter(recipient=other_member).exists()


def test_no_email_before_the_transaction_commits(dilemma, other_member):
    _reply(dilemma, other_member)  # the test transaction never commits

    assert Notification.objects.count() == 1
    assert mail.outbox == []


@pytest.mark.parametrize("preference", [DAILY, NEVER])
def test_daily_and_never_get_no_immediate_email(
    dilemma, member, other_member, preference, django_capture_on_commit_callbacks
):
    User.objects.filter(pk=member.pk).update(email_notifications=preference)
    member.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        _reply(dilemma, other_member)

    assert Notification.objects.filter(recipient=member).count() == 1
    assert mail.outbox == []


def test_a_failed_email_loses_nothing(
    dilemma, member, other_member, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    def broken(*args, **kwargs):
        raise ConnectionRefusedError("SMTP is down")

    monkeypatch.setattr(EmailMultiAlternatives, "send", broken)
    with django_capture_on_commit_callbacks(execute=True):
        reply = _reply(dilemma, other_member)

    assert reply.pk and dilemma.replies.count() == 1
    notification = Notification.objects.get(recipient=member)
    assert notification.emailed_at is None
    assert "Could not e-mail notification" in caplog.text


def test_accepted_helpful_and_concluded_are_notified(dilemma, member, other_member):
    reply = _reply(dilemma, other_member)
    services.reply_toggle_helpful(user=member, reply=reply)
    services.dilemma_accept_reply(user=member, dilemma=dilemma, reply=reply)
    services.dilemma_conclude(user=ModeratorFactory(), dilemma=dilemma, conclusion="Konklusion")

    kinds = set(Notification.objects.filter(recipient=other_member).values_list("kind", flat=True))
    assert kinds == {DilemmaNotification.REPLY_HELPFUL, DilemmaNotification.REPLY_ACCEPTED}
    assert Notification.objects.filter(
        recipient=member, kind=DilemmaNotification.DILEMMA_CONCLUDED
    ).exists()


def test_nobody_is_notified_about_their_own_action(dilemma, member):
    own = _reply(dilemma, member)
    services.dilemma_accept_reply(user=member, dilemma=dilemma, reply=own)
    services.dilemma_conclude(user=member, dilemma=dilemma, conclusion="Vi fandt ud af det")

    assert not Notification.objects.filter(recipient=member).exists()
    assert notify(recipient=member, kind="reply_helpful", title="x", url="/", actor=member) is None


# --- The daily digest -----------------------------------------------------------------------------


def _notifications(user, count, **kwargs):
    return [
        notify(recipient=user, kind="reply_on_followed", title=f"Tråd {n}", url=f"/dilemmas/{n}/")
        for n in range(count)
    ]


def test_the_digest_sends_one_mail_per_user_with_everything_and_never_twice():
    daily = UserFactory(email_notifications=DAILY)
    other_daily = UserFactory(email_notifications=DAILY)
    UserFactory(email_notifications=NEVER)
    immediate = UserFactory()
    _notifications(daily, 3)
    _notifications(other_daily, 1)
    never = UserFactory(email_notifications=NEVER)
    _notifications(never, 2)
    Notification.objects.create(recipient=immediate, kind="reply_helpful", title="x", url="/")

    assert send_digests() == 2

    assert sorted(m.to[0] for m in mail.outbox) == sorted([daily.email, other_daily.email])
    body = next(m.body for m in mail.outbox if m.to == [daily.email])
    assert all(f"Tråd {n}" in body for n in range(3))
    assert not Notification.objects.filter(recipient=daily, emailed_at__isnull=True).exists()

    # Running again sends nothing; a new notification goes out alone in the next digest.
    assert send_digests() == 0
    assert len(mail.outbox) == 2
    notify(recipient=daily, kind="reply_accepted", title="Ny ting", url="/dilemmas/9/")
    assert send_digests() == 1
    assert len(mail.outbox) == 3
    assert "Ny ting" in mail.outbox[2].body and "Tråd 0" not in mail.outbox[2].body


def test_the_digest_command(capsys):
    daily = UserFactory(email_notifications=DAILY)
    _notifications(daily, 2)

    call_command("send_digests")
    call_command("send_digests")

    assert len(mail.outbox) == 1
    assert "Sent 0 digest(s)." in capsys.readouterr().out


def test_a_failed_digest_is_retried_by_the_next_run(monkeypatch):
    daily = UserFactory(email_notifications=DAILY)
    _notifications(daily, 2)

    def broken(*args, **kwargs):
        raise ConnectionRefusedError

    monkeypatch.setattr(EmailMultiAlternatives, "send", broken)
    assert send_digests() == 0
    assert Notification.objects.filter(emailed_at__isnull=True).count() == 2

    monkeypatch.undo()
    assert send_digests() == 1
    assert len(mail.outbox) == 1


def test_a_digest_run_skips_what_another_run_claimed(monkeypatch):
    """Two runs overlapping: what the first has claimed is not sent by the second."""
    daily = UserFactory(email_notifications=DAILY)
    _notifications(daily, 2)
    real = Notification.objects.digest_pending
    calls = []

    def claimed_meanwhile(since):
        calls.append(since)
        if len(calls) == 2:
            # After this run listed the users and before it claims, the other run wins.
            Notification.objects.update(emailed_at=timezone.now())
        return real(since)

    monkeypatch.setattr(Notification.objects, "digest_pending", claimed_meanwhile)

    assert send_digests() == 0
    assert mail.outbox == []


def test_the_digest_ignores_old_notifications():
    daily = UserFactory(email_notifications=DAILY)
    old = notify(recipient=daily, kind="reply_helpful", title="Gammel", url="/")
    Notification.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=30))

    assert send_digests() == 0


# --- The inbox ------------------------------------------------------------------------------------


def test_the_inbox_lists_newest_first_and_is_private(member_client, member, other_member):
    first = notify(recipient=member, kind="reply_helpful", title="Første", url="/dilemmas/")
    Notification.objects.filter(pk=first.pk).update(created_at=timezone.now() - timedelta(hours=1))
    notify(recipient=member, kind="reply_accepted", title="Anden", url="/dilemmas/")
    notify(recipient=other_member, kind="reply_accepted", title="Ikke din", url="/dilemmas/")

    html = member_client.get("/notifications/").content.decode()

    assert html.index("Anden") < html.index("Første")
    assert "Ikke din" not in html


def test_the_inbox_paginates(member_client, member):
    for n in range(35):
        notify(recipient=member, kind="reply_helpful", title=f"N{n}", url="/")

    assert member_client.get("/notifications/?page=2").status_code == 200
    assert member_client.get("/notifications/?page=9").status_code == 404


def test_opening_a_notification_marks_it_read_and_goes_there(member_client, member, other_member):
    notification = notify(recipient=member, kind="reply_helpful", title="x", url="/dilemmas/")
    theirs = notify(recipient=other_member, kind="reply_helpful", title="x", url="/dilemmas/")

    response = member_client.get(notification.get_absolute_url())

    assert response.status_code == 302 and response["Location"] == "/dilemmas/"
    notification.refresh_from_db()
    assert notification.read_at is not None
    assert member_client.get(theirs.get_absolute_url()).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_opening_never_redirects_off_site(member_client, member):
    notification = notify(recipient=member, kind="reply_helpful", title="x", url="//evil.example/")

    response = member_client.get(notification.get_absolute_url())

    assert response["Location"] == "/notifications/"


def test_mark_all_read(member_client, member, other_member):
    for n in range(3):
        notify(recipient=member, kind="reply_helpful", title=f"{n}", url="/")
    notify(recipient=other_member, kind="reply_helpful", title="x", url="/")

    assert member_client.post("/notifications/read/").status_code == 302

    assert not Notification.objects.filter(recipient=member, read_at__isnull=True).exists()
    assert Notification.objects.filter(recipient=other_member, read_at__isnull=True).exists()


def test_visitors_are_sent_to_login(client):
    for path in ["/notifications/", "/notifications/1/"]:
        assert client.get(path)["Location"].startswith("/accounts/login/")
    assert client.post("/notifications/read/")["Location"].startswith("/accounts/login/")


def test_the_header_shows_the_unread_count(member_client, member):
    for n in range(3):
        notify(recipient=member, kind="reply_helpful", title=f"{n}", url="/")

    html = member_client.get("/").content.decode()

    assert 'href="/notifications/"' in html
    assert '<span class="count">3<' in html


def test_the_count_is_only_queried_when_rendered(member):
    request = RequestFactory().get("/")
    request.user = member

    with CaptureQueriesContext(connection) as queries:
        context = notifications_context(request)
    assert len(queries) == 0

    notify(recipient=member, kind="reply_helpful", title="x", url="/")
    assert str(context["unread_notification_count"]) == "1"

"""E-mail as background tasks: a request never talks to SMTP, a failed task is retried once.

The test settings run tasks at once (TASKS_BACKEND=immediate); these tests switch to the
database backend, as compose.yaml's db_worker runs it, so the reply only enqueues the e-mail.
"""

import socket
import time

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult

from accounts import tasks
from accounts.models import Notification
from bench.smtp_server import SMTPServer

pytestmark = pytest.mark.django_db


@pytest.fixture
def smtp(settings):
    server = SMTPServer(mode="hang").start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 2
    yield server
    server.stop()


@pytest.fixture
def database_tasks(settings):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    assert not tasks.send_notification_emails.get_backend().__class__.__name__.startswith(
        "Immediate"
    )


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_a_reply_redirects_while_smtp_hangs_and_the_worker_sends_the_mail_later(
    smtp,
    database_tasks,
    dilemma,
    member,
    other_member,
    django_capture_on_commit_callbacks,
    monkeypatch,
):
    client = Client()
    client.force_login(other_member)
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("dilemmas:reply", args=[dilemma.pk]), {"body": "Vi brugte borgermøder."}
        )
    elapsed = time.monotonic() - started

    assert response.status_code == 302
    assert elapsed < 1.0  # the request never waited for the hanging server
    notification = Notification.objects.get(recipient=member)
    assert notification.emailed_at is None
    assert smtp.messages == []
    queued = DBTaskResult.objects.get()
    assert queued.task_path == "accounts.tasks.send_notification_emails"

    smtp.mode = "ok"  # the mail server answers again; the worker runs the queue
    # The worker closes "old" connections between tasks; here that is the test's transaction.
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    # The worker closes old connections between tasks; inside the test's transaction it must
    # keep the one connection the test holds.
    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    )
    call_command("db_worker", batch=True, reload=False, startup_delay=False, verbosity=0)

    assert [message["to"] for message in smtp.messages] == [[f"<{member.email}>"]]
    notification.refresh_from_db()
    assert notification.emailed_at is not None
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


def test_a_failed_task_is_retried_with_back_off_and_never_emails_twice(
    settings, smtp, database_tasks, dilemma, member, other_member
):
    from dilemmas import services

    reply = services.reply_create(
        author=other_member, dilemma=dilemma, body="Et svar", check_rate=False
    )
    assert reply.pk
    notification = Notification.objects.get(recipient=member)
    ids = [notification.pk]

    # Attempt 1: the mail server is down (connection refused): nothing sent, a retry queued.
    settings.EMAIL_PORT = _closed_port()
    result = tasks.send_notification_emails.call(ids)
    assert result["unsent"] == ids and result["retry_in"] == tasks.RETRY_DELAYS[0]
    retry = DBTaskResult.objects.get()
    assert retry.args_kwargs["args"] == [ids, 2]
    assert retry.run_after > notification.created_at  # deferred: back-off
    notification.refresh_from_db()
    assert notification.emailed_at is None  # the claim was released for the retry

    # Attempt 2 (the retry) with the server back: one mail. Running it again sends nothing.
    settings.EMAIL_PORT = smtp.port
    smtp.mode = "ok"
    assert tasks.send_notification_emails.call(*retry.args_kwargs["args"])["sent"] == 1
    assert tasks.send_notification_emails.call(*retry.args_kwargs["args"])["sent"] == 0
    assert tasks.send_notification_emails.call(ids)["sent"] == 0
    assert len(smtp.messages) == 1
    notification.refresh_from_db()
    assert notification.emailed_at is not None
    assert DBTaskResult.objects.count() == 1  # no further retries were queued


def test_the_last_failed_attempt_fails_the_task_naming_the_notifications(
    settings, database_tasks, dilemma, member, other_member
):
    from dilemmas import services

    services.reply_create(author=other_member, dilemma=dilemma, body="Et svar", check_rate=False)
    ids = [Notification.objects.get(recipient=member).pk]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = _closed_port()
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_TIMEOUT = 1

    with pytest.raises(tasks.EmailsNotSent, match=str(ids[0])):
        tasks.send_notification_emails.call(ids, len(tasks.RETRY_DELAYS) + 1)
    assert DBTaskResult.objects.count() == 0


def test_admins_see_which_notifications_are_still_unsent(
    settings, database_tasks, dilemma, member, other_member, admin_client
):
    from django.utils import timezone

    from dilemmas import services

    services.reply_create(author=other_member, dilemma=dilemma, body="Et svar", check_rate=False)
    unsent = Notification.objects.get(recipient=member)
    sent = Notification.objects.create(
        recipient=member,
        kind=unsent.kind,
        title="Allerede sendt",
        url="/",
        emailed_at=timezone.now(),
    )
    url = reverse("admin:accounts_notification_changelist")

    page = admin_client.get(url, {"emailed": "unsent"}).content.decode()
    assert unsent.title in page
    assert sent.title not in page
    page = admin_client.get(url, {"emailed": "sent"}).content.decode()
    assert sent.title in page
    assert unsent.title not in page

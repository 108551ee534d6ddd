"""E-mail as background tasks (django-tasks): notifications, their retries, and the digests.

With TASKS_BACKEND=immediate (make run, the tests) a task runs at once in-process; with the
database backend a `manage.py db_worker` runs it. A failed delivery is retried with back-off
(RETRY_DELAYS); each attempt sends only what is still not e-mailed, so nothing goes out twice.
When the retries are used up the task ends FAILED, listed for admins under "Task results"
with the notifications' ids, and `send_digests` (cron) tries those notifications once more.
"""

import logging
from datetime import timedelta

from django.utils import timezone
from django_tasks import task

from accounts import notifications
from accounts.models import Notification

logger = logging.getLogger(__name__)

# Seconds to wait before attempt 2, 3, ...: about an hour in all, then the task fails.
RETRY_DELAYS = (30, 120, 600, 1800)


class EmailsNotSent(Exception):
    """The notifications named in the message could not be e-mailed after every retry."""


def _can_defer(task_obj) -> bool:
    return task_obj.get_backend().supports_defer


@task()
def send_notification_emails(notification_ids: list[int], attempt: int = 1) -> dict:
    """E-mail these notifications over one SMTP connection; retry what is left."""
    sent = notifications.send_immediate_emails(notification_ids)
    unsent = list(
        Notification.objects.filter(pk__in=notification_ids, emailed_at__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if not unsent:
        return {"sent": sent, "unsent": []}
    if not _can_defer(send_notification_emails):
        # Run at once in-process (make run): no queue to retry on; `send_digests` sends them.
        logger.warning("E-mail: %s notification(s) unsent, left for send_digests", len(unsent))
        return {"sent": sent, "unsent": unsent}
    if attempt <= len(RETRY_DELAYS):
        delay = RETRY_DELAYS[attempt - 1]
        send_notification_emails.using(run_after=timezone.now() + timedelta(seconds=delay)).enqueue(
            unsent, attempt + 1
        )
        logger.warning(
            "E-mail attempt %s: %s notification(s) unsent, retrying in %s s",
            attempt,
            len(unsent),
            delay,
        )
        return {"sent": sent, "unsent": unsent, "retry_in": delay}
    raise EmailsNotSent(f"Notifications not e-mailed after {attempt} attempt(s): {unsent}")


@task()
def send_digests() -> dict:
    """The daily digests, and the immediate e-mails that are still unsent (a lost task)."""
    digests = notifications.send_digests()
    retried = 0
    unsent = notifications.unsent_immediate_ids()
    if unsent:
        retried = notifications.send_immediate_emails(unsent)
    return {"digests": digests, "immediate": retried}

"""Notifications: the in-app inbox and the e-mails that follow from it.

Content apps call `notify()` (accounts imports none of them). The in-app notification is saved
with the caller's transaction; e-mail is a task enqueued after that transaction commits
(accounts/tasks.py), so a request never talks to the mail server. A failed delivery is logged,
retried with back-off and never loses the notification: it simply stays "not e-mailed".
"""

import logging
import smtplib
from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.mail import get_connection
from django.db import connection, transaction
from django.utils import timezone

from accounts import emails
from accounts.models import Notification, User, unread_cache_key

logger = logging.getLogger(__name__)

# A digest covers at most this much history, so switching from "never" to "daily" does not
# send months of old news.
DIGEST_MAX_AGE = timedelta(days=7)


def _wants_mail_now(user: User) -> bool:
    return user.is_active and user.email_notifications == User.NotifyBy.IMMEDIATELY


def notify(
    *,
    recipient: User,
    kind: str,
    title: str,
    url: str,
    actor: User | None = None,
) -> Notification | None:
    """Create an in-app notification; e-mail it after commit if the recipient wants that now.

    Nobody is notified about their own action (returns None). Users with the daily preference
    get it in the next `send_digests` run; users with "never" only in the inbox.
    """
    created = notify_many(recipients=[recipient], kind=kind, title=title, url=url, actor=actor)
    return created[0] if created else None


def notify_many(
    *,
    recipients: Iterable[User],
    kind: str,
    title: str,
    url: str,
    actor: User | None = None,
) -> list[Notification]:
    """`notify()` for several recipients with one INSERT (followers of a thread)."""
    actor_id = actor.pk if actor is not None else None
    seen: set[int] = set()
    rows = []
    for recipient in recipients:
        if recipient.pk == actor_id or recipient.pk in seen or not recipient.is_active:
            continue
        seen.add(recipient.pk)
        rows.append(
            Notification(
                recipient=recipient, kind=kind, title=title[:300], url=url[:500], actor=actor
            )
        )
    if not rows:
        return []
    created = Notification.objects.bulk_create(rows)
    forget_unread(row.recipient_id for row in rows)
    immediate = [n.pk for n in created if n.pk and _wants_mail_now(n.recipient)]
    if immediate:
        transaction.on_commit(lambda: _enqueue_immediate_emails(immediate))
    return created


def _absolute(url: str) -> str:
    return settings.SITE_URL + url if url.startswith("/") else url


def _enqueue_immediate_emails(notification_ids: list[int]) -> None:
    from accounts import tasks  # the tasks module imports this one

    try:
        tasks.send_notification_emails.enqueue(notification_ids)
    except Exception:
        # The queue is unreachable (the database just went away): the notifications stay
        # "not e-mailed" and the next `send_digests` run sends them.
        logger.exception("Could not enqueue the e-mails of notifications %s", notification_ids)


# A broken connection to the mail server (refused, timed out, hung up): the rest of the batch
# waits for the next attempt instead of each message waiting for its own timeout.
_CONNECTION_ERRORS = (OSError, smtplib.SMTPServerDisconnected, smtplib.SMTPConnectError)


def send_immediate_emails(notification_ids: list[int]) -> int:
    """Send one e-mail per notification not yet e-mailed, over one SMTP connection; return how
    many were sent.

    Never sends a notification twice, also when workers overlap: each is claimed (marked
    e-mailed) before its mail goes out, and released again if the mail could not be sent, so a
    retry picks it up.
    """
    claimed_at = timezone.now()
    with transaction.atomic():
        pending = Notification.objects.filter(pk__in=notification_ids, emailed_at__isnull=True)
        if connection.features.has_select_for_update_skip_locked:
            pending = pending.select_for_update(skip_locked=True)
        ids = list(pending.values_list("pk", flat=True))
        Notification.objects.filter(pk__in=ids, emailed_at__isnull=True).update(
            emailed_at=claimed_at
        )
    notifications = list(
        Notification.objects.filter(pk__in=ids, emailed_at=claimed_at)
        .select_related("recipient", "actor__organisation")
        .order_by("pk")
    )
    if not notifications:
        return 0
    sent: list[int] = []
    mail = get_connection()
    try:
        mail.open()
        for notification in notifications:
            try:
                message = emails.build(
                    template="accounts/email/notification",
                    context={"notification": notification, "link": _absolute(notification.url)},
                    to=[notification.recipient.email],
                    language=notification.recipient.email_language,
                )
                message.connection = mail
                message.send()
            except _CONNECTION_ERRORS:
                logger.exception(
                    "Could not e-mail notification %s: the mail server is unavailable",
                    notification.pk,
                )
                break
            except Exception:
                logger.exception("Could not e-mail notification %s", notification.pk)
                continue
            sent.append(notification.pk)
    except _CONNECTION_ERRORS:
        logger.exception("Mail server unavailable: %s e-mails wait", len(notifications))
    finally:
        try:
            mail.close()
        except Exception:
            logger.warning("Could not close the mail connection", exc_info=True)
    unsent = [n.pk for n in notifications if n.pk not in sent]
    if unsent:
        Notification.objects.filter(pk__in=unsent, emailed_at=claimed_at).update(emailed_at=None)
    return len(sent)


def unsent_immediate_ids(*, now=None, older_than=timedelta(minutes=10)) -> list[int]:
    """Notifications for "immediately" members that are still not e-mailed (a lost or failed
    task): `send_digests` sends them too."""
    now = now or timezone.now()
    return list(
        Notification.objects.filter(
            emailed_at__isnull=True,
            recipient__is_active=True,
            recipient__email_notifications=User.NotifyBy.IMMEDIATELY,
            created_at__gte=now - DIGEST_MAX_AGE,
            created_at__lte=now - older_than,
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def _send_digest(user: User, notifications: list[Notification], mail=None) -> None:
    message = emails.build(
        template="accounts/email/digest",
        context={
            "user": user,
            "items": [(n, _absolute(n.url)) for n in notifications],
            "inbox": _absolute("/notifications/"),
        },
        to=[user.email],
        language=user.email_language,
    )
    message.connection = mail
    message.send()


def send_digests(*, now=None) -> int:
    """Send one digest per daily-digest user with everything not yet e-mailed; return the count.

    Never sends a notification twice, also when two runs overlap: each user's notifications are
    claimed (locked with SKIP LOCKED on PostgreSQL, then marked e-mailed) inside a transaction
    that is rolled back if the mail cannot be sent, so they are retried by the next run.
    """
    now = now or timezone.now()
    since = now - DIGEST_MAX_AGE
    user_ids = list(
        Notification.objects.digest_pending(since)
        .order_by()
        .values_list("recipient_id", flat=True)
        .distinct()
    )
    sent = 0
    if not user_ids:
        return 0
    mail = get_connection()  # one SMTP connection for the whole run
    try:
        mail.open()
    except _CONNECTION_ERRORS:
        logger.exception("Mail server unavailable: %s digests wait", len(user_ids))
        return 0
    for user_id in user_ids:
        try:
            with transaction.atomic():
                pending = Notification.objects.digest_pending(since).filter(recipient_id=user_id)
                if connection.features.has_select_for_update_skip_locked:
                    pending = pending.select_for_update(skip_locked=True, of=("self",))
                ids = list(pending.values_list("pk", flat=True))
                if not ids:
                    continue
                # The claim: only rows still un-e-mailed are ours (another run may have won).
                Notification.objects.filter(pk__in=ids, emailed_at__isnull=True).update(
                    emailed_at=now
                )
                mine = list(
                    Notification.objects.filter(pk__in=ids, emailed_at=now)
                    .select_related("recipient", "actor__organisation")
                    .order_by("created_at", "pk")
                )
                if mine:
                    _send_digest(mine[0].recipient, mine, mail)
                    sent += 1
        except Exception:
            logger.exception("Could not send the digest to user %s", user_id)
    try:
        mail.close()
    except Exception:
        logger.warning("Could not close the mail connection", exc_info=True)
    return sent


def notification_mark_read(*, user: User, notification: Notification) -> None:
    """Mark one of the user's own notifications read (idempotent)."""
    if notification.recipient_id != user.pk:
        raise PermissionDenied
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=notification.read_at
        )
        forget_unread([user.pk])


def notifications_mark_all_read(*, user: User) -> int:
    """Mark every unread notification of the user read; return how many changed."""
    changed = Notification.objects.for_user(user).unread().update(read_at=timezone.now())
    forget_unread([user.pk])
    return changed


def unread_count(user: User) -> int:
    """The header's count: kept in the shared cache per member, forgotten by every write of
    their notifications (forget_unread)."""
    key = unread_cache_key(user.pk)
    count = user.cached_state().get(key)
    if count is None:
        count = Notification.objects.for_user(user).unread().count()
        cache.set(key, count, timeout=None)
        user.cached_state()[key] = count
    return count


def forget_unread(user_ids) -> None:
    """Drop the cached unread counts of `user_ids`, now and again after the commit (a request
    that counted before the commit must not keep its count)."""
    keys = [unread_cache_key(pk) for pk in set(user_ids)]
    if not keys:
        return
    cache.delete_many(keys)
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(lambda: cache.delete_many(keys))

"""Notifications: the in-app inbox and the e-mails that follow from it.

Content apps call `notify()` (accounts imports none of them). The in-app notification is saved
with the caller's transaction; e-mail goes out only after that transaction commits, and a failed
delivery is logged and never loses the notification: it simply stays "not e-mailed".
"""

import logging
from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import connection, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import Notification, User

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
    immediate = [n.pk for n in created if n.pk and _wants_mail_now(n.recipient)]
    if immediate:
        transaction.on_commit(lambda: send_immediate_emails(immediate))
    return created


def _absolute(url: str) -> str:
    return settings.SITE_URL + url if url.startswith("/") else url


def send_immediate_emails(notification_ids: list[int]) -> int:
    """Send one e-mail per notification not yet e-mailed; return how many were sent.

    Each is marked e-mailed only after its mail went out, so a failure leaves it for later.
    """
    sent = 0
    notifications = Notification.objects.filter(
        pk__in=notification_ids, emailed_at__isnull=True
    ).select_related("recipient")
    for notification in notifications:
        try:
            with translation.override(notification.recipient.email_language):
                context = {"notification": notification, "link": _absolute(notification.url)}
                send_mail(
                    subject=f"[Kom Videre] {notification.kind_label}: {notification.title}"[:200],
                    message=render_to_string("accounts/email/notification.txt", context),
                    from_email=None,
                    recipient_list=[notification.recipient.email],
                )
        except Exception:
            logger.exception("Could not e-mail notification %s", notification.pk)
            continue
        Notification.objects.filter(pk=notification.pk, emailed_at__isnull=True).update(
            emailed_at=timezone.now()
        )
        sent += 1
    return sent


def _send_digest(user: User, notifications: list[Notification]) -> None:
    with translation.override(user.email_language):
        items = [(n, _absolute(n.url)) for n in notifications]
        context = {"user": user, "items": items, "inbox": _absolute("/notifications/")}
        send_mail(
            subject="[Kom Videre] "
            + _("Your daily digest: %(count)s new") % {"count": len(notifications)},
            message=render_to_string("accounts/email/digest.txt", context),
            from_email=None,
            recipient_list=[user.email],
        )


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
                    .select_related("recipient")
                    .order_by("created_at", "pk")
                )
                if mine:
                    _send_digest(mine[0].recipient, mine)
                    sent += 1
        except Exception:
            logger.exception("Could not send the digest to user %s", user_id)
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


def notifications_mark_all_read(*, user: User) -> int:
    """Mark every unread notification of the user read; return how many changed."""
    return Notification.objects.for_user(user).unread().update(read_at=timezone.now())


def unread_count(user: User) -> int:
    return Notification.objects.for_user(user).unread().count()

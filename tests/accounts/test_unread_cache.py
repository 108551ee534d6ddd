"""The header's unread count is cached per member, read with the moderator flag in one cache
call, and follows every write of the member's notifications."""

from unittest import mock

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts import notifications
from accounts.models import Notification, User

pytestmark = pytest.mark.django_db


def _count(user) -> int:
    return notifications.unread_count(User.objects.get(pk=user.pk))


def _notify(recipient, actor, title="Nyt svar"):
    return notifications.notify(
        recipient=recipient, kind="reply", title=title, url="/dilemmas/1/", actor=actor
    )


def _counting_queries(user) -> int:
    with CaptureQueriesContext(connection) as queries:
        _count(user)
    return sum("accounts_notification" in q["sql"] for q in queries.captured_queries)


def test_the_count_is_counted_once_then_cached(member, other_member):
    _notify(member, other_member)
    assert _count(member) == 1
    assert _counting_queries(member) == 0


def test_a_new_notification_raises_the_count(member, other_member):
    assert _count(member) == 0
    _notify(member, other_member)
    assert _count(member) == 1
    notifications.notify_many(
        recipients=[member, other_member], kind="reply", title="x", url="/", actor=None
    )
    assert _count(member) == 2
    assert _count(other_member) == 1


def test_reading_lowers_the_count(member, other_member):
    first = _notify(member, other_member)
    _notify(member, other_member, "Endnu et svar")
    assert _count(member) == 2
    notifications.notification_mark_read(user=member, notification=first)
    assert _count(member) == 1
    notifications.notifications_mark_all_read(user=member)
    assert _count(member) == 0


def test_a_notification_deleted_elsewhere_is_seen(member, other_member):
    _notify(member, other_member)
    assert _count(member) == 1
    Notification.objects.get(recipient=member).delete()
    assert _count(member) == 0


def test_the_header_shows_the_cached_count(member_client, member, other_member):
    _notify(member, other_member)
    page = member_client.get("/notifications/")
    assert str(page.context["unread_notification_count"]) == "1"
    notifications.notifications_mark_all_read(user=member)
    assert str(member_client.get("/").context["unread_notification_count"]) == "0"


def test_the_flag_and_the_count_are_one_cache_read(member, other_member):
    _notify(member, other_member)
    _count(member)
    User.objects.get(pk=member.pk).is_moderator  # noqa: B018 - fills the flag's entry
    fresh = User.objects.get(pk=member.pk)
    with mock.patch.object(cache, "get_many", wraps=cache.get_many) as get_many:
        assert fresh.is_moderator is False
        assert notifications.unread_count(fresh) == 1
    assert get_many.call_count == 1

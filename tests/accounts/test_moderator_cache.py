"""The moderator flag is cached per member and follows every change of their groups."""

import pytest
from django.contrib.auth.models import Group

from accounts.models import MODERATORS_GROUP, User

pytestmark = pytest.mark.django_db


def _fresh(user) -> bool:
    return User.objects.get(pk=user.pk).is_moderator


def test_the_flag_costs_no_query_once_known(member, django_assert_num_queries):
    assert _fresh(member) is False
    again = User.objects.get(pk=member.pk)
    with django_assert_num_queries(0):
        assert again.is_moderator is False


def test_adding_and_removing_the_group_either_way_is_seen_at_once(member):
    group = Group.objects.get(name=MODERATORS_GROUP)
    assert _fresh(member) is False
    member.groups.add(group)
    assert _fresh(member) is True
    member.groups.remove(group)
    assert _fresh(member) is False
    group.user_set.add(member)
    assert _fresh(member) is True
    group.user_set.clear()
    assert _fresh(member) is False


def test_a_deleted_or_renamed_moderators_group_ends_the_flag(moderator):
    assert _fresh(moderator) is True
    group = Group.objects.get(name=MODERATORS_GROUP)
    group.name = "Former moderators"
    group.save()
    assert _fresh(moderator) is False
    group.name = MODERATORS_GROUP
    group.save()
    assert _fresh(moderator) is True
    group.delete()
    assert _fresh(moderator) is False

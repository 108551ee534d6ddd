"""Secret feed keys: create (replacing any old one), revoke, and find the member behind one."""

import secrets

from django.db import transaction

from accounts.models import FeedToken, User


@transaction.atomic
def feed_token_renew(*, user: User) -> FeedToken:
    """Give the member a new feed key; feed addresses with the old key stop working."""
    FeedToken.objects.filter(user=user).delete()
    return FeedToken.objects.create(user=user, key=secrets.token_urlsafe(32))


def feed_token_revoke(*, user: User) -> None:
    FeedToken.objects.filter(user=user).delete()


def user_for_feed_key(key: str) -> User | None:
    """The active, verified member who owns this key, or None."""
    if not key or len(key) > 64:
        return None
    token = (
        FeedToken.objects.filter(key=key, user__in=User.objects.members())
        .select_related("user")
        .first()
    )
    return token.user if token else None

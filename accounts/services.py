"""Writes to accounts: the admin, management commands and the demo seeding call these.

Sign-up itself runs through allauth (accounts.adapter); these services are for accounts made
on someone's behalf, which follow the same rules: the e-mail is the login, it is stored in
lower case, and the account belongs to the organisation that owns the address's domain.
"""

from collections.abc import Iterable

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import MODERATORS_GROUP, EmailDomain, Organisation, User


@transaction.atomic
def user_create(
    *,
    email: str,
    password: str | None = None,
    name: str = "",
    job_title: str = "",
    bio: str = "",
    organisation: Organisation | None = None,
    sectors: Iterable = (),
    themes: Iterable = (),
    email_notifications: str = User.NotifyBy.IMMEDIATELY,
    is_staff: bool = False,
    is_superuser: bool = False,
    verified: bool = False,
) -> User:
    """Create an account and its allauth e-mail address (primary; verified when `verified`).

    Without `organisation`, the organisation owning the address's domain is used, as at
    sign-up. The password is checked by the password validators; without one the account
    cannot log in with a password (single sign-on or a reset link still work). Raises
    ValidationError for invalid fields or an address that is already in use.
    """
    email = User.objects.normalize_email((email or "").strip()).lower()
    if User.objects.filter(email__iexact=email).exists() or (
        EmailAddress.objects.filter(email__iexact=email).exists()
    ):
        raise ValidationError({"email": _("An account with this e-mail address already exists.")})
    if organisation is None:
        match = EmailDomain.objects.match(email)
        organisation = match.organisation if match else None
    user = User(
        email=email,
        name=name,
        job_title=job_title,
        bio=bio,
        organisation=organisation,
        email_notifications=email_notifications,
        is_staff=is_staff,
        is_superuser=is_superuser,
    )
    if password:
        validate_password(password, user)
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    user.sectors.set(sectors)
    user.themes.set(themes)
    EmailAddress.objects.create(user=user, email=email, primary=True, verified=verified)
    return user


@transaction.atomic
def user_set_moderator(*, user: User, moderator: bool) -> User:
    """Add the user to the moderators' group, or take them out of it."""
    group, _created = Group.objects.get_or_create(name=MODERATORS_GROUP)
    if moderator:
        user.groups.add(group)
    else:
        user.groups.remove(group)
    user.__dict__.pop("_is_moderator", None)  # User.is_moderator caches the answer
    return user

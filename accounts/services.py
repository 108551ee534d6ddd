"""Writes to accounts: the admin, management commands and the demo seeding call these.

Sign-up itself runs through allauth (accounts.adapter); these services are for accounts made
on someone's behalf, which follow the same rules: the e-mail is the login, it is stored in
lower case, and the account belongs to the organisation that owns the address's domain.
"""

from collections.abc import Iterable

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import (
    MODERATORS_GROUP,
    EmailDomain,
    FeedToken,
    Notification,
    Organisation,
    User,
)
from komvidere import registry


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


# --- Data rights and preferences ----------------------------------------------------------------

EXPORT_SECTIONS = (
    "profile",
    "cases",
    "dilemmas",
    "replies",
    "follows",
    "notifications",
    "helpful_marks",
    "flags",
)


def user_export_data(*, user: User) -> dict:
    """Everything the portal holds about the member, as JSON-ready data under EXPORT_SECTIONS.

    The content apps add their part through the registry (komvidere.registry.PersonalData),
    so accounts names none of them. Anonymous dilemmas are included: they are the member's.
    """
    data: dict = {key: [] for key in EXPORT_SECTIONS}
    data["profile"] = {
        "email": user.email,
        "name": user.name,
        "job_title": user.job_title,
        "bio": user.bio,
        "organisation": user.organisation.name if user.organisation_id else "",
        "sectors": [s.name for s in user.sectors.all()],
        "themes": [t.name for t in user.themes.all()],
        "email_notifications": user.email_notifications,
        "language": user.language,
        "date_joined": user.date_joined,
        "last_login": user.last_login,
        "email_addresses": [
            {"email": a.email, "verified": a.verified, "primary": a.primary}
            for a in EmailAddress.objects.filter(user=user).order_by("pk")
        ],
        "single_sign_on": [
            {"provider": a.provider, "uid": a.uid, "date_joined": a.date_joined}
            for a in SocialAccount.objects.filter(user=user).order_by("pk")
        ],
        "two_factor": [
            {"type": a.type, "created_at": a.created_at}
            for a in Authenticator.objects.filter(user=user).order_by("pk")
        ],
        "feed_key_created_at": getattr(
            FeedToken.objects.filter(user=user).first(), "created_at", None
        ),
    }
    data["notifications"] = [
        {
            "kind": n.kind,
            "title": n.title,
            "url": n.url,
            "created_at": n.created_at,
            "read_at": n.read_at,
            "emailed_at": n.emailed_at,
        }
        for n in Notification.objects.for_user(user).order_by("pk")
    ]
    for entry in registry.personal_data():
        for key, rows in entry.export(user).items():
            if key not in data:
                raise ValueError(f"{entry.key} exports {key!r}, which is no export section")
            data[key].extend(rows)
    return data


@transaction.atomic
def user_delete(*, user: User) -> User:
    """Delete the member's account for good, keeping what they wrote.

    Erased: name, e-mail, job title, bio, sectors and themes, the password (login becomes
    impossible), groups and permissions. Removed: their notifications, follows, feed key,
    two-factor devices, allauth e-mail addresses and single sign-on accounts. Every session
    ends, because the session hash follows the password. What they wrote stays and is shown
    as written by "a former member" of their organisation (User.display_name); anonymous
    posts stay anonymous. The row itself stays so the content keeps an author.
    """
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.is_deleted:
        return user
    # Each content app first, while the name and address are still known to them.
    for entry in registry.personal_data():
        entry.anonymise(user)
    Notification.objects.filter(recipient=user).delete()
    Notification.objects.filter(actor=user).update(actor=None)
    FeedToken.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()
    SocialAccount.objects.filter(user=user).delete()
    EmailAddress.objects.filter(user=user).delete()
    # The admin's change history names the account by its old label.
    LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(User), object_id=str(user.pk)
    ).update(object_repr=str(_("a former member")), change_message="")
    user.deleted_at = timezone.now()
    user.email = f"deleted-{user.pk}@deleted.invalid"
    user.name = ""
    user.job_title = ""
    user.bio = ""
    user.language = ""
    user.email_notifications = User.NotifyBy.NEVER
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.set_unusable_password()
    user.save()
    user.sectors.clear()
    user.themes.clear()
    user.groups.clear()
    user.user_permissions.clear()
    return user


def user_set_language(*, user: User, language: str) -> User:
    """Store the member's interface language (also used for their e-mails)."""
    if language not in dict(settings.LANGUAGES):
        raise ValidationError({"language": _("Unknown language.")})
    if user.language != language:
        user.language = language
        User.objects.filter(pk=user.pk).update(language=language)
    return user

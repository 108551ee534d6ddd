"""Who the moderators are that should hear about an item waiting for them.

The regional coordinators of the author's region come first: they are told about what is
submitted, edited or reported there. A moderator who opted in (`review_notifications_all`)
is told about every region. When a region has no coordinator at all, every moderator is told,
so nothing waits in a queue that nobody watches.

The kernel imports no app, so the user model comes from `get_user_model()`.
"""

from django.contrib.auth import get_user_model
from django.db.models import Q

# The name of the moderators' group (accounts.models.MODERATORS_GROUP; a test keeps the two
# equal, the kernel may not import accounts).
MODERATORS_GROUP = "Moderators"


def moderators():
    """Every active moderator: members of the group and superusers (see User.is_moderator)."""
    User = get_user_model()
    return (
        User.objects.filter(is_active=True, deleted_at__isnull=True)
        .filter(Q(groups__name=MODERATORS_GROUP) | Q(is_superuser=True))
        .distinct()
    )


def review_recipients(*, region: str = "", exclude=None) -> list:
    """The moderators to tell about an item from `region` (a Region value; "" if unknown),
    regional coordinators first, then those who follow every region. `exclude` (the person
    who acted) is left out."""
    everyone = list(moderators().select_related("organisation").order_by("pk"))
    exclude_pk = getattr(exclude, "pk", None)
    everyone = [m for m in everyone if m.pk != exclude_pk]
    regional = [
        m for m in everyone if region and m.organisation_id and m.organisation.region == region
    ]
    if not regional:
        # Nobody coordinates this region (or it is unknown): nobody may miss it.
        return everyone
    chosen = {m.pk for m in regional}
    return regional + [m for m in everyone if m.review_notifications_all and m.pk not in chosen]


def who(user, organisation=None) -> str:
    """How a notification names the member who acted: "Name (Organisation)"."""
    name = getattr(user, "display_name", "") or str(user)
    organisation = organisation if organisation is not None else getattr(user, "organisation", None)
    short = getattr(organisation, "short_name", "") or getattr(organisation, "name", "")
    return f"{name} ({short})" if short else name

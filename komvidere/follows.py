"""Following cases, articles, tags and sectors: the writes and who is to be told.

Threads keep their own follows (dilemmas.Follow). The content apps tell the followers through
accounts.notifications (the kernel imports no app): `followers_of(item)` when a followed item
is updated, `followers_of_topics(item)` when an item is published under a followed tag or
sector.
"""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag

from komvidere import registry
from komvidere.models import Follow, Sector

# What may be followed, by the key the site uses in its URLs.
KINDS = ("case", "article", "tag", "sector")


class FollowNotification(models.TextChoices):
    PUBLISHED = "followed_published", _("New under a tag or sector you follow")
    UPDATED = "followed_updated", _("Something you follow was updated")


def model_for(kind: str) -> type[models.Model]:
    if kind == "tag":
        return Tag
    if kind == "sector":
        return Sector
    if kind in ("case", "article"):
        return registry.content(kind).model
    raise ValidationError(_("That cannot be followed."))


def visible(kind: str, user) -> models.QuerySet:
    """The items of `kind` that `user` may follow: what they may see."""
    model = model_for(kind)
    if kind in ("case", "article"):
        return model.objects.visible_to(user)
    return model.objects.all()


def _require_member(user) -> None:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        raise PermissionDenied


def is_following(user, item) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    # One query also with a cold ContentType cache: the kind is matched by a join.
    return Follow.objects.filter(
        user=user,
        content_type__app_label=item._meta.app_label,
        content_type__model=item._meta.model_name,
        object_id=item.pk,
    ).exists()


def request_is_following(request, item) -> bool:
    """`is_following` for the member of `request`, asked once per request and item (the
    page's cache key and its follow button both want it), or read off `item` when it came
    from `with_following`."""
    known = request.__dict__.setdefault("_following", {})
    key = (item._meta.label, item.pk)
    if key not in known:
        annotated = item.__dict__.get("followed_by_viewer")
        known[key] = annotated if annotated is not None else is_following(request.user, item)
    return known[key]


def with_following(queryset, user):
    """`queryset` with `followed_by_viewer` on each row: whether `user` follows it, in the
    same query (request_is_following reads it)."""
    model = queryset.model
    return queryset.annotate(
        followed_by_viewer=models.Exists(
            Follow.objects.filter(
                user_id=user.pk,
                content_type__app_label=model._meta.app_label,
                content_type__model=model._meta.model_name,
                object_id=models.OuterRef("pk"),
            )
        )
    )


def follow_add(*, user, item) -> Follow:
    """Follow `item` (idempotent: a second click, or a race, keeps one follow)."""
    _require_member(user)
    content_type = ContentType.objects.get_for_model(item)
    try:
        with transaction.atomic():
            follow, _created = Follow.objects.get_or_create(
                user=user, content_type=content_type, object_id=item.pk
            )
    except IntegrityError:
        follow = Follow.objects.get(user=user, content_type=content_type, object_id=item.pk)
    return follow


def follow_remove(*, user, item) -> None:
    Follow.objects.filter(
        user=user, content_type=ContentType.objects.get_for_model(item), object_id=item.pk
    ).delete()


def followers_of(item) -> list:
    """The active members who follow `item` itself."""
    return _users(
        Follow.objects.filter(
            content_type=ContentType.objects.get_for_model(item), object_id=item.pk
        )
    )


def followers_of_topics(item) -> list:
    """The active members who follow one of `item`'s tags or sectors."""
    condition = Q()
    tag_ids = list(item.tags.values_list("pk", flat=True)) if hasattr(item, "tags") else []
    if tag_ids:
        condition |= Q(content_type=ContentType.objects.get_for_model(Tag), object_id__in=tag_ids)
    sector_ids = list(item.sectors.values_list("pk", flat=True)) if hasattr(item, "sectors") else []
    if sector_ids:
        condition |= Q(
            content_type=ContentType.objects.get_for_model(Sector), object_id__in=sector_ids
        )
    if not condition:
        return []
    return _users(Follow.objects.filter(condition))


def _users(follows) -> list:
    seen, users = set(), []
    for follow in follows.select_related("user").order_by("user_id"):
        if follow.user_id not in seen and follow.user.is_active:
            seen.add(follow.user_id)
            users.append(follow.user)
    return users


def following(user) -> dict[str, list]:
    """What `user` follows, by kind, as the items themselves (for the "I follow" page)."""
    result = {}
    follows = list(Follow.objects.filter(user=user).select_related("content_type"))
    for kind in KINDS:
        model = model_for(kind)
        content_type = ContentType.objects.get_for_model(model)
        ids = [f.object_id for f in follows if f.content_type_id == content_type.pk]
        items = visible(kind, user).filter(pk__in=ids) if ids else model.objects.none()
        result[kind] = list(items.order_by(*(["name"] if kind == "tag" else [])))
    return result


def export_personal_data(member) -> dict[str, list]:
    """The member's follows of cases, articles, tags and sectors."""
    rows = []
    for follow in Follow.objects.filter(user=member).select_related("content_type").order_by("pk"):
        try:
            item = follow.content_type.get_object_for_this_type(pk=follow.object_id)
        except ObjectDoesNotExist:
            continue  # the item was deleted since
        rows.append(
            {
                "kind": follow.content_type.model,
                "item": str(item),
                "url": item.get_absolute_url() if hasattr(item, "get_absolute_url") else "",
                "since": follow.created_at,
            }
        )
    return {"follows": rows}


def anonymise_personal_data(member) -> None:
    """A deleted account follows nothing."""
    Follow.objects.filter(user=member).delete()


def register() -> None:
    for kind in FollowNotification:
        registry.register_notification_kind(kind.value, kind.label)
    registry.register_personal_data(
        registry.PersonalData(
            key="follows", export=export_personal_data, anonymise=anonymise_personal_data
        )
    )

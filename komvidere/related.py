"""Related content for a case, dilemma or article: explicit links first, then the items that
share the most tags and sectors with it, across all three types.

The content models are found by label (never imported), so every app may use this module.
A page costs two queries for the item's own tags and sectors plus one per content type.
"""

from django.apps import apps
from django.db.models import Count, Q

# Content type → (model label, the QuerySet method that gives what every member may see,
# the fields a link needs: loading only those keeps the scoring query narrow).
CONTENT = {
    "case": ("cases.Case", "published", ("title", "slug")),
    "dilemma": ("dilemmas.Dilemma", "public", ("title",)),
    "article": ("articles.Article", "published", ("title", "slug")),
}


def kind_of(obj) -> str:
    return obj._meta.model_name


def related_items(obj, *, explicit=(), limit: int = 6) -> list:
    """Up to `limit` items for `obj`'s "related" box, each with `related_kind` set.

    `explicit` are the items an author or moderator linked by hand; they come first, in the
    order given (the caller has already limited them to what the viewer may see).
    """
    seen = {(kind_of(obj), obj.pk)}
    items = []
    for item in explicit:
        key = (kind_of(item), item.pk)
        if key not in seen:
            seen.add(key)
            item.related_kind = key[0]
            items.append(item)
    if len(items) >= limit:
        return items[:limit]

    # .all() uses the page's prefetch when there is one.
    tag_ids = [tag.pk for tag in obj.tags.all()]
    sector_ids = [sector.pk for sector in obj.sectors.all()]
    if not tag_ids and not sector_ids:
        return items
    candidates = []
    for kind, (label, visible, fields) in CONTENT.items():
        if not apps.is_installed(label.split(".")[0]):
            continue
        model = apps.get_model(label)
        queryset = (
            getattr(model.objects, visible)()
            .only(*fields)
            .filter(Q(tags__in=tag_ids) | Q(sectors__in=sector_ids))
            .annotate(
                shared_tags=Count("tags", filter=Q(tags__in=tag_ids), distinct=True),
                shared_sectors=Count("sectors", filter=Q(sectors__in=sector_ids), distinct=True),
            )
            .order_by("-shared_tags", "-shared_sectors", "-pk")
        )
        if kind == kind_of(obj):
            queryset = queryset.exclude(pk=obj.pk)
        for candidate in queryset[:limit]:
            if (kind, candidate.pk) not in seen:
                candidate.related_kind = kind
                candidates.append(candidate)
    # A shared tag says more than a shared sector.
    candidates.sort(key=lambda c: c.shared_tags * 2 + c.shared_sectors, reverse=True)
    return items + candidates[: limit - len(items)]

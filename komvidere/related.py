"""Related content for a case, dilemma or article: explicit links first, then the items that
share the most tags and sectors with it, across all three types.

The content models come from the content registry (never imported), so every app may use
this module.
A page costs two queries for the item's own tags and sectors; the candidates (one query per
content type) are the same for every member and are computed once per change of any content
(komvidere.versions).
"""

from django.db.models import Count, Q

from komvidere import registry, versions


def kind_of(obj) -> str:
    return registry.content_for(obj).key


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
    candidates = versions.cached(
        (versions.CASES, versions.ARTICLES, versions.DILEMMAS, versions.TAXONOMY),
        "related",
        (kind_of(obj), obj.pk, sorted(tag_ids), sorted(sector_ids), limit),
        # Twice the box per type: some may be among the page's own links, left out below.
        lambda: _candidates(obj, tag_ids, sector_ids, 2 * limit),
    )
    candidates = [c for c in candidates if (c.related_kind, c.pk) not in seen]
    # A shared tag says more than a shared sector.
    candidates.sort(key=lambda c: c.shared_tags * 2 + c.shared_sectors, reverse=True)
    return items + candidates[: limit - len(items)]


def _candidates(obj, tag_ids, sector_ids, per_type) -> list:
    """The items sharing most tags and sectors with `obj`, up to `per_type` of each type."""
    candidates = []
    for content in registry.contents(related=True):
        kind = content.key
        queryset = (
            content.visible_queryset()
            .only(*content.link_fields)
            .filter(Q(tags__in=tag_ids) | Q(sectors__in=sector_ids))
            .annotate(
                shared_tags=Count("tags", filter=Q(tags__in=tag_ids), distinct=True),
                shared_sectors=Count("sectors", filter=Q(sectors__in=sector_ids), distinct=True),
            )
            .order_by("-shared_tags", "-shared_sectors", "-pk")
        )
        if kind == kind_of(obj):
            queryset = queryset.exclude(pk=obj.pk)
        for candidate in queryset[:per_type]:
            candidate.related_kind = kind
            candidates.append(candidate)
    return candidates

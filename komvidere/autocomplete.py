"""The JSON behind an autocomplete box (komvidere.forms.AutocompleteWidget)."""

from collections.abc import Callable, Sequence

from django.db.models import Q, QuerySet
from django.http import JsonResponse

MAX_QUERY_LENGTH = 100
LIMIT = 10


def suggestions(
    request,
    queryset: QuerySet,
    search_fields: Sequence[str],
    *,
    label: Callable = str,
    detail: Callable | None = None,
    limit: int = LIMIT,
) -> JsonResponse:
    """`{"results": [{"id", "label", "detail"}]}` for `?q=`: every word of it must occur in
    one of `search_fields`. One query; an empty or over-long `q` gives no results."""
    text = request.GET.get("q", "").replace("\x00", "")
    words = text.split()
    if not words or len(text) > MAX_QUERY_LENGTH:
        return JsonResponse({"results": []})
    for word in words[:5]:
        condition = Q()
        for name in search_fields:
            condition |= Q(**{f"{name}__icontains": word})
        queryset = queryset.filter(condition)
    results = [
        {"id": obj.pk, "label": label(obj), "detail": detail(obj) if detail else ""}
        for obj in queryset[:limit]
    ]
    return JsonResponse({"results": results})

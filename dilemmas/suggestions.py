"""Similar dilemmas and cases for a title being typed.

Simple term overlap: the title's words of four letters or more (at most six), each matched with
icontains against titles, ordered by how many words match. Full-text search (issue 5) will
replace this. Cases are found through the app registry so that dilemmas never imports the cases
app; knowledge articles do not exist yet and are left out.
"""

import re

from django.apps import apps
from django.core.exceptions import FieldError
from django.db.models import Case, IntegerField, Q, Value, When

from dilemmas.models import Dilemma

MIN_TERM = 4
MAX_TERMS = 6
LIMIT = 5
_WORD = re.compile(r"\w+", re.UNICODE)


def terms_for(title: str) -> list[str]:
    seen: list[str] = []
    for word in _WORD.findall((title or "").replace("\x00", "")[:300].lower()):
        if len(word) >= MIN_TERM and word not in seen and not word.isdigit():
            seen.append(word)
        if len(seen) == MAX_TERMS:
            break
    return seen


def _ranked(queryset, terms: list[str], field: str = "title"):
    """Rows whose `field` contains any of the terms, annotated with how many it contains."""
    condition = Q()
    score = Value(0)
    for term in terms:
        lookup = Q(**{f"{field}__icontains": term})
        condition |= lookup
        score = score + Case(
            When(lookup, then=Value(1)), default=Value(0), output_field=IntegerField()
        )
    return queryset.filter(condition).annotate(matches=score)


def similar_dilemmas(title: str, *, exclude_pk: int | None = None) -> list[Dilemma]:
    terms = terms_for(title)
    if not terms:
        return []
    queryset = Dilemma.objects.public()
    if exclude_pk:
        queryset = queryset.exclude(pk=exclude_pk)
    return list(
        _ranked(queryset, terms)
        .order_by("-matches", "-last_activity_at", "-pk")
        .only("pk", "title", "status", "reply_count", "kind")[:LIMIT]
    )


def similar_cases(title: str) -> list:
    """Published cases with similar titles, if the cases app offers them; else nothing."""
    terms = terms_for(title)
    if not terms or not apps.is_installed("cases"):
        return []
    try:
        case_model = apps.get_model("cases", "Case")
    except LookupError:
        return []
    if not hasattr(case_model.objects, "published"):
        return []
    try:
        return list(
            _ranked(case_model.objects.published(), terms)
            .order_by("-matches", "-pk")
            .only("pk", "title", "slug")[:LIMIT]
        )
    except FieldError:  # the cases app is being built: its fields may differ
        return []

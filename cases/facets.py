"""The case list's facets and base set, on the kernel's facet engine (komvidere.facets)."""

from django.db.models import QuerySet

from cases.models import Case
from komvidere import search
from komvidere.facets import ChoiceFacet, FacetSet, RelatedFacet, TagFacet, TaxonomyFacet

FACETS = FacetSet(
    Case,
    [
        TaxonomyFacet("sector", "sectors"),
        TaxonomyFacet("theme", "themes"),
        TaxonomyFacet("stage", "plan_stage"),
        RelatedFacet("organisation", "organisation", label_field="short_name"),
        ChoiceFacet("region", "organisation__region"),
        ChoiceFacet("status", "work_status"),
        TagFacet(),
    ],
)


def base_queryset(user, data: dict) -> QuerySet:
    """Published cases (or, with `mine`, all of the user's own), narrowed by the text filter."""
    mine = data.get("mine")
    queryset = Case.objects.filter(author=user) if mine else Case.objects.published()
    if data.get("q"):
        # The search index holds published cases only: one's own drafts are matched as text.
        queryset = (
            queryset.matching(data["q"]) if mine else search.filter_content(queryset, data["q"])
        )
    return queryset

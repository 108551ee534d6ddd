"""The dilemma list's facets and base set, on the kernel's facet engine (komvidere.facets).

The organisation is a filter (links from an organisation's page use it) but not a facet: its
counts would include anonymous dilemmas and so tell where an anonymous asker works.
"""

from django.db.models import QuerySet

from dilemmas.models import Dilemma
from komvidere import search
from komvidere.facets import ChoiceFacet, FacetSet, TagFacet, TaxonomyFacet

FACETS = FacetSet(
    Dilemma,
    [
        ChoiceFacet("status", "status"),
        ChoiceFacet("kind", "kind"),
        TaxonomyFacet("sector", "sectors"),
        TaxonomyFacet("theme", "themes"),
        TaxonomyFacet("stage", "plan_stage"),
        TagFacet(),
    ],
)


def base_queryset(user, data: dict) -> QuerySet:
    """The dilemmas the user may list, narrowed by the list's own filters and the text."""
    queryset = Dilemma.objects.visible_to(user).listed()
    if data.get("organisation"):
        # Anonymous dilemmas never show under an organisation: that would reveal the asker.
        queryset = queryset.filter(organisation=data["organisation"], anonymous=False)
    if data.get("no_replies"):
        queryset = queryset.filter(reply_count=0)
    if data.get("following"):
        queryset = queryset.followed_by(user)
    if data.get("q"):
        # The same search as the search page; relevance first unless a sort is chosen.
        queryset = search.filter_content(queryset, data["q"].replace("\x00", " "))
    return queryset

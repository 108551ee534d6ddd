"""The article list's facets and base set, on the kernel's facet engine (komvidere.facets)."""

from django.db.models import QuerySet

from articles.models import Article
from komvidere import search
from komvidere.facets import ChoiceFacet, FacetSet, TagFacet, TaxonomyFacet

FACETS = FacetSet(
    Article,
    [
        ChoiceFacet("kind", "kind"),
        TaxonomyFacet("sector", "sectors"),
        TaxonomyFacet("theme", "themes"),
        TaxonomyFacet("stage", "plan_stage"),
        TagFacet(),
    ],
)


def base_queryset(user, data: dict) -> QuerySet:
    """The articles a member may list (published only), narrowed by the text filter."""
    queryset = Article.objects.published()
    if data.get("q"):
        queryset = search.filter_content(queryset, data["q"])
    return queryset

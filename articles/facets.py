"""Faceted filtering of the article list: AND across facets, OR within one.

Counts are *disjunctive*, as on the case list: the count next to a value of facet F is the
number of articles matching every other active filter (the text filter and all facets except
F) that have that value, i.e. exactly what you get by choosing that value alone in F.
"""

from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from taggit.models import Tag

from articles.models import Article, ArticleKind, TaggedArticle
from komvidere.models import PlanStage, Sector, Theme

TAG_FACET_SIZE = 20


def _through(name: str):
    return getattr(Article, name).through


FACET_FILTERS = {
    "kind": lambda qs, values: qs.filter(kind__in=values),
    "sector": lambda qs, values: qs.filter(
        pk__in=_through("sectors").objects.filter(sector__in=values).values("article_id")
    ),
    "theme": lambda qs, values: qs.filter(
        pk__in=_through("themes").objects.filter(theme__in=values).values("article_id")
    ),
    "stage": lambda qs, values: qs.filter(plan_stage__in=values),
    "tag": lambda qs, values: qs.filter(
        pk__in=TaggedArticle.objects.filter(tag__in=values).values("content_object_id")
    ),
}
FACET_NAMES = list(FACET_FILTERS)


def base_queryset(user, data: dict) -> QuerySet:
    """The articles the user may list (published only), narrowed by the text filter."""
    queryset = Article.objects.published()
    if data.get("q"):
        queryset = queryset.matching(data["q"])
    return queryset


def apply_facets(queryset: QuerySet, data: dict, *, skip: str | None = None) -> QuerySet:
    for name, apply in FACET_FILTERS.items():
        if name != skip and data.get(name):
            queryset = apply(queryset, data[name])
    return queryset


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool


@dataclass
class Facet:
    name: str
    label: str
    values: list[FacetValue] = field(default_factory=list)

    @property
    def any_selected(self) -> bool:
        return any(v.selected for v in self.values)


def _taxonomy_values(model, scope, selected) -> list[FacetValue]:
    chosen = {obj.slug for obj in selected or []}
    rows = model.objects.annotate(n=Count("articles", filter=Q(articles__in=scope)))
    return [
        FacetValue(row.slug, row.label, row.n, row.slug in chosen)
        for row in rows
        if row.n or row.slug in chosen
    ]


def _kind_values(queryset, selected) -> list[FacetValue]:
    chosen = set(selected or [])
    counts = {
        row["kind"]: row["n"] for row in queryset.order_by().values("kind").annotate(n=Count("pk"))
    }
    return [
        FacetValue(value, str(label), counts.get(value, 0), value in chosen)
        for value, label in ArticleKind.choices
        if counts.get(value) or value in chosen
    ]


def _tag_values(scope, selected) -> list[FacetValue]:
    chosen = {tag.slug: tag for tag in selected or []}
    counted = (
        Tag.objects.filter(articles_taggedarticle_items__content_object__in=scope)
        .annotate(n=Count("articles_taggedarticle_items"))
        .order_by("-n", "name")
    )
    tags = list(counted[:TAG_FACET_SIZE])
    missing = set(chosen) - {t.slug for t in tags}
    if missing:
        # A chosen tag outside the most used ones keeps its checkbox (and its true count).
        tags += list(counted.filter(slug__in=missing))
    values = {t.slug: FacetValue(t.slug, t.name, t.n, t.slug in chosen) for t in tags}
    for slug, tag in chosen.items():
        values.setdefault(slug, FacetValue(slug, tag.name, 0, True))
    return list(values.values())


def facet_counts(base: QuerySet, data: dict) -> list[Facet]:
    """One query per facet (five in all), each over the other facets' result set."""

    def scope(name):
        return apply_facets(base, data, skip=name).order_by().values("pk")

    return [
        Facet(
            "kind",
            Article._meta.get_field("kind").verbose_name.capitalize(),
            _kind_values(apply_facets(base, data, skip="kind"), data.get("kind")),
        ),
        Facet(
            "sector",
            Sector._meta.verbose_name_plural.capitalize(),
            _taxonomy_values(Sector, scope("sector"), data.get("sector")),
        ),
        Facet(
            "theme",
            Theme._meta.verbose_name_plural.capitalize(),
            _taxonomy_values(Theme, scope("theme"), data.get("theme")),
        ),
        Facet(
            "stage",
            PlanStage._meta.verbose_name.capitalize(),
            _taxonomy_values(PlanStage, scope("stage"), data.get("stage")),
        ),
        Facet(
            "tag",
            Article._meta.get_field("tags").verbose_name.capitalize(),
            _tag_values(scope("tag"), data.get("tag")),
        ),
    ]

"""Faceted filtering of the case list: AND across facets, OR within one.

Counts are *disjunctive*: the count shown next to a value of facet F is the number of cases
that match every other active filter (the text filter, "mine" and all facets except F) and
have that value. So it is exactly the number of results you get by choosing that value alone
in F, and choosing more values in F can only add results. With nothing chosen in F the counts
describe the current result set.
"""

from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from taggit.models import Tag

from accounts.models import Region
from cases.models import Case, TaggedCase, WorkStatus
from komvidere.models import PlanStage, Sector, Theme

TAG_FACET_SIZE = 20


def _through(name: str):
    return getattr(Case, name).through


FACET_FILTERS = {
    "sector": lambda qs, values: qs.filter(
        pk__in=_through("sectors").objects.filter(sector__in=values).values("case_id")
    ),
    "theme": lambda qs, values: qs.filter(
        pk__in=_through("themes").objects.filter(theme__in=values).values("case_id")
    ),
    "stage": lambda qs, values: qs.filter(plan_stage__in=values),
    "organisation": lambda qs, values: qs.filter(organisation__in=values),
    "region": lambda qs, values: qs.filter(organisation__region__in=values),
    "status": lambda qs, values: qs.filter(work_status__in=values),
    "tag": lambda qs, values: qs.filter(
        pk__in=TaggedCase.objects.filter(tag__in=values).values("content_object_id")
    ),
}
FACET_NAMES = list(FACET_FILTERS)


def base_queryset(user, data: dict) -> QuerySet:
    """Published cases (or, with `mine`, all of the user's own), narrowed by the text filter."""
    mine = data.get("mine")
    queryset = Case.objects.filter(author=user) if mine else Case.objects.published()
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


def _taxonomy_values(model, relation: str, scope, selected) -> list[FacetValue]:
    chosen = {obj.slug for obj in selected or []}
    # Meta.ordering is not applied to aggregate queries: order explicitly.
    rows = model.objects.annotate(
        n=Count(relation, filter=Q(**{f"{relation}__in": scope}))
    ).order_by("position", "name")
    return [
        FacetValue(row.slug, row.label, row.n, row.slug in chosen)
        for row in rows
        if row.n or row.slug in chosen
    ]


def _grouped_values(queryset, key: str, labels: dict, selected) -> list[FacetValue]:
    chosen = set(selected or [])
    counts = {
        row[key]: row["n"]
        for row in queryset.order_by().values(key).annotate(n=Count("pk"))
        if row[key]
    }
    return [
        FacetValue(value, str(label), counts.get(value, 0), value in chosen)
        for value, label in labels.items()
        if counts.get(value) or value in chosen
    ]


def facet_counts(base: QuerySet, data: dict) -> list[Facet]:
    """One query per facet (seven in all), each over the other facets' result set."""

    def scope(name):
        return apply_facets(base, data, skip=name).order_by().values("pk")

    facets = [
        Facet("sector", Sector._meta.verbose_name_plural.capitalize()),
        Facet("theme", Theme._meta.verbose_name_plural.capitalize()),
        Facet("stage", PlanStage._meta.verbose_name.capitalize()),
        Facet("organisation", Case._meta.get_field("organisation").verbose_name.capitalize()),
        Facet(
            "region",
            Case._meta.get_field("organisation")
            .related_model._meta.get_field("region")
            .verbose_name.capitalize(),
        ),
        Facet("status", Case._meta.get_field("work_status").verbose_name.capitalize()),
        Facet("tag", Case._meta.get_field("tags").verbose_name.capitalize()),
    ]
    by_name = {facet.name: facet for facet in facets}

    by_name["sector"].values = _taxonomy_values(
        Sector, "cases", scope("sector"), data.get("sector")
    )
    by_name["theme"].values = _taxonomy_values(Theme, "cases", scope("theme"), data.get("theme"))
    by_name["stage"].values = _taxonomy_values(
        PlanStage, "cases", scope("stage"), data.get("stage")
    )

    chosen_orgs = {org.slug: org for org in data.get("organisation") or []}
    rows = (
        apply_facets(base, data, skip="organisation")
        .order_by()
        .values("organisation__slug", "organisation__short_name")
        .annotate(n=Count("pk"))
    )
    org_values = {
        row["organisation__slug"]: FacetValue(
            row["organisation__slug"],
            row["organisation__short_name"],
            row["n"],
            row["organisation__slug"] in chosen_orgs,
        )
        for row in rows
    }
    for slug, org in chosen_orgs.items():
        org_values.setdefault(slug, FacetValue(slug, org.short_name, 0, True))
    by_name["organisation"].values = sorted(org_values.values(), key=lambda v: v.label)

    by_name["region"].values = _grouped_values(
        apply_facets(base, data, skip="region"),
        "organisation__region",
        dict(Region.choices),
        data.get("region"),
    )
    by_name["status"].values = _grouped_values(
        apply_facets(base, data, skip="status"),
        "work_status",
        dict(WorkStatus.choices),
        data.get("status"),
    )

    chosen_tags = {tag.slug: tag for tag in data.get("tag") or []}
    counted = (
        Tag.objects.filter(cases_taggedcase_items__content_object__in=scope("tag"))
        .annotate(n=Count("cases_taggedcase_items"))
        .order_by("-n", "name")
    )
    tags = list(counted[:TAG_FACET_SIZE])
    missing = set(chosen_tags) - {t.slug for t in tags}
    if missing:
        # A chosen tag outside the most used ones keeps its checkbox (and its true count).
        tags += list(counted.filter(slug__in=missing))
    tag_values = {t.slug: FacetValue(t.slug, t.name, t.n, t.slug in chosen_tags) for t in tags}
    for slug, tag in chosen_tags.items():
        tag_values.setdefault(slug, FacetValue(slug, tag.name, 0, True))
    by_name["tag"].values = list(tag_values.values())
    return facets

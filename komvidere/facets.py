"""Faceted filtering of a content list: AND across facets, OR within one.

A content app declares its facets once, as a `FacetSet` over its model; the set filters a
queryset by the list's cleaned GET data and counts the values of every facet.

Counts are *disjunctive*: the count next to a value of facet F is the number of items that
match every other active filter (the text filter, the list's own base rules and all facets
except F) and have that value. It is exactly the number of results you get by choosing that
value alone in F, and choosing more values in F can only add results. With nothing chosen in
F the counts describe the current result set.

Values come in a fixed order: taxonomy terms by their position, then name (as everywhere on
the site); choices in their declared order; related objects by label; tags by use, then name.
A chosen value always keeps its checkbox, even when it has no results.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db import models
from django.db.models import Count, F, Q, QuerySet
from django.utils import translation
from taggit.models import Tag

from komvidere import search, versions
from komvidere.mixins import FilteredListMixin

TAG_FACET_SIZE = 20


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


def _field_at(model, path: str):
    """The model field at the end of a lookup path such as `organisation__region`."""
    for part in path.split("__")[:-1]:
        model = model._meta.get_field(part).related_model
    return model._meta.get_field(path.split("__")[-1])


def _capitalised(text) -> str:
    text = str(text)
    return text[:1].upper() + text[1:]


class FacetSpec:
    """One facet: its GET parameter `name`, how it filters and how it counts its values."""

    def __init__(self, name: str, *, label=None):
        self.name = name
        self._label = label
        self.model = None

    def bind(self, model) -> None:
        self.model = model

    @property
    def label(self) -> str:
        return _capitalised(self._label if self._label is not None else self.default_label())

    def default_label(self):
        raise NotImplementedError

    def filter(self, queryset: QuerySet, values: Sequence) -> QuerySet:
        raise NotImplementedError

    def values(self, scope: QuerySet, selected: Iterable | None) -> list[FacetValue]:
        """The values with their counts; `scope` is the list filtered by every other facet."""
        raise NotImplementedError


class TaxonomyFacet(FacetSpec):
    """A Sector, Theme or PlanStage field (many-to-many or foreign key); values are slugs."""

    def __init__(self, name: str, field_name: str, **kwargs):
        super().__init__(name, **kwargs)
        self.field_name = field_name

    def bind(self, model) -> None:
        super().bind(model)
        self.field = model._meta.get_field(self.field_name)
        self.taxonomy = self.field.related_model
        self.relation = self.field.related_query_name()  # taxonomy → content, e.g. "cases"

    def default_label(self):
        meta = self.taxonomy._meta
        return meta.verbose_name_plural if self.field.many_to_many else meta.verbose_name

    def filter(self, queryset, values):
        if not self.field.many_to_many:
            return queryset.filter(**{f"{self.field_name}__in": values})
        # A subquery on the link table: no join, so no duplicate rows and no DISTINCT.
        through = self.field.remote_field.through
        links = through.objects.filter(**{f"{self.field.m2m_reverse_field_name()}__in": values})
        return queryset.filter(pk__in=links.values(self.field.m2m_field_name()))

    def values(self, scope, selected):
        chosen = {obj.slug for obj in selected or []}
        scope = scope.order_by().values("pk")
        # Meta.ordering is not applied to aggregate queries: order explicitly.
        rows = self.taxonomy.objects.annotate(
            n=Count(self.relation, filter=Q(**{f"{self.relation}__in": scope}))
        ).order_by("position", "name")
        return [
            FacetValue(row.slug, row.label, row.n, row.slug in chosen)
            for row in rows
            if row.n or row.slug in chosen
        ]


class ChoiceFacet(FacetSpec):
    """A field with choices, possibly across a relation (`organisation__region`)."""

    def __init__(self, name: str, path: str, **kwargs):
        super().__init__(name, **kwargs)
        self.path = path

    def bind(self, model) -> None:
        super().bind(model)
        self.field = _field_at(model, self.path)

    def default_label(self):
        return self.field.verbose_name

    def filter(self, queryset, values):
        return queryset.filter(**{f"{self.path}__in": values})

    def values(self, scope, selected):
        chosen = set(selected or [])
        counts = {
            row[self.path]: row["n"]
            for row in scope.order_by().values(self.path).annotate(n=Count("pk"))
            if row[self.path]
        }
        return [
            FacetValue(value, str(label), counts.get(value, 0), value in chosen)
            for value, label in self.field.choices
            if counts.get(value) or value in chosen
        ]


class RelatedFacet(FacetSpec):
    """A foreign key to objects with a slug, such as the lead organisation; sorted by label."""

    def __init__(self, name: str, field_name: str, *, label_field: str, **kwargs):
        super().__init__(name, **kwargs)
        self.field_name = field_name
        self.label_field = label_field

    def bind(self, model) -> None:
        super().bind(model)
        self.field = model._meta.get_field(self.field_name)

    def default_label(self):
        return self.field.verbose_name

    def filter(self, queryset, values):
        return queryset.filter(**{f"{self.field_name}__in": values})

    def values(self, scope, selected):
        chosen = {obj.slug: obj for obj in selected or []}
        slug, label = f"{self.field_name}__slug", f"{self.field_name}__{self.label_field}"
        rows = scope.order_by().values(slug, label).annotate(n=Count("pk"))
        found = {
            row[slug]: FacetValue(row[slug], row[label], row["n"], row[slug] in chosen)
            for row in rows
            if row[slug]
        }
        for key, obj in chosen.items():
            found.setdefault(key, FacetValue(key, getattr(obj, self.label_field), 0, True))
        return sorted(found.values(), key=lambda v: v.label)


class TagFacet(FacetSpec):
    """The django-taggit tags, through the model's own through table: the most used ones."""

    def __init__(self, name: str = "tag", field_name: str = "tags", *, size=TAG_FACET_SIZE, **kw):
        super().__init__(name, **kw)
        self.field_name = field_name
        self.size = size

    def bind(self, model) -> None:
        super().bind(model)
        self.field = model._meta.get_field(self.field_name)
        self.through = self.field.through
        self.relation = self.through._meta.get_field("tag").related_query_name()

    def default_label(self):
        return self.field.verbose_name

    def filter(self, queryset, values):
        links = self.through.objects.filter(tag__in=values)
        return queryset.filter(pk__in=links.values("content_object_id"))

    def values(self, scope, selected):
        chosen = {tag.slug: tag for tag in selected or []}
        counted = (
            Tag.objects.filter(
                **{f"{self.relation}__content_object__in": scope.order_by().values("pk")}
            )
            .annotate(n=Count(self.relation))
            .order_by("-n", "name")
        )
        tags = list(counted[: self.size])
        missing = set(chosen) - {t.slug for t in tags}
        if missing:
            # A chosen tag outside the most used ones keeps its checkbox (and its true count).
            tags += list(counted.filter(slug__in=missing))
        found = {t.slug: FacetValue(t.slug, t.name, t.n, t.slug in chosen) for t in tags}
        for slug, tag in chosen.items():
            found.setdefault(slug, FacetValue(slug, tag.name, 0, True))
        return list(found.values())


class FacetSet:
    """A list's facets, in the order they are shown. `data` is the filter form's cleaned data."""

    def __init__(self, model: type[models.Model], facets: Sequence[FacetSpec]):
        self.model = model
        self.facets = list(facets)
        for facet in self.facets:
            facet.bind(model)

    @property
    def names(self) -> list[str]:
        return [facet.name for facet in self.facets]

    def apply(self, queryset: QuerySet, data: dict, *, skip: str | None = None) -> QuerySet:
        """AND across facets, OR within one; `skip` leaves one facet out (for its counts)."""
        for facet in self.facets:
            if facet.name != skip and data.get(facet.name):
                queryset = facet.filter(queryset, data[facet.name])
        return queryset

    def counts(self, base: QuerySet, data: dict) -> list[Facet]:
        """One query per facet, each over the result set of all the other facets."""
        return [
            Facet(
                facet.name,
                facet.label,
                facet.values(self.apply(base, data, skip=facet.name), data.get(facet.name)),
            )
            for facet in self.facets
        ]


def filter_data(form_class, params) -> tuple:
    """The list's filter form and its valid values: a bad value drops only its own filter."""
    form = form_class(params or None)
    if form.is_bound:
        form.is_valid()
        return form, dict(form.cleaned_data)
    return form, {}


@dataclass
class Chip:
    """One active filter, shown above the results with a link that removes it."""

    label: str
    url: str


def _url_without(params, name: str, value: str | None = None) -> str:
    """The list's query string without one value of `name` (all of them when `value` is None),
    and without the page number, which may no longer exist."""
    params = params.copy()
    params.pop("page", None)
    if value is None:
        params.pop(name, None)
    else:
        params.setlist(name, [v for v in params.getlist(name) if v != value])
    return f"?{params.urlencode()}" if params else "?"


def active_filter_chips(params, form, data: dict, facets: list[Facet], extra=()) -> list[Chip]:
    """The chips for the active filters: the text, every chosen facet value and the list's
    own filters named in `extra` (a yes/no field shows its label, others label: value)."""
    chips = []
    if data.get("q"):
        chips.append(Chip(f"“{data['q']}”", _url_without(params, "q")))
    for facet in facets:
        for value in facet.values:
            if value.selected:
                chips.append(
                    Chip(
                        f"{facet.label}: {value.label}",
                        _url_without(params, facet.name, value.value),
                    )
                )
    for name in extra:
        value = data.get(name)
        if not value:
            continue
        label = form.fields[name].label
        text = str(label) if value is True else f"{label}: {value}"
        chips.append(Chip(text, _url_without(params, name)))
    return chips


def _key_value(value):
    """A filter value as it goes into a cache key: objects by their primary key."""
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, QuerySet | list | tuple | set):
        return sorted(_key_value(item) for item in value)
    return str(value)


class FacetedListMixin(FilteredListMixin):
    """A ListView filtered by a `FacetSet`, with the disjunctive counts in `facets` and the
    active filters as removable `chips` (templates/includes/filter_panel.html shows both).

    `get_base_queryset(data)` gives what the user may list, narrowed by the text filter; the
    model's QuerySet provides `for_list()` and `ordered(sort)`. `chip_fields` names the list's
    own filters (not facets) that get a chip when set.
    """

    facets: FacetSet = None
    default_sort = "newest"
    chip_fields: tuple[str, ...] = ()
    # The content versions the counts are cached under (komvidere.versions); empty: no cache.
    facet_cache_kinds: tuple[str, ...] = ()

    def get_base_queryset(self, data: dict) -> QuerySet:
        raise NotImplementedError

    def facet_cache_scope(self) -> str | None:
        """Whose counts these are, for the cache key: the same for every member by default;
        None when they are not worth keeping: one member's own (their drafts, what they
        follow) or narrowed by a text (each text would be kept for good)."""
        return None if self.filters.get("q") else ""

    def _facet_cache_parts(self) -> tuple | None:
        """What the facet counts depend on besides the content versions; None: not cached."""
        scope = self.facet_cache_scope()
        if not self.facet_cache_kinds or scope is None:
            return None
        return (
            self.facets.model._meta.label,
            scope,
            translation.get_language(),
            sorted(
                (name, _key_value(value))
                for name, value in self.filters.items()
                if name not in ("sort", "page") and value not in (None, "", [], False)
            ),
        )

    def facet_counts(self) -> list[Facet]:
        compute = lambda: self.facets.counts(self.base, self.filters)  # noqa: E731
        parts = self._facet_cache_parts()
        if parts is None:
            return compute()
        return versions.cached(
            (*self.facet_cache_kinds, versions.TAXONOMY), "facets", parts, compute
        )

    def facet_fragment_key(self) -> str | None:
        """The cache key of the rendered facet groups ({% fragment %}): the same as the
        counts', as the groups show only the counts and what is chosen."""
        parts = self._facet_cache_parts()
        if parts is None:
            return None
        return versions.key((*self.facet_cache_kinds, versions.TAXONOMY), "facet-groups", parts)

    def get_queryset(self):
        self.filter_form, self.filters = filter_data(self.filter_form_class, self.request.GET)
        self.base = self.get_base_queryset(self.filters)
        queryset = self.facets.apply(self.base, self.filters).for_list()
        if (
            self.filters.get("q")
            and not self.filters.get("sort")
            and "search_rank" in (queryset.query.annotations)
        ):
            # A text filter (search.filter_content) orders by relevance unless a sort is chosen.
            return queryset.order_by(F("search_rank").desc(nulls_last=True), "-pk")
        return queryset.ordered(self.filters.get("sort") or self.default_sort)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["facets"] = self.facet_counts()
        context["facet_fragment"] = self.facet_fragment_key()
        context["clear_url"] = self.request.path
        context["chips"] = active_filter_chips(
            self.request.GET, self.filter_form, self.filters, context["facets"], self.chip_fields
        )
        if self.filters.get("q"):
            search.add_snippets(context["object_list"], self.filters["q"])
        return context

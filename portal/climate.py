"""The climate-accounting figures: what published cases report, and the municipal
greenhouse-gas accounts beside the cases shared in each sector.

Reads only. Every figure is computed in a fixed number of queries, whatever the number of
cases, sectors or municipalities.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Max, Q, Sum
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from accounts.models import EmissionRecord, Organisation, Region
from cases.models import Case, Co2eMethod
from komvidere.models import Sector, Status
from portal.charts import bar_chart

ZERO = Decimal("0")
TENTH = Decimal("0.1")


def tenths(value) -> Decimal:
    """One decimal, the same on every database (SQLite sums 40, PostgreSQL 40.0)."""
    return Decimal(value or 0).quantize(TENTH)


@dataclass
class Row:
    """One line of a table and one bar of its chart."""

    label: str
    total: Decimal
    count: int
    url: str = ""
    share: float = 0.0  # of the largest total: the bar's length, 0..1


@dataclass
class Table:
    key: str  # "sector", "municipality", ...: the ?table= of its CSV download
    title: str
    label_header: str
    rows: list[Row] = field(default_factory=list)

    def __post_init__(self):
        largest = max((row.total for row in self.rows), default=ZERO)
        for row in self.rows:
            row.share = float(row.total / largest) if largest else 0.0

    @property
    def grand_total(self) -> Decimal:
        return sum((row.total for row in self.rows), ZERO)

    def csv_header(self) -> list[str]:
        return [str(self.label_header), str(_("Tonnes CO2e per year")), str(_("Cases"))]

    def csv_rows(self) -> list[list]:
        return [[row.label, tenths(row.total), row.count] for row in self.rows]


def reporting_cases():
    """Published cases that report a yearly CO2e reduction."""
    return Case.objects.published().filter(co2e_tonnes_per_year__isnull=False)


def _cases_url(**params) -> str:
    """The case list filtered to one group, largest effect first."""
    return f"{reverse('cases:list')}?{urlencode({**params, 'sort': 'co2e'})}"


def _rows(values, label, url=lambda value: "") -> list[Row]:
    return [
        Row(
            label=label(item),
            total=item["total"] or ZERO,
            count=item["n"],
            url=url(item),
        )
        for item in values
    ]


def reported_effects() -> dict:
    """The reported reductions summed by sector, municipality, region, year and method.

    A case in two sectors counts in both sector rows; every other table counts it once, so
    their totals agree with the overall total.
    """
    cases = reporting_cases()
    by_case = cases.order_by().aggregate(total=Sum("co2e_tonnes_per_year"), n=Count("pk"))
    published = Q(cases__status=Status.PUBLISHED, cases__co2e_tonnes_per_year__isnull=False)
    sectors = (
        Sector.objects.annotate(
            total=Sum("cases__co2e_tonnes_per_year", filter=published),
            n=Count("cases", filter=published),
        )
        .filter(n__gt=0)
        .order_by("-total", "position")
    )
    sector_rows = [
        Row(label=s.label, total=s.total or ZERO, count=s.n, url=_cases_url(sector=s.slug))
        for s in sectors
    ]
    municipalities = (
        cases.order_by()
        .values("organisation__name", "organisation__slug")
        .annotate(total=Sum("co2e_tonnes_per_year"), n=Count("pk"))
        .order_by("-total", "organisation__name")
    )
    regions_labels = dict(Region.choices)
    regions = (
        cases.order_by()
        .values("organisation__region")
        .annotate(total=Sum("co2e_tonnes_per_year"), n=Count("pk"))
        .order_by("-total", "organisation__region")
    )
    years = (
        cases.order_by()
        .values("year_start")
        .annotate(total=Sum("co2e_tonnes_per_year"), n=Count("pk"))
        .order_by("year_start")
    )
    method_labels = dict(Co2eMethod.choices)
    methods = (
        cases.order_by()
        .values("co2e_method")
        .annotate(total=Sum("co2e_tonnes_per_year"), n=Count("pk"))
        .order_by("-total", "co2e_method")
    )
    tables = [
        Table("sector", _("By sector"), _("Sector"), sector_rows),
        Table(
            "municipality",
            _("By lead organisation"),
            _("Organisation"),
            _rows(
                municipalities,
                lambda i: i["organisation__name"],
                lambda i: _cases_url(organisation=i["organisation__slug"]),
            ),
        ),
        Table(
            "region",
            _("By region"),
            _("Region"),
            _rows(
                regions,
                lambda i: str(regions_labels.get(i["organisation__region"], _("No region"))),
                lambda i: (
                    _cases_url(region=i["organisation__region"])
                    if i["organisation__region"]
                    else ""
                ),
            ),
        ),
        Table(
            "year",
            _("By start year"),
            _("Start year"),
            _rows(years, lambda i: str(i["year_start"] or _("Not given"))),
        ),
        Table(
            "method",
            _("By method"),
            _("Method"),
            _rows(methods, lambda i: str(method_labels.get(i["co2e_method"], _("Not given")))),
        ),
    ]
    return {
        "total": by_case["total"] or ZERO,
        "case_count": by_case["n"],
        "tables": tables,
    }


def reporting_case_list():
    """Each reporting case with its figure, method and baseline year, largest first."""
    return (
        reporting_cases()
        .select_related("organisation")
        .only(
            "title",
            "slug",
            "organisation__name",
            "organisation__slug",
            "co2e_tonnes_per_year",
            "co2e_method",
            "co2e_baseline_year",
        )
        .order_by("-co2e_tonnes_per_year", "title")
    )


@dataclass
class SectorEmission:
    sector: Sector
    tonnes: Decimal
    percent: float
    cases: int  # published cases in this sector, on the whole portal
    own_cases: int | None = None  # of which the organisation shown leads


@dataclass
class EmissionAccount:
    year: int
    organisations: int
    total: Decimal
    rows: list[SectorEmission]
    sources: list[str]
    is_sample: bool


def emission_organisations():
    """Organisations that have an imported account, for the choice on /climate/."""
    return Organisation.objects.filter(emissions__isnull=False).distinct().order_by("name")


def emissions_beside_cases(organisation: Organisation | None = None) -> EmissionAccount | None:
    """The latest year's emissions per sector (of one organisation, or of all organisations
    with figures for that year), beside the published cases shared in each sector."""
    records = EmissionRecord.objects.all()
    if organisation is not None:
        records = records.filter(organisation=organisation)
    year = records.aggregate(year=Max("year"))["year"]
    if year is None:
        return None
    records = records.filter(year=year)
    summary = records.aggregate(
        total=Sum("tonnes_co2e"),
        organisations=Count("organisation", distinct=True),
        samples=Count("pk", filter=Q(is_sample=True)),
    )
    sources = sorted(set(records.order_by().values_list("source", flat=True).distinct()))
    total = summary["total"] or ZERO
    per_sector = {
        item["sector"]: item["tonnes"]
        for item in records.order_by().values("sector").annotate(tonnes=Sum("tonnes_co2e"))
    }
    published = Q(cases__status=Status.PUBLISHED)
    annotations = {"n": Count("cases", filter=published, distinct=True)}
    if organisation is not None:
        annotations["own"] = Count(
            "cases", filter=published & Q(cases__organisation=organisation), distinct=True
        )
    sectors = Sector.objects.filter(pk__in=per_sector).annotate(**annotations)
    rows = [
        SectorEmission(
            sector=sector,
            tonnes=per_sector[sector.pk],
            percent=float(per_sector[sector.pk] * 100 / total) if total else 0.0,
            cases=sector.n,
            own_cases=getattr(sector, "own", None),
        )
        for sector in sectors
    ]
    rows.sort(key=lambda row: (-row.tonnes, row.sector.position))
    return EmissionAccount(
        year=year,
        organisations=summary["organisations"],
        total=total,
        rows=rows,
        sources=sources,
        is_sample=summary["samples"] > 0,
    )


def emissions_csv(account: EmissionAccount | None, organisation=None) -> tuple[list, list]:
    """The emissions table as a header and rows, exactly as the page shows it."""
    header = [
        str(_("Sector")),
        str(_("Tonnes CO2e")),
        str(_("Share of the emissions")),
        str(_("Cases on the portal")),
    ]
    if organisation is not None:
        header.append(str(_("Cases from %(name)s") % {"name": organisation.short_name}))
    header += [str(_("Year")), str(_("Sample data"))]
    rows = []
    for row in account.rows if account else []:
        line = [row.sector.label, tenths(row.tonnes), round(row.percent, 1), row.cases]
        if organisation is not None:
            line.append(row.own_cases)
        line += [account.year, str(_("yes")) if account.is_sample else str(_("no"))]
        rows.append(line)
    return header, rows


def emissions_context(organisation=None, *, csv_url: str) -> dict:
    """What templates/portal/includes/emissions.html needs."""
    account = emissions_beside_cases(organisation)
    return {
        "account": account,
        "show_own": organisation,
        "emissions_title": _("Emissions by sector, tonnes CO2e"),
        "emissions_chart": bar_chart(
            [(row.sector.label, row.tonnes) for row in account.rows] if account else [],
            decimals=0,
        ),
        "emissions_csv_url": csv_url,
    }

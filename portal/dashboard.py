"""The coordinators' dashboard: activity per municipality, unanswered dilemmas by age, cases
and articles awaiting review, monthly trends. Reads only; every figure comes from a fixed
number of grouped queries, whatever the number of municipalities."""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, User
from articles.models import Article
from cases.models import Case
from dilemmas.models import Dilemma, DilemmaStatus, Reply
from portal.charts import bar_chart

ACTIVE_DAYS = 90
TREND_MONTHS = 12
LIST_LIMIT = 30
AGE_BUCKETS = [(7, _("Less than a week")), (30, _("1–4 weeks")), (None, _("More than 4 weeks"))]


@dataclass
class MunicipalityRow:
    organisation: Organisation
    members: int = 0
    active: int = 0
    cases: int = 0
    asked: int = 0
    answered: int = 0
    replies: int = 0

    @property
    def inactive(self) -> bool:
        return not (self.active or self.cases or self.asked or self.replies)


COLUMNS = [
    ("members", _("Members")),
    ("active", _("Active in the last 90 days")),
    ("cases", _("Cases shared")),
    ("asked", _("Dilemmas asked")),
    ("answered", _("Dilemmas answered")),
    ("replies", _("Replies")),
]


def municipalities(region: str = "") -> list[MunicipalityRow]:
    """Every municipality (of one region) with its figures: six queries in all."""
    organisations = Organisation.objects.filter(kind=Organisation.Kind.MUNICIPALITY)
    if region:
        organisations = organisations.filter(region=region)
    rows = {o.pk: MunicipalityRow(o) for o in organisations.order_by("name")}
    cutoff = timezone.now() - timedelta(days=ACTIVE_DAYS)
    members = (
        User.objects.filter(
            organisation__in=rows,
            is_active=True,
            deleted_at__isnull=True,
            emailaddress__verified=True,
        )
        .values("organisation")
        .annotate(
            n=Count("pk", distinct=True),
            active=Count("pk", filter=Q(last_login__gte=cutoff), distinct=True),
        )
        .order_by()
    )
    for item in members:
        rows[item["organisation"]].members = item["n"]
        rows[item["organisation"]].active = item["active"]
    for item in (
        Case.objects.published()
        .filter(organisation__in=rows)
        .values("organisation")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        rows[item["organisation"]].cases = item["n"]
    answered = Q(status__in=[DilemmaStatus.ANSWERED, DilemmaStatus.CONCLUDED])
    for item in (
        Dilemma.objects.public()
        .filter(organisation__in=rows)
        .values("organisation")
        .annotate(n=Count("pk"), answered=Count("pk", filter=answered))
        .order_by()
    ):
        rows[item["organisation"]].asked = item["n"]
        rows[item["organisation"]].answered = item["answered"]
    for item in (
        Reply.objects.public()
        .filter(author__organisation__in=rows)
        .values("author__organisation")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        rows[item["author__organisation"]].replies = item["n"]
    return list(rows.values())


def csv_table(rows: list[MunicipalityRow]) -> tuple[list, list]:
    header = [str(_("Municipality")), str(_("Region"))] + [str(label) for _k, label in COLUMNS]
    lines = [
        [row.organisation.name, row.organisation.get_region_display()]
        + [getattr(row, key) for key, _label in COLUMNS]
        for row in rows
    ]
    return header, lines


def _in_region(queryset, region: str, path: str = "organisation__region"):
    return queryset.filter(**{path: region}) if region else queryset


@dataclass
class AgeGroup:
    label: str
    dilemmas: list = field(default_factory=list)


def unanswered(region: str = "") -> dict:
    """Open public dilemmas without an accepted answer, oldest first, grouped by age."""
    queryset = _in_region(Dilemma.objects.public().open(), region)
    total = queryset.count()
    oldest = list(
        queryset.select_related("organisation")
        .prefetch_related("sectors")
        .order_by("created_at", "pk")[:LIST_LIMIT]
    )
    now = timezone.now()
    groups = [AgeGroup(str(label)) for _days, label in AGE_BUCKETS]
    for dilemma in oldest:
        dilemma.age_days = (now - dilemma.created_at).days
        for index, (days, _label) in enumerate(AGE_BUCKETS):
            if days is None or dilemma.age_days < days:
                groups[index].dilemmas.append(dilemma)
                break
    return {"total": total, "groups": [g for g in groups if g.dilemmas]}


def reviews(region: str = "") -> dict:
    today = timezone.localdate()
    submitted = _in_region(Case.objects.submitted(), region).select_related("organisation")
    overdue = _in_region(Case.objects.review_overdue(today), region).select_related("organisation")
    articles_overdue = Article.objects.review_overdue(today)
    return {
        "submitted": list(submitted.order_by("updated_at", "pk")[:LIST_LIMIT]),
        "submitted_count": submitted.count(),
        "overdue": list(overdue.order_by("review_due", "pk")[:LIST_LIMIT]),
        "overdue_count": overdue.count(),
        "articles_overdue": list(articles_overdue.order_by("review_due", "pk")[:LIST_LIMIT]),
        "articles_overdue_count": articles_overdue.count(),
    }


def _months(today: date) -> list[date]:
    first = today.replace(day=1)
    months = []
    for _n in range(TREND_MONTHS):
        months.append(first)
        first = (first - timedelta(days=1)).replace(day=1)
    return list(reversed(months))


TREND_SERIES = [
    ("members", _("New members")),
    ("cases", _("Cases published")),
    ("dilemmas", _("Dilemmas asked")),
    ("replies", _("Replies")),
]


def trends(region: str = "") -> dict:
    """Per month for the last twelve months: new members, cases published, dilemmas asked
    and replies; one query per series."""
    months = _months(timezone.localdate())
    start = timezone.make_aware(datetime.combine(months[0], time.min))
    sources = {
        "members": (
            _in_region(
                User.objects.filter(is_active=True, date_joined__gte=start),
                region,
            ),
            "date_joined",
        ),
        "cases": (
            _in_region(Case.objects.published().filter(published_at__gte=start), region),
            "published_at",
        ),
        "dilemmas": (
            _in_region(Dilemma.objects.public().filter(created_at__gte=start), region),
            "created_at",
        ),
        "replies": (
            _in_region(
                Reply.objects.public().filter(created_at__gte=start),
                region,
                "author__organisation__region",
            ),
            "created_at",
        ),
    }
    counts = {}
    for key, (queryset, field_name) in sources.items():
        rows = (
            queryset.annotate(month=TruncMonth(field_name))
            .values("month")
            .annotate(n=Count("pk"))
            .order_by()
        )
        counts[key] = {_month_key(row["month"]): row["n"] for row in rows}
    labels = [date_format(month, "YEAR_MONTH_FORMAT") for month in months]
    table = [
        {"month": label, **{key: counts[key].get(month, 0) for key, _l in TREND_SERIES}}
        for month, label in zip(months, labels, strict=True)
    ]
    charts = [
        {
            "key": key,
            "title": title,
            "chart": bar_chart([(row["month"], row[key]) for row in table], decimals=0),
        }
        for key, title in TREND_SERIES
    ]
    return {"table": table, "charts": charts, "series": TREND_SERIES}


def _month_key(value) -> date:
    if hasattr(value, "date"):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value.replace(day=1)

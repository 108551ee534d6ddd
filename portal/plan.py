"""The planning cycle: its stages with what each means (portal/data/plan_stages.toml), and
the published cases, articles and open dilemmas of each stage. Reads only."""

import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, F, Q, QuerySet, Window
from django.db.models.functions import RowNumber
from django.utils.translation import get_language

from articles.models import Article
from cases.models import Case
from dilemmas.models import Dilemma, Reply
from komvidere.models import PlanStage

DESCRIPTIONS = Path(__file__).resolve().parent / "data" / "plan_stages.toml"
PER_STAGE = 3  # items of each type per stage on /plan/
PER_TYPE = 20  # items of each type on a stage's page


@cache
def _descriptions() -> dict[str, dict[str, str]]:
    with DESCRIPTIONS.open("rb") as handle:
        return tomllib.load(handle)


def description(stage: PlanStage) -> str:
    texts = _descriptions().get(stage.slug, {})
    language = (get_language() or "da").split("-")[0]
    return texts.get(language) or texts.get("da") or texts.get("en") or ""


def published_cases() -> QuerySet:
    return Case.objects.published().for_list().order_by("-published_at", "-pk")


def published_articles() -> QuerySet:
    return Article.objects.published().for_list().order_by("-published_at", "-pk")


def open_dilemmas() -> QuerySet:
    return Dilemma.objects.public().open().for_list().order_by("-last_activity_at", "-pk")


def _newest_per_stage(queryset: QuerySet, ordering) -> dict[int, list]:
    """The first PER_STAGE items of every stage in one query (a window per stage)."""
    ranked = queryset.filter(plan_stage__isnull=False).annotate(
        place=Window(RowNumber(), partition_by=[F("plan_stage")], order_by=ordering)
    )
    grouped: dict[int, list] = {}
    for item in ranked.filter(place__lte=PER_STAGE):
        grouped.setdefault(item.plan_stage_id, []).append(item)
    return grouped


def _counts(queryset: QuerySet) -> dict[int, int]:
    rows = queryset.order_by().values("plan_stage").annotate(n=Count("pk"))
    return {row["plan_stage"]: row["n"] for row in rows}


@dataclass
class StageSummary:
    """A stage with what /plan/ shows of it."""

    stage: PlanStage
    description: str
    items: dict[str, list] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def slug(self) -> str:
        return self.stage.slug

    @property
    def label(self) -> str:
        return self.stage.label

    @property
    def cases(self) -> list:
        return self.items["cases"]

    @property
    def articles(self) -> list:
        return self.items["articles"]

    @property
    def dilemmas(self) -> list:
        return self.items["dilemmas"]

    @property
    def cases_count(self) -> int:
        return self.counts["cases"]

    @property
    def articles_count(self) -> int:
        return self.counts["articles"]

    @property
    def dilemmas_count(self) -> int:
        return self.counts["dilemmas"]


def cycle() -> list[StageSummary]:
    """Every stage in order with its description, and its newest published cases, articles
    and open dilemmas and how many there are of each: a fixed number of queries."""
    stages = [
        StageSummary(stage=stage, description=description(stage))
        for stage in PlanStage.objects.order_by("position", "name")
    ]
    newest_first = [F("published_at").desc(), F("pk").desc()]
    kinds = {
        "cases": (published_cases(), newest_first),
        "articles": (published_articles(), newest_first),
        "dilemmas": (open_dilemmas(), [F("last_activity_at").desc(), F("pk").desc()]),
    }
    for name, (queryset, ordering) in kinds.items():
        items = _newest_per_stage(queryset, ordering)
        counts = _counts(queryset)
        for summary in stages:
            summary.items[name] = items.get(summary.stage.pk, [])
            summary.counts[name] = counts.get(summary.stage.pk, 0)
    return stages


def stage_content(stage: PlanStage) -> dict:
    """One stage's published cases, articles and open dilemmas (PER_TYPE of each)."""
    content = {}
    for name, queryset in (
        ("cases", published_cases()),
        ("articles", published_articles()),
        ("dilemmas", open_dilemmas()),
    ):
        queryset = queryset.filter(plan_stage=stage)
        content[name] = list(queryset[:PER_TYPE])
        content[f"{name}_count"] = (
            len(content[name]) if len(content[name]) < PER_TYPE else queryset.count()
        )
    return content


def search_condition(stage: PlanStage) -> Q:
    """The search entries of one stage: its cases, articles and dilemmas, and the replies in
    those dilemmas (for komvidere.search.search(within=...))."""
    types = ContentType.objects.get_for_models(Case, Article, Dilemma, Reply)
    condition = Q()
    for model, rows in (
        (Case, Case.objects.filter(plan_stage=stage)),
        (Article, Article.objects.filter(plan_stage=stage)),
        (Dilemma, Dilemma.objects.filter(plan_stage=stage)),
        (Reply, Reply.objects.filter(dilemma__plan_stage=stage)),
    ):
        condition |= Q(content_type=types[model], object_id__in=rows.values("pk"))
    return condition

"""Every list ordering, and the home page's featured and open items, have an index that
matches them exactly: PostgreSQL reads the first page from the index, with no sort.

Planned with sequential scans and sorts off, since a handful of test rows (with whatever
statistics earlier tests left) would never use an index otherwise; a missing or mismatched
index then still shows as a Sort node (bench/explain.py
shows the same plans, with timings, on the 10× bench data)."""

import pytest
from django.db import connection, transaction

from articles.models import Article
from cases.models import Case
from dilemmas.models import Dilemma
from tests.factories import ArticleFactory, CaseFactory, DilemmaFactory

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the NULLS LAST indexes exist on PostgreSQL only"
)


def plan(queryset) -> str:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        # Nor sorts: a plan sorts then only when no index gives the order.
        cursor.execute("SET LOCAL enable_sort = off")
        return queryset.explain()


@pytest.fixture
def rows(db):
    for index in range(3):
        CaseFactory(featured=index == 0, co2e_tonnes_per_year=index or None)
        ArticleFactory(featured=index == 0)
        DilemmaFactory()


@pytest.mark.parametrize(
    ("queryset", "index"),
    [
        (
            lambda: Case.objects.published().for_list().ordered("newest"),
            "case_published_newest_idx",
        ),
        (lambda: Case.objects.published().for_list().ordered("co2e"), "case_published_co2e_idx"),
        (lambda: Case.objects.published().ordered("updated"), "case_status_updated_idx"),
        (lambda: Case.objects.published().ordered("title"), "case_status_title_idx"),
        (lambda: Case.objects.featured().order_by("-published_at"), "case_featured_idx"),
        (
            lambda: Article.objects.published().for_list().ordered("newest"),
            "article_published_newest_idx",
        ),
        (lambda: Article.objects.published().ordered("title"), "article_status_title_idx"),
        (lambda: Article.objects.featured().order_by("-published_at"), "article_featured_idx"),
        (
            lambda: Dilemma.objects.public().open().order_by("-created_at", "-pk"),
            "dilemma_open_newest_idx",
        ),
        (
            lambda: Dilemma.objects.public().ordered("activity"),
            "dilemma_activity_idx",
        ),
        (lambda: Dilemma.objects.public().ordered("newest"), "dilemma_newest_idx"),
    ],
)
def test_the_first_page_is_read_from_a_matching_index(rows, queryset, index):
    text = plan(queryset()[:20])
    assert index in text, text
    assert "Sort" not in text.replace("Incremental Sort", "Sort"), text

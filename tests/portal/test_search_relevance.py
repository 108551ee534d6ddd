"""Search relevance: realistic Danish queries over a realistic corpus (search_relevance.toml),
scored by mean reciprocal rank (MRR) and precision at 3, on whichever database runs the suite.

P@3 here is the share of a query's expected items (at most three) found in the top three, so
a perfect search scores 1.0 even for a query with one right answer. The figures are printed.
"""

import tomllib
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.utils import timezone

from komvidere import search
from komvidere.models import SearchEntry

DATA = tomllib.loads((Path(__file__).parent / "search_relevance.toml").read_text("utf-8"))
# What each backend must reach: PostgreSQL serves production, SQLite the zero-setup default.
TARGET_MRR = {"postgresql": 0.9, "sqlite": 0.8}


def load_corpus() -> None:
    content_type = ContentType.objects.get_for_model(SearchEntry)
    now = timezone.now()
    entries = [
        SearchEntry(
            content_type=content_type,
            object_id=number,
            kind=item["kind"],
            title=item["title"],
            url=f"/relevance/{item['id']}/",
            summary=search.plain_text(item.get("summary", "")),
            body=search.plain_text(item.get("body", "")),
            tags=item.get("tags", ""),
            published_at=now - timedelta(days=item.get("age", 0)),
            group_key=item.get("thread", ""),
            boost=item.get("boost", 1.0),
        )
        for number, item in enumerate(DATA["item"], start=1)
    ]
    SearchEntry.objects.bulk_create(entries)
    search.refresh(SearchEntry.objects.all())
    if connection.vendor == "postgresql":
        # As autovacuum would: the statistics broad queries and near spellings rely on.
        from komvidere.search_backends import postgresql

        with connection.cursor() as cursor:
            cursor.execute("ANALYZE komvidere_searchentry")
        postgresql.forget_statistics()


def found(query: str, n: int = 10) -> list[str]:
    """The item ids of the first n results (a thread's result carries its best entry's id)."""
    by_thread = {
        item["thread"]: item["id"]
        for item in DATA["item"]
        if item.get("thread") and item["kind"] != "reply"
    }
    ids = []
    for entry in search.search(query)[:n]:
        item_id = entry.url.split("/")[2]
        # A reply stands for its thread: the thread is the result.
        ids.append(by_thread.get(entry.group_key, item_id))
    return ids


def test_the_set_is_big_enough():
    assert len(DATA["item"]) >= 40
    assert len(DATA["query"]) >= 40
    ids = {item["id"] for item in DATA["item"]}
    for query in DATA["query"]:
        assert set(query["expected"]) <= ids, query["q"]
        assert 1 <= len(query["expected"]) <= 3


@pytest.mark.django_db
def test_relevance(capsys):
    load_corpus()
    reciprocal_ranks, precisions, misses = [], [], []
    for query in DATA["query"]:
        expected = set(query["expected"])
        results = found(query["q"])
        rank = next((i for i, item in enumerate(results, start=1) if item in expected), None)
        reciprocal_ranks.append(1 / rank if rank else 0.0)
        precision = len(expected & set(results[:3])) / min(3, len(expected))
        precisions.append(precision)
        if rank != 1 or precision < 1:
            misses.append(
                f"  {query['q']!r}: rank {rank}, P@3 {precision:.2f}, top 3 {results[:3]}"
            )
    mrr = sum(reciprocal_ranks) / len(reciprocal_ranks)
    p3 = sum(precisions) / len(precisions)
    vendor = connection.vendor
    with capsys.disabled():
        print(
            f"\nSearch relevance on {vendor}: {len(DATA['query'])} queries, "
            f"{len(DATA['item'])} items: MRR {mrr:.3f}, P@3 {p3:.3f}"
        )
        print("\n".join(misses))
    assert mrr >= TARGET_MRR[vendor]

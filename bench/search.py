"""Search latency at scale: what the search page asks of the database, timed in-process.

    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/kv_search_bench bash bench/search.sh

fills its own database with BENCH_SEARCH_ENTRIES (100,000) search entries of generated Danish
text (broad words such as "klima" and "kommune" in a third to a half of them, narrow ones in a
few), then runs each query BENCH_SEARCH_RUNS times and prints p50 and p95 in milliseconds of
the page's work: the search (with its fallbacks), the result count, one page of 20 with
snippets, and the counts per type. HTTP, templates and the people group are not included.
"""

import os
import random
import statistics
import time

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.utils import timezone

from komvidere import search
from komvidere.models import SearchEntry

ENTRIES = int(os.environ.get("BENCH_SEARCH_ENTRIES", "100000"))
RUNS = int(os.environ.get("BENCH_SEARCH_RUNS", "30"))
QUERIES = [
    ("broad", "klima"),
    ("broad", "kommune"),
    ("broad", "kommunens klimaplan"),
    ("narrow", "skybrudssikring"),
    ("narrow", "biogas"),
    ("narrow", "varmepumper i landsbyer"),
    ("narrow", '"grøn omstilling"'),
    ("typo", "klimatilpasnig"),
    ("partial", "fjernvarme xyzzy"),
]
COMMON = [
    "klimaplan",
    "klimaet",
    "klimatilpasning",
    "kommunen",
    "kommunens",
    "kommunerne",
    "borgere",
    "borgerne",
    "energi",
    "transport",
    "affald",
    "byggeri",
    "indkøb",
    "data",
    "mål",
    "handling",
    "plan",
    "udledning",
    "reduktion",
    "samarbejde",
    "politisk",
    "forankring",
    "erfaring",
    "projekt",
    "løsning",
    "udfordring",
    "resultat",
    "økonomi",
    "budget",
    "region",
]
RARE = [
    "skybrudssikring",
    "biogas",
    "gylle",
    "varmepumper",
    "landsbyer",
    "fjernvarme",
    "overskudsvarme",
    "solceller",
    "elbusser",
    "cykelstier",
    "lavbundsjorder",
    "skovrejsning",
    "madspild",
    "ladestandere",
    "vindmøller",
]
FILLER = [
    "og",
    "i",
    "på",
    "at",
    "det",
    "en",
    "til",
    "for",
    "med",
    "af",
    "er",
    "som",
    "har",
    "ikke",
    "vi",
    "de",
    "der",
    "om",
    "kan",
]


def _text(rng: random.Random, words: int) -> str:
    out = []
    for _ in range(words):
        roll = rng.random()
        if roll < 0.0005:
            out.append(rng.choice(RARE))
        elif roll < 0.55:
            out.append(rng.choice(COMMON))
        else:
            out.append(rng.choice(FILLER))
    if rng.random() < 0.002:
        out.extend(["grøn", "omstilling"])
    return " ".join(out)


def seed() -> None:
    if SearchEntry.objects.filter(url="/bench/last-v2/").exists():
        return
    SearchEntry.objects.all().delete()
    rng = random.Random(9)
    content_type = ContentType.objects.get_for_model(SearchEntry)
    now = timezone.now()
    kinds = ["case", "article", "dilemma", "reply", "reply", "reply"]
    for start in range(0, ENTRIES, 2000):
        rows = []
        for i in range(start, min(start + 2000, ENTRIES)):
            kind = kinds[i % len(kinds)]
            thread = f"dilemma:{i // 6}" if kind in ("dilemma", "reply") else ""
            rows.append(
                SearchEntry(
                    content_type=content_type,
                    object_id=i + 1,
                    kind=kind,
                    title=_text(rng, 6).capitalize(),
                    summary=_text(rng, 20),
                    body=_text(rng, 120),
                    tags=" ".join(rng.sample(COMMON[:8], 2) + rng.sample(RARE, 1) * (i % 100 == 0)),
                    url="/bench/last-v2/" if i == ENTRIES - 1 else f"/bench/{i}/",
                    published_at=now - timezone.timedelta(days=rng.randint(0, 2000)),
                    group_key=thread,
                    boost=rng.choice([0.9, 1.0, 1.2]),
                )
            )
        SearchEntry.objects.bulk_create(rows)
        search.refresh(rows)
        print(f"seeded {min(start + 2000, ENTRIES)} entries", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE komvidere_searchentry")


def page(query: str) -> int:
    results = search.search(query)
    total = results.count()
    entries = results[:20]
    results.add_snippets(entries)
    results.counts_by_kind()
    return total


def run() -> None:
    seed()
    print(f"{connection.vendor}, {SearchEntry.objects.count()} entries, {RUNS} runs a query")
    print(f"{'query':32} {'kind':8} {'results':>8} {'p50 ms':>8} {'p95 ms':>8}")
    for kind, query in QUERIES:
        page(query)  # warm
        timings = []
        for _ in range(RUNS):
            started = time.perf_counter()
            total = page(query)
            timings.append((time.perf_counter() - started) * 1000)
        p95 = statistics.quantiles(timings, n=20)[-1]
        print(f"{query:32} {kind:8} {total:8} {statistics.median(timings):8.1f} {p95:8.1f}")

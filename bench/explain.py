"""How PostgreSQL reads the first page of every list ordering, on a bench database:

    bash bench/explain.sh                    # the bench data (komvidere_bench)
    BENCH_SCALE=10 bash bench/explain.sh     # komvidere_bench_10x

For each of the app's own list querysets (the ones tests/ops/test_indexes.py checks on a
handful of rows with sequential scans off, plus the home page's two as the view asks them), it
prints EXPLAIN (ANALYZE, BUFFERS) of the first page, planned as the app's queries are (nothing
switched off), then a Markdown table: the index the plan reads, whether it sorts, and the
execution time (the best of BENCH_EXPLAIN_RUNS, default 3: the first run may read from disk).
BENCH_EXPLAIN_QUIET=1 prints only the table.
"""

import os
import re

RUNS = int(os.environ.get("BENCH_EXPLAIN_RUNS", "3"))
QUIET = os.environ.get("BENCH_EXPLAIN_QUIET") == "1"


def querysets():
    """(label, the index tests/ops/test_indexes.py expects, queryset of the first page)."""
    from articles.models import Article
    from cases.models import Case
    from dilemmas.models import Dilemma

    return [
        (
            "cases newest",
            "case_published_newest_idx",
            Case.objects.published().for_list().ordered("newest")[:20],
        ),
        (
            "cases updated",
            "case_status_updated_idx",
            Case.objects.published().for_list().ordered("updated")[:20],
        ),
        (
            "cases title",
            "case_status_title_idx",
            Case.objects.published().for_list().ordered("title")[:20],
        ),
        (
            "cases co2e",
            "case_published_co2e_idx",
            Case.objects.published().for_list().ordered("co2e")[:20],
        ),
        (
            "articles newest",
            "article_published_newest_idx",
            Article.objects.published().for_list().ordered("newest")[:20],
        ),
        (
            "articles title",
            "article_status_title_idx",
            Article.objects.published().for_list().ordered("title")[:20],
        ),
        (
            "dilemmas activity",
            "dilemma_activity_idx",
            Dilemma.objects.public().for_list().ordered("activity")[:20],
        ),
        (
            "dilemmas newest",
            "dilemma_newest_idx",
            Dilemma.objects.public().for_list().ordered("newest")[:20],
        ),
        (
            "home: featured cases",
            "case_featured_idx",
            Case.objects.featured().for_list().order_by("-published_at")[:3],
        ),
        (
            "home: featured articles",
            "article_featured_idx",
            Article.objects.featured().order_by("-published_at")[:20],
        ),
        (
            "home: open dilemmas",
            "dilemma_open_newest_idx",
            Dilemma.objects.public().open().for_list().order_by("-created_at", "-pk")[:6],
        ),
    ]


_INDEX = re.compile(r"(?:Index(?: Only)? Scan(?: Backward)? using|Bitmap Index Scan on) (\S+)")
_SEQ = re.compile(r"Seq Scan on (\S+)")
_TIME = re.compile(r"Execution Time: ([\d.]+) ms")
_SORT = re.compile(r"^\s*(?:->\s*)?(Incremental Sort|Sort|Top-N)", re.M)


def summary(plan: str) -> dict:
    # Only the first page's own statement: the prefetches (tags, sectors) are other queries.
    indexes = list(dict.fromkeys(_INDEX.findall(plan)))
    scans = list(dict.fromkeys(_SEQ.findall(plan)))
    sorts = sorted(set(_SORT.findall(plan)))
    time = float(_TIME.search(plan).group(1))
    return {"indexes": indexes, "seq": scans, "sorts": sorts, "ms": time}


def main() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT current_database(), version()")
        database, version = cursor.fetchone()
    print(f"database {database}: {version.split(',')[0]}")  # noqa: T201
    rows = []
    for label, expected, queryset in querysets():
        best = None
        for _ in range(RUNS):
            plan = queryset.explain(analyze=True, buffers=True)
            found = summary(plan)
            if best is None or found["ms"] < best[1]["ms"]:
                best = (plan, found)
        plan, found = best
        if not QUIET:
            print(f"\n=== {label}: {found['ms']:.3f} ms (best of {RUNS})\n{plan}")  # noqa: T201
        rows.append((label, expected, found))

    print()  # noqa: T201
    print(  # noqa: T201
        "| first page of | index expected | indexes read | sequential scans | sort | "
        "execution ms | as expected |"
    )
    print("| --- | --- | --- | --- | --- | ---: | --- |")  # noqa: T201
    for label, expected, found in rows:
        # Sequential scans of the small joined tables (plan stages, organisations) are fine.
        ok = expected in found["indexes"] and not found["sorts"]
        print(  # noqa: T201
            f"| {label} | `{expected}` | {', '.join(f'`{i}`' for i in found['indexes']) or '—'} | "
            f"{', '.join(found['seq']) or '—'} | {', '.join(found['sorts']) or 'no'} | "
            f"{found['ms']:.3f} | {'yes' if ok else 'no'} |"
        )
    print()  # noqa: T201
    print(  # noqa: T201
        "Execution time: PostgreSQL's own (EXPLAIN ANALYZE), the best of the runs, without "
        "the app's Python or the network. The plans are the statement of the first page only; "
        "the list's other queries (its tags, its count) are not in them. As expected: the "
        "expected index is read and nothing is sorted (sequential scans of the small joined "
        "tables, such as plan stages, are fine)."
    )


if __name__ == "__main__":
    main()

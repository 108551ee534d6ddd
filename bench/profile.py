"""Where a page's time goes, in-process: `bash bench/profile.sh /cases/ "/search/?q=fjernvarme"`.

For each page it requests it RUNS times as a logged-in bench member (Django's test client, no
HTTP, no gunicorn) on the bench database, and prints:
- the median time of the whole request, and of its SQL (count, milliseconds);
- the queries that took the most time in all, grouped by their shape (literals removed);
- the functions of our own code (and Django's template engine) with the most cumulative time,
  from cProfile over every run.

Run it after bench/run.sh has filled the bench database (same BENCH_DATABASE_URL).
"""

import cProfile
import os
import pstats
import re
import statistics
import sys
import time
from collections import defaultdict

RUNS = int(os.environ.get("BENCH_PROFILE_RUNS", "20"))
TOP = int(os.environ.get("BENCH_PROFILE_TOP", "12"))
_LITERALS = re.compile(r"'(?:[^']|'')*'|\b\d+\b")


class QueryTimer:
    """A database execute wrapper: counts and times every query, by shape."""

    def __init__(self):
        self.count = 0
        self.seconds = 0.0
        self.by_shape = defaultdict(lambda: [0, 0.0])

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            spent = time.perf_counter() - started
            self.count += 1
            self.seconds += spent
            shape = self.by_shape[_LITERALS.sub("?", sql)[:160]]
            shape[0] += 1
            shape[1] += spent


class RenderTimer:
    """Times the outermost `Template.render` of each request (SQL run inside it included)."""

    def __init__(self):
        self.depth = 0
        self.seconds = 0.0

    def install(self):
        from django.template import base

        original = base.Template.render

        def render(template, context):
            self.depth += 1
            started = time.perf_counter()
            try:
                return original(template, context)
            finally:
                self.depth -= 1
                if not self.depth:
                    self.seconds += time.perf_counter() - started

        base.Template.render = render


def timed(path: str, client, renders: RenderTimer) -> tuple[float, float, float]:
    """Median ms of the whole request, its SQL and its outermost template render, without
    the profiler (which slows Python code several times more than SQL)."""
    from django.db import connection

    totals, sql_ms, render_ms = [], [], []
    for _ in range(RUNS):
        timer = QueryTimer()
        renders.seconds = 0.0
        with connection.execute_wrapper(timer):
            started = time.perf_counter()
            client.get(path)
            totals.append((time.perf_counter() - started) * 1000)
        sql_ms.append(timer.seconds * 1000)
        render_ms.append(renders.seconds * 1000)
    return statistics.median(totals), statistics.median(sql_ms), statistics.median(render_ms)


def profile(path: str, client, renders: RenderTimer) -> None:
    from django.db import connection

    client.get(path)  # warm: caches, compiled templates, connections
    plain, plain_sql, plain_render = timed(path, client, renders)
    totals, sql_ms, counts = [], [], []
    shapes = QueryTimer()
    profiler = cProfile.Profile()
    for _ in range(RUNS):
        timer = QueryTimer()
        with connection.execute_wrapper(timer), connection.execute_wrapper(shapes):
            started = time.perf_counter()
            profiler.enable()
            response = client.get(path)
            profiler.disable()
            totals.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            print(f"{path}: HTTP {response.status_code}")  # noqa: T201
            return
        sql_ms.append(timer.seconds * 1000)
        counts.append(timer.count)

    total, sql = statistics.median(totals), statistics.median(sql_ms)
    print(  # noqa: T201
        f"\n=== {path}: {total:.1f} ms median over {RUNS} runs; SQL "
        f"{statistics.median(counts):.0f} queries, {sql:.1f} ms; the rest (Python: views, ORM, "
        f"templates) {total - sql:.1f} ms"
    )
    print(  # noqa: T201
        f"--- without the profiler: {plain:.1f} ms; SQL {plain_sql:.1f} ms; the template "
        f"render {plain_render:.1f} ms (SQL inside it included)"
    )
    print("--- queries, most time first (ms per request, count per request):")  # noqa: T201
    for shape, (count, seconds) in sorted(shapes.by_shape.items(), key=lambda i: -i[1][1])[:TOP]:
        print(f"{seconds * 1000 / RUNS:8.2f} ms {count / RUNS:5.1f}x  {shape}")  # noqa: T201
    print("--- our code and the template engine, cumulative ms per request:")  # noqa: T201
    stats = pstats.Stats(profiler)
    rows, templates = [], 0.0
    for (filename, line, name), (_cc, _nc, _tt, cumulative, _callers) in stats.stats.items():
        if "django/template/" in filename and name == "render":
            templates = max(templates, cumulative)  # the outermost render holds the rest
        elif "/.venv/" not in filename and filename.startswith(os.getcwd()):
            if (
                "/bench/" in filename
                or (name == "__call__" and "middleware" in filename)
                or "faults" in filename
            ):
                continue  # the middleware wrap the whole request: no news
            rows.append((cumulative, f"{os.path.relpath(filename)}:{line} {name}"))
    rows.append((templates, "templates (the outermost render)"))
    for cumulative, label in sorted(rows, reverse=True)[:TOP]:
        print(f"{cumulative * 1000 / RUNS:8.2f} ms  {label}")  # noqa: T201


def main(paths: list[str]) -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from django.test import Client
    from django.test.utils import setup_test_environment

    from accounts.models import User

    setup_test_environment()  # lets the test client talk to the app; nothing else changes
    client = Client()
    email = os.environ.get("BENCH_PROFILE_EMAIL")
    if email:
        member = User.objects.get(email=email)
    else:
        from bench.seed import bench_member

        member = bench_member() or User.objects.filter(is_active=True).order_by("pk").first()
    client.force_login(member)
    renders = RenderTimer()
    renders.install()
    for path in paths or ["/", "/cases/", "/dilemmas/", "/search/?q=fjernvarme"]:
        profile(path, client, renders)


if __name__ == "__main__":
    main(sys.argv[1:])

"""The load harness behind bench/run.sh and bench/compare.sh (see bench/README.md).

    python -m bench.load shares  --app http://127.0.0.1:8765 --floor http://127.0.0.1:8766 \
        --app-pid 123 --floor-pid 456 --database-url postgres://... --cookie 'sessionid=...' \
        PAGE...
    python -m bench.load compare --server 1x=http://127.0.0.1:8771,PID,DBURL,COOKIE \
        --server 10x=http://127.0.0.1:8772,PID,DBURL,COOKIE PAGE...

`shares`: for each page, BENCH_ROUNDS times (default 2): wrk on the bare floor (bench/floor.py),
then wrk on the page, BENCH_SECONDS each (default 5), BENCH_CONNECTIONS connections (8). A page's
share is its mean req/s over the mean req/s of the floor runs beside it. CPU per request: the
utime + stime (/proc/<pid>/stat) that the gunicorn workers (children of the master) and the
PostgreSQL backends serving the app's database (pg_stat_activity, datname = the bench database)
used during the run, over the requests wrk counted.

`compare`: for each page, BENCH_ROUNDS times, one connection, BENCH_SECONDS on each server in
turn (1× then 10×), and the ratio of the median latencies (each server's own page: the
thread's pk is looked up per database by the caller).
"""

import argparse
import contextlib
import os
import re
import statistics
import subprocess
import sys
import urllib.error
import urllib.request
from dataclasses import dataclass, field

SECONDS = int(os.environ.get("BENCH_SECONDS", "5"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "2"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "8"))
THREADS = int(os.environ.get("BENCH_WRK_THREADS", "2"))
WARMUP = int(os.environ.get("BENCH_WARMUP", "1"))
TICK_MS = 1000.0 / os.sysconf("SC_CLK_TCK")

# The targets: (share of the floor in %, p99 ms). Pages it does not name have none.
LIST_TARGET = 3.0
DETAIL_TARGET = 4.0
HEALTH_TARGET = 30.0
P99_TARGET_MS = 100.0


def target(path: str) -> float | None:
    bare = path.split("?")[0]
    if bare == "/health/":
        return HEALTH_TARGET
    if re.fullmatch(r"/cases/[^/]+/", bare):
        return DETAIL_TARGET
    if bare in ("/", "/cases/", "/dilemmas/", "/articles/", "/search/", "/people/"):
        return LIST_TARGET
    if re.fullmatch(r"/dilemmas/\d+/", bare) or bare.startswith(("/tags/", "/organisations/")):
        return LIST_TARGET  # a thread; a tag's and an organisation's lists
    return None  # e.g. an article: not named by the issue


# --- /proc -----------------------------------------------------------------------------------


def _stat(pid: int) -> tuple[int, int] | None:
    """(ppid, utime + stime in ticks) of a process, or None once it is gone."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            text = f.read()
    except OSError:
        return None
    # The command (field 2) may hold spaces and parentheses: split after its last ")".
    fields = text[text.rindex(")") + 2 :].split()
    return int(fields[1]), int(fields[11]) + int(fields[12])


def children(master: int) -> list[int]:
    pids = []
    for name in os.listdir("/proc"):
        if name.isdigit():
            stat = _stat(int(name))
            if stat and stat[0] == master:
                pids.append(int(name))
    return pids


def cpu_ticks(pids) -> dict[int, int]:
    ticks = {}
    for pid in pids:
        stat = _stat(pid)
        if stat:
            ticks[pid] = stat[1]
    return ticks


class Backends:
    """The PostgreSQL backends of one database: pg_stat_activity, our own connection left out."""

    def __init__(self, database_url: str | None):
        self.connection = None
        self.local = True
        if database_url:
            import psycopg

            self.connection = psycopg.connect(database_url, autocommit=True)
            self.datname = database_url.rsplit("/", 1)[1].split("?")[0]
            host = self.connection.info.host
            self.local = host in ("127.0.0.1", "localhost", "::1") or host.startswith("/")

    def pids(self) -> list[int]:
        if self.connection is None:
            return []
        rows = self.connection.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()"
            " AND backend_type = 'client backend'",
            [self.datname],
        ).fetchall()
        return [row[0] for row in rows]


@dataclass
class Sample:
    app: dict
    pg: dict


def sample(master: int, backends: Backends | None) -> Sample:
    app = cpu_ticks(children(master))
    pg = cpu_ticks(backends.pids()) if backends else {}
    return Sample(app, pg)


def spent(before: dict, after: dict) -> tuple[int, bool]:
    """Ticks used between two samples; True if a process of `before` is gone (its last ticks
    are lost: the figure is then a little low). A new process counts from zero."""
    gone = any(pid not in after for pid in before)
    return sum(t - before.get(pid, 0) for pid, t in after.items()), gone


# --- wrk -------------------------------------------------------------------------------------

_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def _ms(value: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value)
    return float(match.group(1)) * _UNITS[match.group(2)]


@dataclass
class Run:
    rps: float
    requests: int
    p50: float
    p99: float
    errors: int
    app_ticks: int = 0
    pg_ticks: int = 0
    churn: bool = False

    @property
    def app_ms(self) -> float:
        return self.app_ticks * TICK_MS / max(self.requests, 1)

    @property
    def pg_ms(self) -> float:
        return self.pg_ticks * TICK_MS / max(self.requests, 1)


def wrk(url: str, cookie: str | None, seconds: float, connections: int) -> Run:
    command = ["wrk", f"-t{min(THREADS, connections)}", f"-c{connections}", f"-d{seconds}s"]
    command += ["--latency", "--timeout", "10s"]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    out = subprocess.run(  # noqa: S603 - wrk with our own arguments
        [*command, url], capture_output=True, text=True, timeout=seconds + 60, check=True
    ).stdout
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    if not requests:
        raise RuntimeError(f"wrk completed no request on {url} in {seconds} s:\n{out}")
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = _ms(re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1))
    p99 = _ms(re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1))
    errors = 0
    if match := re.search(r"Non-2xx or 3xx responses: (\d+)", out):
        errors += int(match.group(1))
    if match := re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out
    ):
        errors += sum(int(g) for g in match.groups())
    return Run(rps, requests, p50, p99, errors)


def warm(url: str, cookie: str | None, connections: int) -> None:
    with contextlib.suppress(RuntimeError):  # slower than the warm-up: the runs will tell
        wrk(url, cookie, WARMUP, connections)


def measured(url, cookie, master, backends, *, seconds=SECONDS, connections=CONNECTIONS) -> Run:
    before = sample(master, backends)
    run = wrk(url, cookie, seconds, connections)
    after = sample(master, backends)
    run.app_ticks, gone_app = spent(before.app, after.app)
    run.pg_ticks, gone_pg = spent(before.pg, after.pg)
    run.churn = gone_app or gone_pg
    return run


def status(url: str, cookie: str | None) -> int:
    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    request = urllib.request.Request(  # noqa: S310 - our own http:// URLs
        url, headers={"Cookie": cookie} if cookie else {}
    )
    try:
        with urllib.request.build_opener(NoRedirect).open(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


# --- shares ----------------------------------------------------------------------------------


@dataclass
class PageResult:
    path: str
    pages: list = field(default_factory=list)
    floors: list = field(default_factory=list)
    status: int = 200

    @property
    def rps(self):
        return statistics.mean(r.rps for r in self.pages)

    @property
    def floor_rps(self):
        return statistics.mean(r.rps for r in self.floors)

    @property
    def share(self):
        return 100 * self.rps / self.floor_rps

    def mean(self, name, runs=None):
        return statistics.mean(getattr(r, name) for r in (runs or self.pages))


def _fmt_share(value: float) -> str:
    return f"{value:.1f} %" if value >= 1 else f"{value:.2f} %"


def shares(args) -> int:
    backends = Backends(args.database_url)
    app, floor = args.app.rstrip("/"), args.floor.rstrip("/")
    print(  # noqa: T201
        f"wrk: {CONNECTIONS} connections, {THREADS} threads, {SECONDS} s a run, {ROUNDS} rounds "
        f"(floor, page) per page; CPU clock tick {TICK_MS:.0f} ms"
    )
    header = (
        f"{'page':<42} {'req/s':>8} {'floor':>7} {'share':>8} {'p50':>7} {'p99':>7} "
        f"{'app ms':>7} {'pg ms':>6} {'floor ms':>8}"
    )
    print(header)  # noqa: T201
    results = []
    for path in args.pages:
        result = PageResult(path)
        result.status = status(app + path, args.cookie)
        if result.status != 200:
            print(f"{path:<42} HTTP {result.status}")  # noqa: T201
            results.append(result)
            continue
        if WARMUP:
            # Every worker opens its database connection and fills its caches first.
            warm(app + path, args.cookie, CONNECTIONS)
        for _ in range(ROUNDS):
            result.floors.append(measured(floor + "/", None, args.floor_pid, None))
            result.pages.append(measured(app + path, args.cookie, args.app_pid, backends))
        r = result
        print(  # noqa: T201
            f"{path:<42} {r.rps:8.0f} {r.floor_rps:7.0f} {_fmt_share(r.share):>8} "
            f"{r.mean('p50'):7.1f} {max(x.p99 for x in r.pages):7.1f} {r.mean('app_ms'):7.2f} "
            f"{r.mean('pg_ms'):6.2f} {r.mean('app_ms', r.floors):8.2f}"
            + (" *" if any(x.churn for x in r.pages) else "")
            + (
                f" ({sum(x.errors for x in r.pages)} errors)"
                if any(x.errors for x in r.pages)
                else ""
            ),
            flush=True,
        )
        results.append(result)
    print_markdown(results, backends)
    return 0


def print_markdown(results, backends) -> None:
    print()  # noqa: T201
    print(  # noqa: T201
        "| page | req/s | floor req/s | share of floor | target | CPU share | p50 ms | p99 ms | "
        "CPU ms/req app | CPU ms/req PostgreSQL | CPU ms/req total | meets |"
    )
    print("| --- |" + " ---: |" * 10 + " --- |")  # noqa: T201
    floor_cpu = []
    for r in results:
        if not r.pages:
            print(f"| `{r.path}` | HTTP {r.status} |" + " |" * 9 + " no |")  # noqa: T201
            continue
        goal = target(r.path)
        p99 = max(x.p99 for x in r.pages)
        app_ms, pg_ms = r.mean("app_ms"), r.mean("pg_ms")
        floor_cpu += [x.app_ms for x in r.floors]
        cpu_share = 100 * r.mean("app_ms", r.floors) / (app_ms + pg_ms)
        ok = p99 < P99_TARGET_MS and (goal is None or r.share >= goal)
        verdict = "yes" if ok else "no"
        if any(x.errors for x in r.pages):
            verdict += f" ({sum(x.errors for x in r.pages)} errors)"
        print(  # noqa: T201
            f"| `{r.path}` | {r.rps:.0f} | {r.floor_rps:.0f} | {_fmt_share(r.share)} | "
            f"{'≥ ' + format(goal, 'g') + ' %' if goal else '—'} | {_fmt_share(cpu_share)} | "
            f"{r.mean('p50'):.1f} | "
            f"{p99:.1f} | {app_ms:.2f} | {pg_ms:.2f} | {app_ms + pg_ms:.2f} | {verdict} |"
        )
    print()  # noqa: T201
    if floor_cpu:
        print(  # noqa: T201
            f"The floor (bench/floor.py) used {statistics.median(floor_cpu):.2f} ms of CPU a "
            "request (gunicorn workers, median of its runs)."
        )
    print(  # noqa: T201
        "Shares: the page's mean req/s over the mean of the floor runs interleaved with it "
        f"({ROUNDS} rounds of {SECONDS} s each). CPU share: the floor's CPU ms a request over "
        "the page's (app + PostgreSQL), a cross-check of the share that a busy machine "
        "disturbs less. p50: mean of the rounds; p99: the worst round. "
        "CPU ms: utime + stime of the gunicorn workers, and of the PostgreSQL backends of the "
        "bench database (pg_stat_activity), over the requests wrk counted; clock ticks of "
        f"{TICK_MS:.0f} ms, so a run of a few thousand requests resolves about 0.01 ms. wrk, "
        "the kernel's loopback and PostgreSQL's background processes are not counted; other "
        "engineers' load on the machine slows both sides of a ratio alike, but not evenly."
    )
    if not backends.local:
        print("PostgreSQL is not on this machine: its CPU column is not meaningful.")  # noqa: T201
    if any(x.churn for r in results for x in r.pages):
        print(  # noqa: T201
            "*: a worker or backend ended during a run; its last CPU ticks are not counted."
        )


# --- compare ---------------------------------------------------------------------------------


@dataclass
class Server:
    name: str
    url: str
    pid: int
    cookie: str
    thread: str


def parse_server(text: str) -> Server:
    name, rest = text.split("=", 1)
    url, pid, thread, cookie = rest.split(",", 3)
    return Server(name, url.rstrip("/"), int(pid), cookie, thread)


def compare(args) -> int:
    servers = [parse_server(s) for s in args.server]
    base = servers[0]
    print(  # noqa: T201
        f"1 connection, {SECONDS} s a run, {ROUNDS} rounds "
        f"({' then '.join(s.name for s in servers)} per round); median latency (wrk's p50) in ms"
    )
    rows = []
    for label, path in (p.split("=", 1) if "=" in p else (p, p) for p in args.pages):
        medians: dict[str, list[float]] = {s.name: [] for s in servers}
        p99s: dict[str, list[float]] = {s.name: [] for s in servers}
        failed = None
        for server in servers:
            page = path.replace("{thread}", server.thread)
            code = status(server.url + page, server.cookie)
            if code != 200:
                failed = f"HTTP {code} on {server.name}"
            elif WARMUP:
                warm(server.url + page, server.cookie, 1)
        if failed:
            print(f"{label:<30} {failed}")  # noqa: T201
            rows.append((label, path, None, None, failed))
            continue
        for _ in range(ROUNDS):
            for server in servers:
                page = path.replace("{thread}", server.thread)
                run = wrk(server.url + page, server.cookie, SECONDS, 1)
                medians[server.name].append(run.p50)
                p99s[server.name].append(run.p99)
        med = {name: statistics.median(values) for name, values in medians.items()}
        rows.append((label, path, med, p99s, None))
        ratios = "  ".join(
            f"{s.name}/{base.name} {med[s.name] / med[base.name]:.2f}" for s in servers[1:]
        )
        print(  # noqa: T201
            f"{label:<30} "
            + "  ".join(f"{s.name} {med[s.name]:7.1f} ms" for s in servers)
            + f"  {ratios}",
            flush=True,
        )
    print()  # noqa: T201
    others = servers[1:]
    print(  # noqa: T201
        "| page | "
        + " | ".join(f"median {s.name} ms" for s in servers)
        + " | "
        + " | ".join(f"ratio {s.name}/{base.name}" for s in others)
        + " | meets ≤ 1.5 |"
    )
    print("| --- |" + " ---: |" * (len(servers) + len(others)) + " --- |")  # noqa: T201
    worst = 0.0
    for label, path, med, _p99s, failed in rows:
        if failed:
            print(f"| {label} (`{path}`) | {failed} |" + " |" * (len(servers) + len(others)))  # noqa: T201
            continue
        ratios = [med[s.name] / med[base.name] for s in others]
        worst = max(worst, *ratios)
        print(  # noqa: T201
            f"| {label} (`{path}`) | "
            + " | ".join(f"{med[s.name]:.1f}" for s in servers)
            + " | "
            + " | ".join(f"{r:.2f}" for r in ratios)
            + f" | {'yes' if max(ratios) <= 1.5 else 'no'} |"
        )
    print()  # noqa: T201
    print(  # noqa: T201
        "Median: wrk's p50 over each run at one connection, the median of the rounds; both "
        "servers run the same code and gunicorn settings, and take turns, so machine noise hits "
        "both alike. The thread is each database's own bench dilemma of the same number."
    )
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.load")
    sub = parser.add_subparsers(dest="mode", required=True)
    s = sub.add_parser("shares")
    s.add_argument("--app", required=True)
    s.add_argument("--floor", required=True)
    s.add_argument("--app-pid", type=int, required=True, help="the app's gunicorn master")
    s.add_argument("--floor-pid", type=int, required=True, help="the floor's gunicorn master")
    s.add_argument("--database-url")
    s.add_argument("--cookie")
    s.add_argument("pages", nargs="+")
    c = sub.add_parser("compare")
    c.add_argument(
        "--server",
        action="append",
        required=True,
        help="NAME=URL,MASTER_PID,THREAD_PK,COOKIE (the first is the base of the ratios)",
    )
    c.add_argument("pages", nargs="+", help="LABEL=PATH; {thread} is the server's thread pk")
    args = parser.parse_args(argv)
    return shares(args) if args.mode == "shares" else compare(args)


if __name__ == "__main__":
    sys.exit(main())

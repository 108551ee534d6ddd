#!/usr/bin/env bash
# Load benchmark: the portal under gunicorn on PostgreSQL beside a bare Django view (the floor,
# bench/floor.py) under the same gunicorn settings; wrk on loopback, floor and page interleaved;
# each page as a share of the floor, with CPU ms per request (bench/load.py). See bench/README.md.
#   bash bench/run.sh                  # the bench data (komvidere_bench)
#   BENCH_SCALE=10 bash bench/run.sh   # ten times the data (komvidere_bench_10x)
#   BENCH_REDIS=1 bash bench/run.sh    # cache and sessions in a Redis of its own
# Bounded: every wrk run has a timeout, the whole run BENCH_TIMEOUT; servers stop at the end.
set -euo pipefail
cd "$(dirname "$0")/.."

command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
source bench/prepare.sh
WORKERS=${BENCH_WORKERS:-2}
PORT=${BENCH_PORT:-8765}
FLOOR_PORT=${BENCH_FLOOR_PORT:-8766}
gunicorn_args=(--workers "$WORKERS" --worker-class sync --no-control-socket --log-level warning)

prepare_database

pids=()
stop() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap stop EXIT
# BENCH_REDIS=1: cache and sessions in a Redis of the bench's own (as in production with
# REDIS_URL), on BENCH_REDIS_PORT, keeping nothing on disk; stopped with the servers.
if [[ "${BENCH_REDIS:-0}" == 1 ]]; then
    command -v redis-server >/dev/null || { echo "redis-server is missing" >&2; exit 1; }
    redis_port=${BENCH_REDIS_PORT:-6391}
    redis-server --port "$redis_port" --bind 127.0.0.1 --save "" --appendonly no \
        --loglevel warning >/dev/null &
    pids+=("$!")
    for _ in $(seq 1 50); do
        redis-cli -p "$redis_port" ping >/dev/null 2>&1 && break
        sleep 0.1
    done
    export REDIS_URL="redis://127.0.0.1:$redis_port/0"
fi
cookie=$(session_cookie)
thread=$(thread_pk 7)
.venv/bin/gunicorn config.wsgi:application --bind "127.0.0.1:$PORT" "${gunicorn_args[@]}" &
app=$!
pids+=("$app")
.venv/bin/gunicorn bench.floor:application --bind "127.0.0.1:$FLOOR_PORT" "${gunicorn_args[@]}" &
floor=$!
pids+=("$floor")
for _ in $(seq 1 100); do
    curl -sf "http://127.0.0.1:$PORT/health/" >/dev/null \
        && curl -sf "http://127.0.0.1:$FLOOR_PORT/" >/dev/null && break
    sleep 0.2
done

pages=("/health/" "/" "/cases/" "/cases/?sector=energi&sort=co2e" "/cases/bench-case-7/"
    "/dilemmas/" "/dilemmas/$thread/" "/articles/" "/articles/bench-article-3/"
    "/search/?q=fjernvarme" "/search/?q=skybrud+regnvand" "/tags/biogas/" "/people/"
    "/organisations/aarhus/")
for extra in ${BENCH_PAGES:-}; do pages+=("$extra"); done
# BENCH_ONLY="/x/ /y/": only these pages (a quick look at one change).
if [[ -n ${BENCH_ONLY:-} ]]; then read -ra pages <<<"${BENCH_ONLY//\$thread/$thread}"; fi

echo "scale $BENCH_SCALE (${DATABASE_URL##*/}), cache and sessions: $([[ -n ${REDIS_URL:-} ]] && echo Redis || echo the database), gunicorn: $WORKERS sync workers for the app and the floor"
timeout "${BENCH_TIMEOUT:-1800}" $PY -m bench.load shares \
    --app "http://127.0.0.1:$PORT" --floor "http://127.0.0.1:$FLOOR_PORT" \
    --app-pid "$app" --floor-pid "$floor" --database-url "$DATABASE_URL" --cookie "$cookie" \
    "${pages[@]}"

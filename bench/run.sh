#!/usr/bin/env bash
# Load benchmark: the portal under gunicorn on PostgreSQL beside a bare Django view (the floor,
# bench/floor.py) under the same gunicorn settings; wrk on loopback, floor and page interleaved;
# each page as a share of the floor, with CPU ms per request (bench/load.py). See bench/README.md.
#   bash bench/run.sh                  # the bench data (komvidere_bench)
#   BENCH_SCALE=10 bash bench/run.sh   # ten times the data (komvidere_bench_10x)
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
cookie=$(session_cookie)
thread=$(thread_pk 7)

pids=()
stop() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap stop EXIT
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

echo "scale $BENCH_SCALE (${DATABASE_URL##*/}), gunicorn: $WORKERS sync workers for the app and the floor"
timeout "${BENCH_TIMEOUT:-1800}" $PY -m bench.load shares \
    --app "http://127.0.0.1:$PORT" --floor "http://127.0.0.1:$FLOOR_PORT" \
    --app-pid "$app" --floor-pid "$floor" --database-url "$DATABASE_URL" --cookie "$cookie" \
    "${pages[@]}"

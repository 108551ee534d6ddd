#!/usr/bin/env bash
# Does a page slow down with ten times the data? The same pages on the bench data (1×) and on
# BENCH_COMPARE_SCALE (10) times it, each database behind its own gunicorn (same settings),
# one connection, taking turns; prints the median latencies and their ratio (target ≤ 1.5).
#   bash bench/compare.sh
# Seeds either database first if needed (bench/prepare.sh). See bench/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."

command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
source bench/prepare.sh
SCALE=${BENCH_COMPARE_SCALE:-10}
WORKERS=${BENCH_WORKERS:-2}
BASE_PORT=${BENCH_PORT:-8771}
SCALED_PORT=${BENCH_SCALED_PORT:-8772}
gunicorn_args=(--workers "$WORKERS" --worker-class sync --no-control-socket --log-level warning)

declare -A url cookie thread
for scale in 1 "$SCALE"; do
    use_scale "$scale"
    [[ ${BENCH_SKIP_PREPARE:-} ]] || prepare_database
    url[$scale]=$DATABASE_URL
    cookie[$scale]=$(session_cookie)
    thread[$scale]=$(thread_pk 7)
done

pids=()
stop() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap stop EXIT
DATABASE_URL=${url[1]} .venv/bin/gunicorn config.wsgi:application \
    --bind "127.0.0.1:$BASE_PORT" "${gunicorn_args[@]}" &
base=$!
pids+=("$base")
DATABASE_URL=${url[$SCALE]} .venv/bin/gunicorn config.wsgi:application \
    --bind "127.0.0.1:$SCALED_PORT" "${gunicorn_args[@]}" &
scaled=$!
pids+=("$scaled")
for _ in $(seq 1 100); do
    curl -sf "http://127.0.0.1:$BASE_PORT/health/" >/dev/null \
        && curl -sf "http://127.0.0.1:$SCALED_PORT/health/" >/dev/null && break
    sleep 0.2
done

pages=("case list=/cases/" "case detail=/cases/bench-case-7/" "search fjernvarme=/search/?q=fjernvarme"
    "search kommune=/search/?q=kommune" "search typo fjernvarmme=/search/?q=fjernvarmme"
    "thread=/dilemmas/{thread}/" "home=/")
for extra in ${BENCH_PAGES:-}; do pages+=("$extra"); done

echo "1× ${url[1]##*/} against ${SCALE}× ${url[$SCALE]##*/}, gunicorn: $WORKERS sync workers each"
timeout "${BENCH_TIMEOUT:-1800}" $PY -m bench.load compare \
    --server "1x=http://127.0.0.1:$BASE_PORT,$base,${thread[1]},${cookie[1]}" \
    --server "${SCALE}x=http://127.0.0.1:$SCALED_PORT,$scaled,${thread[$SCALE]},${cookie[$SCALE]}" \
    "${pages[@]}"

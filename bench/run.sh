#!/usr/bin/env bash
# Load benchmark: gunicorn on PostgreSQL, wrk on loopback, pages as a share of the floor.
# See bench/README.md. Bounded: each page runs BENCH_SECONDS; the server is stopped at the end.
set -euo pipefail
cd "$(dirname "$0")/.."

command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
PY=.venv/bin/python
SECONDS_PER_PAGE=${BENCH_SECONDS:-10}
CONNECTIONS=${BENCH_CONNECTIONS:-8}
WORKERS=${BENCH_WORKERS:-$(nproc)}
PORT=${BENCH_PORT:-8765}
export DATABASE_URL=${BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/komvidere_bench}
export DJANGO_SECRET_KEY=bench-only-secret-key-not-for-production-0123456789abcdef
export DJANGO_ALLOWED_HOSTS=127.0.0.1 DJANGO_SECURE_SSL_REDIRECT=false DJANGO_LOG_LEVEL=WARNING
unset DJANGO_DEBUG REDIS_URL
export DJANGO_STATIC_ROOT=${TMPDIR:-/tmp}/komvidere-bench-static

dbname=${DATABASE_URL##*/}
psql "${DATABASE_URL%/*}/postgres" -tAc "SELECT 1 FROM pg_database WHERE datname='$dbname'" | grep -q 1 \
    || psql "${DATABASE_URL%/*}/postgres" -qc "CREATE DATABASE $dbname"
$PY manage.py migrate --noinput -v 0
$PY manage.py createcachetable
$PY manage.py collectstatic --noinput -v 0
$PY manage.py shell -c "import bench.seed; bench.seed.run()"
# Fresh bulk rows: let the planner see them (autovacuum would, later).
psql "$DATABASE_URL" -qc "VACUUM ANALYZE"
cookie=$($PY manage.py shell -v 0 -c "import bench.seed; print(bench.seed.session_cookie())" | tail -n 1)

.venv/bin/gunicorn config.wsgi:application --bind "127.0.0.1:$PORT" --workers "$WORKERS" \
    --no-control-socket --log-level warning &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 1 50); do
    curl -sf "http://127.0.0.1:$PORT/health/" >/dev/null && break
    sleep 0.2
done

pages=("/health/" "/" "/cases/" "/cases/?sector=energi&sort=co2e" "/cases/bench-case-7/" "/dilemmas/" "/articles/" "/articles/bench-article-3/" "/search/?q=fjernvarme" "/search/?q=skybrud+regnvand" "/tags/biogas/" "/people/" "/organisations/aarhus/")
for extra in ${BENCH_PAGES:-}; do pages+=("$extra"); done

floor=""
printf '%-40s %10s %10s %10s\n' page "req/s" "p99 ms" "of floor"
for page in "${pages[@]}"; do
    status=$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $cookie" "http://127.0.0.1:$PORT$page")
    if [[ $status != 200 ]]; then
        printf '%-40s %10s\n' "$page" "HTTP $status"
        continue
    fi
    out=$(wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_PER_PAGE}s" --latency -H "Cookie: $cookie" \
        "http://127.0.0.1:$PORT$page")
    rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
    p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
    p99_ms=$($PY -c "
import sys
v = sys.argv[1]
units = {'us': 0.001, 'ms': 1, 's': 1000}
unit = next(u for u in ('us', 'ms', 's') if v.endswith(u))
print(round(float(v[: -len(unit)]) * units[unit], 1))" "$p99")
    [[ -z $floor ]] && floor=$rps
    share=$($PY -c "print(f'{100 * float($rps) / float($floor):.1f} %')")
    printf '%-40s %10s %10s %10s\n' "$page" "$rps" "$p99_ms" "$share"
done

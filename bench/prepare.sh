#!/usr/bin/env bash
# Make a bench database ready: create it if missing, migrate, seed (bench/seed.py at
# BENCH_SCALE), VACUUM ANALYZE. Sourced by bench/run.sh and bench/compare.sh, or run alone:
#   BENCH_SCALE=10 bash bench/prepare.sh
# Expects to run from the repository root; sets DATABASE_URL and the bench environment.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

PY=.venv/bin/python
# The database of a scale: komvidere_bench (1), komvidere_bench_10x (10), ...
scale_database_url() {
    local name=komvidere_bench
    [[ $1 == 1 ]] || name=komvidere_bench_${1}x
    echo "${BENCH_SERVER_URL:-postgres://postgres@127.0.0.1:5432}/$name"
}

# use_scale N [URL]: point DATABASE_URL (and BENCH_SCALE) at that scale's database.
use_scale() {
    export BENCH_SCALE=$1
    export DATABASE_URL=${2:-$(scale_database_url "$1")}
}

use_scale "${BENCH_SCALE:-1}" "${BENCH_DATABASE_URL:-}"
export DJANGO_SECRET_KEY=bench-only-secret-key-not-for-production-0123456789abcdef
export DJANGO_ALLOWED_HOSTS=127.0.0.1 DJANGO_SECURE_SSL_REDIRECT=false DJANGO_LOG_LEVEL=WARNING
# Persistent connections as in production, but kept for the whole run: a backend that ends
# mid-run would take its last CPU ticks with it (bench/load.py counts the backends' CPU).
export DATABASE_CONN_MAX_AGE=${BENCH_CONN_MAX_AGE:-3600}
unset DJANGO_DEBUG REDIS_URL
export DJANGO_STATIC_ROOT=${TMPDIR:-/tmp}/komvidere-bench-static

prepare_database() {
    local dbname=${DATABASE_URL##*/} server=${DATABASE_URL%/*}
    psql "$server/postgres" -tAc "SELECT 1 FROM pg_database WHERE datname='$dbname'" | grep -q 1 \
        || psql "$server/postgres" -qc "CREATE DATABASE $dbname"
    $PY manage.py migrate --noinput -v 0
    $PY manage.py createcachetable
    $PY manage.py collectstatic --noinput -v 0
    local started=$SECONDS
    timeout "${BENCH_SEED_TIMEOUT:-3600}" \
        $PY manage.py shell -v 0 -c "import bench.seed; bench.seed.run($BENCH_SCALE)"
    # Fresh bulk rows: let the planner see them (autovacuum would, later).
    psql "$DATABASE_URL" -qc "VACUUM ANALYZE"
    echo "database ${dbname} ready (scale $BENCH_SCALE): seed and VACUUM ANALYZE took $((SECONDS - started)) s"
}

# A session for the first bench member, for wrk's Cookie header.
session_cookie() {
    $PY manage.py shell -v 0 -c "import bench.seed; print(bench.seed.session_cookie())" | tail -n 1
}

# The pk of bench dilemma number $1 ("...? 7"): the same thread at every scale.
thread_pk() {
    $PY manage.py shell -v 0 -c "import bench.seed; print(bench.seed.thread_pk(${1:-7}))" | tail -n 1
}

if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
    prepare_database
fi

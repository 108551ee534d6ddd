#!/usr/bin/env bash
# Search latency at 100,000 entries on PostgreSQL (see bench/search.py). Uses its own database.
set -euo pipefail
cd "$(dirname "$0")/.."
export DATABASE_URL=${BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/komvidere_search_bench}
export DJANGO_SECRET_KEY=bench-only-secret-key-not-for-production-0123456789abcdef
export DJANGO_ALLOWED_HOSTS=127.0.0.1 DJANGO_LOG_LEVEL=WARNING
unset DJANGO_DEBUG REDIS_URL
dbname=${DATABASE_URL##*/}
psql "${DATABASE_URL%/*}/postgres" -tAc "SELECT 1 FROM pg_database WHERE datname='$dbname'" | grep -q 1 \
    || psql "${DATABASE_URL%/*}/postgres" -qc "CREATE DATABASE $dbname"
.venv/bin/python manage.py migrate --noinput -v 0
.venv/bin/python manage.py shell -v 0 -c "import bench.search; bench.search.run()"

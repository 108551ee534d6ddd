#!/usr/bin/env bash
# Where a page's time goes, in-process, on the bench database (see bench/profile.py).
#   bash bench/profile.sh /cases/ "/search/?q=fjernvarme"
set -euo pipefail
cd "$(dirname "$0")/.."
export DATABASE_URL=${BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/komvidere_bench}
export DJANGO_SECRET_KEY=bench-only-secret-key-not-for-production-0123456789abcdef
export DJANGO_ALLOWED_HOSTS=127.0.0.1,testserver DJANGO_SECURE_SSL_REDIRECT=false
export DJANGO_LOG_LEVEL=WARNING
unset DJANGO_DEBUG REDIS_URL
export DJANGO_STATIC_ROOT=${TMPDIR:-/tmp}/komvidere-bench-static  # collected by bench/run.sh
exec .venv/bin/python -m bench.profile "$@"

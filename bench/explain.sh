#!/usr/bin/env bash
# EXPLAIN (ANALYZE, BUFFERS) of the first page of every list ordering (bench/explain.py) on the
# bench database of BENCH_SCALE (1: komvidere_bench, 10: komvidere_bench_10x), or
# BENCH_DATABASE_URL. The database must have been seeded (bench/run.sh or bench/prepare.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/prepare.sh
exec timeout "${BENCH_TIMEOUT:-300}" $PY -m bench.explain "$@"

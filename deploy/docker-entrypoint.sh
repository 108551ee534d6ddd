#!/bin/sh
# Container entrypoint. Without arguments: apply migrations, create the cache table, then run
# gunicorn. With arguments: run them instead (docker compose run --rm app python manage.py ...).
set -eu

if [ "$#" -gt 0 ]; then
    exec "$@"
fi

# With several instances, let one of them (or a release job) migrate: MIGRATE_ON_START=0 on
# the others.
if [ "${MIGRATE_ON_START:-1}" = "1" ]; then
    python manage.py migrate --noinput
    # The database cache (used when REDIS_URL is unset); harmless when the table exists.
    python manage.py createcachetable
fi

# Sync workers = CPU cores measured best. Extra options: GUNICORN_CMD_ARGS. No control socket:
# nobody runs gunicornc in the container, and $HOME (/app) is read-only for the app user.
exec gunicorn config.wsgi:application \
    --bind 0.0.0.0:8000 \
    --workers "${GUNICORN_WORKERS:-2}" \
    --timeout "${GUNICORN_TIMEOUT:-30}" \
    --worker-tmp-dir /dev/shm \
    --no-control-socket \
    --access-logfile -

"""What /health/ checks: the database, the cache (Redis when configured) and the upload storage.

Each check is bounded in time (Redis socket timeouts, the storage client's timeouts) and says
"ok" or "unavailable"; the view answers 503 naming whatever is down, so a load balancer stops
routing to an instance that cannot serve.
"""

import logging
import os
import uuid
from pathlib import Path

from django.core.cache import cache
from django.core.files.storage import FileSystemStorage, default_storage
from django.db import connection

logger = logging.getLogger(__name__)


def check_database(db=None) -> None:
    with (db or connection).cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def check_cache() -> None:
    probe = getattr(cache, "probe", None)  # komvidere.cache: asks Redis even while it is down
    if probe is not None:
        probe()
    # One key per process, a fresh value each time: written over by the next check, so no
    # delete is needed (and the database cache gets no new row per poll).
    key, value = f"health:{os.getpid()}", uuid.uuid4().hex
    cache.set(key, value, timeout=60)
    if cache.get(key) != value:
        raise RuntimeError("the cache did not return what was just stored")


def check_storage() -> None:
    storage = default_storage
    if isinstance(storage, FileSystemStorage):
        # The folder is created on the first upload: its nearest existing parent must be
        # writable by the app.
        path = Path(storage.location)
        while not path.exists() and path != path.parent:
            path = path.parent
        if not os.access(path, os.W_OK):
            raise PermissionError(f"{path} is not writable")
        return
    storage.exists(f"health/{uuid.uuid4().hex}")  # one round trip; raises when unreachable


CHECKS = {"database": check_database, "cache": check_cache, "storage": check_storage}


def run_checks(*, db=None) -> dict[str, str]:
    """Run every check; `db` is the database connection to check (the default one)."""
    results = {}
    for name, check in CHECKS.items():
        try:
            check(db) if name == "database" else check()
        except Exception:
            logger.exception("Health check: %s unavailable", name)
            results[name] = "unavailable"
        else:
            results[name] = "ok"
    return results

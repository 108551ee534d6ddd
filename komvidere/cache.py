"""Redis as a cache that a Redis outage cannot take the site down with.

Django's RedisCache raises on every call while Redis is unreachable, and a hanging Redis costs
each call its socket timeout. This backend treats an unreachable Redis as an empty cache that
stores nothing: reads miss, writes are dropped, `add` succeeds (so rate limits and locks fail
open rather than lock everybody out), and `incr` says the key is gone. After one failure the
process stops asking Redis for DOWN_SECONDS, so a hanging Redis costs a request at most one
timeout (REDIS_TIMEOUT), not one per cache call. Sessions are in the database as well
(komvidere.sessions), so members stay logged in.

`/health/` calls `probe()`, which always asks Redis and raises, so the outage is still reported
(503) while the pages keep serving.
"""

import functools
import logging
import threading
import time

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

ERRORS = (RedisConnectionError, RedisTimeoutError, OSError)
DOWN_SECONDS = 5.0


def _missing(key):
    raise ValueError(f"Key {key!r} not found (the cache is unavailable)")


# What each call answers while Redis is unreachable: (args, kwargs) -> value.
_FALLBACKS = {
    "get": lambda key, default=None, version=None: default,
    "get_many": lambda *a, **kw: {},
    "has_key": lambda *a, **kw: False,
    "set": lambda *a, **kw: None,
    "set_many": lambda *a, **kw: [],
    "add": lambda *a, **kw: True,
    "touch": lambda *a, **kw: False,
    "delete": lambda *a, **kw: False,
    "delete_many": lambda *a, **kw: None,
    "incr": lambda key, *a, **kw: _missing(key),
    "decr": lambda key, *a, **kw: _missing(key),
    "clear": lambda *a, **kw: None,
}


class ResilientRedisCache(RedisCache):
    _lock = threading.Lock()
    _down_until = 0.0  # per process: shared by every thread and every cache alias

    def __init__(self, server, params):
        super().__init__(server, params)
        for name, fallback in _FALLBACKS.items():
            setattr(self, name, self._guarded(getattr(super(), name), fallback))

    @classmethod
    def _is_down(cls) -> bool:
        return time.monotonic() < cls._down_until

    @classmethod
    def _mark_down(cls, error: BaseException) -> None:
        with cls._lock:
            if not cls._is_down():
                logger.warning(
                    "Redis unavailable (%s): serving without the cache for %.0f s",
                    error.__class__.__name__,
                    DOWN_SECONDS,
                )
            cls._down_until = time.monotonic() + DOWN_SECONDS

    def _guarded(self, call, fallback):
        @functools.wraps(call)
        def guarded(*args, **kwargs):
            if self._is_down():
                return fallback(*args, **kwargs)
            try:
                return call(*args, **kwargs)
            except ERRORS as error:
                self._mark_down(error)
                return fallback(*args, **kwargs)

        return guarded

    def probe(self) -> None:
        """Ask Redis itself, whatever the last failure said; raise if it does not answer."""
        client = self._cache.get_client(write=True)
        try:
            client.ping()
        except ERRORS:
            type(self)._down_until = time.monotonic() + DOWN_SECONDS
            raise
        with self._lock:
            type(self)._down_until = 0.0

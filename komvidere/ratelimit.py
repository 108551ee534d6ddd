"""A fixed-window rate limit kept in the Django cache, so it is shared by every app instance
that shares the cache (Redis or the database cache in production).

`hit("dilemmas:post:42", "10/10m")` counts one event and says whether it is within the limit.
"""

import re
import time

from django.core.cache import cache

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_RATE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([smhd])\s*$")


def parse_rate(rate: str) -> tuple[int, int]:
    """ "10/10m" → (10, 600): at most 10 events per 600-second window."""
    match = _RATE.match(rate or "")
    if not match:
        raise ValueError(f"Bad rate {rate!r}: expected '<count>/<n><s|m|h|d>', e.g. '10/10m'.")
    count, amount, unit = match.groups()
    return int(count), int(amount or 1) * _UNITS[unit]


def hit(key: str, rate: str, *, now: float | None = None) -> bool:
    """Count one event for `key`; True while the count in the current window is within `rate`."""
    limit, window = parse_rate(rate)
    bucket = int((now if now is not None else time.time()) // window)
    cache_key = f"ratelimit:{key}:{window}:{bucket}"
    # add() is atomic: the first event of a window creates the counter, the rest increment it.
    if cache.add(cache_key, 1, timeout=window + 5):
        return limit >= 1
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add() and incr()
        cache.add(cache_key, 1, timeout=window + 5)
        count = 1
    return count <= limit

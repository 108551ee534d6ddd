"""Sessions that survive a Redis outage: stored in the database, read from the cache first.

Django's cached_db store already writes through to the database, but it still raises when the
cache is unreachable while it reloads a session. This store then reads the database alone, so
members stay logged in while Redis is down, and nobody is logged out when it comes back.
"""

import logging

from django.contrib.sessions.backends.cached_db import SessionStore as CachedDBStore
from django.contrib.sessions.backends.db import SessionStore as DBStore

from komvidere.faults import CACHE_ERRORS

logger = logging.getLogger(__name__)


class SessionStore(CachedDBStore):
    def load(self):
        try:
            return super().load()
        except CACHE_ERRORS:
            logger.warning("Session cache unavailable: reading the session from the database")
            return DBStore.load(self)

    def exists(self, session_key):
        try:
            return super().exists(session_key)
        except CACHE_ERRORS:
            return DBStore.exists(self, session_key)

    def delete(self, session_key=None):
        try:
            super().delete(session_key)
        except CACHE_ERRORS:
            logger.warning("Session cache unavailable: deleting the session from the database")
            DBStore.delete(self, session_key)

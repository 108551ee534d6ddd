"""The test suite's settings: production's (config.settings, debug off) with as few changes as
the tests need. Each difference says why; everything else is what production runs.
"""

import os

# Production refuses to start without these; the suite has no secrets to protect.
os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-secret-key-not-used-anywhere-else")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
# An SMTP or URL mail setting in the developer's shell must never reach real mail servers.
for name in ("EMAIL_URL", "EMAIL_HOST"):
    os.environ.pop(name, None)

from config.settings import *  # noqa: E402, F403

# The test client and the browser tests' live server speak plain http on localhost: an
# https redirect would answer every request with 301, and Secure cookies would not be sent.
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
LANGUAGE_COOKIE_SECURE = False

# Static files come from the app folders: the tests run no collectstatic, which the
# manifest storage needs.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True

# One private in-process cache, emptied before each test (tests/conftest.py), unless a test
# brings its own Redis: rate limits must not leak from one test into the next.
if not os.environ.get("REDIS_URL"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

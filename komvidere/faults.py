"""Faults answered clearly: a request id, bad bytes refused, outages as a short 503 page.

- RequestIdMiddleware: every request gets an id (a sane incoming X-Request-ID, or a new one),
  put on every log record (komvidere.logs) and on the response.
- BadBytesMiddleware: a path with NUL or other control characters is a 404 before any view,
  query or template sees it (PostgreSQL refuses NUL in text). Control bytes in the query
  string are dropped, so a bad filter is ignored like any unknown value
  (the lists' contract) and never reaches the database.
- OutageMiddleware: while the database or Redis is unreachable, a page is a short 503 with
  Retry-After, not a 500. Exceptions raised inside other middleware (a session read, a rate
  limit) are turned into responses by Django before they could reach a middleware, so the cause
  is noted from Django's got_request_exception signal and the 500 is replaced here.
"""

import logging
import re
import sys
import uuid

from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseNotFound
from django.template import loader
from django.utils.translation import gettext as _

from komvidere.logs import request_id

try:
    from redis.exceptions import ConnectionError as RedisConnectionError
    from redis.exceptions import TimeoutError as RedisTimeoutError
except ImportError:  # pragma: no cover - redis is a runtime dependency
    RedisConnectionError = RedisTimeoutError = ()  # type: ignore[assignment,misc]

logger = logging.getLogger(__name__)

CACHE_ERRORS: tuple[type[BaseException], ...] = (RedisConnectionError, RedisTimeoutError)
DATABASE_ERRORS: tuple[type[BaseException], ...] = (OperationalError, InterfaceError)
OUTAGE_ERRORS = DATABASE_ERRORS + CACHE_ERRORS
RETRY_AFTER_SECONDS = 10

_REQUEST_ID_RE = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
# Control bytes and DEL.
_BAD_PATH = re.compile(r"[\x00-\x1f\x7f]")


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        value = incoming if _REQUEST_ID_RE.match(incoming) else uuid.uuid4().hex
        request.request_id = value
        token = request_id.set(value)
        try:
            response = self.get_response(request)
        finally:
            request_id.reset(token)
        response["X-Request-ID"] = value
        return response


def bad_path(path: str) -> bool:
    """Control characters in a URL path (already percent-decoded by the server; bytes that are
    not UTF-8 arrive re-percent-encoded by Django, which is harmless)."""
    return bool(_BAD_PATH.search(path))


# A percent-encoded control byte (not tab) or DEL in a query string, or a raw one.
_QUERY_CONTROL = re.compile(r"%(?:0[0-8a-fA-F]|1[0-9a-fA-F]|7[fF])|[\x00-\x08\x0a-\x1f\x7f]")


def clean_query(query: str) -> str:
    return _QUERY_CONTROL.sub("", query)


class BadBytesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if bad_path(request.path_info) or bad_path(request.path):
            return HttpResponseNotFound(
                _("The address contains characters that are not allowed."),
                content_type="text/plain; charset=utf-8",
            )
        query = request.META.get("QUERY_STRING", "")
        cleaned = clean_query(query)
        if cleaned != query:
            request.META["QUERY_STRING"] = cleaned
            request.__dict__.pop("GET", None)  # built from the cleaned string when first read
        return self.get_response(request)


def outage_kind(exc: BaseException | None) -> str | None:
    """'database' or 'cache' when `exc` means that service is unreachable, else None."""
    if exc is None:
        return None
    if isinstance(exc, CACHE_ERRORS):
        return "cache"
    if isinstance(exc, DATABASE_ERRORS):
        return "database"
    return None


def _note_outage(sender, request=None, **kwargs):
    kind = outage_kind(sys.exc_info()[1])
    if request is not None and kind:
        request._komvidere_outage = kind


got_request_exception.connect(_note_outage, dispatch_uid="komvidere.faults.note_outage")


def service_unavailable(kind: str) -> HttpResponse:
    """The short 503 page: rendered without the request, so it needs no database or cache."""
    try:
        content = loader.get_template("503.html").render({"retry_after": RETRY_AFTER_SECONDS})
    except Exception:  # the page must come out whatever else is broken
        content = _("The service is briefly unavailable. Please try again in a moment.")
    response = HttpResponse(content, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    response["X-Komvidere-Unavailable"] = kind
    return response


class OutageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        kind = getattr(request, "_komvidere_outage", None)
        if kind and response.status_code == 500:
            logger.error("Answered 503: the %s is unavailable (%s)", kind, request.path)
            return service_unavailable(kind)
        return response

    def process_exception(self, request, exception):
        kind = outage_kind(exception)
        if kind:
            logger.error("Answered 503: the %s is unavailable (%s)", kind, request.path)
            return service_unavailable(kind)
        return None

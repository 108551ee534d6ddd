"""Cached HTML: a fragment is rendered once per key (komvidere.versions.key) and then served
from the cache, until a write gives its content a new version.

A fragment may hold forms: the response's CSRF token is cut out before the HTML is stored
(a hole, `HOLE`, stands in its place) and the token of the response that serves it is put
back in. Nothing else of one response or one member may go inside, or into the key's absence:
no CSP nonce, and the key names every member-specific thing the HTML shows.

A view that can skip its own work when the fragment is cached asks `cached(key)` first; the
answer is kept for the request, so the template's `{% fragment %}` reads the cache no second
time.
"""

from asgiref.local import Local
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.utils.safestring import SafeString, mark_safe

# A NUL cannot be in anything a member wrote (Django's form fields refuse it), so the hole
# never matches user content.
HOLE = "\x00csrf\x00"

_request = Local()


def _reset(**kwargs) -> None:
    _request.found = {}


request_started.connect(_reset, dispatch_uid="komvidere.fragments:started")
request_finished.connect(_reset, dispatch_uid="komvidere.fragments:finished")


def cached(key: str | None) -> str | None:
    """The stored HTML of `key` (with its holes), or None; read once a request."""
    if not key:
        return None
    found = getattr(_request, "found", None)
    if found is None:
        found = _request.found = {}
    if key not in found:
        found[key] = cache.get(key)
    return found[key]


def render(key: str | None, csrf_token: str, render_html) -> SafeString:
    """The fragment of `key`: from the cache, or `render_html()` stored under it. The token
    is the one this response's other forms carry."""
    if not key:
        return mark_safe(render_html())  # noqa: S308 - already rendered by the template
    html = cached(key)
    if html is None:
        html = str(render_html())
        if csrf_token:
            html = html.replace(csrf_token, HOLE)
        cache.set(key, html, timeout=None)
        _request.found[key] = html
    if HOLE in html:
        html = html.replace(HOLE, csrf_token)
    return mark_safe(html)  # noqa: S308 - what the template rendered, escaped as it was

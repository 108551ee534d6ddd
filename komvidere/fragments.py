"""Cached HTML: a fragment is rendered once per key (komvidere.versions.key) and then served
from the cache, until a write gives its content a new version.

A fragment may hold forms: the response's CSRF token is cut out before the HTML is stored
(a hole, `HOLE`, stands in its place) and the token of the response that serves it is put
back in. What only one member sees ("you" beside their own anonymous post) is stored as a
marked piece, `{% mine pk %}...{% else %}...{% endmine %}`, and kept or dropped for the
member it is served to. Nothing else of one response or one member may go inside: no CSP
nonce, and the key names every other member-specific thing the HTML shows.

A view that can skip its own work when the fragment is cached asks `cached(key)` first; the
answer is kept for the request, so the template's `{% fragment %}` reads the cache no second
time.
"""

import re

from asgiref.local import Local
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.utils.safestring import SafeString, mark_safe

# A NUL cannot be in anything a member wrote (Django's form fields refuse it), so the hole
# never matches user content.
HOLE = "\x00csrf\x00"
_MINE = re.compile("\x00me:(\\d+)\x00(.*?)(?:\x00else\x00(.*?))?\x00/me\x00", re.DOTALL)

_request = Local()


def _started(**kwargs) -> None:
    _request.found = {}
    _request.depth = 0


def _finished(**kwargs) -> None:
    _request.found = None  # outside a request (commands, tasks) nothing is kept
    _request.depth = 0


def rendering() -> bool:
    """Whether a fragment that is being stored is rendering now (what it renders is shared)."""
    return bool(getattr(_request, "depth", 0))


def mine(owner_pk, viewer_pk, own: str, others: str = "") -> str:
    """`own` for the member `owner_pk`, `others` for everyone else: decided now, or, inside
    a fragment being stored, when it is served."""
    if owner_pk is None:
        return others
    if rendering():
        return f"\x00me:{int(owner_pk)}\x00{own}\x00else\x00{others}\x00/me\x00"
    return own if owner_pk == viewer_pk else others


request_started.connect(_started, dispatch_uid="komvidere.fragments:started")
request_finished.connect(_finished, dispatch_uid="komvidere.fragments:finished")


def cached(key: str | None) -> str | None:
    """The stored HTML of `key` (with its holes), or None; read once a request."""
    if not key:
        return None
    found = getattr(_request, "found", None)
    if found is None:
        return cache.get(key)
    if key not in found:
        found[key] = cache.get(key)
    return found[key]


def prefetch(*keys: str | None) -> None:
    """Read the fragments of `keys` in one cache call, for the `{% fragment %}`s that follow."""
    found = getattr(_request, "found", None)
    if found is None:
        return  # outside a request: each fragment reads its own
    wanted = [key for key in keys if key and key not in found]
    if wanted:
        got = cache.get_many(wanted)
        found.update({key: got.get(key) for key in wanted})


def render(key: str | None, csrf_token: str, viewer_pk, render_html) -> SafeString:
    """The fragment of `key`: from the cache, or `render_html()` stored under it. The token
    is the one this response's other forms carry; `viewer_pk` the member it is served to.
    Inside a fragment being stored, a fragment is given as stored (the outer one fills it)."""
    if not key:
        return mark_safe(render_html())  # noqa: S308 - already rendered by the template
    html = cached(key)
    if html is None:
        _request.depth = getattr(_request, "depth", 0) + 1
        try:
            html = str(render_html())
        finally:
            _request.depth -= 1
        if csrf_token:
            html = html.replace(csrf_token, HOLE)
        cache.set(key, html, timeout=None)
        if getattr(_request, "found", None) is not None:
            _request.found[key] = html
    if rendering():
        return mark_safe(html)  # noqa: S308 - holes and all, for the fragment around it
    return mark_safe(fill(html, csrf_token, viewer_pk))  # noqa: S308 - as the template escaped it


def fill(html: str, csrf_token: str, viewer_pk) -> str:
    """Stored HTML as one response shows it: its token, and the member's own pieces."""
    if HOLE in html:
        html = html.replace(HOLE, csrf_token)
    if "\x00me:" in html:
        viewer = str(viewer_pk)
        html = _MINE.sub(lambda m: m[2] if m[1] == viewer else (m[3] or ""), html)
    return html

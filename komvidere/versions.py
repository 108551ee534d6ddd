"""Content versions: what a cached fragment was computed from, so it is used until that changes.

Every kind of content (cases, articles, dilemmas, the taxonomy) has a version in the cache: a
random token. A fragment (the facet counts of a list, the home page's shared lists) is cached
under the versions of the kinds it shows, with no expiry. A write replaces the token of its
kind when it is made and again after its transaction commits, so the next request computes
the fragment afresh and the old entry is never read again (the cache evicts it in time).
Nothing here waits for a timeout.

The versions are bumped where the writes are: `track()` connects the models' save, delete and
many-to-many signals (every service write and the admin's saves go through them), and services
that write with `QuerySet.update()`, which sends no signal, call `bump()` themselves.

Replacing a token (`set`) rather than counting (`incr`) works the same on Redis and the
database cache, and an unreachable cache (komvidere.cache) hands out a fresh token on every
read: nothing cached is used, nothing stale is shown.
"""

import hashlib
import os
import secrets
from collections.abc import Callable, Iterable
from functools import cache as memoise
from pathlib import Path
from typing import Any

from asgiref.local import Local
from django.conf import settings
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

PREFIX = "version:"
CASES, ARTICLES, DILEMMAS, TAXONOMY = "cases", "articles", "dilemmas", "taxonomy"
# Members as others see them (name, organisation, sectors and themes) and the plan actions.
PEOPLE = "people"
# The search index (komvidere.search): it may be written after the content's own write (a
# background task), and what a search or a text filter shows follows it.
SEARCH = "search"


def _key(kind: str) -> str:
    return PREFIX + kind


KINDS = (CASES, ARTICLES, DILEMMAS, TAXONOMY, PEOPLE, SEARCH)


def member(pk) -> str:
    """The kind of what only one member's pages show of their own (the threads they follow
    and when they last read them): bumped by what changes that, read with the other kinds."""
    return f"member:{pk}"


# Within a request the versions are read once, all kinds in one cache call (a page asks for
# them for several fragments); outside a request (commands, tasks) at every call.
_request = Local()


def _request_started(**kwargs) -> None:
    _request.versions = {}


def _request_finished(**kwargs) -> None:
    _request.versions = None


request_started.connect(_request_started, dispatch_uid="komvidere.versions:started")
request_finished.connect(_request_finished, dispatch_uid="komvidere.versions:finished")


def current(*kinds: str) -> str:
    """The versions of `kinds` as one string, for a cache key (one cache read a request)."""
    known = getattr(_request, "versions", None)
    if known is not None and all(kind in known for kind in kinds):
        return ".".join(known[kind] for kind in kinds)
    wanted = tuple(dict.fromkeys((*kinds, *KINDS))) if known is not None else kinds
    found = cache.get_many([_key(kind) for kind in wanted])
    tokens = _tokens(wanted, found)
    if known is not None:
        known.update(tokens)
    return ".".join(tokens[kind] for kind in kinds)


def _tokens(kinds: Iterable[str], found: dict) -> dict[str, str]:
    """The versions of `kinds` out of what the cache gave; a kind it has none of gets one."""
    tokens = {}
    for kind in kinds:
        token = found.get(_key(kind))
        if token is None:
            token = secrets.token_hex(8)
            # add(): when two requests start a version at once, one token wins; the other's
            # fragment is cached under a version nobody reads again, which is harmless.
            cache.add(_key(kind), token, timeout=None)
        tokens[kind] = token
    return tokens


def get_many_with_versions(keys: list[str], *kinds: str) -> dict:
    """`cache.get_many(keys)`; in a request whose versions are not read yet, the versions of
    every kind (and of `kinds`) come in the same call. What each page asks first (the
    member's moderator flag and unread count) then costs no round trip of its own."""
    known = getattr(_request, "versions", None)
    if known is None or known:
        return cache.get_many(keys)
    wanted = tuple(dict.fromkeys((*KINDS, *kinds)))
    found = cache.get_many([*(_key(kind) for kind in wanted), *keys])
    known.update(_tokens(wanted, found))
    return {key: found[key] for key in keys if key in found}


def bump(*kinds: str) -> None:
    """Give `kinds` new versions now and again once the current transaction commits: what
    was cached for the old ones is not read again. The second one matters: a request that
    read the old rows between the two has cached them under the first new version."""

    def replace():
        tokens = {kind: secrets.token_hex(8) for kind in kinds}
        cache.set_many({_key(kind): token for kind, token in tokens.items()}, timeout=None)
        known = getattr(_request, "versions", None)
        if known is not None:  # the rest of this request sees its own write
            known.update(tokens)

    replace()
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(replace)


SKIP_DIRS = {"node_modules", "media", "staticfiles", "tests", "bench", "__pycache__"}


@memoise
def code_version() -> str:
    """What the running code renders with: the project's templates, Python files, compiled
    catalogues and static sources (names, sizes, times). A deploy changes it, so HTML cached
    by the previous release (in a Redis that outlives it) is not served by the next."""
    digest = hashlib.sha1(usedforsecurity=False)
    root = Path(settings.BASE_DIR)
    # Uploads and collected static files are data, not code (and may be many).
    skip = {Path(settings.MEDIA_ROOT).resolve(), Path(settings.STATIC_ROOT).resolve()}
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(
            d
            for d in dirs
            if not d.startswith(".")
            and d not in SKIP_DIRS
            and (Path(folder) / d).resolve() not in skip
        )
        for name in sorted(files):
            # Static sources too: cached HTML names their hashed files (a stylesheet link).
            if name.endswith((".py", ".html", ".txt", ".mo", ".css", ".js", ".svg")):
                stat = (Path(folder) / name).stat()
                digest.update(f"{folder}/{name}:{stat.st_size}:{stat.st_mtime_ns};".encode())
    return digest.hexdigest()[:12]


def key(kinds: Iterable[str], name: str, parts: Iterable[Any]) -> str:
    """The cache key of a fragment: the code, the current versions of `kinds`, `name` and a
    digest of `parts` (the language, the filters: whatever else it depends on)."""
    digest = hashlib.sha1(repr(tuple(parts)).encode(), usedforsecurity=False).hexdigest()
    return f"fragment:{name}:{code_version()}:{current(*kinds)}:{digest}"


def cached(kinds: Iterable[str], name: str, parts: Iterable[Any], compute: Callable[[], Any]):
    """`compute()`, cached under the current versions of `kinds`, `name` and `parts` (the
    language, the filters: whatever else the result depends on)."""
    key_ = key(kinds, name, parts)
    value = cache.get(key_)
    if value is None:
        value = compute()
        cache.set(key_, value, timeout=None)
    return value


def track(model, *kinds: str, ignore: Iterable[str] = ()) -> None:
    """Bump `kinds` whenever a `model` row is saved or deleted, or its many-to-many links
    (sectors, themes, tags, partners) change. A save of only the fields in `ignore` (a
    member's last_login) changes nothing shown."""
    uid = f"komvidere.versions:{model._meta.label}:{'.'.join(kinds)}"
    ignore = frozenset(ignore)

    def changed(sender, **kwargs):
        fields = kwargs.get("update_fields")
        if ignore and fields and frozenset(fields) <= ignore:
            return
        if kwargs.get("action", "post_").startswith("post_"):
            bump(*kinds)

    post_save.connect(changed, sender=model, weak=False, dispatch_uid=uid + ":save")
    post_delete.connect(changed, sender=model, weak=False, dispatch_uid=uid + ":delete")
    for field in model._meta.many_to_many:  # taggit's tags too: it sends m2m_changed
        through = field.remote_field.through
        m2m_changed.connect(changed, sender=through, weak=False, dispatch_uid=f"{uid}:{field.name}")

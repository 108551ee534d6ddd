"""Embedded players for podcast and video articles: an allow-list, never arbitrary iframes.

`embed_for(url)` is a pure function. It recognises a handful of public page addresses on
exactly named hosts (no sub-domain or look-alike matching), pulls out the episode or video id
with a strict pattern, and builds the player address itself from a fixed template. Nothing the
user typed reaches the iframe except an id that matched `[A-Za-z0-9_-]`-style patterns.

The player origins below must be listed in the CSP `frame-src` (komvidere/settings.py).
"""

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from django.utils.translation import gettext_lazy as _

YOUTUBE_ORIGIN = "https://www.youtube-nocookie.com"
VIMEO_ORIGIN = "https://player.vimeo.com"
SPOTIFY_ORIGIN = "https://open.spotify.com"
EMBED_ORIGINS = (YOUTUBE_ORIGIN, VIMEO_ORIGIN, SPOTIFY_ORIGIN)

# What the sandbox lets the players do: run their own scripts on their own origin, go full
# screen, and open the provider's site in a new window. No top navigation, no forms.
SANDBOX = "allow-scripts allow-same-origin allow-presentation allow-popups"

_YOUTUBE_ID = re.compile(r"[A-Za-z0-9_-]{11}")
_VIMEO_ID = re.compile(r"[0-9]{1,12}")
_SPOTIFY_ID = re.compile(r"[A-Za-z0-9]{22}")

_YOUTUBE_HOSTS = {"youtube.com", "www.youtube.com", "m.youtube.com"}
_YOUTUBE_SHORT_HOSTS = {"youtu.be"}
_VIMEO_HOSTS = {"vimeo.com", "www.vimeo.com"}
_VIMEO_PLAYER_HOSTS = {"player.vimeo.com"}
_SPOTIFY_HOSTS = {"open.spotify.com"}
# Spotify puts a locale in front of the path for some visitors: /intl-da/episode/<id>.
_SPOTIFY_LOCALE = re.compile(r"intl-[a-z]{2}(-[A-Za-z]{2})?")

MAX_URL_LENGTH = 500


@dataclass(frozen=True)
class Embed:
    """A player we build ourselves: `src` is always one of our fixed templates plus an id."""

    provider: str
    src: str
    title: str
    kind: str  # "video" or "audio": decides the player's shape

    @property
    def is_video(self) -> bool:
        return self.kind == "video"

    @property
    def sandbox(self) -> str:
        return SANDBOX


def _youtube(video_id: str) -> Embed:
    return Embed(
        provider="YouTube",
        src=f"{YOUTUBE_ORIGIN}/embed/{video_id}",
        title=str(_("YouTube video player")),
        kind="video",
    )


def _vimeo(video_id: str) -> Embed:
    return Embed(
        provider="Vimeo",
        src=f"{VIMEO_ORIGIN}/video/{video_id}",
        title=str(_("Vimeo video player")),
        kind="video",
    )


def _spotify(what: str, item_id: str) -> Embed:
    return Embed(
        provider="Spotify",
        src=f"{SPOTIFY_ORIGIN}/embed/{what}/{item_id}",
        title=str(_("Spotify podcast player")),
        kind="audio",
    )


def _parts(url: str):
    """(host, path segments, query) of a plain public http(s) address, or None."""
    if not isinstance(url, str) or not url or len(url) > MAX_URL_LENGTH:
        return None
    if any(ch.isspace() or ord(ch) < 32 or ch == "\\" for ch in url):
        return None
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    if parts.scheme.lower() not in {"http", "https"}:
        return None
    # user:password@host tricks and explicit ports are never part of a share link.
    if parts.username is not None or parts.password is not None or port is not None:
        return None
    host = (parts.hostname or "").rstrip(".")
    segments = [segment for segment in parts.path.split("/") if segment]
    return host, segments, parts.query


def _one(pattern: re.Pattern, value: str | None) -> str | None:
    return value if value is not None and pattern.fullmatch(value) else None


def embed_for(url: str | None) -> Embed | None:
    """The player for a YouTube, Vimeo or Spotify page address, or None for anything else."""
    parsed = _parts(url or "")
    if parsed is None:
        return None
    host, segments, query = parsed

    if host in _YOUTUBE_HOSTS:
        if segments == ["watch"]:
            values = parse_qs(query).get("v", [])
            video_id = _one(_YOUTUBE_ID, values[0]) if len(values) == 1 else None
        elif len(segments) == 2 and segments[0] in {"embed", "shorts", "live"}:
            video_id = _one(_YOUTUBE_ID, segments[1])
        else:
            video_id = None
        return _youtube(video_id) if video_id else None

    if host in _YOUTUBE_SHORT_HOSTS:
        video_id = _one(_YOUTUBE_ID, segments[0]) if len(segments) == 1 else None
        return _youtube(video_id) if video_id else None

    if host in _VIMEO_HOSTS:
        video_id = _one(_VIMEO_ID, segments[0]) if len(segments) == 1 else None
        return _vimeo(video_id) if video_id else None

    if host in _VIMEO_PLAYER_HOSTS:
        ok = len(segments) == 2 and segments[0] == "video"
        video_id = _one(_VIMEO_ID, segments[1]) if ok else None
        return _vimeo(video_id) if video_id else None

    if host in _SPOTIFY_HOSTS:
        if segments and _SPOTIFY_LOCALE.fullmatch(segments[0]):
            segments = segments[1:]
        if segments and segments[0] == "embed":
            segments = segments[1:]
        if len(segments) == 2 and segments[0] in {"episode", "show"}:
            item_id = _one(_SPOTIFY_ID, segments[1])
            return _spotify(segments[0], item_id) if item_id else None
        return None

    return None


def host_of(url: str | None) -> str:
    """The host name to show in a "Listen/watch at <host>" link (empty when unusable)."""
    parsed = _parts(url or "")
    return parsed[0].removeprefix("www.") if parsed else ""

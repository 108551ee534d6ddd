"""Markdown is how users write everywhere; this is the one place it becomes HTML.

Python-Markdown passes raw HTML through, so its *output* is sanitised with one reused nh3
allow-list. Rendering is cached per text, so a text is rendered once per process.
"""

from functools import lru_cache

import markdown as md
import nh3
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {
    "a",
    "abbr",
    "blockquote",
    "br",
    "code",
    "dd",
    "del",
    "dl",
    "dt",
    "em",
    "h2",
    "h3",
    "h4",
    "hr",
    "li",
    "ol",
    "p",
    "pre",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "th": {"align"},
    "td": {"align"},
}

_cleaner = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    url_schemes={"http", "https", "mailto"},
    link_rel="nofollow noopener noreferrer",
    strip_comments=True,
)
_headline_cleaner = nh3.Cleaner(tags={"mark"}, attributes={}, strip_comments=True)


@lru_cache(maxsize=4096)
def _render(text: str) -> str:
    html = md.markdown(text, extensions=["extra", "sane_lists"], output_format="html")
    # Headings inside user content start at h2: the page owns the one h1.
    html = html.replace("<h1>", "<h2>").replace("</h1>", "</h2>")
    return _cleaner.clean(html)


def render_markdown(text: str | None) -> SafeString:
    """Markdown to sanitised HTML, safe to put in a page."""
    if not text:
        return mark_safe("")  # noqa: S308 - empty string
    return mark_safe(_render(text.replace("\x00", "")))  # noqa: S308 - sanitised by nh3


def sanitise_headline(html: str) -> SafeString:
    """A search headline: the text escaped, only <mark> kept."""
    return mark_safe(_headline_cleaner.clean(html))  # noqa: S308 - sanitised by nh3

"""Search across cases, dilemmas, replies and articles.

The content apps describe each item with `search_document()` (a SearchDocument, or None when
members may not see it) and call `index(obj)` from their services after every write that
changes what members see. This module imports no app: it finds the searchable models in the
content registry.

On PostgreSQL: Danish full-text search over a weighted tsvector (title A, tags and summary B,
body C) with prefix matching per word (Danish compounds: "skybrud" finds "skybrudssikring"),
OR'd with trigram word similarity on titles for typos; both backed by GIN indexes. On SQLite:
every word must appear (icontains) in some field, newest first.
"""

import difflib
import re
from dataclasses import asdict, dataclass
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVector,
    TrigramWordSimilarity,
)
from django.db import connection, transaction
from django.db.models import Count, F, Q, QuerySet, TextField, Value
from django.db.models.functions import Concat
from django.utils.html import escape

from komvidere import registry
from komvidere.models import SearchEntry

MAX_QUERY_LENGTH = 200
MAX_TERMS = 8
MAX_TERM_LENGTH = 40
# Letters and digits only: never pass raw user syntax (& | ! : * quotes) to to_tsquery.
WORD_RE = re.compile(r"[^\W_]+")

DOCUMENT_VECTOR = (
    SearchVector("title", weight="A", config="danish")
    + SearchVector("tags", weight="B", config="danish")
    + SearchVector("summary", weight="B", config="danish")
    + SearchVector("body", weight="C", config="danish")
)


@dataclass(frozen=True)
class SearchDocument:
    kind: str
    title: str
    url: str
    summary: str = ""
    body: str = ""
    tags: str = ""
    meta: str = ""
    published_at: datetime | None = None


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


def index(obj) -> None:
    """Bring one item's search entry in step with what members may see of it."""
    content_type = ContentType.objects.get_for_model(obj)
    document = obj.search_document()
    if document is None:
        SearchEntry.objects.filter(content_type=content_type, object_id=obj.pk).delete()
        return
    entry, _ = SearchEntry.objects.update_or_create(
        content_type=content_type, object_id=obj.pk, defaults=asdict(document)
    )
    if is_postgres():
        SearchEntry.objects.filter(pk=entry.pk).update(document=DOCUMENT_VECTOR)


def index_many(objects) -> None:
    for obj in objects:
        index(obj)


def unindex(obj) -> None:
    SearchEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
    ).delete()


def searchable_models():
    for content in registry.contents():
        if hasattr(content.model, "search_document"):
            yield content.model


@transaction.atomic
def rebuild() -> int:
    """Rebuild every entry from the content (after a restore, or a change in what is indexed)."""
    SearchEntry.objects.all().delete()
    entries = []
    for model in searchable_models():
        content_type = ContentType.objects.get_for_model(model)
        for obj in model.objects.for_search_index().iterator(chunk_size=500):
            document = obj.search_document()
            if document is not None:
                entries.append(
                    SearchEntry(content_type=content_type, object_id=obj.pk, **asdict(document))
                )
    SearchEntry.objects.bulk_create(entries, batch_size=500)
    if is_postgres():
        SearchEntry.objects.update(document=DOCUMENT_VECTOR)
    return len(entries)


def terms(query: str) -> list[str]:
    """The words of a query, lower-cased, bounded in number and length."""
    words = WORD_RE.findall((query or "")[:MAX_QUERY_LENGTH].lower())
    return [word[:MAX_TERM_LENGTH] for word in words][:MAX_TERMS]


def search(query: str, kind: str | None = None) -> QuerySet:
    """Entries matching the query, best first (annotated with `rank` and `headline`)."""
    words = terms(query)
    entries = SearchEntry.objects.all()
    if not words:
        return entries.none()
    if kind:
        entries = entries.filter(kind=kind)
    if not is_postgres():
        for word in words:
            entries = entries.filter(
                Q(title__icontains=word)
                | Q(summary__icontains=word)
                | Q(body__icontains=word)
                | Q(tags__icontains=word)
            )
        return entries.annotate(rank=Value(0.0), headline=F("summary")).order_by(
            "-published_at", "-pk"
        )
    matches = _postgres_matches(entries, words, typo_tolerant=False)
    if not matches.exists():
        # Nothing matched as written: allow near spellings of title words ("Klimatilpasnig").
        matches = _postgres_matches(entries, words, typo_tolerant=True)
    return matches


def _postgres_matches(entries: QuerySet, words: list[str], *, typo_tolerant: bool) -> QuerySet:
    """Every word must match as (the prefix of) a Danish lexeme, or, when typo-tolerant, as a
    near spelling of a title word. Each condition has a GIN index behind it."""
    for word in words:
        condition = Q(document=SearchQuery(f"{word}:*", search_type="raw", config="danish"))
        if typo_tolerant:
            condition |= Q(title__trigram_word_similar=word)
        entries = entries.filter(condition)
    any_word = SearchQuery(
        " | ".join(f"{word}:*" for word in words), search_type="raw", config="danish"
    )
    rank = SearchRank(F("document"), any_word)
    if typo_tolerant:
        rank += TrigramWordSimilarity(" ".join(words), "title")
    return entries.annotate(
        rank=rank,
        headline=SearchHeadline(
            Concat("summary", Value(" … "), "body", output_field=TextField()),
            any_word,
            config="danish",
            start_sel="<mark>",
            stop_sel="</mark>",
            max_words=30,
            min_words=12,
            max_fragments=2,
            fragment_delimiter=" … ",
        ),
    ).order_by("-rank", "-published_at", "-pk")


def highlight(text: str, query: str) -> str:
    """The fallback's headline: the text, escaped, with the query's words in <mark>."""
    words = terms(query)
    html = escape(text)
    if words:
        pattern = re.compile("|".join(re.escape(escape(w)) for w in words), re.IGNORECASE)
        html = pattern.sub(lambda m: f"<mark>{m.group(0)}</mark>", html)
    return html


def counts_by_kind(query: str) -> dict[str, int]:
    rows = search(query).order_by().values("kind").annotate(n=Count("pk"))
    return {row["kind"]: row["n"] for row in rows}


def spelling_suggestion(query: str) -> str | None:
    """A corrected query built from words in titles that are close to the query's words."""
    words = terms(query)
    if not words:
        return None
    titles = SearchEntry.objects.all()
    if is_postgres():
        titles = (
            titles.annotate(similarity=TrigramWordSimilarity(" ".join(words), "title"))
            .filter(similarity__gt=0.3)
            .order_by("-similarity")
        )
    limit = 50 if is_postgres() else 2000
    vocabulary = {
        word for title in titles.values_list("title", flat=True)[:limit] for word in terms(title)
    }
    corrected = []
    for word in words:
        close = difflib.get_close_matches(word, vocabulary, n=1, cutoff=0.75)
        corrected.append(close[0] if close else word)
    return " ".join(corrected) if corrected != words else None

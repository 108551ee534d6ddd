"""Search across cases, dilemmas, replies and articles: one behaviour, two backends.

The content apps describe each item with `search_document()` (a SearchDocument, or None when
members may not see it) and call `index(obj)` from their services after every write that
changes what members see. This module imports no app: it finds the searchable models in the
content registry.

How a query is read and answered, on either database (komvidere.search_backends: PostgreSQL's
full-text search, or SQLite's FTS5, chosen by the database vendor):
- Quoted text is a phrase; other words are matched as prefixes of stemmed words ("skybrud"
  finds "skybrudssikring", "varmepumper" finds "varmepumpen"). Stop words are dropped, unless
  nothing else is left ("hvem er vi" is then looked for in titles). Nothing the member types
  is ever syntax: only letters and digits reach the database's query language.
- Every word is required when that gives results; otherwise near spellings are allowed; then
  the best partial matches are shown, with the words that found nothing (`missing`).
- Ranking: a title match above a body match, times the item's own boost (an answered
  thread, a published case) and a mild preference for recent items.
- One result per group: a thread and its replies are one result, shown by its best match.
"""

import difflib
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property

from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.search import TrigramWordSimilarity
from django.db import connection, transaction
from django.db.models import (
    Case,
    CharField,
    Count,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
    Window,
)
from django.db.models.functions import Cast, Coalesce, Concat, NullIf, RowNumber

from komvidere import registry, versions
from komvidere.markdown import sanitise_headline
from komvidere.models import SearchEntry
from komvidere.search_backends import backend
from komvidere.search_backends.text import (  # noqa: F401 - part of this module's interface
    MAX_QUERY_LENGTH,
    MAX_TERM_LENGTH,
    MAX_TERMS,
    WORD_RE,
    ParsedQuery,
    parse,
    plain_text,
)
from komvidere.search_backends.text import headline as _headline
from komvidere.search_backends.text import highlight as _highlight

CHUNK_SIZE = 500
# Rows (groups) a search may page through; deeper pages cost the database more than they give.
MAX_RESULTS = 1000
# A query is ranked over at most this many matching entries, the most recent ones: a broad
# word ("klima") matches half the index, and ranking all of it costs far more than it gives.
MAX_CANDIDATES = 1000
# A query the database's statistics call broad (in a fifth of the entries or more) is looked
# for among the most recent BROAD_WINDOW entries only: reading its whole posting list from the
# index would cost more than the rest of the page.
BROAD_WINDOW = 2000
# ... and ranked over its BROAD_CANDIDATES most recent matches (chosen before any is ranked).
BROAD_CANDIDATES = 500


@dataclass(frozen=True)
class SearchDocument:
    kind: str
    title: str
    url: str
    summary: str = ""
    body: str = ""
    tags: str = ""
    meta: str = ""
    # The language the item is written in (its `language` field): pages mark it up with `lang`.
    language: str = ""
    published_at: datetime | None = None
    # Items with the same thread key are one result ("dilemma:12" for a thread and its replies).
    thread: str = ""
    # Above 1 for content worth more than its words say (a published case, an answered thread).
    boost: float = 1.0


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


# --- Writing the index -----------------------------------------------------------------------


def _entry_fields(document: SearchDocument, content_type: ContentType, object_id: int) -> dict:
    return {
        "kind": document.kind,
        "title": document.title[:300],
        "url": document.url,
        "summary": plain_text(document.summary),
        "body": plain_text(document.body),
        "tags": document.tags,
        "meta": document.meta[:300],
        "language": document.language[:10],
        "published_at": document.published_at,
        "group_key": (document.thread or f"{document.kind}:{object_id}")[:60],
        "boost": document.boost,
    }


def refresh(entries) -> None:
    """Recompute the database's search document of these saved entries."""
    entries = list(entries)
    if entries:
        backend().write(entries)


def index(obj) -> None:
    """Bring one item's search entry in step with what members may see of it."""
    content_type = ContentType.objects.get_for_model(obj)
    document = obj.search_document()
    versions.bump(versions.SEARCH)  # cached searches and text filters
    if document is None:
        SearchEntry.objects.filter(content_type=content_type, object_id=obj.pk).delete()
        return
    entry, _ = SearchEntry.objects.update_or_create(
        content_type=content_type,
        object_id=obj.pk,
        defaults=_entry_fields(document, content_type, obj.pk),
    )
    refresh([entry])


def index_many(objects) -> None:
    for obj in objects:
        index(obj)


def unindex(obj) -> None:
    versions.bump(versions.SEARCH)
    SearchEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
    ).delete()


def searchable_models():
    for content in registry.contents():
        if hasattr(content.model, "search_document"):
            yield content.model


def _chunks(iterable, size):
    chunk = []
    for item in iterable:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def rebuild(progress=None) -> int:
    """Rebuild every entry from the content (after a restore, or a change in what is indexed).

    One type at a time, each in its own transaction (searches see the old entries of a type
    until its new ones are complete), read and written CHUNK_SIZE items at a time: memory stays
    flat however large the index. `progress(model, done)` is called after each chunk."""
    total = 0
    content_types = []
    for model in searchable_models():
        content_type = ContentType.objects.get_for_model(model)
        content_types.append(content_type)
        done = 0
        with transaction.atomic():
            SearchEntry.objects.filter(content_type=content_type).delete()
            items = model.objects.for_search_index().order_by("pk").iterator(CHUNK_SIZE)
            for chunk in _chunks(items, CHUNK_SIZE):
                entries = []
                for obj in chunk:
                    document = obj.search_document()
                    if document is not None:
                        fields = _entry_fields(document, content_type, obj.pk)
                        entries.append(
                            SearchEntry(content_type=content_type, object_id=obj.pk, **fields)
                        )
                SearchEntry.objects.bulk_create(entries)
                if entries and entries[0].pk is None:  # a backend without RETURNING
                    entries = list(
                        SearchEntry.objects.filter(
                            content_type=content_type,
                            object_id__in=[entry.object_id for entry in entries],
                        )
                    )
                refresh(entries)
                done += len(entries)
                if progress:
                    progress(model, done)
        if progress and not done:
            progress(model, 0)
        total += done
    # Entries of types no longer searchable.
    SearchEntry.objects.exclude(content_type__in=content_types).delete()
    versions.bump(versions.SEARCH)
    return total


# --- Searching -------------------------------------------------------------------------------


def terms(query: str) -> list[str]:
    """The words of a query, lower-cased, bounded in number and length (stop words too)."""
    words = WORD_RE.findall((query or "")[:MAX_QUERY_LENGTH].lower())
    return [word[:MAX_TERM_LENGTH] for word in words][:MAX_TERMS]


def _group_of(row) -> str:
    pk, _kind, group_key = row[:3]
    return group_key or f"entry:{pk}"


def _ranked(rows) -> list[tuple[int, float]]:
    """(pk, score) of the best entry of each group, best group first: the candidates are read
    once, with their scores, and grouped and ordered here (at most MAX_CANDIDATES rows)."""

    def order(row):
        pk, _kind, _group, published, score, *matched = row
        return (*matched[:1], score or 0.0, published is not None, published or 0.0, pk)

    best: dict[str, tuple] = {}
    for row in rows:
        group = _group_of(row)
        if group not in best or order(row) > order(best[group]):
            best[group] = row
    winners = sorted(best.values(), key=order, reverse=True)
    return [(row[0], row[4] or 0.0) for row in winners]


def _group():
    """The result an entry belongs to: its thread, or itself."""
    return Coalesce(
        NullIf("group_key", Value("")),
        Concat(Value("entry:"), Cast("pk", CharField())),
        output_field=CharField(),
    )


class SearchResults:
    """The entries that answer a query, one per group, best first; a sequence for Paginator.

    `mode` says how they were found: "all" (every word), "fuzzy" (every word, some as near
    spellings), "partial" (the best matches of some words; `missing` lists the words that
    found nothing on their own), "titles" (only stop words, looked for in titles), "none".
    """

    def __init__(
        self, parsed: ParsedQuery, matches: QuerySet | None, mode: str, missing=(), rows=None
    ):
        self.parsed = parsed
        self.mode = mode
        self.missing = list(missing)
        self.matches = matches  # every matching entry, ungrouped
        # (pk, kind, group_key, published (a float), score[, matched]) of the candidates, when
        # already read: counts and the order of the results need no further query then.
        self.rows = rows
        self.ranked = None if rows is None else _ranked(rows)
        self._count = None

    @cached_property
    def queryset(self) -> QuerySet:
        """The results as one query (grouped and ordered in SQL): for the modes whose
        candidates were not read already."""
        if self.matches is None:
            return SearchEntry.objects.none()
        return _best_per_group(self.matches).defer("document")

    @property
    def words(self) -> list[str]:
        return self.parsed.words or terms(self.parsed.stop_only)

    def count(self) -> int:
        if self._count is None:
            if self.matches is None:
                self._count = 0
            elif self.ranked is not None:
                self._count = min(len(self.ranked), MAX_RESULTS)
            else:
                # The number of results is the number of groups: no ranking needed for it.
                groups = self.matches.order_by().values("pk").annotate(result=_group())
                total = groups.aggregate(n=Count("result", distinct=True))["n"]
                self._count = min(total, MAX_RESULTS)
        return self._count

    def __len__(self) -> int:
        return self.count()

    def __iter__(self):
        return iter(self[:MAX_RESULTS])

    def __getitem__(self, key):
        if self.ranked is None:
            return list(self.queryset[key]) if isinstance(key, slice) else self.queryset[key]
        chosen = self.ranked[key] if isinstance(key, slice) else [self.ranked[key]]
        entries = SearchEntry.objects.defer("document").in_bulk([pk for pk, _ in chosen])
        page = []
        for pk, score in chosen:
            if pk in entries:  # an entry deleted since the search is left out
                entries[pk].score = score
                page.append(entries[pk])
        return page if isinstance(key, slice) else page[0]

    def exists(self) -> bool:
        if self.ranked is not None:
            return bool(self.ranked)
        return self.matches is not None and self.matches.exists()

    def counts_by_kind(self) -> dict[str, int]:
        if self.matches is None:
            return {}
        if self.rows is not None:
            groups: dict[str, set] = {}
            for row in self.rows:
                groups.setdefault(row[1], set()).add(_group_of(row))
            return {kind: len(found) for kind, found in groups.items()}
        rows = (
            self.matches.order_by()
            .annotate(result=_group())
            .values("kind")
            .annotate(n=Count("result", distinct=True))
        )
        return {row["kind"]: row["n"] for row in rows}

    def add_snippets(self, entries) -> None:
        """Give each entry a `snippet`: the passage of its text with the query's words in
        <mark>, escaped (the caller still passes it through sanitise_headline)."""
        for entry in entries:
            text = "\n".join(filter(None, [entry.summary, entry.body]))
            entry.snippet = _headline(text, self.words) or _highlight(
                _first_words(entry.summary or entry.body), self.words
            )


def _first_words(text: str, n: int = 30) -> str:
    words = (text or "").split()
    return " ".join(words[:n]) + (" …" if len(words) > n else "")


def _best_per_group(matches: QuerySet) -> QuerySet:
    order = [F("score").desc(), F("published_at").desc(nulls_last=True), F("pk").desc()]
    ordering = [F("matched").desc(), *order] if "matched" in matches.query.annotations else order
    return (
        matches.annotate(
            result=_group(),
            place=Window(RowNumber(), partition_by=[F("result")], order_by=ordering),
        )
        .filter(place=1)
        .order_by(*ordering)
    )


def _matches(entries: QuerySet, parsed: ParsedQuery, *, require_all: bool, fuzzy: bool):
    engine = backend()
    clauses = parsed.clauses
    recent_first = [F("published_at").desc(nulls_last=True), F("pk").desc()]
    candidates = entries.filter(engine.condition(clauses, require_all=require_all, fuzzy=fuzzy))
    windowed = False
    if engine.is_broad(clauses, require_all=require_all):
        window = entries.order_by(*recent_first).values_list("published_at", flat=True)
        cutoff = list(window[BROAD_WINDOW - 1 : BROAD_WINDOW])
        if cutoff and cutoff[0] is not None:
            recent = engine.without_index(entries.filter(published_at__gte=cutoff[0])).filter(
                engine.condition(clauses, require_all=require_all, fuzzy=fuzzy, indexed=False)
            )
            # Choose the candidates first, then rank only those (a subquery: one statement).
            chosen = recent.order_by(*recent_first).values("pk")[:BROAD_CANDIDATES]
            candidates = SearchEntry.objects.filter(pk__in=Subquery(chosen))
            windowed = True
    score = Coalesce(
        engine.score(clauses, require_all=require_all, fuzzy=fuzzy),
        Value(0.0),
        output_field=FloatField(),
    )
    fields = ["pk", "kind", "group_key", "published", "score"]
    candidates = candidates.annotate(score=score, published=engine.timestamp())
    if not require_all:
        # Which clauses each candidate has: ranked by how many, and a word no candidate has
        # is reported as not found.
        flags = {
            f"has_{index}": Case(
                When(engine.clause_condition(clause, fuzzy=fuzzy), then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            )
            for index, clause in enumerate(clauses)
        }
        candidates = candidates.annotate(**flags)
        fields.extend(flags)
    # One pass: the most recent MAX_CANDIDATES matches with their scores; SearchResults groups
    # and orders them (a broad word is thus never ranked over every entry that has it).
    rows = list(candidates.order_by(*recent_first).values_list(*fields)[:MAX_CANDIDATES])
    if not require_all:
        rows = [(*row[:5], sum(row[5:]), row[5:]) for row in rows]
    complete = not windowed and len(rows) < MAX_CANDIDATES
    # Every candidate with its score, for filters that combine search with other conditions.
    matches = SearchEntry.objects.filter(pk__in=[row[0] for row in rows]).annotate(score=score)
    return matches, rows, complete


def _any(entries: QuerySet, clauses, *, fuzzy: bool) -> bool:
    """Whether some entry has every clause (cheaper than asking the ranked matches)."""
    engine = backend()
    matching = entries.filter(engine.condition(clauses, require_all=True, fuzzy=fuzzy))
    if engine.estimate(clauses, require_all=True) >= 0.01:
        return matching.exists()
    # A rare query: the index finds its few rows at once, whereas for a LIMIT 1 probe the
    # planner (which cannot estimate prefix matches) would walk the table hoping to meet one.
    return bool(list(matching.values_list("pk", flat=True)))


def search(
    query: str, kind: str | None = None, *, partial: bool = True, within: Q | None = None
) -> SearchResults:
    """What answers the query, best first, one result per thread (see the module's doc).
    Without `partial`, every word must match (as written or as a near spelling). `within`
    narrows the entries searched (a condition on SearchEntry, e.g. a facet of the items)."""
    parsed = parse(query)
    entries = SearchEntry.objects.all()
    if kind:
        entries = entries.filter(kind=kind)
    if within is not None:
        entries = entries.filter(within)
    if parsed.empty:
        return SearchResults(parsed, None, "none")
    if not parsed.clauses:
        matches = entries.filter(title__icontains=parsed.stop_only).annotate(
            score=backend().recency() * F("boost")
        )
        return SearchResults(parsed, matches, "titles")
    # The typo fallback is decided by an empty first pass: no separate probe.
    matches, rows, _complete = _matches(entries, parsed, require_all=True, fuzzy=False)
    if rows:
        return SearchResults(parsed, matches, "all", rows=rows)
    # Nothing has every word as written: allow near spellings ("Klimatilpasnig").
    matches, rows, _complete = _matches(entries, parsed, require_all=True, fuzzy=True)
    if rows or len(parsed.clauses) == 1 or not partial:
        return SearchResults(parsed, matches, "fuzzy", rows=rows)
    matches, rows, complete = _matches(entries, parsed, require_all=False, fuzzy=True)
    # A word none of the candidates has is not found; if the candidates are not every match
    # (a broad word's window, or MAX_CANDIDATES), the index is asked about that word.
    found = [any(row[6][index] for row in rows) for index in range(len(parsed.clauses))]
    missing = [
        clause.label
        for clause, present in zip(parsed.clauses, found, strict=True)
        if not present and (complete or not _any(entries, [clause], fuzzy=True))
    ]
    return SearchResults(parsed, matches, "partial", missing, rows=rows)


def counts_by_kind(query: str) -> dict[str, int]:
    """Results per kind (a thread with several matching replies counts once)."""
    return search(query).counts_by_kind()


def filter_text(queryset: QuerySet, query: str, fields) -> QuerySet:
    """Rows of `queryset` whose `fields` hold every word of the query, matched as search
    matches them (stemmed, as prefixes), computed on the fly: for small tables that are not
    in the index (people, organisations). Related fields may be given ("sectors__name")."""
    parsed = parse(query)
    if not parsed.clauses:
        return queryset.none()
    return backend().filter_text(queryset, parsed, fields)


def filter_content(queryset: QuerySet, query: str) -> QuerySet:
    """The items of a content list (cases, articles, dilemmas: what members may see) that
    search finds for the query, as the search page finds them, annotated with `search_rank`
    (order by it for relevance). Facets and other filters combine with it as with any filter;
    only indexed items can match, and every word must (a filter narrows the list)."""
    content = registry.content_for(queryset.model)
    results = search(query, content.key if content else None, partial=False)
    if results.matches is None:
        return queryset.none()
    entries = results.matches.filter(content_type=ContentType.objects.get_for_model(queryset.model))
    rank = entries.filter(object_id=OuterRef("pk")).order_by("-score").values("score")[:1]
    return queryset.filter(pk__in=entries.values("object_id")).annotate(
        search_rank=Subquery(rank, output_field=FloatField())
    )


def add_snippets(objects, query: str) -> None:
    """Give each content item of a list page a `search_snippet` (safe HTML: only <mark>), cut
    from its search entry as on the search page; one query for the page."""
    objects = list(objects)
    if not objects:
        return
    content_type = ContentType.objects.get_for_model(objects[0])
    entries = SearchEntry.objects.filter(
        content_type=content_type, object_id__in=[obj.pk for obj in objects]
    ).only("object_id", "summary", "body")
    by_id = {entry.object_id: entry for entry in entries}
    results = SearchResults(parse(query), None, "none")
    results.add_snippets(by_id.values())
    for obj in objects:
        entry = by_id.get(obj.pk)
        obj.search_snippet = sanitise_headline(entry.snippet) if entry else ""


def highlight(text: str, query: str) -> str:
    """The text, escaped, with the query's words (as search matches them) in <mark>."""
    return _highlight(text, terms(query))


def spelling_suggestion(query: str) -> str | None:
    """A corrected query built from words in titles that are close to the query's words."""
    words = terms(query)
    if not words:
        return None
    limit = 50 if is_postgres() else 2000
    vocabulary = {
        word
        for title in suggestion_titles(words).values_list("title", flat=True)[:limit]
        for word in terms(title)
    }
    corrected = []
    for word in words:
        close = difflib.get_close_matches(word, vocabulary, n=1, cutoff=0.75)
        corrected.append(close[0] if close else word)
    return " ".join(corrected) if corrected != words else None


def suggestion_titles(words: list[str]) -> QuerySet:
    """The entries whose titles the spelling suggestion takes its words from."""
    titles = SearchEntry.objects.all()
    if is_postgres():
        # `title %> words` (pg_trgm's word similarity threshold) is answered by the title's
        # trigram index; a similarity() > x filter would be computed for every entry.
        joined = " ".join(words)
        titles = (
            titles.filter(title__trigram_word_similar=joined)
            .annotate(similarity=TrigramWordSimilarity(joined, "title"))
            .order_by("-similarity")
        )
    return titles


__all__ = [
    "SearchDocument",
    "SearchResults",
    "add_snippets",
    "counts_by_kind",
    "filter_content",
    "filter_text",
    "highlight",
    "index",
    "index_many",
    "is_postgres",
    "rebuild",
    "refresh",
    "search",
    "spelling_suggestion",
    "terms",
    "unindex",
]

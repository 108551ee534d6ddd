"""The PostgreSQL search backend: the language's text search configuration over a weighted
tsvector (title A, tags and summary B, body C; GIN-indexed, migration 0004), words as prefixes
of stemmed lexemes, phrases with phraseto_tsquery, and trigram word similarity on titles
(pg_trgm, GIN-indexed) for typos."""

import difflib
import time

from django.contrib.postgres.search import (
    SearchQuery,
    SearchRank,
    SearchVector,
    SearchVectorField,
    TrigramWordSimilarity,
)
from django.db import connection
from django.db.models import F, FloatField, Func, Q, QuerySet, Value
from django.db.models.functions import Coalesce, Greatest, Now
from django.db.models.lookups import GreaterThanOrEqual

from komvidere.models import SearchEntry
from komvidere.search_backends.text import WORD_RE, Clause, ParsedQuery, language, stem

NEAR_SPELLING = 0.7
# ts_rank's weights for D, C, B, A: a title word counts five times a body word.
WEIGHTS = [0.1, 0.2, 0.4, 1.0]


def recency():
    """From 1.5 for what was published today to 1.25 after two years: orders near-equals."""
    age = Func(Now() - F("published_at"), template="EXTRACT(EPOCH FROM %(expressions)s)")
    return Coalesce(
        Value(1.0) + Value(0.5) / (Value(1.0) + Greatest(age, Value(0.0)) / Value(63115200.0)),
        Value(1.0),
        output_field=FloatField(),
    )


def timestamp():
    """`published_at` as seconds (a float): what the candidates are ordered by in Python.
    Loading 500 timestamps with time zones cost more than ranking them."""
    return Func(
        F("published_at"),
        template="EXTRACT(EPOCH FROM %(expressions)s)::float8",
        output_field=FloatField(),
    )


def document_vector():
    config = language()
    return (
        SearchVector("title", weight="A", config=config)
        + SearchVector("tags", weight="B", config=config)
        + SearchVector("summary", weight="B", config=config)
        + SearchVector("body", weight="C", config=config)
    )


def write(entries) -> None:
    SearchEntry.objects.filter(pk__in=[entry.pk for entry in entries]).update(
        document=document_vector()
    )


UNINDEXED = "unindexed_document"


def without_index(queryset: QuerySet) -> QuerySet:
    """The document under a name the GIN index does not serve: for a broad query over a window
    of recent entries, where reading the index's posting lists would cost the most."""
    return queryset.annotate(
        **{UNINDEXED: Func(F("document"), function="COALESCE", output_field=SearchVectorField())}
    )


def _tsquery(clause: Clause, *, fuzzy: bool = False) -> SearchQuery:
    if clause.phrase:
        return SearchQuery(" ".join(clause.words), search_type="phrase", config=language())
    # Only letters and digits reach to_tsquery (text.WORD_RE): never raw user syntax.
    query = SearchQuery(f"{clause.words[0]}:*", search_type="raw", config=language())
    if fuzzy:
        # Lexemes are already stemmed: the simple configuration takes them as they are.
        for lexeme in near_lexemes(clause.words[0]):
            query = query | SearchQuery(lexeme, search_type="raw", config="simple")
    return query


def _combined(clauses, *, require_all: bool, fuzzy: bool = False) -> SearchQuery:
    query = _tsquery(clauses[0], fuzzy=fuzzy)
    for clause in clauses[1:]:
        other = _tsquery(clause, fuzzy=fuzzy)
        query = (query & other) if require_all else (query | other)
    return query


def clause_condition(clause: Clause, *, fuzzy: bool, field: str = "document") -> Q:
    condition = Q(**{field: _tsquery(clause, fuzzy=fuzzy)})
    if fuzzy and not clause.phrase:
        word = clause.words[0]
        # pg_trgm's operator (GIN-indexed) at its threshold of 0.6 finds "klimaplan" for
        # "klimasen"; a near spelling must be closer than that (as SQLite's backend requires).
        condition |= Q(title__trigram_word_similar=word) & Q(
            GreaterThanOrEqual(TrigramWordSimilarity(word, "title"), NEAR_SPELLING)
        )
    return condition


def condition(clauses, *, require_all: bool, fuzzy: bool, indexed: bool = True) -> Q:
    field = "document" if indexed else UNINDEXED
    if not fuzzy:
        # One tsquery: one GIN scan.
        return Q(**{field: _combined(clauses, require_all=require_all)})
    conditions = [clause_condition(clause, fuzzy=True, field=field) for clause in clauses]
    result = conditions[0]
    for other in conditions[1:]:
        result = (result & other) if require_all else (result | other)
    return result


def score(clauses, *, require_all: bool, fuzzy: bool):
    rank = SearchRank(
        F("document"),
        _combined(clauses, require_all=require_all, fuzzy=fuzzy),
        weights=WEIGHTS,
        normalization=Value(1),
    )
    if fuzzy:
        words = " ".join(c.words[0] for c in clauses if not c.phrase)
        if words:
            rank = rank + TrigramWordSimilarity(words, "title")
    return rank * F("boost") * recency()


def filter_text(queryset: QuerySet, parsed: ParsedQuery, fields) -> QuerySet:
    """Rows of any model whose `fields` (related ones too: "sectors__name") hold every clause,
    matched as in the index, computed on the fly (for small tables: people, organisations)."""
    vector = SearchVector(*fields, config=language())
    query = _combined(parsed.clauses, require_all=True)
    matching = queryset.model._default_manager.annotate(_vector=vector).filter(_vector=query)
    return queryset.filter(pk__in=matching.values("pk"))


# The lexeme frequencies of ANALYZE (pg_stats.most_common_elems), read again every few minutes.
_STATISTICS: dict = {"read_at": None, "frequencies": {}}
STATISTICS_AGE = 600.0
BROAD = 0.2


def forget_statistics() -> None:
    """Read ANALYZE's statistics again at the next search (after a bulk load and ANALYZE)."""
    _STATISTICS["read_at"] = None


def _frequencies() -> dict[str, float]:
    now = time.monotonic()
    # None until first read: the monotonic clock starts near 0 at boot, so "0 = never read"
    # would skip the statistics for the first minutes of a fresh machine.
    read_at = _STATISTICS["read_at"]
    if read_at is None or now - read_at > STATISTICS_AGE:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT most_common_elems::text::text[], most_common_elem_freqs FROM pg_stats "
                "WHERE tablename = 'komvidere_searchentry' AND attname = 'document'"
            )
            row = cursor.fetchone()
        elements, frequencies = row or (None, None)
        _STATISTICS["frequencies"] = dict(zip(elements or [], frequencies or [], strict=False))
        _STATISTICS["read_at"] = now
    return _STATISTICS["frequencies"]


def near_lexemes(word: str, limit: int = 3) -> list[str]:
    """Common lexemes of the index (ANALYZE's statistics) close to the stem of `word`: near
    spellings of body words too, as the SQLite backend finds them in its vocabulary."""
    target = stem(word)
    if len(target) < 4:
        return []
    candidates = [
        lexeme
        for lexeme in _frequencies()
        if lexeme[:1] == target[:1]
        and abs(len(lexeme) - len(target)) <= 3
        and WORD_RE.fullmatch(lexeme)
    ]
    return difflib.get_close_matches(target, candidates, n=limit, cutoff=0.8)


def _frequency(clause: Clause) -> float:
    frequencies = _frequencies()
    stems_ = [stem(word) for word in clause.words]
    if clause.phrase:
        return min(frequencies.get(s, 0.0) for s in stems_)
    prefix = stems_[0]
    return max((f for lexeme, f in frequencies.items() if lexeme.startswith(prefix)), default=0.0)


def estimate(clauses, *, require_all: bool) -> float:
    """The share of entries that ANALYZE's statistics say the query matches (0 for a word
    too rare to be among the most common lexemes)."""
    estimates = [_frequency(clause) for clause in clauses]
    if not require_all:
        return max(estimates)
    result = 1.0
    for value in estimates:
        result *= value
    return result


def is_broad(clauses, *, require_all: bool) -> bool:
    """Whether the query matches a fifth of the entries or more."""
    return estimate(clauses, require_all=require_all) >= BROAD

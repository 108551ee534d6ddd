"""The PostgreSQL search backend: the language's text search configuration over a weighted
tsvector (title A, tags and summary B, body C; GIN-indexed, migration 0004), words as prefixes
of stemmed lexemes, phrases with phraseto_tsquery, and trigram word similarity on titles
(pg_trgm, GIN-indexed) for typos."""

from django.contrib.postgres.search import (
    SearchQuery,
    SearchRank,
    SearchVector,
    TrigramWordSimilarity,
)
from django.db.models import F, FloatField, Func, Q, QuerySet, Value
from django.db.models.functions import Coalesce, Greatest, Now

from komvidere.models import SearchEntry
from komvidere.search_backends.text import Clause, ParsedQuery, language

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


def _tsquery(clause: Clause) -> SearchQuery:
    if clause.phrase:
        return SearchQuery(" ".join(clause.words), search_type="phrase", config=language())
    # Only letters and digits reach to_tsquery (text.WORD_RE): never raw user syntax.
    return SearchQuery(f"{clause.words[0]}:*", search_type="raw", config=language())


def _combined(clauses, *, require_all: bool) -> SearchQuery:
    query = _tsquery(clauses[0])
    for clause in clauses[1:]:
        query = (query & _tsquery(clause)) if require_all else (query | _tsquery(clause))
    return query


def clause_condition(clause: Clause, *, fuzzy: bool) -> Q:
    condition = Q(document=_tsquery(clause))
    if fuzzy and not clause.phrase:
        condition |= Q(title__trigram_word_similar=clause.words[0])
    return condition


def condition(clauses, *, require_all: bool, fuzzy: bool) -> Q:
    if not fuzzy:
        # One tsquery: one GIN scan.
        return Q(document=_combined(clauses, require_all=require_all))
    conditions = [clause_condition(clause, fuzzy=True) for clause in clauses]
    result = conditions[0]
    for other in conditions[1:]:
        result = (result & other) if require_all else (result | other)
    return result


def score(clauses, *, require_all: bool, fuzzy: bool):
    rank = SearchRank(
        F("document"),
        _combined(clauses, require_all=require_all),
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

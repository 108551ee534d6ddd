"""The SQLite search backend: FTS5 with bm25, over words stemmed in Python with the Snowball
stemmer of the language (the same algorithm as PostgreSQL's configuration of that name).

`komvidere_searchentry_fts` (migration 0006) holds, by entry id, the stems of the title, tags,
summary and body; a trigger removes a row when its entry goes. A word is matched as the prefix
of a stem (`"varmepump"*`), as PostgreSQL's `varmepumper:*` does; a phrase as the phrase of its
stems. Typos: a word that matches nothing is widened to the near spellings among the index's
own terms (the fts5vocab table).
"""

import difflib

from django.db import connection
from django.db.models import F, FloatField, Func, Q, QuerySet, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, Greatest

from komvidere.search_backends.text import Clause, ParsedQuery, stem, stems

FTS = "komvidere_searchentry_fts"
VOCABULARY = "komvidere_searchentry_fts_vocab"
# bm25 weights of the columns title, tags, summary, body (as PostgreSQL's A, B, B, C).
BM25 = f"bm25({FTS}, 5.0, 2.0, 2.0, 1.0)"


def recency():
    """From 1.5 for what was published today to 1.25 after two years: orders near-equals."""
    days = Func(Value("now"), function="julianday") - Func(F("published_at"), function="julianday")
    return Coalesce(
        Value(1.0) + Value(0.5) / (Value(1.0) + Greatest(days, Value(0.0)) / Value(730.5)),
        Value(1.0),
        output_field=FloatField(),
    )


def timestamp():
    """`published_at` as a float (days): what the candidates are ordered by in Python."""
    return Func(F("published_at"), function="julianday", output_field=FloatField())


def write(entries) -> None:
    rows = [
        (
            entry.pk,
            " ".join(stems(entry.title)),
            " ".join(stems(entry.tags)),
            " ".join(stems(entry.summary)),
            " ".join(stems(entry.body)),
        )
        for entry in entries
    ]
    with connection.cursor() as cursor:
        cursor.executemany(f"DELETE FROM {FTS} WHERE rowid = %s", [(row[0],) for row in rows])  # noqa: S608 - constant name
        cursor.executemany(
            f"INSERT INTO {FTS} (rowid, title, tags, summary, body) VALUES (%s, %s, %s, %s, %s)",  # noqa: S608
            rows,
        )


def near_terms(word: str, limit: int = 3) -> list[str]:
    """Terms of the index close to the stem of `word` (same first letter, similar length)."""
    target = stem(word)
    if len(target) < 4:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT term FROM {VOCABULARY} WHERE term >= %s AND term < %s "  # noqa: S608
            "AND length(term) BETWEEN %s AND %s",
            [target[0], target[0] + "\U0010ffff", len(target) - 2, len(target) + 3],
        )
        terms = [row[0] for row in cursor.fetchall()]
    return difflib.get_close_matches(target, terms, n=limit, cutoff=0.8)


def _expression(clause: Clause, *, fuzzy: bool) -> str:
    # Stems are letters and digits only (text.WORD_RE), so quoting them is all FTS5 needs.
    if clause.phrase:
        return '"' + " ".join(stem(word) for word in clause.words) + '"'
    expression = f'"{stem(clause.words[0])}"*'
    if fuzzy:
        alternatives = [f'"{term}"' for term in near_terms(clause.words[0])]
        if alternatives:
            expression = "(" + " OR ".join([expression, *alternatives]) + ")"
    return expression


def _combined(clauses, *, require_all: bool, fuzzy: bool) -> str:
    joiner = " AND " if require_all else " OR "
    return joiner.join(_expression(clause, fuzzy=fuzzy) for clause in clauses)


def _matching(expression: str) -> Q:
    sql = f"SELECT rowid FROM {FTS} WHERE {FTS} MATCH %s"  # noqa: S608 - constant name
    return Q(pk__in=RawSQL(sql, [expression]))  # noqa: S611 - the expression is a parameter


def clause_condition(clause: Clause, *, fuzzy: bool) -> Q:
    return _matching(_expression(clause, fuzzy=fuzzy))


def without_index(queryset: QuerySet) -> QuerySet:
    return queryset


def condition(clauses, *, require_all: bool, fuzzy: bool, indexed: bool = True) -> Q:
    return _matching(_combined(clauses, require_all=require_all, fuzzy=fuzzy))


def score(clauses, *, require_all: bool, fuzzy: bool):
    expression = _combined(clauses, require_all=require_all, fuzzy=fuzzy)
    # bm25 is lower for better matches: negate it, so that higher is better as on PostgreSQL.
    # The entry's id is an expression, so the score survives being used inside a subquery.
    bm25 = Func(
        Value(expression),
        F("id"),
        template=f"(SELECT -{BM25} FROM {FTS} WHERE {FTS} MATCH %(expressions)s)",  # noqa: S608
        arg_joiner=f" AND {FTS}.rowid = ",
        output_field=FloatField(),
    )
    return bm25 * F("boost") * recency()


def _holds(tokens: list[str], clause: Clause) -> bool:
    if not clause.phrase:
        prefix = stem(clause.words[0])
        return any(token.startswith(prefix) for token in tokens)
    wanted = [stem(word) for word in clause.words]
    n = len(wanted)
    return any(tokens[i : i + n] == wanted for i in range(len(tokens) - n + 1))


def filter_text(queryset: QuerySet, parsed: ParsedQuery, fields) -> QuerySet:
    """Rows of any model whose `fields` (related ones too: "sectors__name") hold every clause,
    matched as in the index; read in chunks (for small tables: people, organisations)."""
    matched = set()
    rows = queryset.model._default_manager.filter(pk__in=queryset.values("pk"))
    for pk, *texts in rows.values_list("pk", *fields).iterator(chunk_size=2000):
        tokens = stems(" ".join(text or "" for text in texts))
        if all(_holds(tokens, clause) for clause in parsed.clauses):
            matched.add(pk)
    return queryset.filter(pk__in=matched)


def estimate(clauses, *, require_all: bool) -> float:
    return 1.0


def is_broad(clauses, *, require_all: bool) -> bool:
    """SQLite serves small sites: every query is answered over all its matches."""
    return False

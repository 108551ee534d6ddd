"""What both search backends share: the language, reading a query, words and their stems,
markdown reduced to text, and the snippet with the query's words in <mark>.

The language's stemmer (Snowball, the same algorithm as PostgreSQL's text search configuration
of that name) and its stop words (komvidere/data/stopwords/<language>.txt, PostgreSQL's list)
come from the setting SEARCH_LANGUAGE, "danish" unless set.
"""

import html
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import markdown as md
import nh3
import snowballstemmer
from django.conf import settings
from django.utils.html import escape

MAX_QUERY_LENGTH = 200
MAX_TERMS = 8
MAX_TERM_LENGTH = 40
# Letters and digits only: no user syntax (& | ! : * quotes) ever reaches a query language.
WORD_RE = re.compile(r"[^\W_]+")
QUOTES = '"“”„«»'
PHRASE_RE = re.compile(f"[{QUOTES}]([^{QUOTES}]*)[{QUOTES}]")
STOPWORDS_DIR = Path(__file__).resolve().parent.parent / "data" / "stopwords"


def language() -> str:
    return getattr(settings, "SEARCH_LANGUAGE", "danish")


@cache
def _stemmer(name: str):
    return snowballstemmer.stemmer(name)


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    return _stemmer(language()).stemWord(word.lower())


@cache
def stopwords(name: str | None = None) -> frozenset[str]:
    path = STOPWORDS_DIR / f"{name or language()}.txt"
    if not path.exists():
        return frozenset()
    return frozenset(line.strip() for line in path.read_text(encoding="utf-8").splitlines())


def words(text: str) -> list[str]:
    return WORD_RE.findall((text or "").lower())


def stems(text: str) -> list[str]:
    return [stem(word) for word in words(text)]


@dataclass(frozen=True)
class Clause:
    """One thing the query asks for: a word (matched as the prefix of a stemmed word) or a
    quoted phrase (its words in that order)."""

    words: tuple[str, ...]

    @property
    def phrase(self) -> bool:
        return len(self.words) > 1

    @property
    def label(self) -> str:
        text = " ".join(self.words)
        return f"“{text}”" if self.phrase else text


@dataclass(frozen=True)
class ParsedQuery:
    clauses: tuple[Clause, ...] = ()
    # When every word is a stop word ("hvad er det"), the words themselves, matched in titles.
    stop_only: str = ""

    @property
    def empty(self) -> bool:
        return not self.clauses and not self.stop_only

    @property
    def words(self) -> list[str]:
        return [word for clause in self.clauses for word in clause.words]


def parse(query: str) -> ParsedQuery:
    """A query as members type it, never an error: quoted phrases are phrases, stop words are
    dropped unless nothing else is left, anything but letters and digits separates words."""
    query = (query or "").replace("\x00", " ")[:MAX_QUERY_LENGTH]
    stop = stopwords()
    clauses: list[Clause] = []
    everything: list[str] = []

    def add(found: list[str], *, phrase: bool) -> None:
        found = [word[:MAX_TERM_LENGTH] for word in found]
        everything.extend(found)
        if phrase and len(found) > 1:
            if any(word not in stop for word in found):
                clauses.append(Clause(tuple(found)))
            return
        clauses.extend(Clause((word,)) for word in found if word not in stop)

    for phrase in PHRASE_RE.findall(query):
        add(words(phrase), phrase=True)
    add(words(PHRASE_RE.sub(" ", query)), phrase=False)
    unique = tuple(dict.fromkeys(clauses))[:MAX_TERMS]
    if unique:
        return ParsedQuery(clauses=unique)
    return ParsedQuery(stop_only=" ".join(everything[:MAX_TERMS]))


# --- Markdown to text ------------------------------------------------------------------------

_BLOCK_END = re.compile(r"</(?:p|li|h\d|blockquote|pre|tr|dd|dt|table)>|<br\s*/?>|<hr\s*/?>")
_text_cleaner = nh3.Cleaner(tags=set(), attributes={}, strip_comments=True)


@lru_cache(maxsize=1024)
def plain_text(text: str) -> str:
    """Markdown reduced to its words: what is indexed and what snippets are cut from."""
    if not text:
        return ""
    rendered = md.markdown(text.replace("\x00", ""), extensions=["extra", "sane_lists"])
    rendered = _BLOCK_END.sub(lambda m: m.group(0) + "\n", rendered)
    text = html.unescape(_text_cleaner.clean(rendered))
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line)


# --- Snippets --------------------------------------------------------------------------------

_TOKEN_RE = re.compile(r"[^\W_]+")


# Stemmers that only ever take letters off the end of a word: a word's stem is a prefix of it,
# so a word whose stem starts with a query's prefix starts with it itself.
SUFFIX_STEMMERS = frozenset({"danish", "norwegian", "swedish"})


def _matcher(query_words: list[str]):
    prefixes = tuple({stem(word) for word in query_words} | set(query_words))

    def matches(token: str) -> bool:
        lowered = token.lower()
        return lowered.startswith(prefixes) or stem(lowered).startswith(prefixes)

    return matches


@lru_cache(maxsize=256)
def _hit_finder(query_words: tuple[str, ...], name: str):
    """A function giving the start offsets of the tokens of a text that match the query's
    words: one regular expression over the text where the stemmer only cuts suffixes (the
    Danish one), else the matcher token by token."""
    if name not in SUFFIX_STEMMERS:
        matches = _matcher(list(query_words))
        return lambda text: {t.start() for t in _TOKEN_RE.finditer(text) if matches(t.group(0))}
    prefixes = sorted({stem(word) for word in query_words} | set(query_words), key=len)
    pattern = re.compile(
        r"(?<![^\W_])(?:" + "|".join(re.escape(p) for p in reversed(prefixes)) + ")",
        re.IGNORECASE,
    )
    return lambda text: {m.start() for m in pattern.finditer(text)}


# A snippet is cut from the start of a long text: the passage is looked for in its first
# HEADLINE_CHARS characters only (a page of 20 long bodies cost milliseconds of matching).
HEADLINE_CHARS = 4000


def headline(text: str, query_words: list[str], *, max_words: int = 30) -> str:
    """HTML: the passage of `text` (plain) with the most of the query's words, escaped, the
    words that match (as prefixes of their stems, as search matches them) in <mark>. Empty when
    no word matches in its first HEADLINE_CHARS characters."""
    if not text or not query_words:
        return ""
    text = text[:HEADLINE_CHARS]
    starts = _hit_finder(tuple(query_words), language())(text)
    if not starts:
        return ""
    tokens = list(_TOKEN_RE.finditer(text))
    hits = [i for i, token in enumerate(tokens) if token.start() in starts]
    if not hits:
        return ""
    hit_set = set(hits)
    # The window of max_words tokens holding the most distinct matching words.
    best_start, best_score = hits[0], -1
    words = [tokens[i].group(0).lower() for i in hits]
    end_hit = 0
    for index, first in enumerate(hits):
        while end_hit < len(hits) and hits[end_hit] < first + max_words:
            end_hit += 1
        inside = words[index:end_hit]
        score = len(set(inside)) * 100 + len(inside)
        if score > best_score:
            best_start, best_score = first, score
    start = max(0, best_start - 4)
    end = min(len(tokens), start + max_words)
    start_char = 0 if start == 0 else tokens[start].start()
    end_char = len(text) if end == len(tokens) else tokens[end - 1].end()
    parts = ["… " if start_char else ""]
    position = start_char
    for i in range(start, end):
        token = tokens[i]
        if i in hit_set:
            parts.append(escape(text[position : token.start()]))
            parts.append(f"<mark>{escape(token.group(0))}</mark>")
            position = token.end()
    parts.append(escape(text[position:end_char]))
    if end_char < len(text):
        parts.append(" …")
    return " ".join("".join(parts).split())


def highlight(text: str, query_words: list[str]) -> str:
    """HTML: all of `text`, escaped, with the matching words in <mark>."""
    if not text:
        return ""
    matches = _matcher(query_words) if query_words else (lambda token: False)
    parts, position = [], 0
    for token in _TOKEN_RE.finditer(text):
        if matches(token.group(0)):
            parts.append(escape(text[position : token.start()]))
            parts.append(f"<mark>{escape(token.group(0))}</mark>")
            position = token.end()
    parts.append(escape(text[position:]))
    return "".join(parts)

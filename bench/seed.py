"""Fill the benchmark database with enough rows that slow queries and N+1s show.

Run through `manage.py shell -c "import bench.seed; bench.seed.run(scale)"` by bench/run.sh
(BENCH_SCALE: 1 gives 2,000 cases, 2,000 dilemmas with 10,000 replies and 300 articles, about
14,000 search entries; 10 gives ten times as many of each, about 143,000 search entries; the
600 members stay 600). Rows go in with bulk_create in batches of BATCH rows, one content type
after the other, each type from its own random generator: the first 2,000 cases of the 10×
data are the 1× cases. The search index is built by komvidere.search.rebuild() itself, with a
faster but identical Markdown-to-text step (fast_plain_text below, checked against
plain_text on the data before it is used).

Idempotent: members are topped up to MEMBERS; content is added only to a database without
bench content (a database seeded at another scale is refused: use another database).
"""

import importlib
import random
import re
import time
from contextlib import contextmanager
from datetime import timedelta
from unittest import mock

import markdown
from allauth.account.models import EmailAddress
from django.db import transaction
from django.utils import timezone
from taggit.models import Tag

from accounts.models import Organisation, User
from articles.models import Article, TaggedArticle
from cases.models import Case, TaggedCase
from dilemmas.models import Dilemma, Reply, TaggedDilemma
from komvidere import search
from komvidere.models import SearchEntry, Sector
from komvidere.search_backends import text as search_text

MEMBERS = 600
CASES = 2000
DILEMMAS = 2000
REPLIES_PER_DILEMMA = 5
ARTICLES = 300
# Rows per INSERT, and items per chunk of the search index (rebuild's CHUNK_SIZE is 500).
BATCH = 2000
# Featured: one case in FEATURE_EVERY (10 at scale 1), one article in FEATURE_EVERY / 4.
FEATURE_EVERY = 200
WORDS = [
    "fjernvarme",
    "varmepumpe",
    "solceller",
    "vindmøller",
    "biogas",
    "cykelstier",
    "elbiler",
    "skybrud",
    "regnvand",
    "kystsikring",
    "borgerinddragelse",
    "klimaråd",
    "CO2-regnskab",
    "scope3",
    "indkøb",
    "landbrug",
    "skovrejsning",
    "lavbundsjorde",
    "energirenovering",
    "bygninger",
    "affald",
    "genbrug",
    "transport",
    "busser",
]
PASSWORD = "bench-password-123"  # noqa: S105 - benchmark database only


@transaction.atomic
def run(scale: int = 1) -> None:
    started = time.perf_counter()
    organisations = list(Organisation.objects.filter(kind="municipality"))
    existing = User.objects.filter(email__endswith=".bench").count()
    new = []
    for i in range(existing, MEMBERS):
        org = organisations[i % len(organisations)]
        new.append(
            User(
                email=f"member{i}@{org.slug}.bench",
                name=f"Bench Member {i}",
                job_title="Klimakonsulent",
                organisation=org,
            )
        )
    User.objects.bulk_create(new, batch_size=BATCH)
    users = User.objects.filter(email__endswith=".bench")
    EmailAddress.objects.bulk_create(
        [EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users],
        ignore_conflicts=True,
        batch_size=BATCH,
    )
    cases = Case.objects.filter(slug__startswith="bench-").count()
    if cases and cases != CASES * scale:
        raise SystemExit(
            f"this database holds {cases} bench cases, not {CASES * scale} (scale {scale}): "
            "seed another database (BENCH_DATABASE_URL) or drop this one"
        )
    if not cases:
        _content(list(users.order_by("pk")[:50]), organisations, scale)
        content_done = time.perf_counter()
        _say(f"content rows in {content_done - started:.0f} s")
        entries = build_search_index()
        _say(f"{entries} search entries in {time.perf_counter() - content_done:.0f} s")
    _feature(scale)
    _say(
        f"bench data (scale {scale}): {users.count()} members, "
        f"{Case.objects.count()} cases, {Dilemma.objects.count()} dilemmas, "
        f"{Reply.objects.count()} replies, {Article.objects.count()} articles, "
        f"{SearchEntry.objects.count()} search entries; seeding took "
        f"{time.perf_counter() - started:.0f} s"
    )


def _feature(scale: int) -> None:
    """Every FEATURE_EVERY-th case and article is featured (the home page shows some); the
    search index does not depend on it. Idempotent."""
    Case.objects.filter(
        slug__in=[f"bench-case-{i}" for i in range(0, CASES * scale, FEATURE_EVERY)]
    ).update(featured=True)
    Article.objects.filter(
        slug__in=[f"bench-article-{i}" for i in range(0, ARTICLES * scale, FEATURE_EVERY // 4)]
    ).update(featured=True)


def _say(text: str) -> None:
    print(text, flush=True)  # noqa: T201


# --- The search index, in bulk ---------------------------------------------------------------

_markdown = markdown.Markdown(extensions=["extra", "sane_lists"])


# Text Markdown leaves as it is: lines of ordinary characters, none that could start a block
# (a list, a heading, code, a line of = or -) or be inline syntax, an HTML tag or an entity,
# nor a line break other than \n (str.splitlines() would split on those).
_ORDINARY = re.compile(r"[^\x00-\x1f\x85\u2028\u2029\\`*_\[\]<>&#|{}~^:!=+]*")


def _ordinary(line: str) -> bool:
    return bool(_ORDINARY.fullmatch(line)) and not (
        line[:1].isspace() or line[:1].isdigit() or line[:1] in ("-", ".")
    )


def fast_plain_text(text: str) -> str:
    """komvidere.search_backends.text.plain_text, faster, with the same result: text of
    ordinary lines only has its whitespace normalised (what Markdown's paragraphs, the cleaner
    and plain_text's line joining do to it); everything else goes through one Markdown
    instance, reset between texts, instead of a new one per text (building it was over half
    of rebuild()'s time)."""
    if not text:
        return ""
    lines = text.split("\n")
    if all(_ordinary(line) or not line.strip(" ") for line in lines):
        return "\n".join(" ".join(line.split()) for line in lines if line.strip(" "))
    rendered = _markdown.reset().convert(text.replace("\x00", ""))
    rendered = search_text._BLOCK_END.sub(lambda m: m.group(0) + "\n", rendered)
    text = search_text.html.unescape(search_text._text_cleaner.clean(rendered))
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line)


SAMPLES = [
    "",
    "Plain words.",
    "# Heading\n\nA **bold** and *italic* [link](https://example.org) &amp; <b>raw</b>.",
    "- one\n- two\n\n1. first\n2. second\n\n> quoted\n\n```\ncode\n```",
    "Footnote[^1] and HTML abbr.\n\n*[HTML]: HyperText\n\n[^1]: The note.",
    "| a | b |\n| - | - |\n| 1 | 2 |\n\nTerm\n: definition\n\nline one  \nline two",
    "Twice[^1] the same footnote id.\n\n[^1]: Another note.",
    "nul\x00byte and trailing spaces   \n\n\n",
    "  Leading and   inner   spaces, CO2-regnskab, 2050-mål, scope3 og (parenteser) 'citat' \"x\".",
    "1. Not ordinary",
    "- Not ordinary",
    "Tab\there",
    "Trailing two  ",
    "a -- b --- c",
    "Æble, øl og å: 100 % grøn.",
    "Slut. 2050.",
]


def _check_fast_plain_text(texts) -> None:
    for text in [*SAMPLES, *texts]:
        expected, got = search_text.plain_text(text), fast_plain_text(text)
        if expected != got:
            raise AssertionError(f"fast_plain_text differs from plain_text on {text[:80]!r}")


@contextmanager
def fast_rebuild():
    """What rebuild() stores is unchanged: the same documents, fields and tsvectors."""
    sample = [c.summary for c in Case.objects.all()[:50]]
    sample += [a.body for a in Article.objects.all()[:20]]
    sample += [r.body for r in Reply.objects.all()[:50]]
    _check_fast_plain_text(sample)
    with (
        mock.patch.object(search, "plain_text", fast_plain_text),
        mock.patch.object(search, "CHUNK_SIZE", BATCH),
    ):
        yield


def build_search_index() -> int:
    with fast_rebuild():
        return search.rebuild()


def bench_member() -> User:
    """Who the bench is logged in as: the first bench member who wrote no article (the
    articles are the coordinators' work, all by the first member in the seed), so a page is
    measured as its readers see it, not as its author does."""
    authors = Article.objects.values("author_id")
    members = User.objects.filter(email__endswith=".bench").exclude(pk__in=authors)
    return members.order_by("pk").first()


def session_cookie() -> str:
    """A session for the bench member (bench_member), for wrk's Cookie header."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    SessionStore = importlib.import_module(settings.SESSION_ENGINE).SessionStore

    user = bench_member()
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def _text(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def _chunked(count: int):
    for start in range(0, count, BATCH):
        yield range(start, min(start + BATCH, count))


def _content(users, organisations, scale: int) -> None:
    """Bulk rows like the real ones: published cases and articles, dilemmas with replies."""
    now = timezone.now()
    sectors = list(Sector.objects.all())
    tags = [Tag.objects.get_or_create(name=w, defaults={"slug": w.lower()})[0] for w in WORDS]

    rng = random.Random(2050)
    for numbers in _chunked(CASES * scale):
        cases = Case.objects.bulk_create(
            Case(
                title=f"{_text(rng, 4)[:-1]} {i}",
                slug=f"bench-case-{i}",
                summary=_text(rng, 40),
                organisation=organisations[i % len(organisations)],
                author=users[i % len(users)],
                status="published",
                published_at=now - timedelta(hours=i),
                challenge=_text(rng, 120),
                solution=_text(rng, 200),
                results=_text(rng, 120),
                lessons_learned=_text(rng, 120),
                co2e_tonnes_per_year=rng.randint(0, 5000),
            )
            for i in numbers
        )
        Case.sectors.through.objects.bulk_create(
            Case.sectors.through(case_id=c.pk, sector_id=rng.choice(sectors).pk) for c in cases
        )
        TaggedCase.objects.bulk_create(
            TaggedCase(content_object=c, tag=t) for c in cases for t in rng.sample(tags, 3)
        )

    rng = random.Random(2051)
    for numbers in _chunked(DILEMMAS * scale):
        dilemmas = Dilemma.objects.bulk_create(
            Dilemma(
                kind="question",
                title=f"{_text(rng, 6)[:-1]}? {i}",
                body=_text(rng, 150),
                author=users[i % len(users)],
                organisation=users[i % len(users)].organisation,
                reply_count=REPLIES_PER_DILEMMA,
            )
            for i in numbers
        )
        TaggedDilemma.objects.bulk_create(
            TaggedDilemma(content_object=d, tag=t) for d in dilemmas for t in rng.sample(tags, 2)
        )
        Reply.objects.bulk_create(
            (
                Reply(dilemma=d, author=users[(i + j) % len(users)], body=_text(rng, 80))
                for i, d in zip(numbers, dilemmas, strict=True)
                for j in range(REPLIES_PER_DILEMMA)
            ),
            batch_size=BATCH,
        )

    rng = random.Random(2052)
    for numbers in _chunked(ARTICLES * scale):
        articles = Article.objects.bulk_create(
            Article(
                title=f"{_text(rng, 5)[:-1]} {i}",
                slug=f"bench-article-{i}",
                summary=_text(rng, 40),
                body=_text(rng, 400),
                kind="guide",
                source_organisation="KL",
                author=users[0],
                status="published",
                published_at=now - timedelta(hours=i),
            )
            for i in numbers
        )
        TaggedArticle.objects.bulk_create(
            TaggedArticle(content_object=a, tag=t) for a in articles for t in rng.sample(tags, 3)
        )


def thread_pk(number: int = 7) -> int:
    """The pk of bench dilemma `number` (its title ends in "? <number>")."""
    return Dilemma.objects.get(title__endswith=f"? {number}", author__email__endswith=".bench").pk

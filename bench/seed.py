"""Fill the benchmark database with enough rows that slow queries and N+1s show.

Run through `manage.py shell -c "import bench.seed; bench.seed.run()"` by bench/run.sh.
Idempotent: it only tops up to the target counts.
"""

import importlib
import random
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.db import transaction
from django.utils import timezone
from taggit.models import Tag

from accounts.models import Organisation, User
from articles.models import Article, TaggedArticle
from cases.models import Case, TaggedCase
from dilemmas.models import Dilemma, Reply, TaggedDilemma
from komvidere import search
from komvidere.models import Sector

MEMBERS = 600
CASES = 2000
DILEMMAS = 2000
REPLIES_PER_DILEMMA = 5
ARTICLES = 300
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
def run() -> None:
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
    User.objects.bulk_create(new)
    users = User.objects.filter(email__endswith=".bench")
    EmailAddress.objects.bulk_create(
        [EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users],
        ignore_conflicts=True,
    )
    if not Case.objects.filter(slug__startswith="bench-").exists():
        _content(list(users[:50]), organisations)
        search.rebuild()
    print(f"bench data: {users.count()} members")  # noqa: T201


def session_cookie() -> str:
    """A session for the first bench member, for wrk's Cookie header."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    SessionStore = importlib.import_module(settings.SESSION_ENGINE).SessionStore

    user = User.objects.filter(email__endswith=".bench").order_by("pk").first()
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def _text(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def _content(users, organisations) -> None:
    """Bulk rows like the real ones: published cases and articles, dilemmas with replies."""
    rng = random.Random(2050)
    now = timezone.now()
    sectors = list(Sector.objects.all())
    tags = [Tag.objects.get_or_create(name=w, defaults={"slug": w.lower()})[0] for w in WORDS]
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
        for i in range(CASES)
    )
    Case.sectors.through.objects.bulk_create(
        Case.sectors.through(case_id=c.pk, sector_id=rng.choice(sectors).pk) for c in cases
    )
    TaggedCase.objects.bulk_create(
        TaggedCase(content_object=c, tag=t) for c in cases for t in rng.sample(tags, 3)
    )
    dilemmas = Dilemma.objects.bulk_create(
        Dilemma(
            kind="question",
            title=f"{_text(rng, 6)[:-1]}? {i}",
            body=_text(rng, 150),
            author=users[i % len(users)],
            organisation=users[i % len(users)].organisation,
            reply_count=REPLIES_PER_DILEMMA,
        )
        for i in range(DILEMMAS)
    )
    TaggedDilemma.objects.bulk_create(
        TaggedDilemma(content_object=d, tag=t) for d in dilemmas for t in rng.sample(tags, 2)
    )
    Reply.objects.bulk_create(
        Reply(dilemma=d, author=users[(i + j) % len(users)], body=_text(rng, 80))
        for i, d in enumerate(dilemmas)
        for j in range(REPLIES_PER_DILEMMA)
    )
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
        for i in range(ARTICLES)
    )
    TaggedArticle.objects.bulk_create(
        TaggedArticle(content_object=a, tag=t) for a in articles for t in rng.sample(tags, 3)
    )

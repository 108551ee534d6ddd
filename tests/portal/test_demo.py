"""The demo as a whole (seed_demo and portal/demo): people in every region, what members
see after `make run`, what search finds, and the command's guard and output."""

from contextlib import contextmanager
from dataclasses import dataclass
from io import StringIO
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import Client, TestCase, override_settings
from django.urls import reverse

from accounts.models import Notification, Region, User
from articles.models import Article
from cases.models import Case
from dilemmas.models import Dilemma, Follow, HelpfulMark, Reply
from komvidere.models import SearchEntry, Status
from portal import demo


@dataclass
class SeededDemo:
    output: str
    media_root: Path
    emails_sent: int


@contextmanager
def seeded_demo(django_db_blocker, media_root: Path):
    """Seed the demo once for a module's tests, and roll it back after them.

    The tests of a module share one seeding (it takes seconds); each test runs in its own
    savepoint inside it, so what a test changes is undone before the next. After-commit work
    (e-mail) runs as if the seeding had committed.
    """
    hashers = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=media_root, PASSWORD_HASHERS=hashers),
        transaction.atomic(),
    ):
        sent = len(mail.outbox)
        output = StringIO()
        with TestCase.captureOnCommitCallbacks(execute=True):
            call_command("seed_demo", "--force", stdout=output)
        yield SeededDemo(output.getvalue(), media_root, len(mail.outbox) - sent)
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker, tmp_path_factory):
    with seeded_demo(django_db_blocker, tmp_path_factory.mktemp("media")) as demo_run:
        yield demo_run


@pytest.fixture
def people(seeded, db):
    return demo.read("people")


def _client(email: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(email=email))
    return client


def test_demo_people_come_from_every_region(people):
    specs = people["person"]
    assert User.objects.filter(email__in=[p["email"] for p in specs]).count() == len(specs) >= 20
    members = User.objects.members().filter(organisation__isnull=False)
    assert set(members.values_list("organisation__region", flat=True)) == set(Region.values)
    assert members.values("organisation").distinct().count() >= 20
    for spec in specs:
        user = User.objects.get(email=spec["email"])
        assert user.name == spec["name"]
        assert user.check_password(people["password"])
        assert EmailAddress.objects.filter(user=user, email=user.email, verified=True).exists()
        assert user.email_notifications == User.NotifyBy.NEVER
        assert user.is_moderator == (spec["role"] in ("moderator", "admin"))
        assert user.is_staff == (spec["role"] == "admin")
    # Each person belongs to the organisation of their e-mail domain.
    assert User.objects.get(email="klima@kalundborg.dk").organisation.slug == "kalundborg"
    assert User.objects.get(email="coordinator@rm.dk").organisation.slug == "region-midtjylland"


def test_seed_demo_prints_the_demo_logins(seeded):
    for email in ("planner@silkeborg.dk", "coordinator@rm.dk", "admin@komvidere.dk"):
        assert email in seeded.output
    assert demo.read("people")["password"] in seeded.output


def test_seeding_emails_nobody(seeded):
    """The demo addresses may be real municipal mailboxes."""
    assert seeded.emails_sent == 0


def _snapshot(media_root: Path) -> dict:
    """Everything the seeding writes, as it stands."""

    def rows(queryset, *fields):
        return list(queryset.order_by("pk").values_list("pk", *fields))

    return {
        "users": rows(User.objects, "email", "password", "organisation"),
        "addresses": rows(EmailAddress.objects, "email", "verified"),
        "cases": rows(Case.objects, "updated_at", "status", "featured", "cover_image"),
        "case revisions": Case.revisions.count(),
        "dilemmas": rows(Dilemma.objects, "last_activity_at", "status", "reply_count"),
        "replies": rows(Reply.objects, "body"),
        "helpful marks": rows(HelpfulMark.objects, "reply", "user"),
        "follows": rows(Follow.objects, "user", "dilemma"),
        "notifications": rows(Notification.objects, "recipient", "kind"),
        "articles": rows(Article.objects, "updated_at", "status"),
        "search": rows(SearchEntry.objects, "kind", "object_id", "title"),
        "files": sorted(str(p) for p in media_root.rglob("*") if p.is_file()),
    }


def test_a_second_run_changes_nothing(seeded, db, settings):
    settings.MEDIA_ROOT = seeded.media_root
    before = _snapshot(seeded.media_root)
    assert before["cases"] and before["replies"] and before["files"]

    output = StringIO()
    call_command("seed_demo", "--force", stdout=output)

    assert _snapshot(seeded.media_root) == before
    assert "planner@silkeborg.dk" in output.getvalue()


def test_search_holds_exactly_what_members_may_see(seeded, db):
    """Search entries exist for published cases and articles and visible threads and replies
    only: the services indexed the demo as it was written."""
    expected = {
        *(("case", pk) for pk in Case.objects.published().values_list("pk", flat=True)),
        *(("article", pk) for pk in Article.objects.published().values_list("pk", flat=True)),
        *(
            ("dilemma", pk)
            for pk in Dilemma.objects.filter(hidden=False).values_list("pk", flat=True)
        ),
        *(("reply", pk) for pk in Reply.objects.filter(hidden=False).values_list("pk", flat=True)),
    }
    assert set(SearchEntry.objects.values_list("kind", "object_id")) == expected
    assert Case.objects.exclude(status=Status.PUBLISHED).exists()  # drafts exist, unindexed
    assert Article.objects.exclude(status=Status.PUBLISHED).exists()


@pytest.mark.parametrize(
    ("query", "title"),
    [
        ("vindmøller", "Samsøs borgerejede vindmøller"),
        ("symbiose", "Kalundborg Symbiose"),
        ("geotermi", "Geotermisk fjernvarme i Thisted"),
        ("stormflod", "diger"),
    ],
)
def test_search_finds_the_published_demo_content(seeded, db, query, title):
    response = _client("planner@silkeborg.dk").get(reverse("portal:search"), {"q": query})
    assert response.status_code == 200
    assert title in response.content.decode()


def test_search_does_not_find_demo_drafts(seeded, db):
    draft = Case.objects.get(status=Status.DRAFT)
    response = _client("klima@aarhus.dk").get(reverse("portal:search"), {"q": draft.title})
    assert draft.get_absolute_url() not in response.content.decode()


def test_make_run_shows_the_demo(seeded, db):
    client = _client("planner@silkeborg.dk")
    home = client.get("/")
    assert home.status_code == 200
    featured = Case.objects.published().filter(featured=True).first()
    assert featured.title in home.content.decode()
    listing = client.get(reverse("cases:list"), {"region": "nordjylland"})
    assert "Aalborg" in listing.content.decode()
    detail = client.get(featured.get_absolute_url())
    assert detail.status_code == 200
    assert reverse("cases:cover", args=[featured.slug]) in detail.content.decode()
    assert featured.cover_credit in detail.content.decode()
    cover = client.get(reverse("cases:cover", args=[featured.slug]))
    assert cover.status_code == 200
    assert cover["Content-Type"] == "image/jpeg"
    thread = Dilemma.objects.filter(reply_count__gt=1).first()
    assert client.get(thread.get_absolute_url()).status_code == 200


def test_seed_demo_refuses_with_debug_off(db, settings):
    settings.DEBUG = False
    before = User.objects.count(), Case.objects.count(), Dilemma.objects.count()
    with pytest.raises(CommandError, match="DJANGO_DEBUG"):
        call_command("seed_demo")
    assert (User.objects.count(), Case.objects.count(), Dilemma.objects.count()) == before


def test_seed_demo_runs_without_force_when_debug_is_on(seeded, db, settings):
    settings.DEBUG = True
    settings.MEDIA_ROOT = seeded.media_root
    output = StringIO()
    call_command("seed_demo", stdout=output)
    assert "planner@silkeborg.dk" in output.getvalue()


def test_demo_threads_are_linked_to_the_cases_that_answer_them(seeded, db):
    dilemma = Dilemma.objects.get(title__startswith="Fjernvarme i landsbyer")
    assert set(dilemma.related_cases.values_list("title", flat=True)) == {
        "Fælles varmepumpeudbud for landsbyer uden for fjernvarme",
        "Fra naturgas til fjernvarme i Silkeborgs forstæder",
    }
    assert Dilemma.related_cases.through.objects.count() == 7

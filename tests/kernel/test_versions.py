"""Cached fragments (komvidere.versions) follow every change of what they show: a case edited,
a reply hidden, a tag merged, a case published; the lists and their facet counts follow."""

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from taggit.models import Tag

from cases import services as case_services
from dilemmas import services as dilemma_services
from komvidere import tagging, versions
from komvidere.models import Sector
from tests.factories import CaseFactory, ModeratorFactory

CASES = "/cases/"


def facet(response, name: str) -> dict[str, int]:
    for group in response.context["facets"]:
        if group.name == name:
            return {value.value: value.count for value in group.values}
    return {}


def test_a_fragment_is_computed_once_per_version(db):
    calls = []

    def compute():
        calls.append(1)
        return ["rendered"]

    assert versions.cached(["cases"], "f", ("da",), compute) == ["rendered"]
    assert versions.cached(["cases"], "f", ("da",), compute) == ["rendered"]
    assert len(calls) == 1
    versions.cached(["cases"], "f", ("en",), compute)  # other parts: its own entry
    assert len(calls) == 2
    versions.bump("articles")  # another kind: still cached
    versions.cached(["cases"], "f", ("da",), compute)
    assert len(calls) == 2
    versions.bump("cases")
    versions.cached(["cases"], "f", ("da",), compute)
    assert len(calls) == 3


def test_a_bump_is_repeated_when_the_transaction_commits(db, django_capture_on_commit_callbacks):
    """A request that read the old rows before the commit cached them under the version of
    the first bump: the second one, after the commit, leaves that entry unread."""
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        versions.bump("cases")
        during = versions.current("cases")
    assert versions.current("cases") != during


def test_the_facet_counts_are_cached_and_follow_an_edit(
    member_client, member, sectors, no_page_cache
):
    case = CaseFactory(sectors=[sectors["energi"]], author=member)
    first = member_client.get(CASES)
    assert facet(first, "sector") == {"energi": 1}

    with CaptureQueriesContext(connection) as warm:
        again = member_client.get(CASES)
    with CaptureQueriesContext(connection) as cold:
        cache.clear()
        member_client.get(CASES)
    assert facet(again, "sector") == {"energi": 1}
    assert len(warm) < len(cold) - 3  # the seven facet queries are not made again

    case_services.case_update(case=case, editor=member, sectors=[sectors["transport"]])
    edited = member_client.get(CASES)
    assert facet(edited, "sector") == {"transport": 1}


def test_a_published_case_appears_in_the_list_counts_and_home(member_client, member, sectors):
    CaseFactory(sectors=[sectors["energi"]], title="Den første")
    draft = CaseFactory(
        sectors=[sectors["energi"]], status="submitted", published_at=None, title="Den nye"
    )
    assert facet(member_client.get(CASES), "sector") == {"energi": 1}
    home = member_client.get("/")
    assert "Den nye" not in home.content.decode()

    case_services.case_publish(case=draft, user=ModeratorFactory())

    listed = member_client.get(CASES)
    assert facet(listed, "sector") == {"energi": 2}
    assert "Den nye" in listed.content.decode()
    assert "Den nye" in member_client.get("/").content.decode()


def test_a_tag_merge_moves_the_counts(member_client, sectors):
    CaseFactory(tags=["Solceller"])
    CaseFactory(tags=["solcelle"])
    assert facet(member_client.get(CASES), "tag") == {"solceller": 1, "solcelle": 1}

    tagging.tag_merge(
        survivor=Tag.objects.get(name="Solceller"), others=[Tag.objects.get(name="solcelle")]
    )

    assert facet(member_client.get(CASES), "tag") == {"solceller": 2}


def test_a_renamed_sector_is_renamed_in_the_facets(member_client, sectors):
    CaseFactory(sectors=[sectors["energi"]])
    member_client.get(CASES)
    energy = sectors["energi"]
    energy.name = "Energiforsyning"  # as the admin saves it
    energy.save()
    labels = [v.label for g in member_client.get(CASES).context["facets"] for v in g.values]
    assert "Energiforsyning" in labels


@pytest.fixture
def sectors(db):
    return {s.slug: s for s in Sector.objects.all()}


@pytest.fixture
def thread(member, other_member):
    dilemma = dilemma_services.dilemma_create(
        author=member,
        kind="question",
        title="Hvordan får vi borgerne med?",
        body="Vi har brug for idéer.",
        check_rate=False,
    )
    reply = dilemma_services.reply_create(
        author=other_member, dilemma=dilemma, body="Prøv et borgerpanel.", check_rate=False
    )
    return dilemma, reply


def test_a_hidden_reply_changes_the_dilemma_list_and_its_counts(member_client, thread, moderator):
    dilemma, reply = thread
    first = member_client.get("/dilemmas/", {"no_replies": "1"})
    assert dilemma not in first.context["dilemmas"]
    assert sum(facet(first, "kind").values()) == 0

    dilemma_services.reply_set_hidden(user=moderator, reply=reply, hidden=True)

    after = member_client.get("/dilemmas/", {"no_replies": "1"})
    assert dilemma in after.context["dilemmas"]
    assert facet(after, "kind") == {"question": 1}


def test_the_home_page_lists_follow_a_hidden_dilemma(member_client, thread, moderator):
    dilemma, _ = thread
    other = member_client
    assert dilemma.title in other.get("/").content.decode()
    dilemma_services.dilemma_set_hidden(user=moderator, dilemma=dilemma, hidden=True)
    assert dilemma.title not in other.get("/").content.decode()


def test_one_members_drafts_are_never_cached_for_another(client, member, other_member, sectors):
    CaseFactory(author=member, status="draft", published_at=None, sectors=[sectors["energi"]])
    client.force_login(member)
    assert facet(client.get(CASES, {"mine": "1"}), "sector") == {"energi": 1}
    client.force_login(other_member)
    assert facet(client.get(CASES, {"mine": "1"}), "sector") == {}


def test_the_related_box_is_cached_and_follows_a_new_case(member_client, sectors):
    case = CaseFactory(tags=["solceller"], title="Solceller på skolerne")
    CaseFactory(tags=["solceller"], title="Solceller på rådhuset")
    url = case.get_absolute_url()
    first = [item.title for item in member_client.get(url).context["related"]]
    assert first == ["Solceller på rådhuset"]

    with CaptureQueriesContext(connection) as warm:
        member_client.get(url)
    cache_key_reads = len(warm)
    draft = CaseFactory(
        tags=["solceller"], title="Solceller i haller", status="submitted", published_at=None
    )
    case_services.case_publish(case=draft, user=ModeratorFactory())
    with CaptureQueriesContext(connection) as cold:
        titles = [item.title for item in member_client.get(url).context["related"]]
    assert set(titles) == {"Solceller på rådhuset", "Solceller i haller"}
    assert len(cold) > cache_key_reads  # computed again: one query per content type

"""Rendered fragments ({% fragment %}, komvidere.versions.key): HTML rendered once per change of
what it shows, and rendered afresh after a case is edited or published, a tag merged, a
member's profile changed; never shared where it holds one member's own view."""

import re
from unittest import mock

import pytest
from django.core.cache import cache
from django.template import Context, Template
from django.utils import timezone
from taggit.models import Tag

from accounts.models import User
from cases import services as case_services
from komvidere import search, tagging, versions
from komvidere.models import Sector
from tests.factories import CaseFactory, ModeratorFactory, OrganisationFactory, UserFactory

CASES = "/cases/"


def render(source: str, **context) -> str:
    return Template("{% load komvidere %}" + source).render(Context(context))


def test_a_fragment_is_rendered_once_per_key(db):
    source = "{% fragment key %}<b>{{ name }}</b>{% endfragment %}"
    assert render(source, key="k1", name="first") == "<b>first</b>"
    # Same key: what was rendered, although the context changed.
    assert render(source, key="k1", name="second") == "<b>first</b>"
    assert render(source, key="k2", name="second") == "<b>second</b>"
    # No key: rendered every time, nothing cached.
    assert render(source, key=None, name="third") == "<b>third</b>"
    assert render(source, key="", name="fourth") == "<b>fourth</b>"


def test_a_cached_fragment_stays_escaped_and_safe(db):
    source = "{% fragment key %}{{ name }}{% endfragment %}"
    assert render(source, key="k", name="<script>") == "&lt;script&gt;"
    outer = "{% fragment key %}{{ name }}{% endfragment %}{{ after }}"
    assert render(outer, key="k", name="x", after="<i>") == "&lt;script&gt;&lt;i&gt;"


def test_a_key_carries_the_code_and_the_versions(db):
    first = versions.key(["cases"], "cards", ("da", [1, 2]))
    assert versions.code_version() in first
    assert versions.key(["cases"], "cards", ("da", [1, 2])) == first
    assert versions.key(["cases"], "cards", ("en", [1, 2])) != first
    versions.bump("articles")
    assert versions.key(["cases"], "cards", ("da", [1, 2])) == first
    versions.bump("cases")
    assert versions.key(["cases"], "cards", ("da", [1, 2])) != first


def test_the_case_cards_follow_an_edit(member_client, member, sectors):
    case = CaseFactory(sectors=[sectors["energi"]], title="Solceller på taget", author=member)
    assert "Solceller på taget" in member_client.get(CASES).content.decode()
    assert any(key.startswith("fragment:case-cards") for key in _keys())
    case_services.case_update(case=case, editor=member, title="Solceller på skolen")
    page = member_client.get(CASES).content.decode()
    assert "Solceller på skolen" in page
    assert "Solceller på taget" not in page


def test_the_rendered_facet_counts_follow_a_published_case(member_client, member, sectors):
    CaseFactory(sectors=[sectors["energi"]])
    draft = CaseFactory(sectors=[sectors["energi"]], status="submitted", published_at=None)
    checkbox = 'id="facet-sector-energi"'
    before = member_client.get(CASES).content.decode()
    assert checkbox in before and _count_after(before, checkbox) == "1"
    case_services.case_publish(case=draft, user=ModeratorFactory())
    after = member_client.get(CASES).content.decode()
    assert _count_after(after, checkbox) == "2"


def test_the_rendered_tags_follow_a_tag_merge(member_client, sectors):
    CaseFactory(sectors=[sectors["energi"]], tags=["Solenergi"], title="Solparken")
    assert "#Solenergi" in member_client.get(CASES).content.decode()
    survivor = Tag.objects.create(name="solceller", slug="solceller")
    tagging.tag_merge(survivor=survivor, others=[Tag.objects.get(name="Solenergi")])
    page = member_client.get(CASES).content.decode()
    assert "#solceller" in page
    assert "#Solenergi" not in page


def test_my_cases_and_a_text_filter_are_not_shared(member_client, member, other_member):
    CaseFactory(author=member, status="draft", published_at=None, title="Mit udkast")
    search.index(CaseFactory(author=other_member, title="Fjernvarme i Ry"))
    mine = member_client.get(CASES, {"mine": "1"})
    assert mine.context.get("cards_fragment") is None
    assert "Mit udkast" in mine.content.decode()
    searched = member_client.get(CASES, {"q": "fjernvarme"})
    assert searched.context.get("cards_fragment") is None
    assert searched.context["facet_fragment"] is None
    assert "Fjernvarme i Ry" in searched.content.decode()


def test_the_others_working_on_the_same_follow_a_profile(member_client, member, sectors):
    case = CaseFactory(sectors=[sectors["energi"]], author=member)
    elsewhere = OrganisationFactory(name="Ry Kommune")
    colleague = UserFactory(name="Karin Varme", organisation=elsewhere)
    assert "Karin Varme" not in member_client.get(case.get_absolute_url()).content.decode()
    colleague.sectors.add(sectors["energi"])  # the profile form's save sends the same signal
    assert "Karin Varme" in member_client.get(case.get_absolute_url()).content.decode()
    colleague.name = "Karin Fjernvarme"
    colleague.save()
    page = member_client.get(case.get_absolute_url()).content.decode()
    assert "Karin Fjernvarme" in page


def test_a_login_does_not_change_the_people_version(db, member):
    before = versions.current(versions.PEOPLE)
    member.last_login = timezone.now()
    member.save(update_fields=["last_login"])
    assert versions.current(versions.PEOPLE) == before
    User.objects.get(pk=member.pk).save()
    assert versions.current(versions.PEOPLE) != before


def test_a_fragment_holds_no_csrf_token_or_nonce(member_client, member, sectors):
    """What is shared must hold nothing of one response (a form's token is a hole that each
    response fills: tests/dilemmas/test_thread_cache.py)."""
    CaseFactory(sectors=[sectors["energi"]])
    member_client.get(CASES)
    for key in _keys():
        if key.startswith("fragment:"):
            html = cache.get(key)
            if isinstance(html, str):
                assert not re.search(r'name="csrfmiddlewaretoken" value="[^\x00]', html)
                assert "nonce=" not in html


def _count_after(html: str, marker: str) -> str:
    tail = html.split(marker, 1)[1]
    return tail.split('class="facet__count">(', 1)[1].split("<", 1)[0]


def _keys() -> list[str]:
    """The keys in the test cache (LocMemCache), without their prefix and version."""
    return [key.split(":", 2)[2] for key in getattr(cache, "_cache", {})]


@pytest.fixture
def sectors(db):
    return {s.slug: s for s in Sector.objects.all()}


def test_a_page_reads_the_versions_once(member_client, member, sectors):
    """A case page keys several fragments: the versions of every kind come in one cache call,
    and a write during the request is seen by the rest of it."""
    case = CaseFactory(sectors=[sectors["energi"]], author=member)
    member_client.get(case.get_absolute_url())
    with mock.patch.object(cache, "get_many", wraps=cache.get_many) as get_many:
        assert member_client.get(case.get_absolute_url()).status_code == 200
    reads = [c for c in get_many.call_args_list if any(k.startswith("version:") for k in c[0][0])]
    assert len(reads) == 1
    versions._request_started()
    try:
        before = versions.current(versions.CASES)
        versions.bump(versions.CASES)
        assert versions.current(versions.CASES) != before
    finally:
        versions._request_finished()


def test_the_people_filter_form_is_rendered_once_and_follows_a_new_organisation(member_client):
    first = member_client.get("/people/")
    assert first.context["filter_form_fragment"]
    OrganisationFactory(name="Fanø Forsyning")
    page = member_client.get("/people/").content.decode()
    assert "Fanø Forsyning" in page
    filtered = member_client.get("/people/", {"q": "Mette"})
    assert filtered.context.get("filter_form_fragment") is None
    assert 'value="Mette"' in filtered.content.decode()


def test_the_code_version_changes_with_a_template_and_ignores_uploads(settings, tmp_path):
    (tmp_path / "templates").mkdir()
    template = tmp_path / "templates" / "page.html"
    template.write_text("<p>one</p>")
    (tmp_path / "uploads").mkdir()
    settings.BASE_DIR = tmp_path
    settings.MEDIA_ROOT = tmp_path / "uploads"
    versions.code_version.cache_clear()
    try:
        first = versions.code_version()
        (tmp_path / "uploads" / "cover.html").write_text("an upload")
        versions.code_version.cache_clear()
        assert versions.code_version() == first
        template.write_text("<p>two, longer</p>")
        versions.code_version.cache_clear()
        second = versions.code_version()
        assert second != first
        # A stylesheet: cached HTML names its hashed file.
        (tmp_path / "static").mkdir()
        (tmp_path / "static" / "planning.css").write_text("p { color: green }")
        versions.code_version.cache_clear()
        assert versions.code_version() != second
    finally:
        versions.code_version.cache_clear()

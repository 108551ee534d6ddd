"""Whole main columns cached (komvidere.mixins.CachedPageMixin): the lists, search and tag
pages are rendered once per change of what they show and per kind of viewer, with each
member's own pieces ({% mine %}) and CSRF token put in when served."""

import pytest
from django.db import connection
from django.template import Context, Template
from django.test import Client
from django.test.utils import CaptureQueriesContext

from cases import services as case_services
from dilemmas import services as dilemma_services
from komvidere import follows, fragments, search
from tests.factories import CaseFactory, DilemmaFactory, ModeratorFactory, UserFactory

YOU = "dig, skrevet anonymt"


def _html(client, url, **params) -> str:
    response = client.get(url, params)
    assert response.status_code == 200
    return response.content.decode()


def test_a_list_is_served_from_the_cache_without_its_queries(member_client):
    CaseFactory(title="Solceller på skolen")
    first = member_client.get("/cases/")
    assert first.context["page_fragment"] and "paginator" in first.context
    with CaptureQueriesContext(connection) as queries:
        again = member_client.get("/cases/")
    assert "Solceller på skolen" in again.content.decode()
    assert "paginator" not in again.context
    assert not any("cases_case" in q["sql"] for q in queries)


def test_a_published_case_enters_the_cached_list_search_and_tag_page(member_client):
    CaseFactory(title="Fjernvarme i Ry", tags=["varme"])
    draft = CaseFactory(
        title="Fjernvarme i Them", tags=["varme"], status="submitted", published_at=None
    )
    for url, params in (("/cases/", {}), ("/search/", {"q": "fjernvarme"}), ("/tags/varme/", {})):
        assert "Fjernvarme i Them" not in _html(member_client, url, **params)
    case_services.case_publish(case=draft, user=ModeratorFactory())
    search.index(draft)
    for url, params in (("/cases/", {}), ("/search/", {"q": "fjernvarme"}), ("/tags/varme/", {})):
        assert "Fjernvarme i Them" in _html(member_client, url, **params), url


def test_an_anonymous_asker_sees_you_on_the_shared_list_and_no_one_else_does(
    member, member_client, moderator_client
):
    DilemmaFactory(author=member, anonymous=True, title="Hvordan taler vi om bilerne?")
    colleague = Client()
    colleague.force_login(UserFactory())
    theirs = _html(colleague, "/dilemmas/")  # stored as every member sees it
    assert "Hvordan taler vi om bilerne?" in theirs and YOU not in theirs
    assert "\x00" not in theirs
    mine = _html(member_client, "/dilemmas/")
    assert YOU in mine and "\x00" not in mine
    assert YOU not in _html(colleague, "/dilemmas/")
    # Moderators see who asked; the note is the asker's alone.
    moderated = _html(moderator_client, "/dilemmas/")
    assert "Mette Klimasen" in moderated and YOU not in moderated


def test_the_tag_page_s_follow_button_is_each_member_s_own(member, member_client):
    CaseFactory(tags=["biogas"])
    colleague = Client()
    colleague.force_login(UserFactory())
    _html(colleague, "/tags/biogas/")
    from taggit.models import Tag

    follows.follow_add(user=member, item=Tag.objects.get(slug="biogas"))
    assert 'aria-pressed="true"' in _html(member_client, "/tags/biogas/")
    assert 'aria-pressed="true"' not in _html(colleague, "/tags/biogas/")


def test_following_and_my_cases_are_not_cached(member, member_client):
    dilemma = DilemmaFactory(title="Tråden jeg følger")
    dilemma_services.dilemma_follow(user=member, dilemma=dilemma)
    assert member_client.get("/dilemmas/", {"following": "1"}).context["page_fragment"] is None
    assert member_client.get("/cases/", {"mine": "1"}).context["page_fragment"] is None


@pytest.mark.parametrize("viewer, shown", [(7, "mine"), (8, "theirs"), (None, "theirs")])
def test_mine_is_decided_when_served_also_inside_a_nested_fragment(db, viewer, shown):
    source = (
        "{% load komvidere %}{% fragment outer %}<p>{% fragment inner %}"
        "{% mine 7 %}mine{% else %}theirs{% endmine %}{% endfragment %}</p>{% endfragment %}"
    )

    class Viewer:
        pk = viewer

    def render(**context):
        return Template(source).render(Context({"user": Viewer(), **context}))

    fragments._started()
    assert render(outer="o1", inner="i1") == f"<p>{shown}</p>"
    fragments._started()
    assert render(outer="o2", inner="i1") == f"<p>{shown}</p>"  # inner from the cache
    fragments._started()
    assert render(outer="o1", inner="i1") == f"<p>{shown}</p>"  # outer from the cache
    assert "\x00me:7\x00" in fragments.cached("o1")


NEWS = "Nyt i en tråd, du følger"


def test_home_is_the_member_s_own_and_follows_what_they_read(member, member_client):
    dilemma = DilemmaFactory(title="Tråd med nyt")
    dilemma_services.dilemma_follow(user=member, dilemma=dilemma)
    colleague = Client()
    colleague.force_login(UserFactory(name="Karin Varme"))
    dilemma_services.reply_create(author=UserFactory(), dilemma=dilemma, body="Nyt svar")
    home = _html(member_client, "/")
    assert home.count(NEWS) == 1 and "Mette Klimasen" in home
    theirs = _html(colleague, "/")
    assert NEWS not in theirs and "Karin Varme" in theirs and "Mette Klimasen" not in theirs
    assert member_client.get("/").context.get("followed") is None  # served from the cache
    _html(member_client, dilemma.get_absolute_url())  # read: no longer news
    assert NEWS not in _html(member_client, "/")
    dilemma_services.reply_create(author=UserFactory(), dilemma=dilemma, body="Endnu et svar")
    assert NEWS in _html(member_client, "/")
    dilemma_services.dilemma_unfollow(user=member, dilemma=dilemma)
    assert NEWS not in _html(member_client, "/")


def test_a_moderator_s_home_counts_follow_a_report(moderator, moderator_client, member):
    dilemma = DilemmaFactory()
    assert "0 åbne anmeldelser" in _html(moderator_client, "/")
    flag = dilemma_services.flag_create(reporter=member, reason="spam", dilemma=dilemma)
    assert "1 åben anmeldelse" in _html(moderator_client, "/")
    dilemma_services.flag_handle(user=moderator, flag=flag, action="dismiss")
    assert "0 åbne anmeldelser" in _html(moderator_client, "/")


def test_a_deleted_member_s_contact_details_leave_the_cached_case_page(member_client):
    from accounts import services as account_services

    author = UserFactory(name="Ole Kontakt", email_local_part="ole.kontakt")
    case = CaseFactory(author=author, contact_name="Ole Kontakt", contact_email=author.email)
    assert "Ole Kontakt" in _html(member_client, case.get_absolute_url())
    account_services.user_delete(user=author)
    assert "Ole Kontakt" not in _html(member_client, case.get_absolute_url())


def test_an_article_page_is_cached_for_members_and_follows_an_edit(member_client, moderator):
    from articles import services as article_services
    from tests.factories import ArticleFactory

    article = ArticleFactory(title="Guide til varmeplaner", author=moderator)
    assert member_client.get(article.get_absolute_url()).context["page_fragment"]
    assert "related" not in member_client.get(article.get_absolute_url()).context
    article_services.article_update(article=article, editor=moderator, title="Guide til biogas")
    page = _html(member_client, article.get_absolute_url())
    assert "Guide til biogas" in page and "Guide til varmeplaner" not in page
    own = Client()
    own.force_login(moderator)
    assert own.get(article.get_absolute_url()).context["page_fragment"] is None


def test_an_organisation_page_follows_its_plan_and_keeps_the_plan_buttons_its_own(
    member, member_client, moderator
):
    from accounts import services as account_services
    from tests.factories import OrganisationFactory

    elsewhere = OrganisationFactory(name="Ry Kommune", slug="ry")
    outsider = Client()
    outsider.force_login(UserFactory(organisation=elsewhere))
    url = member.organisation.get_absolute_url()
    assert outsider.get(url).context["page_fragment"]
    account_services.plan_action_create(
        organisation=member.organisation, user=member, title="Fjernvarme til Virklund"
    )
    assert "Fjernvarme til Virklund" in _html(outsider, url)
    own = member_client.get(url)
    assert own.context["page_fragment"] != outsider.get(url).context.get("page_fragment")
    account_services.climate_plan_save(
        organisation=member.organisation, user=moderator, net_zero_year=2045
    )
    assert "2045" in _html(outsider, url)


def test_home_s_shared_lists_are_rendered_once_for_all_members(member_client, moderator):
    from django.core.cache import cache

    case = CaseFactory(title="Fælles solcelleanlæg", featured=True)
    first = member_client.get("/")
    key = first.context["shared_fragments"]["featured_cases"]
    assert "Fælles solcelleanlæg" in cache.get(key)
    cache.set(key, "<p>rendered once</p>", timeout=None)  # what a second member is given
    colleague = Client()
    colleague.force_login(UserFactory())
    assert "<p>rendered once</p>" in _html(colleague, "/")
    case_services.case_update(case=case, editor=moderator, title="Fælles vindmølle")
    assert "Fælles vindmølle" in _html(colleague, "/")


def test_a_search_follows_the_index_when_it_is_written_after_the_content(member_client):
    """The index may be written by a background task after the content's own write."""
    case = CaseFactory(title="Fjernvarme i Ry")  # saved, not yet indexed
    assert "Fjernvarme i Ry" not in _html(member_client, "/search/", q="fjernvarme")
    search.index(case)
    assert "Fjernvarme i Ry" in _html(member_client, "/search/", q="fjernvarme")
    search.unindex(case)
    assert "Fjernvarme i Ry" not in _html(member_client, "/search/", q="fjernvarme")

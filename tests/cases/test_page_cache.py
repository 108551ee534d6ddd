"""A published case's page is cached as members with no part in it see it
(cases.views.CaseDetailView.page_fragment); its author and moderators get theirs rendered."""

import pytest
from django.test import Client

from cases import services
from dilemmas import services as dilemma_services
from komvidere import follows
from tests.factories import CaseFactory, DilemmaFactory, UserFactory


@pytest.fixture
def case(db, other_member):
    return CaseFactory(author=other_member, title="Solceller på skolen")


def _get(client, case):
    response = client.get(case.get_absolute_url())
    assert response.status_code == 200
    return response


def test_a_second_view_is_cached_and_an_edit_shows_at_once(member_client, case, moderator):
    assert _get(member_client, case).context["page_fragment"]
    cached = _get(member_client, case)
    assert "sections" not in cached.context  # the page's own work was skipped
    assert "Solceller på skolen" in cached.content.decode()
    services.case_update(case=case, editor=moderator, title="Solceller på rådhuset")
    page = _get(member_client, case).content.decode()
    assert "Solceller på rådhuset" in page and "Solceller på skolen" not in page


def test_the_author_and_moderators_are_not_served_the_members_page(
    member_client, moderator_client, other_member, case
):
    _get(member_client, case)
    _get(member_client, case)
    author = Client()
    author.force_login(other_member)
    mine = _get(author, case)
    assert mine.context.get("page_fragment") is None
    assert case.get_edit_url() in mine.content.decode()
    moderated = _get(moderator_client, case)
    assert moderated.context.get("page_fragment") is None
    assert "review_form" in moderated.context
    assert case.get_edit_url() not in _get(member_client, case).content.decode()


def test_the_follow_button_is_the_member_s_own(member, member_client, case):
    _get(member_client, case)
    stranger = Client()
    stranger.force_login(UserFactory())
    _get(stranger, case)
    follows.follow_add(user=member, item=case)
    assert 'aria-pressed="true"' in _get(member_client, case).content.decode()
    assert 'aria-pressed="true"' not in _get(stranger, case).content.decode()


def test_a_dilemma_linked_to_the_case_shows_on_its_cached_page(member, member_client, case):
    dilemma = DilemmaFactory(title="Hvordan får vi skolerne med?")
    _get(member_client, case)
    dilemma_services.dilemma_link_case(user=member, dilemma=dilemma, case=case)
    assert "Hvordan får vi skolerne med?" in _get(member_client, case).content.decode()

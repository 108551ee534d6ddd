"""The home page: open dilemmas, featured and new cases, new articles, followed threads."""

import pytest
from django.urls import reverse

from dilemmas import services as dilemma_services
from komvidere.models import Sector, Theme
from tests.factories import (
    ArticleFactory,
    CaseFactory,
    DilemmaFactory,
    ModeratorFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def test_puts_first_what_matches_my_sectors_and_themes(member, member_client):
    energi = Sector.objects.get(name="Energi")
    transport = Sector.objects.get(name="Transport")
    theme = Theme.objects.first()
    member.sectors.set([energi])
    member.themes.set([theme])
    in_sector = DilemmaFactory(title="Varmepumper i landsbyer")
    in_sector.sectors.set([energi])
    by_theme = DilemmaFactory(title="Borgermøder om vindmøller")
    by_theme.themes.set([theme])
    elsewhere = DilemmaFactory(title="Cykelstier langs landevejen")
    elsewhere.sectors.set([transport])
    mine = DilemmaFactory(title="Mit eget spørgsmål", author=member)
    mine.sectors.set([energi])
    energy_case = CaseFactory(title="Fjernvarme i Thisted", sectors=[energi])
    CaseFactory(title="Elbusser i Aarhus", sectors=[transport])

    response = member_client.get(reverse("portal:home"))

    assert set(response.context["matching_dilemmas"]) == {in_sector, by_theme}
    assert response.context["matching_cases"] == [energy_case]
    html = response.content.decode()
    assert html.index("Varmepumper i landsbyer") < html.index("Cykelstier langs landevejen")
    # A case already shown among "new cases in your sectors" is not shown again further down.
    assert energy_case not in list(response.context["new_cases"])


def test_without_sectors_says_what_to_do(member_client):
    response = member_client.get(reverse("portal:home"))
    assert response.context["has_interests"] is False
    assert reverse("accounts:profile") in response.content.decode()


def test_my_drafts_and_what_waits_for_me(member, member_client):
    draft = CaseFactory(
        title="Min kladde om solceller", author=member, status="draft", published_at=None
    )
    CaseFactory(title="En andens kladde", status="draft", published_at=None)
    asked = dilemma_services.dilemma_create(
        author=member,
        kind="question",
        title="Hvem har erfaring med biogas?",
        body="?",
        check_rate=False,
    )
    dilemma_services.reply_create(
        author=UserFactory(), dilemma=asked, body="Vi har", check_rate=False
    )

    response = member_client.get(reverse("portal:home"))

    assert response.context["drafts"] == [draft]
    assert response.context["awaiting_answer"] == [asked]
    html = response.content.decode()
    assert draft.get_edit_url() in html
    assert "En andens kladde" not in html


def test_visitor_is_sent_to_login(client):
    response = client.get(reverse("portal:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_open_dilemmas_without_an_answer_newest_first(member_client):
    older = DilemmaFactory(title="Ældre åbent spørgsmål")
    newer = DilemmaFactory(title="Nyere åbent spørgsmål")
    DilemmaFactory(title="Besvaret spørgsmål", status="concluded", conclusion="Sådan gør vi.")
    DilemmaFactory(title="Skjult spørgsmål", hidden=True)
    response = member_client.get(reverse("portal:home"))
    assert list(response.context["open_dilemmas"]) == [newer, older]
    html = response.content.decode()
    assert "Besvaret spørgsmål" not in html
    assert "Skjult spørgsmål" not in html


def test_cases_and_articles(member_client):
    featured = CaseFactory(title="Fremhævet case", featured=True)
    recent = CaseFactory(title="Ny case")
    CaseFactory(title="Kladdecase", status="draft", published_at=None)
    ArticleFactory(title="Ny guide")
    response = member_client.get(reverse("portal:home"))
    assert response.context["featured_cases"] == [featured]
    assert list(response.context["new_cases"]) == [recent]
    html = response.content.decode()
    assert "Ny guide" in html
    assert "Kladdecase" not in html
    assert html.count("<h1") == 1


def test_followed_threads_with_new_activity(member, member_client):
    asker = UserFactory()
    dilemma = dilemma_services.dilemma_create(
        author=asker, kind="question", title="Scope 3 i indkøb", body="Hvordan?", check_rate=False
    )
    dilemma_services.dilemma_follow(user=member, dilemma=dilemma)
    assert list(member_client.get(reverse("portal:home")).context["followed"]) == []
    dilemma_services.reply_create(author=asker, dilemma=dilemma, body="Svar", check_rate=False)
    assert list(member_client.get(reverse("portal:home")).context["followed"]) == [dilemma]
    member_client.get(dilemma.get_absolute_url())  # reading the thread
    assert list(member_client.get(reverse("portal:home")).context["followed"]) == []


def test_moderators_see_their_queues(client, member_client):
    CaseFactory(status="submitted", published_at=None)
    moderator = ModeratorFactory()
    client.force_login(moderator)
    response = client.get(reverse("portal:home"))
    assert response.context["moderation"]["cases_submitted"] == 1
    assert "moderation" not in member_client.get(reverse("portal:home")).context


def test_query_budget(member, member_client, django_assert_max_num_queries):
    energi, transport = Sector.objects.all()[:2]
    member.sectors.set([energi, transport])
    member.themes.set(Theme.objects.all()[:2])
    for _ in range(20):
        CaseFactory(featured=True)
        CaseFactory(sectors=[energi])
        CaseFactory(author=member, status="draft", published_at=None)
        dilemma = DilemmaFactory()
        dilemma.sectors.set([energi, transport])
        ArticleFactory()
    with django_assert_max_num_queries(22):
        response = member_client.get(reverse("portal:home"))
    assert len(response.context["new_cases"]) == 6

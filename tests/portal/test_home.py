"""The home page: open dilemmas, featured and new cases, new articles, followed threads."""

import pytest
from django.urls import reverse

from dilemmas import services as dilemma_services
from tests.factories import (
    ArticleFactory,
    CaseFactory,
    DilemmaFactory,
    ModeratorFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


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


def test_query_budget(member_client, django_assert_max_num_queries):
    for _ in range(20):
        CaseFactory(featured=True)
        DilemmaFactory()
        ArticleFactory()
    with django_assert_max_num_queries(16):
        response = member_client.get(reverse("portal:home"))
    assert len(response.context["new_cases"]) == 6

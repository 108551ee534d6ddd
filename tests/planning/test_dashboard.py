"""/dashboard/: coordinators only; the figures per municipality on known data, unanswered
dilemmas with a nudge, reviews, trends, no-activity list, region filter, CSV, query budget."""

import csv
import io
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Notification, Organisation
from dilemmas import services as dilemma_services
from tests.factories import CaseFactory, DilemmaFactory, ReplyFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = reverse("portal:dashboard")


def test_the_ladder(client, member_client, moderator_client, admin_client):
    assert client.get(URL).status_code == 302
    assert member_client.get(URL).status_code == 403
    assert member_client.get(URL, {"format": "csv"}).status_code == 403
    assert moderator_client.get(URL).status_code == 200
    assert admin_client.get(URL).status_code == 200


@pytest.fixture
def known(silkeborg, aarhus, sectors):
    """Silkeborg: 3 members (2 active), 2 cases (+ a draft), 2 dilemmas (1 answered), 3 replies
    by its members; Aarhus: 1 member, inactive. The moderator is a Silkeborg member too."""
    now = timezone.now()
    a = UserFactory(organisation=silkeborg, last_login=now - timedelta(days=3))
    b = UserFactory(organisation=silkeborg, last_login=now - timedelta(days=89))
    UserFactory(organisation=silkeborg, last_login=now - timedelta(days=200))
    UserFactory(organisation=silkeborg, verified=False)  # not a member yet
    UserFactory(organisation=aarhus, last_login=now - timedelta(days=100))
    CaseFactory.create_batch(2, organisation=silkeborg, author=a)
    CaseFactory(organisation=silkeborg, author=a, status="draft", published_at=None)
    DilemmaFactory(author=a, status="concluded", conclusion="Sådan gør vi.")
    open_one = DilemmaFactory(author=b)
    open_one.sectors.add(sectors["energi"])
    DilemmaFactory(author=b, hidden=True)
    ReplyFactory.create_batch(3, author=a, dilemma=open_one)
    ReplyFactory(
        author=UserFactory(organisation=aarhus, last_login=None), hidden=True, dilemma=open_one
    )
    return open_one


def _row(response, slug):
    return next(r for r in response.context["rows"] if r.organisation.slug == slug)


def test_figures_per_municipality(moderator_client, moderator, known):
    response = moderator_client.get(URL)
    silkeborg = _row(response, "silkeborg")
    # 3 verified members + the moderator (whose last login is the test client's).
    assert (
        silkeborg.members,
        silkeborg.cases,
        silkeborg.asked,
        silkeborg.answered,
        silkeborg.replies,
    ) == (4, 2, 2, 1, 3)
    assert silkeborg.active == 3  # a, b and the logged-in moderator
    aarhus = _row(response, "aarhus")
    assert (aarhus.members, aarhus.active, aarhus.cases, aarhus.replies) == (2, 0, 0, 0)
    inactive = {row.organisation.slug for row in response.context["inactive"]}
    assert "aarhus" in inactive and "silkeborg" not in inactive
    assert response.context["unanswered"]["total"] == 1
    html = response.content.decode()
    assert known.title in html and "Nudge" in html
    assert html.count("<h1") == 1


def test_region_filter_and_csv(moderator_client, known):
    response = moderator_client.get(URL, {"region": "syddanmark"})
    assert all(r.organisation.region == "syddanmark" for r in response.context["rows"])
    assert "silkeborg" not in {r.organisation.slug for r in response.context["rows"]}
    assert response.context["unanswered"]["total"] == 0
    # An unknown region is ignored, not a 500.
    assert moderator_client.get(URL, {"region": "<script>"}).status_code == 200

    response = moderator_client.get(URL, {"region": "midtjylland", "format": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][0] == "Municipality" and len(rows[0]) == 8
    silkeborg = next(r for r in rows if r[0] == "Silkeborg Kommune")
    assert silkeborg[1:] == ["Region Midtjylland", "4", "3", "2", "2", "1", "3"]
    expected = Organisation.objects.filter(kind="municipality", region="midtjylland").count()
    assert len(rows) == expected + 1


def test_nudge_notifies_members_in_the_sector(moderator_client, member_client, known, sectors):
    energy = UserFactory()
    energy.sectors.add(sectors["energi"])
    other = UserFactory()
    other.sectors.add(sectors["transport"])
    nudge = reverse("portal:dashboard_nudge", args=[known.pk])
    assert member_client.post(nudge).status_code == 403
    assert not Notification.objects.filter(kind="dilemma_nudge").exists()
    response = moderator_client.post(nudge, {"region": "midtjylland"})
    assert response.status_code == 302
    assert response["Location"].endswith("?region=midtjylland#unanswered")
    recipients = set(
        Notification.objects.filter(kind="dilemma_nudge").values_list("recipient", flat=True)
    )
    assert recipients == {energy.pk}
    # Once a week at most: the second nudge is refused with a message and notifies no one.
    moderator_client.post(nudge)
    assert Notification.objects.filter(kind="dilemma_nudge").count() == 1


def test_nudge_only_open_threads(moderator, known):
    known.status = "closed"
    known.save()
    with pytest.raises(ValidationError):
        dilemma_services.dilemma_nudge(dilemma=known, user=moderator)


def test_reviews_and_trends(moderator_client, silkeborg):
    author = UserFactory()
    CaseFactory(title="Venter på gennemgang", status="submitted", published_at=None, author=author)
    CaseFactory(
        title="Forældet case", review_due=timezone.localdate() - timedelta(days=2), author=author
    )
    response = moderator_client.get(URL)
    reviews = response.context["reviews"]
    assert [c.title for c in reviews["submitted"]] == ["Venter på gennemgang"]
    assert [c.title for c in reviews["overdue"]] == ["Forældet case"]
    table = response.context["trends"]["table"]
    assert len(table) == 12
    assert table[-1]["cases"] == 1  # the published one, this month
    assert table[-1]["members"] >= 2
    assert len(response.context["trends"]["charts"]) == 4


def test_query_count_is_constant_in_municipalities(moderator_client, known):
    moderator_client.get(URL)  # warm the per-member caches (the moderator flag), as in use
    with CaptureQueriesContext(connection) as all_regions:
        moderator_client.get(URL)
    with CaptureQueriesContext(connection) as one_region:
        moderator_client.get(URL, {"region": "midtjylland"})
    # 98 municipalities or 19: the same number of queries.
    assert len(all_regions) == len(one_region) <= 25

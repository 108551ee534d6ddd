"""The admin: list, filters, search, and actions that call the services."""

import pytest
from django.core import mail
from django.urls import reverse

from cases.models import Case, CaseRevision, Status
from tests.factories import CaseFactory

CHANGELIST = reverse("admin:cases_case_changelist")


@pytest.fixture
def submitted(member):
    return CaseFactory.create_batch(2, author=member, status=Status.SUBMITTED, published_at=None)


def test_the_changelist_with_filters_and_search(admin_client, submitted, sector):
    CaseFactory(title="Skybrud i Viborg", sectors=[sector])

    for query in [
        "",
        "?status__exact=submitted",
        f"?sectors__id__exact={sector.pk}",
        "?organisation__region__exact=midtjylland",
        "?featured__exact=1",
        "?q=Skybrud",
    ]:
        response = admin_client.get(CHANGELIST + query)
        assert response.status_code == 200, query
    assert response.context["cl"].result_count == 1


def test_publish_action_calls_the_service(
    admin_client, admin_user, submitted, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            CHANGELIST,
            {"action": "publish", "_selected_action": [c.pk for c in submitted]},
            follow=True,
        )

    assert response.status_code == 200
    assert set(Case.objects.values_list("status", flat=True)) == {Status.PUBLISHED}
    assert all(c.published_at for c in Case.objects.all())
    assert CaseRevision.objects.filter(action="publish", editor=admin_user).count() == 2
    assert len(mail.outbox) == 2  # the author hears about each


def test_feature_and_archive_actions(admin_client, submitted):
    published = CaseFactory()
    ids = [published.pk, submitted[0].pk]

    admin_client.post(CHANGELIST, {"action": "feature", "_selected_action": ids}, follow=True)
    published.refresh_from_db()
    submitted[0].refresh_from_db()
    assert published.featured
    assert not submitted[0].featured  # a submitted case cannot be featured: a warning, no change

    admin_client.post(CHANGELIST, {"action": "archive", "_selected_action": [published.pk]})
    published.refresh_from_db()
    assert published.status == Status.ARCHIVED
    assert not published.featured


def test_saving_in_the_admin_stamps_a_revision(admin_client, admin_user):
    case = CaseFactory(title="Gammel titel")
    url = reverse("admin:cases_case_change", args=[case.pk])
    response = admin_client.get(url)
    assert response.status_code == 200

    form = response.context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and name not in {"cover_image"}
    }
    data.update(
        {
            "title": "Ny titel",
            "sectors": [s.pk for s in case.sectors.all()] or [1],
            "themes": [],
            "partners": [],
            "related_cases": [],
            "tags": "",
            "author": case.author.pk,
            "organisation": case.organisation.pk,
            "plan_stage": "",
        }
    )
    for prefix in ("links", "attachments", "revisions"):
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": "0",
                f"{prefix}-INITIAL_FORMS": "0",
                f"{prefix}-MIN_NUM_FORMS": "0",
                f"{prefix}-MAX_NUM_FORMS": "1000",
            }
        )
    response = admin_client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    case.refresh_from_db()
    assert case.title == "Ny titel"
    revision = CaseRevision.objects.get(case=case, action="admin_edit")
    assert revision.editor == admin_user
    assert "title" in revision.changed_fields
    assert revision.previous_values["title"] == "Gammel titel"


def test_a_member_cannot_use_the_admin(member_client):
    response = member_client.get(CHANGELIST)

    assert response.status_code == 302

"""The admin is one more client of the case services: its change form, inlines, deletes and
actions go through them, so what members see, search and the revision log follow."""

import pytest
from django.contrib import messages
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.urls import reverse

from cases import services
from cases.models import Case, CaseAttachment, CaseLink, Status
from komvidere import search
from komvidere.images import rendition_name
from komvidere.models import SearchEntry
from tests.admin_forms import admin_url, change_form_data, changelist_action, inline_row
from tests.cases.conftest import pdf_bytes, png_bytes, upload
from tests.factories import CaseFactory, silkeborg

CHANGELIST = reverse("admin:cases_case_changelist")


@pytest.fixture
def submitted(member):
    return CaseFactory.create_batch(2, author=member, status=Status.SUBMITTED, published_at=None)


@pytest.fixture
def indexed_case(sector):
    """A published case that search finds, as the services leave it."""
    case = CaseFactory(title="Solcelleparken ved Gjern", sectors=[sector])
    search.index(case)
    return case


def _found(client, query: str) -> int:
    response = client.get(reverse("portal:search"), {"q": query})
    assert response.status_code == 200
    return response.context["total"]


def _entries(case) -> int:
    return SearchEntry.objects.filter(kind="case", object_id=case.pk).count()


def _revision(case, action: str):
    return case.revisions.filter(history_change_reason=action).get()


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
        response = changelist_action(admin_client, Case, "publish", submitted)

    assert response.status_code == 200
    assert set(Case.objects.values_list("status", flat=True)) == {Status.PUBLISHED}
    assert all(c.published_at for c in Case.objects.all())
    for case in submitted:
        assert _revision(case, "publish").history_user == admin_user
        assert _entries(case) == 1  # published: search finds it
    assert len(mail.outbox) == 2  # the author hears about each


def test_feature_and_archive_actions(admin_client, submitted):
    published = CaseFactory()
    search.index(published)

    changelist_action(admin_client, Case, "feature", [published, submitted[0]])
    published.refresh_from_db()
    submitted[0].refresh_from_db()
    assert published.featured
    assert not submitted[0].featured  # a submitted case cannot be featured: a warning, no change

    changelist_action(admin_client, Case, "archive", [published])
    published.refresh_from_db()
    assert published.status == Status.ARCHIVED
    assert not published.featured
    assert _entries(published) == 0  # archived: out of search


# --- the change form ------------------------------------------------------------------------------


def test_state_fields_are_read_only_in_the_change_form(admin_client, indexed_case):
    response = admin_client.get(admin_url(indexed_case))

    form = response.context["adminform"].form
    for name in ("status", "featured", "published_at", "author", "slug"):
        assert name not in form.fields, name
    assert "title" in form.fields and "tags" in form.fields


def test_retitling_a_case_in_the_admin_updates_search_and_the_lists(
    admin_client, admin_user, member_client, indexed_case
):
    assert _found(member_client, "Solcelleparken") == 1
    url = admin_url(indexed_case)
    slug = indexed_case.slug
    data = change_form_data(admin_client, url)
    data["title"] = "Vindmøllelauget i Gjern"

    response = admin_client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    indexed_case.refresh_from_db()
    assert indexed_case.title == "Vindmøllelauget i Gjern"
    assert indexed_case.slug == slug  # links keep working
    entry = SearchEntry.objects.get(kind="case", object_id=indexed_case.pk)
    assert entry.title == "Vindmøllelauget i Gjern"
    assert _found(member_client, "Vindmøllelauget") == 1
    assert _found(member_client, "Solcelleparken") == 0
    listing = member_client.get(reverse("cases:list")).content.decode()
    assert "Vindmøllelauget i Gjern" in listing and "Solcelleparken" not in listing
    revision = _revision(indexed_case, "admin_edit")
    assert revision.history_user == admin_user
    assert revision.previous_values["title"] == "Solcelleparken ved Gjern"


def test_a_featured_draft_is_impossible_through_the_admin(admin_client, admin_user, member, sector):
    draft = CaseFactory(author=member, status=Status.DRAFT, published_at=None, sectors=[sector])
    url = admin_url(draft)
    data = change_form_data(admin_client, url)
    data.update(featured="on", status=Status.PUBLISHED, title="Kladde med nyt navn")

    response = admin_client.post(url, data)

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.title == "Kladde med nyt navn"  # the form saved ...
    assert (draft.status, draft.featured) == (Status.DRAFT, False)  # ... but no state

    response = changelist_action(admin_client, Case, "feature", [draft])

    draft.refresh_from_db()
    assert not draft.featured
    warnings = [m for m in response.context["messages"] if m.level == messages.WARNING]
    assert [str(m).split(":")[0] for m in warnings] == [draft.title]  # refused, and said so
    with pytest.raises(ValidationError):
        services.case_set_featured(case=draft, user=admin_user, featured=True)
    assert not Case.objects.filter(featured=True, status=Status.DRAFT).exists()


def test_adding_a_case_in_the_admin_goes_through_the_service(admin_client, admin_user, sector):
    url = reverse("admin:cases_case_add")
    data = change_form_data(admin_client, url)
    data.update(
        title="Biogas på Djursland",
        summary="Et fælles biogasanlæg.",
        organisation=silkeborg().pk,
        origin="municipality",
        work_status="ongoing",
        sectors=[sector.pk],
        tags="biogas, landbrug",
    )
    inline_row(data, "links", title="Projektets side", url="https://example.org/biogas")

    response = admin_client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    case = Case.objects.get(title="Biogas på Djursland")
    assert case.slug == "biogas-paa-djursland"
    assert (case.status, case.author) == (Status.DRAFT, admin_user)
    assert sorted(case.tags.names()) == ["biogas", "landbrug"]
    assert case.links.get().url == "https://example.org/biogas"
    assert _revision(case, "link_add").history_user == admin_user
    assert _entries(case) == 0  # a draft is not in search


# --- attachments and links in the inlines ---------------------------------------------------------


def test_an_attachment_uploaded_and_deleted_through_the_admin(
    admin_client, admin_user, indexed_case, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    url = admin_url(indexed_case)
    data = change_form_data(admin_client, url)
    pdf = pdf_bytes()
    inline_row(data, "attachments", title="Rapport", file=upload("Slutrapport 2024.pdf", pdf))

    response = admin_client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    attachment = CaseAttachment.objects.get(case=indexed_case)
    assert attachment.size == len(pdf)
    assert attachment.content_type == "application/pdf"
    assert attachment.original_name == "Slutrapport 2024.pdf"
    assert attachment.uploaded_by == admin_user
    assert "Slutrapport" not in attachment.file.name  # stored under a random name
    name = attachment.file.name
    assert default_storage.exists(name)
    assert (tmp_path / name).is_file()

    data = change_form_data(admin_client, url)
    data["attachments-0-DELETE"] = "on"
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert not CaseAttachment.objects.filter(pk=attachment.pk).exists()
    assert not default_storage.exists(name)
    assert not (tmp_path / name).exists()
    assert _revision(indexed_case, "attachment_delete").history_user == admin_user


def test_a_cover_uploaded_and_cleared_through_the_admin_brings_and_takes_its_renditions(
    admin_client, indexed_case, django_capture_on_commit_callbacks
):
    url = admin_url(indexed_case)
    data = change_form_data(admin_client, url)
    data["cover_image"] = upload("forside.png", png_bytes((1000, 500)), "image/png")

    response = admin_client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    indexed_case.refresh_from_db()
    name = indexed_case.cover_image.name
    assert all(default_storage.exists(rendition_name(name, w)) for w in (400, 800))

    data = change_form_data(admin_client, url)
    data["cover_image-clear"] = "on"
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    indexed_case.refresh_from_db()
    assert not indexed_case.cover_image
    assert not any(default_storage.exists(rendition_name(name, w)) for w in (400, 800))


def test_a_wrong_type_attachment_is_refused_in_the_admin(admin_client, indexed_case):
    url = admin_url(indexed_case)
    data = change_form_data(admin_client, url)
    inline_row(data, "attachments", title="Virus", file=upload("virus.pdf", b"MZ not a pdf"))

    response = admin_client.post(url, data)

    assert response.status_code == 200  # the form again, with the error
    assert CaseAttachment.objects.count() == 0


def test_links_are_changed_and_deleted_through_the_services(admin_client, admin_user, indexed_case):
    services.link_add(
        case=indexed_case, user=admin_user, title="Gammel side", url="https://example.org/a"
    )
    url = admin_url(indexed_case)
    data = change_form_data(admin_client, url)
    data["links-0-title"] = "Ny side"

    assert admin_client.post(url, data).status_code == 302
    assert CaseLink.objects.get().title == "Ny side"
    assert _revision(indexed_case, "link_edit").previous_values["links"]["title"] == "Gammel side"

    data = change_form_data(admin_client, url)
    data["links-0-DELETE"] = "on"
    assert admin_client.post(url, data).status_code == 302
    assert not CaseLink.objects.exists()
    assert indexed_case.revisions.filter(history_change_reason="link_delete").exists()


# --- deleting -------------------------------------------------------------------------------------


def _with_attachment(case, user) -> str:
    attachment = services.attachment_add(
        case=case, user=user, file=upload("bilag.pdf", pdf_bytes()), title="Bilag"
    )
    assert default_storage.exists(attachment.file.name)
    return attachment.file.name


def test_deleting_a_case_in_the_admin_removes_it_from_search_lists_and_storage(
    admin_client, admin_user, member_client, indexed_case, django_capture_on_commit_callbacks
):
    stored = _with_attachment(indexed_case, admin_user)
    detail = indexed_case.get_absolute_url()
    assert _found(member_client, "Solcelleparken") == 1

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(admin_url(indexed_case, "delete"), {"post": "yes"})

    assert response.status_code == 302
    assert not Case.objects.filter(pk=indexed_case.pk).exists()
    assert _entries(indexed_case) == 0
    assert _found(member_client, "Solcelleparken") == 0
    assert "Solcelleparken" not in member_client.get(reverse("cases:list")).content.decode()
    assert member_client.get(detail).status_code == 404
    assert not default_storage.exists(stored)
    assert indexed_case.revisions.filter(history_change_reason="delete").get().history_user == (
        admin_user
    )


def test_the_bulk_delete_action_goes_through_the_service(
    admin_client, admin_user, member_client, sector, django_capture_on_commit_callbacks
):
    cases = [
        CaseFactory(title="Solcelleparken Nord", sectors=[sector]),
        CaseFactory(title="Solcelleparken Syd", sectors=[sector]),
    ]
    for case in cases:
        search.index(case)
    stored = _with_attachment(cases[0], admin_user)
    kept = CaseFactory(title="Solcelleparken Vest")
    search.index(kept)
    assert _found(member_client, "Solcelleparken") == 3

    with django_capture_on_commit_callbacks(execute=True):
        response = changelist_action(admin_client, Case, "delete_selected", cases, post="yes")

    assert response.status_code == 200
    assert list(Case.objects.all()) == [kept]
    assert SearchEntry.objects.filter(kind="case").count() == 1
    assert _found(member_client, "Solcelleparken") == 1
    assert not default_storage.exists(stored)


# --- other write paths ----------------------------------------------------------------------------


def test_reverting_to_an_old_revision_is_refused(admin_client, indexed_case, admin_user):
    services.case_update(case=indexed_case, editor=admin_user, title="Ny titel")
    old = indexed_case.revisions.order_by("history_date").first()
    url = reverse("admin:cases_case_simple_history", args=[indexed_case.pk, old.history_id])

    assert admin_client.get(url).status_code == 200  # looking is fine
    assert admin_client.post(url, {"title": "Solcelleparken ved Gjern"}).status_code == 403
    indexed_case.refresh_from_db()
    assert indexed_case.title == "Ny titel"


def test_a_member_cannot_use_the_admin(member_client):
    response = member_client.get(CHANGELIST)

    assert response.status_code == 302

"""The admin is one more client of the article services: actions, the change form, the
attachments inline and deletes go through them."""

import pytest
from django.contrib import messages
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from articles import services
from articles.models import Article, ArticleAttachment
from komvidere import search
from komvidere.models import SearchEntry
from tests.admin_forms import admin_url, change_form_data, changelist_action, inline_row
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _action(client, action, articles):
    return changelist_action(client, Article, action, articles)


def _revision(article, action: str):
    return article.revisions.filter(history_change_reason=action).get()


def _found(client, query: str) -> int:
    return client.get(reverse("portal:search"), {"q": query}).context["total"]


def test_changelist_and_add_page_load(admin_client, article):
    assert admin_client.get(reverse("admin:articles_article_changelist")).status_code == 200
    assert admin_client.get(reverse("admin:articles_article_add")).status_code == 200
    assert admin_client.get(admin_url(article)).status_code == 200


def test_publish_action_uses_the_workflow(admin_client, admin_user, draft_article):
    response = _action(admin_client, "publish", [draft_article])

    assert response.status_code == 200
    draft_article.refresh_from_db()
    assert draft_article.status == "published"
    assert draft_article.published_at is not None
    assert draft_article.last_reviewed_at is not None
    assert _revision(draft_article, "publish").history_user == admin_user
    assert SearchEntry.objects.filter(kind="article", object_id=draft_article.pk).exists()


def test_archive_and_feature_actions(admin_client, article, draft_article):
    _action(admin_client, "feature", [article, draft_article])
    article.refresh_from_db()
    draft_article.refresh_from_db()
    assert article.featured
    assert not draft_article.featured  # refused by the service: only published can be featured

    _action(admin_client, "archive", [article])
    article.refresh_from_db()
    assert (article.status, article.featured) == ("archived", False)


def test_unfeature_action(admin_client, article):
    _action(admin_client, "feature", [article])
    _action(admin_client, "unfeature", [article])

    article.refresh_from_db()
    assert not article.featured


def test_a_featured_draft_is_impossible_through_the_admin(admin_client, draft_article):
    url = admin_url(draft_article)
    data = change_form_data(admin_client, url)
    assert "featured" not in data and "status" not in data  # read-only in the form
    data.update(featured="on", status="published")

    assert admin_client.post(url, data).status_code == 302
    response = _action(admin_client, "feature", [draft_article])

    draft_article.refresh_from_db()
    assert (draft_article.status, draft_article.featured) == ("draft", False)
    assert messages.WARNING in [m.level for m in response.context["messages"]]  # refused


def test_admin_save_goes_through_the_service(admin_client, admin_user, member_client, article):
    search.index(article)
    url = admin_url(article)
    data = change_form_data(admin_client, url)
    data["title"] = "Klimaregnskab trin for trin"
    case = CaseFactory()
    data["related_cases"] = [str(case.pk)]

    response = admin_client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    article.refresh_from_db()
    assert article.title == "Klimaregnskab trin for trin"
    assert article.updated_by == admin_user
    revision = _revision(article, "admin_edit")
    assert revision.history_user == admin_user
    assert revision.previous_values["title"] == "Sådan laver I et CO2-regnskab"
    assert list(article.related_cases.all()) == [case]
    assert _revision(article, "related").previous_values == {"related_cases": []}
    entry = SearchEntry.objects.get(kind="article", object_id=article.pk)
    assert entry.title == "Klimaregnskab trin for trin"
    assert _found(member_client, "trin") == 1


def test_an_attachment_uploaded_and_deleted_through_the_admin(
    admin_client, admin_user, article, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    url = admin_url(article)
    data = change_form_data(admin_client, url)
    inline_row(
        data, "attachments", title="Vejledning", file=SimpleUploadedFile("Vejledning.pdf", PDF)
    )

    response = admin_client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    attachment = ArticleAttachment.objects.get()
    assert (attachment.size, attachment.content_type) == (len(PDF), "application/pdf")
    assert attachment.original_name == "Vejledning.pdf"
    assert attachment.uploaded_by == admin_user
    assert "Vejledning" not in attachment.file.name
    name = attachment.file.name
    assert (tmp_path / name).is_file()
    assert _revision(article, "attachment_add").history_user == admin_user

    data = change_form_data(admin_client, url)
    data["attachments-0-DELETE"] = "on"
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(url, data)

    assert response.status_code == 302
    assert not ArticleAttachment.objects.exists()
    assert not default_storage.exists(name)
    assert not (tmp_path / name).exists()


def test_replacing_an_attachment_file_in_the_admin(
    admin_client, admin_user, article, django_capture_on_commit_callbacks
):
    old = services.attachment_add(
        article=article, user=admin_user, file=SimpleUploadedFile("gammel.pdf", PDF), title="A"
    )
    old_name = old.file.name
    url = admin_url(article)
    data = change_form_data(admin_client, url)
    data["attachments-0-title"] = "Ny udgave"
    data["attachments-0-file"] = SimpleUploadedFile("ny.pdf", PDF + b"%more")

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    attachment = ArticleAttachment.objects.get()
    assert (attachment.title, attachment.original_name) == ("Ny udgave", "ny.pdf")
    assert attachment.size == len(PDF) + 5
    assert not default_storage.exists(old_name)
    assert default_storage.exists(attachment.file.name)


def test_admin_refuses_a_wrong_type_attachment(admin_client, article):
    url = admin_url(article)
    data = change_form_data(admin_client, url)
    inline_row(
        data, "attachments", title="Virus", file=SimpleUploadedFile("virus.pdf", b"MZ not a pdf")
    )

    response = admin_client.post(url, data)

    assert response.status_code == 200
    assert ArticleAttachment.objects.count() == 0


def test_admin_add_gives_a_slug(admin_client, admin_user):
    url = reverse("admin:articles_article_add")
    data = change_form_data(admin_client, url)
    data.update(title="Ny artikel fra admin", summary="Resumé", body="", kind="news")

    response = admin_client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    article = Article.objects.get(title="Ny artikel fra admin")
    assert article.slug == "ny-artikel-fra-admin"
    assert (article.status, article.author) == ("draft", admin_user)
    assert _revision(article, "admin_create").history_user == admin_user


def test_deleting_an_article_removes_it_from_search_and_its_files(
    admin_client, admin_user, member_client, article, django_capture_on_commit_callbacks
):
    search.index(article)
    attachment = services.attachment_add(
        article=article, user=admin_user, file=SimpleUploadedFile("bilag.pdf", PDF), title="B"
    )
    name = attachment.file.name
    assert _found(member_client, "regnskab") == 1

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(admin_url(article, "delete"), {"post": "yes"})

    assert response.status_code == 302
    assert not Article.objects.exists()
    assert not SearchEntry.objects.filter(kind="article").exists()
    assert _found(member_client, "regnskab") == 0
    assert not default_storage.exists(name)

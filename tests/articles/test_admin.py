"""The admin: actions call the services; saving stamps who changed what."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from articles.models import Article, ArticleAttachment
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _action(client, action, articles):
    return client.post(
        reverse("admin:articles_article_changelist"),
        {"action": action, "_selected_action": [a.pk for a in articles]},
        follow=True,
    )


def test_changelist_and_add_page_load(admin_client, article):
    assert admin_client.get(reverse("admin:articles_article_changelist")).status_code == 200
    assert admin_client.get(reverse("admin:articles_article_add")).status_code == 200
    url = reverse("admin:articles_article_change", args=[article.pk])
    assert admin_client.get(url).status_code == 200


def test_publish_action_uses_the_workflow(admin_client, admin_user, draft_article):
    response = _action(admin_client, "publish", [draft_article])

    assert response.status_code == 200
    draft_article.refresh_from_db()
    assert draft_article.status == "published"
    assert draft_article.published_at is not None
    assert draft_article.last_reviewed_at is not None
    revision = draft_article.revisions.get()
    assert (revision.action, revision.editor) == ("publish", admin_user)


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


def test_admin_save_stamps_the_editor(admin_client, admin_user, article):
    url = reverse("admin:articles_article_change", args=[article.pk])
    response = admin_client.get(url)
    form = response.context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and name not in {"sectors", "themes", "tags"}
    }
    data.update(
        {
            "title": "Ny titel fra admin",
            "author": article.author_id,
            "tags": "",
            "attachments-TOTAL_FORMS": "1",
            "attachments-INITIAL_FORMS": "0",
            "attachments-0-title": "Vejledning",
            "attachments-0-file": SimpleUploadedFile("vejledning.pdf", PDF),
            "revisions-TOTAL_FORMS": "0",
            "revisions-INITIAL_FORMS": "0",
        }
    )
    data = {k: v for k, v in data.items() if not hasattr(v, "pk")}

    response = admin_client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    article.refresh_from_db()
    assert article.title == "Ny titel fra admin"
    assert article.updated_by == admin_user
    revision = article.revisions.get(action="admin_edit")
    assert "title" in revision.changed_fields
    attachment = ArticleAttachment.objects.get()
    assert (attachment.uploaded_by, attachment.content_type) == (admin_user, "application/pdf")
    assert "vejledning" not in attachment.file.name


def test_admin_refuses_a_wrong_type_attachment(admin_client, article):
    url = reverse("admin:articles_article_change", args=[article.pk])
    data = {
        "title": article.title,
        "summary": article.summary,
        "body": article.body,
        "kind": article.kind,
        "author": article.author_id,
        "tags": "",
        "attachments-TOTAL_FORMS": "1",
        "attachments-INITIAL_FORMS": "0",
        "attachments-0-title": "Virus",
        "attachments-0-file": SimpleUploadedFile("virus.pdf", b"MZ not a pdf"),
        "revisions-TOTAL_FORMS": "0",
        "revisions-INITIAL_FORMS": "0",
    }

    response = admin_client.post(url, data)

    assert response.status_code == 200
    assert ArticleAttachment.objects.count() == 0


def test_admin_add_gives_a_slug(admin_client):
    response = admin_client.post(
        reverse("admin:articles_article_add"),
        {
            "title": "Ny artikel fra admin",
            "summary": "Resumé",
            "body": "",
            "kind": "news",
            "author": ArticleFactory().author_id,
            "tags": "",
            "attachments-TOTAL_FORMS": "0",
            "attachments-INITIAL_FORMS": "0",
            "revisions-TOTAL_FORMS": "0",
            "revisions-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    article = Article.objects.get(title="Ny artikel fra admin")
    assert article.slug == "ny-artikel-fra-admin"
    assert article.status == "draft"
    assert article.revisions.get().action == "admin_create"

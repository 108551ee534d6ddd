"""The article pages speak Danish: every string has a translation (articles/locale/da)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from articles import services
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

ENGLISH = [
    "Knowledge articles",
    "Show articles",
    "Filter articles",
    "Search in articles",
    "Facts about the article",
    "Last reviewed",
    "Not yet reviewed",
    "Read more at",
    "Watch at",
    "Edit article",
    "Mark as reviewed today",
    "Back to draft",
    "Write an article",
    "Save draft",
    "Fields marked * are required",
    "article tag",
    "player",
]


def _get(client, url):
    return client.get(url, HTTP_ACCEPT_LANGUAGE="da").content.decode()


def test_pages_are_in_danish(moderator_client, moderator):
    article = ArticleFactory(
        kind="video",
        media_url="https://youtu.be/aqz-KE-bpKQ",
        external_url="https://ens.dk/",
        source_organisation="",
        tags=["co2"],
    )
    other = ArticleFactory(kind="podcast", media_url="https://www.podcaster.dk/afsnit/1")
    services.attachment_add(
        article=article,
        user=moderator,
        title="Fil",
        file=SimpleUploadedFile("f.pdf", b"%PDF-1.4\n%%EOF\n"),
    )

    pages = [
        _get(moderator_client, reverse("articles:list")),
        _get(moderator_client, article.get_absolute_url()),
        _get(moderator_client, other.get_absolute_url()),
        _get(moderator_client, reverse("articles:create")),
        _get(moderator_client, article.get_edit_url()),
    ]

    for html in pages:
        assert '<html lang="da">' in html
        for text in ENGLISH:
            assert text not in html, text
    assert "Vidensartikler" in pages[0]
    assert "YouTube-videoafspiller" in pages[1]
    assert "Lyt på podcaster.dk" in pages[2]

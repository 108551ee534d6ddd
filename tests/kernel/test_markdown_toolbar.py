"""One formatting toolbar for every text box that takes markdown, as progressive enhancement:
the boxes are marked, the one script comes with its labels, and nothing runs inline."""

import re

import pytest
from django.urls import reverse

from articles.forms import ArticleForm
from cases.forms import CaseForm
from cases.models import SECTION_NAMES
from dilemmas.forms import ConclusionForm, DilemmaForm, ReplyForm
from tests.factories import DilemmaFactory, ReplyFactory

MARKDOWN_FIELDS = [
    (CaseForm, SECTION_NAMES),
    (DilemmaForm, ["body"]),
    (ReplyForm, ["body"]),
    (ConclusionForm, ["conclusion"]),
    (ArticleForm, ["body", "transcript"]),
]


@pytest.mark.parametrize(("form_class", "names"), MARKDOWN_FIELDS)
def test_every_field_rendered_as_markdown_is_marked_for_the_toolbar(db, form_class, names):
    fields = form_class.base_fields
    for name in names:
        assert "data-markdown" in fields[name].widget.attrs, (form_class.__name__, name)


def _toolbar_script(html: str) -> str:
    tags = re.findall(r"<script[^>]*markdown-toolbar\.js[^>]*>", html)
    assert len(tags) == 1
    return tags[0]


def test_the_toolbar_script_comes_once_with_its_labels_in_the_interface_language(
    member_client, member, settings
):
    member_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    dilemma = DilemmaFactory(author=member)
    reply = ReplyFactory(dilemma=dilemma, author=member)
    for url in [
        "/cases/new/",
        "/dilemmas/new/",
        dilemma.get_absolute_url(),
        reverse("dilemmas:reply_edit", args=[reply.pk]),
    ]:
        html = member_client.get(url).content.decode()
        tag = _toolbar_script(html)
        assert "defer" in tag and 'data-md-toolbar="Formatting"' in tag, url
        assert "data-markdown" in html, url
        assert " onclick=" not in html and " onkeydown=" not in html, url


def test_visitors_get_no_toolbar_script(client, db):
    html = client.get("/accounts/login/").content.decode()

    assert "markdown-toolbar.js" not in html

"""The kernel's form pieces on every form that uses them: the tags field with its one limit,
the attachment form and page, and the one error summary."""

import re

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from articles.forms import ArticleForm
from articles.models import Article, ArticleAttachment
from cases.forms import CaseForm
from cases.models import Case, CaseAttachment
from dilemmas.forms import DilemmaForm
from dilemmas.models import Dilemma
from komvidere.forms import MAX_TAG_LENGTH, MAX_TAGS, AttachmentForm, TagsField
from komvidere.models import PlanStage, Sector
from tests.cases.conftest import case_form_data
from tests.factories import ArticleFactory, CaseFactory, DilemmaFactory, silkeborg

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _tags(n: int) -> str:
    return ", ".join(f"emne{i}" for i in range(n))


def _case_data(tags):
    return case_form_data(
        [Sector.objects.get(slug="energi").pk], silkeborg().pk, tags=tags, action="submit"
    )


def _article_data(tags):
    return {
        "title": "Guide til DK2020-recertificering",
        "kind": "guide",
        "summary": "Hvad kræver recertificeringen?",
        "body": "## Tjekliste",
        "source_organisation": "KL",
        "external_url": "https://www.kl.dk/",
        "media_url": "",
        "sectors": [Sector.objects.get(slug="tvaergaaende").pk],
        "themes": [],
        "plan_stage": PlanStage.objects.first().pk,
        "tags": tags,
        "last_reviewed_at": "",
        "review_due": "",
    }


def _dilemma_data(tags):
    return {
        "kind": "question",
        "title": "Hvordan tæller vi scope 3-udledninger fra indkøb?",
        "body": "Vi vil gerne opgøre **indkøb**.",
        "tags": tags,
        "confirmed": "1",
    }


# (client fixture, create URL, valid POST for given tags, model)
FORMS = {
    "case": ("member_client", "/cases/new/", _case_data, Case),
    "article": ("moderator_client", "/articles/new/", _article_data, Article),
    "dilemma": ("member_client", "/dilemmas/new/", _dilemma_data, Dilemma),
}


@pytest.fixture(params=list(FORMS))
def content_form(request):
    client_name, url, data, model = FORMS[request.param]
    return request.getfixturevalue(client_name), url, data, model


def _field_block(html: str, name: str) -> str:
    """The markup of one field group, from its wrapper to its input."""
    match = re.search(
        rf'<div class="field[^"]*">(?:(?!<div class="field[ "]).)*?name="{name}"[^>]*>', html, re.S
    )
    assert match, f"no field group for {name}"
    return match.group(0)


def assert_error_summary(html: str, field_id: str) -> None:
    assert html.count('class="error-summary"') == 1
    # It takes focus when the page loads, so the first thing read after a failed send.
    assert '<div class="error-summary" role="alert" tabindex="-1" autofocus>' in html
    summary = html.split('class="error-summary"', 1)[1].split("</div>", 1)[0]
    assert f'href="#{field_id}"' in summary


def test_every_content_form_uses_the_one_tags_field():
    for form_class in (CaseForm, ArticleForm, DilemmaForm):
        assert type(form_class.base_fields["tags"]) is TagsField, form_class


def test_the_tag_limit_is_the_same_on_every_form(content_form):
    client, url, data, model = content_form

    response = client.post(url, data(_tags(MAX_TAGS)))

    assert response.status_code == 302, response.context["form"].errors
    assert model.objects.get().tags.count() == MAX_TAGS


def test_one_tag_too_many_is_an_error_next_to_the_field_the_input_is_kept(content_form):
    client, url, data, model = content_form
    typed = _tags(MAX_TAGS + 1)

    response = client.post(url, data(typed))

    assert response.status_code == 200
    errors = response.context["form"].errors["tags"]
    assert errors == [f"Brug højst {MAX_TAGS} tags."] or errors == [f"Use at most {MAX_TAGS} tags."]
    html = response.content.decode()
    block = _field_block(html, "tags")
    assert 'class="field field--error"' in block
    assert f'<ul class="field__errors" id="id_tags_error"><li>{errors[0]}</li></ul>' in block
    assert f'value="{typed}"' in block  # what was typed comes back
    assert_error_summary(html, "id_tags")
    assert not model.objects.exists()


def test_a_dilemma_edit_with_too_many_tags_changes_nothing(member_client, member):
    dilemma = DilemmaFactory(author=member)
    dilemma.tags.set(["vind"])
    data = _dilemma_data(_tags(MAX_TAGS + 1))
    del data["confirmed"]

    response = member_client.post(f"/dilemmas/{dilemma.pk}/edit/", data)

    assert response.status_code == 200
    assert "tags" in response.context["form"].errors
    assert [t.name for t in Dilemma.objects.get(pk=dilemma.pk).tags.all()] == ["vind"]


@pytest.mark.parametrize(
    ("value", "code"),
    [
        (_tags(MAX_TAGS + 1), "too_many"),
        ("ok, " + "x" * (MAX_TAG_LENGTH + 1), "too_long"),
        ("nul\x00byte", None),
        ("<b>fed</b>", "html"),
    ],
)
def test_the_tags_field_refuses(value, code):
    with pytest.raises(forms.ValidationError) as raised:
        TagsField().clean(value)
    if code:
        assert [error.code for error in raised.value.error_list] == [code]


def test_the_tags_field_accepts_the_limit_and_long_enough_tags():
    assert len(TagsField().clean(_tags(MAX_TAGS))) == MAX_TAGS
    assert TagsField().clean("x" * MAX_TAG_LENGTH) == ["x" * MAX_TAG_LENGTH]
    assert TagsField(required=False).clean("") == []


# --- the attachment form, one page for cases and articles -----------------------------------------


@pytest.fixture
def case_item(member):
    return CaseFactory(author=member, status="draft", published_at=None)


ATTACHMENTS = {
    "case": ("member_client", "case_item", "cases:attachment_add", CaseAttachment),
    "article": ("moderator_client", "article_item", "articles:attachment_add", ArticleAttachment),
}


@pytest.fixture
def article_item():
    return ArticleFactory(status="draft", published_at=None)


@pytest.fixture(params=list(ATTACHMENTS))
def attachment_page(request):
    client_name, item_name, url_name, model = ATTACHMENTS[request.param]
    item = request.getfixturevalue(item_name)
    return request.getfixturevalue(client_name), item, reverse(url_name, args=[item.slug]), model


def test_both_edit_pages_offer_the_one_attachment_form(attachment_page):
    client, item, _url, _model = attachment_page

    response = client.get(item.get_edit_url())

    assert type(response.context["attachment_form"]) is AttachmentForm


def test_a_refused_file_shows_the_one_page_with_the_summary(attachment_page):
    client, item, url, model = attachment_page

    response = client.post(
        url, {"title": "Bilag 2025", "file": SimpleUploadedFile("bilag.pdf", b"just text")}
    )

    assert response.status_code == 200
    assert [t.name for t in response.templates][0] == "includes/attachment_form.html"
    assert type(response.context["form"]) is AttachmentForm
    html = response.content.decode()
    assert_error_summary(html, "id_file")
    assert 'value="Bilag 2025"' in html
    assert f'href="{item.get_edit_url()}#attachments"' in html  # cancel goes back
    assert len(re.findall(r"<h1[\s>]", html)) == 1
    assert not model.objects.exists()


def test_a_good_file_goes_through_the_apps_service(attachment_page):
    client, item, url, model = attachment_page

    response = client.post(
        url, {"title": "Bilag 2025", "file": SimpleUploadedFile("bilag.pdf", PDF)}
    )

    assert response.status_code == 302
    assert response["Location"] == item.get_edit_url() + "#attachments"
    attachment = model.objects.get()
    assert (attachment.title, attachment.size) == ("Bilag 2025", len(PDF))


# --- one error summary on every form --------------------------------------------------------------


def test_every_form_page_with_errors_has_the_one_summary(
    member_client, moderator_client, member, case_item
):
    dilemma = DilemmaFactory(author=member)
    pages = [
        (member_client, "/cases/new/", _case_data("") | {"title": ""}, "id_title"),
        (moderator_client, "/articles/new/", _article_data("") | {"title": ""}, "id_title"),
        (member_client, "/dilemmas/new/", _dilemma_data("") | {"title": ""}, "id_title"),
        (
            member_client,
            reverse("cases:link_add", args=[case_item.slug]),
            {"title": "Rapport", "url": "ikke en adresse"},
            "id_url",
        ),
        (
            member_client,
            reverse("dilemmas:reply", args=[dilemma.pk]),
            {"body": ""},
            "id_body",
        ),
    ]
    for client, url, data, field_id in pages:
        response = client.post(url, data)
        assert response.status_code == 200, url
        assert_error_summary(response.content.decode(), field_id)

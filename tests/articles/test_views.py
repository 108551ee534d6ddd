"""The article pages: who may do what, the list's facets, bad input and query budgets."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from articles import services
from articles.models import Article, ArticleAttachment
from komvidere.models import PlanStage, Sector, Theme
from tests.factories import ArticleFactory, ModeratorFactory
from tests.helpers import count_h1

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def valid_data(**overrides) -> dict:
    data = {
        "title": "Guide til DK2020-recertificering",
        "kind": "guide",
        "summary": "Hvad kræver recertificeringen, og hvor lang tid tager den?",
        "body": "## Tjekliste\n\n- Opdateret basislinje",
        "source_organisation": "KL",
        "external_url": "https://www.kl.dk/",
        "media_url": "",
        "sectors": [Sector.objects.get(slug="tvaergaaende").pk],
        "themes": [],
        "plan_stage": PlanStage.objects.get(slug="revision-og-recertificering").pk,
        "tags": "dk2020, recertificering",
        "last_reviewed_at": "",
        "review_due": "",
    }
    data.update(overrides)
    return data


# --- the ladder ---------------------------------------------------------------------------------


def test_visitor_is_sent_to_login(client, article, draft_article):
    for url in [
        reverse("articles:list"),
        article.get_absolute_url(),
        reverse("articles:create"),
        article.get_edit_url(),
    ]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/")
    response = client.post(reverse("articles:publish", args=[draft_article.slug]))
    assert response.status_code == 302
    draft_article.refresh_from_db()
    assert draft_article.status == "draft"


def test_member_sees_published_articles_only(member_client, article, draft_article):
    response = member_client.get(reverse("articles:list"))

    assert response.status_code == 200
    assert count_h1(response) == 1
    assert article.title in response.content.decode()
    assert draft_article.title not in response.content.decode()
    assert member_client.get(article.get_absolute_url()).status_code == 200
    assert member_client.get(draft_article.get_absolute_url()).status_code == 404


def test_member_may_not_read_archived_articles(member_client, moderator, article):
    services.article_archive(article=article, user=moderator)

    assert member_client.get(article.get_absolute_url()).status_code == 404


def test_member_may_not_write_or_publish(member_client, article, draft_article):
    assert member_client.get(reverse("articles:create")).status_code == 403
    assert member_client.post(reverse("articles:create"), valid_data()).status_code == 403
    assert member_client.get(article.get_edit_url()).status_code == 403
    response = member_client.post(article.get_edit_url(), valid_data(title="Kapret"))
    assert response.status_code == 403
    for name in ["publish", "archive", "unpublish", "feature", "reviewed"]:
        target = draft_article if name == "publish" else article
        response = member_client.post(
            reverse(f"articles:{name}", args=[target.slug]), {"featured": "1"}
        )
        assert response.status_code == 403, name

    article.refresh_from_db()
    draft_article.refresh_from_db()
    assert article.title == "Sådan laver I et CO2-regnskab"
    assert (article.status, article.featured) == ("published", False)
    assert draft_article.status == "draft"
    assert Article.objects.count() == 2


def test_member_gets_403_for_edit_of_a_draft_too(member_client, draft_article):
    """The moderator check comes first, so the answer tells nothing about which drafts exist."""
    assert member_client.get(draft_article.get_edit_url()).status_code == 403
    assert member_client.get("/articles/no-such-article/edit/").status_code == 403


def test_moderator_writes_and_publishes(moderator_client, moderator):
    response = moderator_client.get(reverse("articles:create"))
    assert response.status_code == 200
    assert count_h1(response) == 1

    response = moderator_client.post(reverse("articles:create"), valid_data())

    article = Article.objects.get()
    assert response.status_code == 302
    assert response["Location"] == article.get_absolute_url()
    assert article.slug == "guide-til-dk2020-recertificering"
    assert (article.status, article.author) == ("draft", moderator)
    assert sorted(article.tags.names()) == ["dk2020", "recertificering"]
    assert [s.slug for s in article.sectors.all()] == ["tvaergaaende"]
    assert article.revisions.get().action == "create"

    moderator_client.post(reverse("articles:publish", args=[article.slug]))
    article.refresh_from_db()
    assert article.status == "published"
    assert article.published_at is not None
    assert article.last_reviewed_at is not None

    moderator_client.post(reverse("articles:feature", args=[article.slug]), {"featured": "1"})
    article.refresh_from_db()
    assert article.featured

    moderator_client.post(reverse("articles:archive", args=[article.slug]))
    article.refresh_from_db()
    assert (article.status, article.featured) == ("archived", False)


def test_moderator_edits_and_keeps_the_slug(moderator_client, article):
    slug = article.slug

    response = moderator_client.post(article.get_edit_url(), valid_data(title="Ny titel"))

    assert response.status_code == 302
    article.refresh_from_db()
    assert article.title == "Ny titel"
    assert article.slug == slug  # links keep working
    assert "title" in article.revisions.first().changed_fields


def test_moderator_sees_drafts_and_the_edit_link(moderator_client, draft_article):
    response = moderator_client.get(draft_article.get_absolute_url())

    assert response.status_code == 200
    assert draft_article.get_edit_url() in response.content.decode()
    assert draft_article.title in moderator_client.get(reverse("articles:list")).content.decode()


def test_member_sees_no_edit_link(member_client, article):
    html = member_client.get(article.get_absolute_url()).content.decode()

    assert article.get_edit_url() not in html
    assert "panel--moderation" not in html


def test_featuring_a_draft_is_refused(moderator_client, draft_article):
    response = moderator_client.post(
        reverse("articles:feature", args=[draft_article.slug]), {"featured": "1"}, follow=True
    )

    assert response.status_code == 200
    draft_article.refresh_from_db()
    assert not draft_article.featured


# --- the detail page ----------------------------------------------------------------------------


def test_detail_shows_everything(member_client, moderator):
    energi = Sector.objects.get(slug="energi")
    theme = Theme.objects.get(slug="data-og-opfoelgning")
    stage = PlanStage.objects.get(slug="kortlaegning")
    article = ArticleFactory(
        kind="report",
        source_organisation="CONCITO",
        external_url="https://concito.dk/rapport",
        sectors=[energi],
        themes=[theme],
        plan_stage=stage,
        tags=["scope 3"],
        body="Rapporten viser **tre** hovedpointer.",
    )
    services.article_mark_reviewed(article=article, user=moderator)

    html = member_client.get(article.get_absolute_url()).content.decode()

    assert "<strong>tre</strong>" in html
    assert 'href="https://concito.dk/rapport"' in html
    assert "CONCITO" in html
    for text in [energi.label, theme.label, stage.label, "#scope 3"]:
        assert text in html
    assert "?tag=scope-3" in html


def test_markdown_in_the_body_is_sanitised(member_client):
    article = ArticleFactory(
        body=(
            "<script>alert('x')</script>\n\n"
            '<img src=x onerror="alert(1)">\n\n'
            "[klik](javascript:alert(1))\n\n"
            '<iframe src="https://evil.example/"></iframe>\n\n'
            '<a href="https://concito.dk" onclick="alert(1)">ok</a>'
        )
    )

    html = member_client.get(article.get_absolute_url()).content.decode()
    body = html.split('class="article__body prose">', 1)[1].split("</div>", 1)[0]

    assert "<script" not in body
    assert "onerror" not in body and "onclick" not in body
    assert "javascript:" not in body
    assert "<iframe" not in html
    assert "<img" not in body
    assert 'href="https://concito.dk"' in body


def test_title_markup_is_escaped_on_the_page(member_client):
    # Defence in depth: even if markup got into the database it is escaped.
    article = ArticleFactory(title="<b>Fed</b> titel")

    html = member_client.get(article.get_absolute_url()).content.decode()

    assert "&lt;b&gt;Fed&lt;/b&gt; titel" in html
    assert "<b>Fed</b>" not in html


# --- bad input ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("title", ""),
        ("title", "x" * 10_000),
        ("title", "Guide\x00med NUL"),
        ("title", "<script>alert(1)</script>"),
        ("summary", ""),
        ("summary", "s" * 501),
        ("summary", "Resumé\x00"),
        ("body", "Tekst\x00med NUL"),
        ("body", "b" * 50_001),
        ("kind", "essay"),
        ("kind", ""),
        ("source_organisation", "<b>KL</b>"),
        ("external_url", "javascript:alert(1)"),
        ("external_url", "ftp://kl.dk/fil"),
        ("media_url", "javascript:alert(1)"),
        ("media_url", "not a url"),
        ("sectors", ["999999"]),
        ("sectors", ["energi"]),
        ("plan_stage", "abc"),
        ("tags", "ok, " + "t" * 60),
        ("tags", "tag\x00"),
        ("tags", ", ".join(f"tag{i}" for i in range(20))),
        ("last_reviewed_at", "2999-01-01"),
        ("last_reviewed_at", "i går"),
        ("review_due", "32.13.2025"),
    ],
)
def test_bad_input_gives_a_form_error_and_saves_nothing(moderator_client, field, value):
    response = moderator_client.post(reverse("articles:create"), valid_data(**{field: value}))

    assert response.status_code == 200
    form = response.context["form"]
    assert field in form.errors, form.errors
    assert "error-summary" in response.content.decode()
    assert Article.objects.count() == 0


def test_bad_input_on_edit_changes_nothing(moderator_client, article):
    response = moderator_client.post(article.get_edit_url(), valid_data(title="\x00", summary="Ny"))

    assert response.status_code == 200
    article.refresh_from_db()
    assert article.title == "Sådan laver I et CO2-regnskab"
    assert article.summary != "Ny"


def test_emoji_and_danish_letters_are_fine(moderator_client):
    response = moderator_client.post(
        reverse("articles:create"), valid_data(title="Ærø og Åbenrå 🌍 går grønt")
    )

    assert response.status_code == 302
    assert Article.objects.get().slug == "aeroe-og-aabenraa-gaar-groent"


def test_reserved_slug_is_never_given(moderator):
    article = services.article_create(author=moderator, title="New", summary="s", kind="news")

    assert article.slug != "new"


def test_unknown_article_is_a_404(member_client):
    assert member_client.get("/articles/no-such-article/").status_code == 404


@pytest.mark.parametrize(
    "query",
    [
        "?page=999",
        "?page=abc",
        "?kind=essay",
        "?sector=no-such",
        "?tag=no-such",
        "?sort=evil",
        "?q=%00%00",
        "?q=" + "x" * 10_000,
        "?q=%27%3B+DROP+TABLE+articles_article%3B--",
        "?stage=1&stage=%3Cscript%3E",
    ],
)
def test_bad_list_parameters_never_give_a_500(member_client, article, query):
    response = member_client.get(reverse("articles:list") + query)

    assert response.status_code in {200, 404}


# --- attachments ----------------------------------------------------------------------------------


def test_moderator_attaches_a_pdf_and_members_download_it(
    moderator_client, member_client, client, article
):
    upload = SimpleUploadedFile("Vejledning.pdf", PDF, content_type="application/pdf")
    response = moderator_client.post(
        reverse("articles:attachment_add", args=[article.slug]),
        {"title": "Vejledning 2025", "file": upload},
    )

    assert response.status_code == 302
    attachment = ArticleAttachment.objects.get()
    assert attachment.file.name.startswith(f"articles/{article.pk}/files/")
    assert "Vejledning" not in attachment.file.name  # stored under a random name
    assert (attachment.size, attachment.content_type) == (len(PDF), "application/pdf")

    url = reverse("articles:attachment", args=[article.slug, attachment.pk])
    assert url in member_client.get(article.get_absolute_url()).content.decode()
    download = member_client.get(url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert "Vejledning.pdf" in download["Content-Disposition"]
    assert client.get(url).status_code == 302  # visitors log in first


def test_attachments_of_drafts_are_hidden_from_members(member_client, moderator, draft_article):
    attachment = services.attachment_add(
        article=draft_article,
        user=moderator,
        title="Udkast",
        file=SimpleUploadedFile("udkast.pdf", PDF),
    )

    url = reverse("articles:attachment", args=[draft_article.slug, attachment.pk])
    assert member_client.get(url).status_code == 404


def test_attachment_of_another_article_is_a_404(member_client, moderator, article):
    other = ArticleFactory()
    attachment = services.attachment_add(
        article=other, user=moderator, title="Fil", file=SimpleUploadedFile("f.pdf", PDF)
    )

    url = reverse("articles:attachment", args=[article.slug, attachment.pk])
    assert member_client.get(url).status_code == 404


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("script.exe", b"MZ\x90\x00" + b"\x00" * 100),
        ("rapport.pdf", b"just some text pretending to be a PDF"),
        ("billede.png", PDF),
        ("side.html", b"<html><script>alert(1)</script></html>"),
    ],
)
def test_wrong_type_attachment_is_refused(moderator_client, article, name, content):
    response = moderator_client.post(
        reverse("articles:attachment_add", args=[article.slug]),
        {"title": "Fil", "file": SimpleUploadedFile(name, content)},
    )

    assert response.status_code == 200
    assert "file" in response.context["form"].errors
    assert ArticleAttachment.objects.count() == 0


def test_too_large_attachment_is_refused(moderator_client, article):
    big = PDF + b"0" * (10 * 1024 * 1024)
    response = moderator_client.post(
        reverse("articles:attachment_add", args=[article.slug]),
        {"title": "Stor", "file": SimpleUploadedFile("stor.pdf", big)},
    )

    assert response.status_code == 200
    assert "file" in response.context["form"].errors
    assert ArticleAttachment.objects.count() == 0


def test_member_may_not_attach_or_remove(member_client, moderator, article):
    attachment = services.attachment_add(
        article=article, user=moderator, title="Fil", file=SimpleUploadedFile("f.pdf", PDF)
    )

    response = member_client.post(
        reverse("articles:attachment_add", args=[article.slug]),
        {"title": "Fil", "file": SimpleUploadedFile("g.pdf", PDF)},
    )
    assert response.status_code == 403
    response = member_client.post(
        reverse("articles:attachment_delete", args=[article.slug, attachment.pk])
    )
    assert response.status_code == 403
    assert ArticleAttachment.objects.count() == 1


def test_moderator_removes_an_attachment(moderator_client, moderator, article):
    attachment = services.attachment_add(
        article=article, user=moderator, title="Fil", file=SimpleUploadedFile("f.pdf", PDF)
    )

    response = moderator_client.post(
        reverse("articles:attachment_delete", args=[article.slug, attachment.pk])
    )

    assert response.status_code == 302
    assert ArticleAttachment.objects.count() == 0


# --- query budgets --------------------------------------------------------------------------------


def _many_articles(n: int) -> None:
    sectors = list(Sector.objects.all()[:3])
    themes = list(Theme.objects.all()[:2])
    stage = PlanStage.objects.first()
    author = ModeratorFactory()
    for i in range(n):
        ArticleFactory(
            author=author,
            kind=["guide", "podcast", "report", "video"][i % 4],
            sectors=sectors[: 1 + i % 3],
            themes=themes[: i % 3],
            plan_stage=stage if i % 2 else None,
            tags=[f"tag{i % 7}", "co2"],
        )


# Measured: session + user, the page count and the 20 rows, sectors (one prefetch), tags (one
# query for the page), five facet counts, and the header's moderator check and unread count.
# Each facet value chosen in the URL adds one lookup while the filter form validates.
LIST_BUDGET = 13
LIST_FILTERED_BUDGET = 15
# The detail page includes the related box: 2 queries for explicit links, 3 for shared tags.
DETAIL_BUDGET = 14


def test_list_query_budget(member_client, django_assert_max_num_queries):
    _many_articles(100)

    with django_assert_max_num_queries(LIST_BUDGET):
        response = member_client.get(reverse("articles:list"))
    assert len(response.context["articles"]) == 20

    with django_assert_max_num_queries(LIST_FILTERED_BUDGET):
        response = member_client.get(
            reverse("articles:list") + "?kind=guide&kind=podcast&sector=energi&tag=co2&q=CO2"
        )
    assert response.status_code == 200


def test_list_query_budget_for_moderators(moderator_client, django_assert_max_num_queries):
    _many_articles(100)

    with django_assert_max_num_queries(LIST_BUDGET + 1):
        moderator_client.get(reverse("articles:list") + "?page=3")


def test_detail_query_budget(member_client, moderator, django_assert_max_num_queries):
    article = ArticleFactory(
        kind="video",
        media_url="https://youtu.be/aqz-KE-bpKQ",
        sectors=list(Sector.objects.all()[:3]),
        themes=list(Theme.objects.all()[:3]),
        plan_stage=PlanStage.objects.first(),
        tags=[f"tag{i}" for i in range(8)],
    )
    for i in range(5):
        services.attachment_add(
            article=article,
            user=moderator,
            title=f"Fil {i}",
            file=SimpleUploadedFile(f"f{i}.pdf", PDF),
        )

    with django_assert_max_num_queries(DETAIL_BUDGET + 1):  # + whether the member follows it
        response = member_client.get(article.get_absolute_url())
    assert response.content.decode().count("/attachments/") == 5


def test_detail_query_budget_for_moderators(moderator_client, django_assert_max_num_queries):
    article = ArticleFactory(tags=["a", "b"], sectors=list(Sector.objects.all()[:2]))

    with django_assert_max_num_queries(DETAIL_BUDGET + 3):  # + the history, + the follow state
        moderator_client.get(article.get_absolute_url())


def test_the_text_filter_highlights_the_words_found(member_client):
    from komvidere import search

    ArticleFactory(title="Guide til skybrud", summary="Sådan sikrer I byen mod skybrud.")
    search.rebuild()

    html = member_client.get("/articles/", {"q": "skybrud"}).content.decode()

    assert "<mark>skybrud</mark>" in html.lower()


def test_the_changes_page_of_an_edit_shows_the_old_and_new_text(moderator_client, article):
    editor = ModeratorFactory(name="Ida Redaktør")
    services.article_update(article=article, editor=editor, title="Ny titel på guiden")
    revision = article.revisions.order_by("-history_id").first()

    response = moderator_client.get(
        reverse("articles:changes", kwargs={"slug": article.slug, "revision": revision.pk})
    )

    assert response.status_code == 200
    assert "Ny titel på guiden" in response.content.decode()
    assert count_h1(response) == 1

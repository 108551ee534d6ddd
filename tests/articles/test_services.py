"""The article services: moderators only, validation before writing, the workflow, facets."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q

from articles import services
from articles.facets import FACETS, base_queryset
from articles.models import Article, ArticleKind
from komvidere import publishing, search
from komvidere.models import PlanStage, Sector, Theme
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def _create(user, **fields):
    fields = {"title": "En guide", "summary": "Kort resumé.", "kind": "guide", **fields}
    return services.article_create(author=user, **fields)


def test_members_may_not_write(member, article):
    with pytest.raises(PermissionDenied):
        _create(member)
    with pytest.raises(PermissionDenied):
        services.article_update(article=article, editor=member, title="Kapret")
    with pytest.raises(PermissionDenied):
        services.article_publish(article=article, user=member)
    with pytest.raises(PermissionDenied):
        services.article_set_featured(article=article, user=member, featured=True)
    assert Article.objects.count() == 1


def test_validation_happens_before_anything_is_written(moderator):
    for bad in [{"title": ""}, {"title": "a\x00b"}, {"kind": "essay"}, {"title": "x" * 201}]:
        with pytest.raises(ValidationError):
            _create(moderator, **bad)
    assert Article.objects.count() == 0


def test_a_slug_clash_at_the_last_moment_is_retried(moderator, monkeypatch):
    _create(moderator)
    # Simulate a concurrent request that took the slug after we looked.
    monkeypatch.setattr(publishing, "unique_slug", lambda *args, **kw: "en-guide")

    article = _create(moderator)

    assert article.slug.startswith("en-guide-") and article.slug != "en-guide"
    assert Article.objects.count() == 2


def test_revisions_keep_the_previous_values(moderator, article):
    old_title = article.title
    services.article_update(article=article, editor=moderator, title="Ny titel")

    revision = article.revisions.get(history_change_reason="edit")
    assert revision.changed_fields == ["title"]
    assert revision.previous_values == {"title": old_title}
    assert (revision.editor, revision.title) == (moderator, "Ny titel")


def test_unique_slugs(moderator):
    first = _create(moderator, title="Klimatilpasning i praksis")
    second = _create(moderator, title="Klimatilpasning i praksis")

    assert first.slug == "klimatilpasning-i-praksis"
    assert second.slug == "klimatilpasning-i-praksis-2"


def test_publish_archive_and_feature(moderator):
    article = _create(moderator)
    with pytest.raises(ValidationError):
        services.article_set_featured(article=article, user=moderator, featured=True)

    services.article_publish(article=article, user=moderator)
    services.article_set_featured(article=article, user=moderator, featured=True)
    assert Article.objects.featured().get() == article

    services.article_archive(article=article, user=moderator)
    article.refresh_from_db()
    assert (article.status, article.featured) == ("archived", False)
    assert [r.action for r in article.revisions.order_by("pk")] == [
        "create",
        "publish",
        "feature",
        "archive",
    ]


def test_a_draft_cannot_be_archived(moderator):
    article = _create(moderator)

    with pytest.raises(ValidationError):
        services.article_archive(article=article, user=moderator)


def test_update_logs_only_changed_fields(moderator, article):
    services.article_update(article=article, editor=moderator, title=article.title, body="Ny")

    revision = article.revisions.get()
    assert revision.changed_fields == ["body"]
    article.refresh_from_db()
    assert article.updated_by == moderator


def test_visible_to(member, moderator, article, draft_article):
    assert list(Article.objects.visible_to(member)) == [article]
    assert set(Article.objects.visible_to(moderator)) == {article, draft_article}


def test_for_list_and_recent(article, draft_article):
    assert list(Article.objects.recent()) == [article]
    assert list(Article.objects.for_list().published()) == [article]


# --- facets ---------------------------------------------------------------------------------------


@pytest.fixture
def library():
    energi = Sector.objects.get(slug="energi")
    transport = Sector.objects.get(slug="transport")
    data = Theme.objects.get(slug="data-og-opfoelgning")
    stage = PlanStage.objects.get(slug="kortlaegning")
    ArticleFactory(title="A", kind="guide", sectors=[energi], tags=["co2"], plan_stage=stage)
    ArticleFactory(title="B", kind="guide", sectors=[transport], tags=["co2", "cykel"])
    ArticleFactory(title="C", kind="podcast", sectors=[energi, transport], themes=[data])
    ArticleFactory(title="D", kind="video", sectors=[energi], tags=["co2"], status="draft")
    return {"energi": energi, "transport": transport, "data": data, "stage": stage}


def _counts(data):
    return {
        facet.name: {v.value: v.count for v in facet.values}
        for facet in FACETS.counts(base_queryset(None, data), data)
    }


def _titles(data):
    return sorted(a.title for a in FACETS.apply(base_queryset(None, data), data))


def test_facet_counts_without_filters(library):
    counts = _counts({})

    assert counts["kind"] == {"guide": 2, "podcast": 1}  # the draft is not counted
    assert counts["sector"] == {"energi": 2, "transport": 2}
    assert counts["theme"] == {"data-og-opfoelgning": 1}
    assert counts["stage"] == {"kortlaegning": 1}
    assert counts["tag"] == {"co2": 2, "cykel": 1}


def test_or_within_a_facet_and_across_facets(library):
    energi, transport = library["energi"], library["transport"]

    assert _titles({"sector": [energi]}) == ["A", "C"]
    assert _titles({"sector": [energi, transport]}) == ["A", "B", "C"]
    assert _titles({"kind": ["guide", "podcast"]}) == ["A", "B", "C"]
    assert _titles({"kind": ["guide"], "sector": [energi]}) == ["A"]


def test_counts_are_disjunctive(library):
    data = {"kind": ["guide"], "sector": [library["energi"]]}

    counts = _counts(data)

    # Within "kind": what choosing that kind alone (with energi) would give.
    assert counts["kind"] == {"guide": 1, "podcast": 1}
    # Within "sector": every sector among the guides.
    assert counts["sector"] == {"energi": 1, "transport": 1}
    # Other facets describe the current result (A only).
    assert counts["tag"] == {"co2": 1}
    assert counts["stage"] == {"kortlaegning": 1}


def test_text_filter(library):
    ArticleFactory(title="Klimabudget", summary="Styring af udledninger", body="")
    search.rebuild()  # factories write no search entries; the text filter is the search
    assert _titles({"q": "klimabudget"}) == ["Klimabudget"]
    assert _titles({"q": "styring klimabudget"}) == ["Klimabudget"]
    assert _titles({"q": "styring cykel"}) == []


def test_list_page_shows_counts(member_client, library):
    html = member_client.get("/articles/?kind=guide").content.decode()

    assert 'name="kind" value="guide" id="facet-kind-guide" checked' in html
    assert 'name="kind" value="podcast" id="facet-kind-podcast">' in html
    assert html.count('class="article-card"') == 2


def test_kind_constraint_holds_in_the_database(article):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.filter(pk=article.pk).update(kind="essay")
    assert set(ArticleKind.values) == {
        "guide",
        "method",
        "tool",
        "report",
        "podcast",
        "video",
        "news",
    }
    assert Article.objects.filter(~Q(kind__in=ArticleKind.values)).count() == 0


def test_search_entries_follow_the_workflow(moderator):
    from komvidere.models import SearchEntry

    article = _create(moderator, title="Klimabudget som styring", tags=["klimabudget"])
    assert not SearchEntry.objects.filter(kind="article").exists()  # drafts are never found

    services.article_publish(article=article, user=moderator)
    entry = SearchEntry.objects.get(kind="article")
    assert (entry.title, entry.url, entry.tags) == (
        "Klimabudget som styring",
        article.get_absolute_url(),
        "klimabudget",
    )

    services.article_update(article=article, editor=moderator, title="Klimabudget i praksis")
    assert SearchEntry.objects.get(kind="article").title == "Klimabudget i praksis"

    services.article_archive(article=article, user=moderator)
    assert not SearchEntry.objects.filter(kind="article").exists()


def test_the_database_refuses_a_featured_draft(draft_article):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.filter(pk=draft_article.pk).update(featured=True)
    assert not Article.objects.filter(featured=True).exists()

"""Related content: explicit links first, then shared tags and sectors, without N+1."""

import pytest

from komvidere.models import Sector
from komvidere.related import related_items
from tests.factories import ArticleFactory, CaseFactory, DilemmaFactory

pytestmark = pytest.mark.django_db


def dilemma_with(tags=(), sectors=(), **kwargs):
    dilemma = DilemmaFactory(**kwargs)
    dilemma.tags.set(list(tags))
    dilemma.sectors.set(sectors)
    return dilemma


def test_explicit_links_first_then_most_shared(django_assert_max_num_queries):
    energi, transport = Sector.objects.get(slug="energi"), Sector.objects.get(slug="transport")
    case = CaseFactory(tags=["fjernvarme", "varmeplan"], sectors=[energi])
    linked = ArticleFactory(title="Linket guide")
    two_tags = CaseFactory(title="To fælles tags", tags=["fjernvarme", "varmeplan"])
    one_tag = dilemma_with(tags=["fjernvarme"], title="Et fælles tag")
    sector_only = ArticleFactory(title="Kun sektor", sectors=[energi])
    CaseFactory(title="Intet fælles", tags=["cykler"], sectors=[transport])
    CaseFactory(title="Kladde", tags=["fjernvarme"], status="draft", published_at=None)
    dilemma_with(tags=["fjernvarme"], title="Skjult", hidden=True)
    with django_assert_max_num_queries(5):
        items = related_items(case, explicit=[linked])
    assert [item.title for item in items] == [
        "Linket guide",
        "To fælles tags",
        "Et fælles tag",
        "Kun sektor",
    ]
    assert [item.related_kind for item in items] == ["article", "case", "dilemma", "article"]
    assert one_tag in items and two_tags in items and sector_only in items


def test_limit_and_no_self():
    case = CaseFactory(tags=["sol"])
    for _ in range(10):
        CaseFactory(tags=["sol"])
    items = related_items(case, limit=4)
    assert len(items) == 4
    assert case not in items


def test_nothing_to_share_gives_only_explicit_links():
    case = CaseFactory()
    CaseFactory(tags=["sol"])
    assert related_items(case) == []


def test_dilemma_and_article_pages_show_related_items(member_client):
    dilemma = dilemma_with(tags=["varmepumper"])
    article = ArticleFactory(title="Guide til varmepumper", tags=["varmepumper"])
    article.related_dilemmas.add(dilemma)
    CaseFactory(title="Varmepumper i Odder", tags=["varmepumper"])
    thread = member_client.get(dilemma.get_absolute_url()).content.decode()
    assert "Guide til varmepumper" in thread
    assert "Varmepumper i Odder" in thread
    page = member_client.get(article.get_absolute_url()).content.decode()
    assert dilemma.title in page
    assert "Varmepumper i Odder" in page


def test_organisation_and_person_pages_list_content_but_not_anonymous_askers(member_client):
    from tests.factories import UserFactory

    author = UserFactory()
    CaseFactory(title="Fjernvarme i Silkeborg", author=author)
    DilemmaFactory(title="Åbent dilemma fra Silkeborg", author=author)
    DilemmaFactory(title="Anonymt dilemma fra Silkeborg", author=author, anonymous=True)
    for url in (author.organisation.get_absolute_url(), author.get_absolute_url()):
        html = member_client.get(url).content.decode()
        assert "Fjernvarme i Silkeborg" in html
        assert "Åbent dilemma fra Silkeborg" in html
        assert "Anonymt dilemma fra Silkeborg" not in html

import pytest

from accounts import demo as accounts_demo
from articles import demo
from articles.models import Article
from komvidere.models import SearchEntry

pytestmark = pytest.mark.django_db


def test_demo_articles_are_realistic_and_seeded_once():
    users = accounts_demo.seed()

    demo.seed(users)
    demo.seed(users)

    assert Article.objects.count() == len(demo.ARTICLES) >= 13
    assert Article.objects.published().count() == Article.objects.count() - 1
    kinds = set(Article.objects.values_list("kind", flat=True))
    assert kinds == {"guide", "method", "tool", "report", "podcast", "video", "news"}
    podcast = Article.objects.get(kind="podcast")
    assert "klimaplanlægning" in podcast.title
    assert podcast.embed is not None
    assert Article.objects.get(kind="video").embed is not None
    assert SearchEntry.objects.filter(kind="article").count() == 12

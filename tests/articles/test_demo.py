import pytest
from django.core.management import call_command

from articles.models import Article
from komvidere.models import SearchEntry, Status
from portal import demo
from tests.portal.test_demo import seeded_demo


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker, tmp_path_factory):
    with seeded_demo(django_db_blocker, tmp_path_factory.mktemp("media")) as demo_run:
        yield demo_run


def _rows():
    return list(Article.objects.order_by("pk").values_list("pk", "updated_at", "status"))


def test_demo_articles_are_realistic_and_seeded_once(seeded, db):
    count, rows = Article.objects.count(), _rows()
    call_command("seed_demo", "--force", verbosity=0)

    specs = demo.read("articles")["article"]
    drafts = [s for s in specs if s.get("status") == Status.DRAFT]
    assert Article.objects.count() == count == len(specs) >= 15
    assert _rows() == rows
    assert Article.objects.published().count() == count - len(drafts) >= 14
    kinds = set(Article.objects.values_list("kind", flat=True))
    assert kinds == {"guide", "method", "tool", "report", "podcast", "video", "news"}
    podcast = Article.objects.get(kind="podcast")
    assert "klimaplanlægning" in podcast.title
    assert podcast.embed is not None
    assert Article.objects.get(kind="video").embed is not None
    assert Article.objects.filter(featured=True, status=Status.PUBLISHED).exists()
    assert not Article.objects.filter(featured=True).exclude(status=Status.PUBLISHED).exists()
    # Search has the published articles and nothing else.
    indexed = set(SearchEntry.objects.filter(kind="article").values_list("object_id", flat=True))
    assert indexed == set(Article.objects.published().values_list("pk", flat=True))

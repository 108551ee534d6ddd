"""Faults are clear: /health/ names what is down, outages give a short 503, sessions survive a
Redis outage, bad bytes never reach the database, every tag has a usable slug."""

import importlib
import json
import socket
import time

import pytest
from django.apps import apps as django_apps
from django.db.utils import OperationalError
from django.test import Client
from django.urls import reverse
from taggit.models import Tag

from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


REDIS_BACKEND = "komvidere.cache.ResilientRedisCache"  # what config/settings.py uses


@pytest.fixture(autouse=True)
def _redis_up_again():
    """The backend remembers an outage for a few seconds, per process: not across tests."""
    from komvidere.cache import ResilientRedisCache

    ResilientRedisCache._down_until = 0.0
    yield
    ResilientRedisCache._down_until = 0.0


@pytest.fixture
def redis_down(settings):
    """Redis configured but nothing listening (as after `redis-cli shutdown`)."""
    settings.CACHES = {
        "default": {
            "BACKEND": REDIS_BACKEND,
            "LOCATION": f"redis://127.0.0.1:{_closed_port()}/0",
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.25},
        }
    }


@pytest.fixture
def redis_hanging(settings):
    """A Redis that accepts connections and never answers."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(50)
    settings.CACHES = {
        "default": {
            "BACKEND": REDIS_BACKEND,
            "LOCATION": f"redis://127.0.0.1:{server.getsockname()[1]}/0",
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.25},
        }
    }
    yield
    server.close()


def test_health_is_ok_when_everything_is(client):
    response = client.get("/health/")
    assert response.status_code == 200
    assert json.loads(response.content) == {
        "status": "ok",
        "database": "ok",
        "cache": "ok",
        "storage": "ok",
    }


@pytest.mark.parametrize("fixture", ["redis_down", "redis_hanging"])
def test_health_is_503_naming_the_cache_when_redis_is_down_or_hangs(request, client, fixture):
    request.getfixturevalue(fixture)
    started = time.monotonic()
    response = client.get("/health/")
    assert time.monotonic() - started < 1.0
    assert response.status_code == 503
    body = json.loads(response.content)
    assert body["unavailable"] == ["cache"]
    assert body["cache"] == "unavailable" and body["database"] == "ok"


def test_health_is_503_naming_the_database(client, monkeypatch):
    from komvidere import health

    def broken(db=None):
        raise OperationalError("connection refused")

    monkeypatch.setitem(health.CHECKS, "database", broken)
    response = client.get("/health/")
    assert response.status_code == 503
    assert json.loads(response.content)["unavailable"] == ["database"]


@pytest.mark.parametrize("fixture", ["redis_down", "redis_hanging"])
def test_while_redis_is_down_or_hangs_members_log_in_read_and_post(
    request, fixture, settings, password, member, dilemma
):
    request.getfixturevalue(fixture)
    settings.SESSION_ENGINE = "komvidere.sessions"
    client = Client(raise_request_exception=False)
    # Logging in checks allauth's rate limit and posting ours: both live in the cache.
    response = client.post("/accounts/login/", {"login": member.email, "password": password})
    assert response.status_code == 302
    assert client.get(dilemma.get_absolute_url()).status_code == 200
    response = client.post(reverse("dilemmas:reply", args=[dilemma.pk]), {"body": "Stadig her"})
    assert response.status_code == 302
    assert dilemma.replies.filter(body="Stadig her").exists()


def test_after_one_failure_the_cache_stops_asking_redis_for_a_while(redis_hanging):
    from unittest import mock

    from django.core.cache import cache
    from redis.exceptions import TimeoutError as RedisTimeoutError

    with mock.patch.object(
        type(cache._cache), "get", side_effect=RedisTimeoutError("timed out"), autospec=True
    ) as redis_get:
        assert cache.get("a") is None
        assert cache.get("b", "fallback") == "fallback"
        assert cache.add("c", 1) is True  # rate limits fail open
        with pytest.raises(ValueError):
            cache.incr("c")
    assert redis_get.call_count == 1  # one timeout, then no more calls


def test_a_redis_error_outside_the_cache_is_a_short_503_page_not_a_500(member_client, monkeypatch):
    from redis.exceptions import ConnectionError as RedisConnectionError

    from portal import views

    def broken(*args, **kwargs):
        raise RedisConnectionError("Connection refused")

    monkeypatch.setattr(views.HomeView, "get_context_data", broken)
    member_client.raise_request_exception = False
    response = member_client.get("/")
    assert response.status_code == 503
    assert response["Retry-After"]


def test_a_database_outage_in_a_view_is_a_503(member_client, monkeypatch):
    from portal import views

    def broken(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(views.HomeView, "get_context_data", broken)
    client = member_client
    client.raise_request_exception = False
    response = client.get("/")
    assert response.status_code == 503
    assert response["X-Komvidere-Unavailable"] == "database"


def test_members_stay_logged_in_while_redis_is_down(settings, member, password):
    settings.SESSION_ENGINE = "komvidere.sessions"
    client = Client(raise_request_exception=False)
    client.force_login(member)
    assert client.get("/").status_code == 200

    settings.CACHES = {
        "default": {
            "BACKEND": REDIS_BACKEND,
            "LOCATION": f"redis://127.0.0.1:{_closed_port()}/0",
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.25},
        }
    }
    response = client.get("/")
    assert response.status_code == 200
    assert response.context["user"] == member


# --- Bad bytes ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["/tags/a%00b/", "/feeds/x/tags/a%00b/", "/cases/a%00/", "/%00", "/tags/%1F/"]
)
def test_nul_and_control_bytes_in_a_path_are_404(member_client, path):
    response = member_client.get(path)
    assert 400 <= response.status_code < 500


def test_control_bytes_in_a_query_never_reach_the_database(member_client):
    response = member_client.get("/dilemmas/?tag=a%00b&q=%00")
    assert response.status_code == 200


def test_every_response_carries_a_request_id(client):
    assert len(client.get("/health/")["X-Request-ID"]) == 32
    assert client.get("/health/", HTTP_X_REQUEST_ID="lb-123")["X-Request-ID"] == "lb-123"


# --- Tags -------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["🔥", "!!!", ")", "🌍🌱"])
def test_tags_of_only_emoji_or_punctuation_get_a_stable_slug_and_a_working_page(
    member_client, name
):
    case = CaseFactory(title="Et tagget case", tags=[name])
    tag = Tag.objects.get(name=name)

    assert tag.slug == f"tag-{tag.pk}"
    assert member_client.get("/tags/").status_code == 200
    page = member_client.get(f"/tags/{tag.slug}/")
    assert page.status_code == 200
    assert case.title in page.content.decode()


def test_the_migration_repairs_existing_broken_slugs(member_client):
    CaseFactory(tags=["🔥", "!!!", "grøn omstilling"])
    Tag.objects.filter(name="🔥").update(slug="")
    Tag.objects.filter(name="!!!").update(slug="_")
    migration = importlib.import_module("komvidere.migrations.0008_tags_with_no_usable_slug")

    migration.repair(django_apps, None)

    slugs = dict(Tag.objects.values_list("name", "slug"))
    assert slugs["🔥"] == f"tag-{Tag.objects.get(name='🔥').pk}"
    assert slugs["!!!"] == f"tag-{Tag.objects.get(name='!!!').pk}"
    assert slugs["grøn omstilling"] == "grøn-omstilling"
    assert member_client.get("/tags/").status_code == 200
    for slug in slugs.values():
        assert member_client.get(f"/tags/{slug}/").status_code == 200


def test_danish_slugs_filter_the_dilemma_list(member_client, dilemma):
    from tests.factories import DilemmaFactory

    dilemma.tags.add("grøn omstilling")
    other = DilemmaFactory(title="Et helt andet dilemma om parkering")
    response = member_client.get("/dilemmas/?tag=grøn-omstilling")
    html = response.content.decode()
    assert response.status_code == 200
    assert dilemma.title in html
    assert other.title not in html


def test_health_reads_no_session_and_no_user(member_client, client):
    """A logged-in client's cookie costs /health/ nothing: the same queries as without it."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as anonymous:
        assert client.get("/health/").status_code == 200
    with CaptureQueriesContext(connection) as member:
        assert member_client.get("/health/").status_code == 200
    assert len(member.captured_queries) == len(anonymous.captured_queries)
    tables = " ".join(query["sql"] for query in member.captured_queries)
    assert "django_session" not in tables
    assert "accounts_user" not in tables


def test_html_is_sent_compressed_to_browsers_that_accept_it(member_client):
    import gzip

    plain = member_client.get("/")
    packed = member_client.get("/", HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert "Content-Encoding" not in plain
    assert packed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed["Vary"]
    html = gzip.decompress(packed.content).decode()
    assert "<html" in html
    assert len(packed.content) < len(plain.content) / 2

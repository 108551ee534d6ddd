import pytest
from django.core.cache import cache
from django.test import Client

from tests.factories import PASSWORD, ModeratorFactory, UserFactory


@pytest.fixture(autouse=True)
def _clear_cache():
    """Rate limits and used TOTP codes live in the cache: no test may inherit another's."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def no_page_cache(monkeypatch):
    """For tests of what a list computes (its context): every request renders the page, as
    if its cached main column (komvidere.mixins.CachedPageMixin) had changed."""
    from komvidere.mixins import CachedPageMixin

    monkeypatch.setattr(CachedPageMixin, "page_fragment", lambda self: None)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def member(db):
    """A verified member of Silkeborg Kommune."""
    return UserFactory(name="Mette Klimasen", email_local_part="mette")


@pytest.fixture
def other_member(db):
    return UserFactory(name="Ole Andersen", email_local_part="ole")


@pytest.fixture
def moderator(db):
    return ModeratorFactory(name="Maja Moderator", email_local_part="maja")


@pytest.fixture
def admin_user(db):
    """A superuser who is also a verified member (overrides pytest-django's)."""
    return UserFactory(
        name="Anna Admin", email_local_part="anna.admin", is_staff=True, is_superuser=True
    )


def _logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def member_client(member):
    return _logged_in(member)


@pytest.fixture
def moderator_client(moderator):
    return _logged_in(moderator)


@pytest.fixture
def admin_client(admin_user):
    return _logged_in(admin_user)


def _is_transactional(item) -> bool:
    marker = item.get_closest_marker("django_db")
    if marker and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")):
        return True
    names = getattr(item, "fixturenames", ())
    return "transactional_db" in names or "live_server" in names


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Run transactional tests (browser tests with live_server) last.

    They end by emptying the database, so the data migrations' rows (organisations, the
    Moderators group, taxonomies) would be gone for any ordinary test after them. pytest-django
    sorts them last, but pytest then regroups items by pytest-playwright's session-scoped
    `browser_name` parameter; sorting again here (stable) restores Django's order.
    """
    items.sort(key=_is_transactional)


def pytest_configure(config):
    # whitenoise warns at start-up when collectstatic has not run; tests serve no static files.
    config.addinivalue_line("filterwarnings", "ignore:No directory at:UserWarning")
    # pytest-base-url (pulled in by pytest-playwright) still defines its fixture this way.
    config.addinivalue_line(
        "filterwarnings", "ignore:Session-scoped fixtures defined as instance methods"
    )


# ---- dilemmas and notifications (issue 4) --------------------------------------------------------


@pytest.fixture
def dilemma(member):
    """An open dilemma asked by `member`, who follows it (as after asking on the site)."""
    from dilemmas import services

    return services.dilemma_create(
        author=member,
        kind="question",
        title="Hvordan inddrager vi borgerne i placeringen af vindmøller?",
        body="Vi skal udpege arealer til **vindmøller** og vil inddrage borgerne tidligt.",
        check_rate=False,
    )


@pytest.fixture
def other_client(other_member):
    return _logged_in(other_member)


# ---- articles (issue 5) --------------------------------------------------------------------------


@pytest.fixture
def article(moderator):
    """A published guide written by `moderator`."""
    from tests.factories import ArticleFactory

    return ArticleFactory(author=moderator, title="Sådan laver I et CO2-regnskab")


@pytest.fixture
def draft_article(moderator):
    from tests.factories import ArticleFactory

    return ArticleFactory(
        author=moderator, title="Udkast om klimakrav i udbud", status="draft", published_at=None
    )

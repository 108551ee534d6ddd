"""Site-wide safety nets: migrations, every URL, public pages, language, security headers."""

import json
from io import StringIO
from urllib.parse import urlsplit

import pytest
from csp.middleware import CSPMiddleware
from django.core.management import call_command
from django.db.utils import OperationalError
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.urls import URLResolver, get_resolver
from django.urls.resolvers import RoutePattern

from portal import views
from tests.helpers import count_h1, enable_mfa

# Pages a visitor may see. allauth's own steps of the sign-up, login and password-reset flows
# (verification sent, reset e-mail sent, account inactive) must be reachable without a session.
PUBLIC_PATHS = {
    "/health/",
    "/accessibility/",
    "/privacy/",
    "/accounts/login/",
    "/accounts/signup/",
    "/accounts/password/reset/",
    "/accounts/password/reset/done/",
    "/accounts/password/reset/key/done/",
    "/accounts/confirm-email/",
    "/accounts/inactive/",
    "/accounts/3rdparty/login/cancelled/",
}
# Not pages: changing the language is a POST; logging out is tested by allauth. The single
# sign-on's error and sign-up steps exist only inside a login through a provider (allauth
# answers 401, or back to the login page): tests/accounts/test_sso.py runs them.
SKIPPED_PATHS = {
    "/i18n/setlang/",
    "/accounts/logout/",
    "/accounts/3rdparty/login/error/",
    "/accounts/3rdparty/signup/",
}
# allauth 404s these until the user has the authenticator they manage.
NEED_MFA_PATHS = {
    "/accounts/2fa/totp/deactivate/",
    "/accounts/2fa/recovery-codes/",
    "/accounts/2fa/recovery-codes/download/",
}


def _argless_paths(patterns, prefix="/"):
    """Every URL in the resolver tree that takes no arguments, as a path."""
    for entry in patterns:
        pattern = entry.pattern
        if isinstance(pattern, RoutePattern):
            if pattern.converters:
                continue
            part = str(pattern)
        else:
            if pattern.regex.groups:
                continue
            part = str(pattern).removeprefix("^").removesuffix("$")
            if any(ch in part for ch in "()[]?*+\\"):
                continue
        if isinstance(entry, URLResolver):
            yield from _argless_paths(entry.url_patterns, prefix + part)
        else:
            yield prefix + part


ARGLESS_PATHS = sorted(
    path
    for path in set(_argless_paths(get_resolver().url_patterns))
    if not path.startswith("/admin/") and path not in SKIPPED_PATHS
)


def test_the_url_walk_finds_the_pages_we_know():
    for path in ["/", "/profile/", "/people/", "/organisations/", "/accounts/2fa/"]:
        assert path in ARGLESS_PATHS
    assert set(ARGLESS_PATHS) >= PUBLIC_PATHS


@pytest.mark.django_db
def test_no_missing_migrations():
    out = StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
    except SystemExit:
        pytest.fail(f"Models have changes without a migration:\n{out.getvalue()}")


def _get(user, path):
    client = Client()
    client.force_login(user)
    return client.get(path)


def _assert_page_works(response, path):
    # 405: an endpoint that only accepts POST (htmx actions). Never a 404 or a 500.
    assert response.status_code in {200, 301, 302, 405}, f"{path}: {response.status_code}"
    if response.status_code in {301, 302}:
        assert urlsplit(response["Location"]).path != "/accounts/login/", path
    elif response.status_code == 200 and response["Content-Type"].startswith("text/html"):
        assert count_h1(response) == 1, f"{path} must have exactly one <h1>"


@pytest.mark.parametrize(
    ("path", "with_mfa"),
    [(path, False) for path in ARGLESS_PATHS]
    # Two-factor authentication changes only allauth's pages.
    + [(path, True) for path in ARGLESS_PATHS if path.startswith("/accounts/")],
    ids=lambda value: {False: "plain", True: "with-2fa"}.get(value, value),
)
def test_every_page_works_for_a_member(member, moderator, path, with_mfa):
    """Every page works for a moderator; for a member too, or it is a clean 403."""
    if with_mfa:
        enable_mfa(member)
        enable_mfa(moderator)

    as_moderator = _get(moderator, path)
    as_member = _get(member, path)

    if path in NEED_MFA_PATHS and not with_mfa:
        assert as_member.status_code == as_moderator.status_code == 404
        return
    _assert_page_works(as_moderator, path)
    if as_member.status_code == 403:
        # Moderators' pages (e.g. writing articles): a member is refused, with a proper page.
        assert as_moderator.status_code == 200, path
        assert count_h1(as_member) == 1
    else:
        _assert_page_works(as_member, path)


@pytest.mark.django_db
@pytest.mark.parametrize("path", [p for p in ARGLESS_PATHS if p not in PUBLIC_PATHS])
def test_visitor_is_sent_to_login(client, path):
    response = client.get(path)

    assert response.status_code == 302, path
    assert urlsplit(response["Location"]).path == "/accounts/login/"


@pytest.mark.parametrize(
    "path", ["/people/1/", "/organisations/silkeborg/", "/organisations/no-such-slug/"]
)
def test_visitor_is_sent_to_login_from_pages_with_arguments(client, member, path):
    response = client.get(path.replace("/1/", f"/{member.pk}/"))

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


@pytest.mark.django_db
@pytest.mark.parametrize("path", sorted(PUBLIC_PATHS))
def test_public_pages_work_for_a_visitor(client, path):
    response = client.get(path)

    assert response.status_code == 200
    if response["Content-Type"].startswith("text/html"):
        assert count_h1(response) == 1


@pytest.mark.django_db
def test_health_reports_ok(client):
    response = client.get("/health/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content)["status"] == "ok"
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_health_reports_a_broken_database(client, monkeypatch):
    class BrokenConnection:
        def cursor(self):
            raise OperationalError("connection refused")

    monkeypatch.setattr(views, "connection", BrokenConnection())

    response = client.get("/health/")

    assert response.status_code == 503
    assert json.loads(response.content)["status"] == "error"


@pytest.mark.django_db
def test_health_only_answers_reads(client):
    assert client.post("/health/").status_code == 405


@pytest.mark.django_db
def test_danish_is_the_default_language(client):
    response = client.get("/accounts/login/")

    html = response.content.decode()
    assert '<html lang="da">' in html
    assert "Log ind" in html


@pytest.mark.django_db
def test_the_language_switcher_changes_and_remembers_the_language(client):
    response = client.post(
        "/i18n/setlang/", {"language": "en", "next": "/accounts/login/"}, follow=False
    )
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/"

    html = client.get("/accounts/login/").content.decode()
    assert '<html lang="en">' in html
    assert "Sign In" in html
    assert "Log ind" not in html

    client.post("/i18n/setlang/", {"language": "da", "next": "/accounts/login/"})
    assert '<html lang="da">' in client.get("/accounts/login/").content.decode()


@pytest.mark.django_db
def test_the_language_switcher_refuses_an_unsafe_next_url(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "https://evil.example/"})

    assert response.status_code == 302
    assert not response["Location"].startswith("https://evil.example")


@pytest.mark.django_db
def test_security_headers(client):
    response = client.get("/accounts/login/")

    policy = response["Content-Security-Policy"]
    directives = {d.split()[0]: d.split()[1:] for d in policy.split(";") if d.strip()}
    assert directives["script-src"][0] == "'self'"
    assert "'unsafe-inline'" not in policy
    assert "'unsafe-eval'" not in policy
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["object-src"] == ["'none'"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_scripts_may_run_with_the_nonce_of_the_response():
    """A page that uses {{ request.csp_nonce }} gets that nonce in script-src."""
    seen = {}

    def view(request):
        seen["nonce"] = str(request.csp_nonce)
        return HttpResponse(f'<script nonce="{seen["nonce"]}"></script>')

    response = CSPMiddleware(view)(RequestFactory().get("/"))

    script_src = next(
        d for d in response["Content-Security-Policy"].split(";") if "script-src" in d
    )
    assert f"'nonce-{seen['nonce']}'" in script_src.split()
    assert "'self'" in script_src.split()


@pytest.mark.parametrize("who", ["visitor", "member"])
def test_404_page(client, member, who):
    if who == "member":
        client.force_login(member)

    response = client.get("/this-page-does-not-exist/")

    assert response.status_code == 404
    assert count_h1(response) == 1
    assert '<html lang="da">' in response.content.decode()

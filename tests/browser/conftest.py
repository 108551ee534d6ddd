"""Playwright with Debian's Chromium (see /work/shared/RECIPES.md, "Browser tests").

Every test in this folder is skipped, with the reason, when /usr/bin/chromium is absent.
"""

import os
from pathlib import Path

import pytest

# The ORM refuses to run inside Playwright's event loop unless told it is safe: the test and the
# live server thread only share the database, never a connection.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path(os.environ.get("KOMVIDERE_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    # Without these, Chromium keeps calling hosts this machine cannot reach.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(config, items):
    """Skip every test in this folder, with the reason, where Debian's Chromium is missing."""
    if CHROMIUM.exists():
        return
    here = Path(__file__).parent
    skip = pytest.mark.skip(reason=f"{CHROMIUM} is not installed (apt-get install chromium)")
    for item in items:
        if here in item.path.parents:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "args": [*browser_type_launch_args.get("args", []), *CHROMIUM_FLAGS],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # Our CSP allows only nonce'd scripts, which blocks the axe script Playwright injects.
    # Tests only: the real policy is checked in tests/test_site.py.
    return {**browser_context_args, "bypass_csp": True, "locale": "da-DK"}


# ---- shared helpers (appended by issue 4: dilemmas) ---------------------------------------------

AXE_WCAG21AA = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}


def login(page, live_server, user, password=None) -> None:
    """Log in through the real form; leaves the page on wherever the login redirects."""
    from tests.factories import PASSWORD

    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", password or PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


def axe_report(page) -> str:
    """axe-core's WCAG 2.1 AA report for the page as it is now; empty when it is clean."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options=AXE_WCAG21AA)
    return results.generate_report() if results.violations_count else ""


@pytest.fixture(scope="session", autouse=True)
def _serialized_rollback_under_playwright(django_db_setup):
    """Let `serialized_rollback=True` restore the data migrations' rows in browser tests.

    Django keeps database connections in an asgiref Local that is per thread while the thread
    is synchronous, but per async context once an event loop runs in it, and Playwright's sync
    API runs one in the test thread. After Playwright starts, the test thread therefore gets a
    new connection object, without the `_test_serialized_contents` that setup_databases() put
    on the first one, and TransactionTestCase silently skips the restore. Put the contents on
    the backend class so every connection object has them.
    """
    from django.db import connections

    patched = []
    for conn in connections.all():
        contents = getattr(conn, "_test_serialized_contents", None)
        if contents is not None and "_test_serialized_contents" not in vars(type(conn)):
            type(conn)._test_serialized_contents = contents
            patched.append(type(conn))
    yield
    for cls in patched:
        del cls._test_serialized_contents

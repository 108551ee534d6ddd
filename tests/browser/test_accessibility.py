"""WCAG 2.1 AA with axe-core on the pages of the foundation, as a visitor and as a member."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.factories import PASSWORD, UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}


def check(page, failures: dict) -> None:
    """Run axe on the page as it is now; collect its report if anything is wrong."""
    assert page.locator("h1").count() == 1, page.url
    results = Axe().run(page, options=AXE_OPTIONS)
    if results.violations_count:
        failures[page.url] = results.generate_report()


def assert_no_violations(failures: dict) -> None:
    if failures:
        report = "\n\n".join(f"== {url}\n{text}" for url, text in failures.items())
        print(report)
        pytest.fail(f"axe found WCAG 2.1 AA violations on {len(failures)} page(s):\n{report}")


def test_visitor_pages(live_server, page):
    failures: dict = {}
    for path in ["/accounts/login/", "/accounts/signup/", "/accounts/password/reset/"]:
        page.goto(live_server.url + path)
        check(page, failures)
    for path in ["/accessibility/", "/privacy/"]:
        page.goto(live_server.url + path)
        check(page, failures)

    # A form with errors: the summary and the messages next to the fields.
    page.goto(live_server.url + "/accounts/signup/")
    page.fill("input[name=email]", "someone@gmail.com")
    page.fill("input[name=name]", "Someone")
    page.fill("input[name=password1]", "short")
    page.fill("input[name=password2]", "other")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(".error-summary").count() == 1
    check(page, failures)

    assert_no_violations(failures)


def test_member_journey(live_server, page):
    member = UserFactory(name="Mette Kjær", email_local_part="mette")
    colleague = UserFactory(name="Ole Andersen", bio="Varmeplaner og borgerinddragelse.")
    failures: dict = {}

    page.goto(live_server.url + "/")
    assert "/accounts/login/" in page.url
    page.fill("input[name=login]", member.email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(live_server.url + "/")
    assert "Mette Kjær" in page.locator("h1").inner_text()
    check(page, failures)

    for path in [
        "/profile/",
        "/people/",
        colleague.get_absolute_url(),
        "/organisations/",
        "/organisations/silkeborg/",
        "/accounts/2fa/",
    ]:
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        check(page, failures)

    # The profile form with an error.
    page.goto(live_server.url + "/profile/")
    page.fill("input[name=name]", "")
    page.locator("main form.form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(".error-summary").count() == 1
    check(page, failures)

    # The same pages in English.
    page.select_option("#language-select", "en")
    page.locator(".language-switcher button").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    check(page, failures)

    assert_no_violations(failures)


@pytest.mark.django_db(transaction=False)
def test_axe_finds_violations_when_there_are_some(page):
    """Guards the checks above against passing vacuously (axe not injected, wrong options)."""
    page.set_content('<html><body><main><h1>Test</h1><img src="/x.png"></main></body></html>')

    results = Axe().run(page, options=AXE_OPTIONS)

    assert results.violations_count > 0
    assert "image-alt" in results.generate_report()

"""A member asks (and sees suggestions while typing), a colleague replies, the asker accepts."""

import re

import pytest

from dilemmas import services
from tests.browser.conftest import CHROMIUM, axe_report, login
from tests.factories import UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} is not installed"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_ask_reply_accept(live_server, browser):
    asker = UserFactory(name="Mette Kjær", email_local_part="mette")
    colleague = UserFactory(name="Ole Andersen", email_local_part="ole")
    earlier = services.dilemma_create(
        author=UserFactory(),
        kind="question",
        title="Hvordan inddrager vi borgerne i placeringen af vindmøller?",
        body="Erfaringer?",
        check_rate=False,
    )
    failures: dict[str, str] = {}

    def check(page):
        assert page.locator("h1").count() == 1, page.url
        if report := axe_report(page):
            failures[page.url] = report

    # The asker: list, form with live suggestions, the thread.
    asker_context = browser.new_context(bypass_csp=True, locale="da-DK")
    page = asker_context.new_page()
    login(page, live_server, asker)
    page.goto(live_server.url + "/dilemmas/")
    check(page)
    page.goto(live_server.url + "/dilemmas/new/")
    check(page)
    page.locator("#id_title").press_sequentially("Vindmøller og borgerne", delay=20)
    suggestion = page.locator("#dilemma-suggestions [data-suggestions] a", has_text=earlier.title)
    suggestion.wait_for(timeout=10_000)
    check(page)  # the form with its suggestions showing
    page.fill("#id_body", "Hvordan får vi **lokal opbakning** til nye vindmøller?")
    page.locator("main form.form button[type=submit]:not([name])").click()
    page.wait_for_url(re.compile(r"/dilemmas/\d+/$"))
    assert page.locator("h1").inner_text() == "Vindmøller og borgerne"
    thread_url = page.url
    check(page)

    # A colleague replies.
    colleague_context = browser.new_context(bypass_csp=True, locale="da-DK")
    other = colleague_context.new_page()
    login(other, live_server, colleague)
    other.goto(thread_url)
    other.fill("#id_body", "Vi holdt åbne møder i landsbyerne, før vi tegnede på kortet.")
    other.locator("form[action$='/reply/'] button[type=submit]").click()
    other.wait_for_load_state()
    assert other.locator(".reply").count() == 1

    # The asker accepts it; the thread shows it as answered, the answer marked in place and
    # a jump link to it at the top.
    page.goto(thread_url)
    page.locator("form[action$='/accept/'] button[type=submit]").first.click()
    page.wait_for_load_state()
    assert page.locator(".thread .status--answered").count() == 1
    assert "åbne møder i landsbyerne" in page.locator(".reply--accepted").inner_text()
    assert page.locator("a.jump--accepted").count() == 1
    check(page)

    # The colleague sees the notification in the header and the inbox.
    other.goto(live_server.url + "/notifications/")
    assert "Vindmøller og borgerne" in other.locator("main").inner_text()
    check(other)

    # The live suggestions also work under the real Content-Security-Policy (no bypass).
    strict_context = browser.new_context(locale="da-DK")
    strict = strict_context.new_page()
    errors: list[str] = []
    strict.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    login(strict, live_server, colleague)
    strict.goto(live_server.url + "/dilemmas/new/")
    strict.locator("#id_title").press_sequentially("Vindmøller i landsbyer", delay=20)
    strict.locator("#dilemma-suggestions [data-suggestions]").wait_for(timeout=10_000)
    # The formatting toolbar, too, runs under the real policy.
    assert strict.locator("[role=toolbar][aria-controls=id_body] button").count() == 6
    assert not [e for e in errors if "Content Security Policy" in e], errors

    strict_context.close()
    asker_context.close()
    colleague_context.close()
    if failures:
        report = "\n\n".join(f"== {url}\n{text}" for url, text in failures.items())
        pytest.fail(f"axe found WCAG 2.1 AA violations:\n{report}")

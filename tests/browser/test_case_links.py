"""A member links a case to a thread with the autocomplete, and a dilemma to a case by typing
its title; both pages show the link and pass axe (WCAG 2.1 AA), the form with an error too."""

import pytest

from dilemmas import services
from tests.browser.conftest import CHROMIUM, axe_report, login
from tests.factories import CaseFactory, UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} is not installed"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_link_a_case_from_the_thread_and_a_dilemma_from_the_case(live_server, page):
    member = UserFactory(name="Ole Andersen", email_local_part="ole")
    dilemma = services.dilemma_create(
        author=UserFactory(),
        kind="question",
        title="Hvordan inddrager vi borgerne i placeringen af vindmøller?",
        body="Erfaringer?",
        check_rate=False,
    )
    other = services.dilemma_create(
        author=UserFactory(),
        kind="question",
        title="Solceller på skolerne?",
        body="B",
        check_rate=False,
    )
    case = CaseFactory(title="Borgerpanel om vindmøller", slug="borgerpanel-vind")
    failures: dict[str, str] = {}

    def check():
        assert page.locator("h1").count() == 1, page.url
        if report := axe_report(page):
            failures[page.url] = report

    login(page, live_server, member)
    page.goto(live_server.url + dilemma.get_absolute_url())
    check()

    # The autocomplete: type, choose the suggestion with the keyboard, send.
    page.locator("#id_cases_add").press_sequentially("Borgerpanel", delay=20)
    page.locator("#id_cases_add_listbox [role=option]").first.wait_for(timeout=10_000)
    check()  # with the suggestions open
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    assert page.locator("#id_cases_chosen input:checked").count() == 1
    page.locator("#answering-cases form.answer-links__form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("#answering-cases a", has_text=case.title).count() == 1
    check()

    # From the case: a title that matches nothing is an error next to the field.
    page.goto(live_server.url + case.get_absolute_url())
    assert page.locator("#answered-dilemmas a", has_text=dilemma.title).count() == 1
    check()
    page.fill("#id_dilemmas_add", "Ingen tråd hedder sådan")
    page.locator("#answered-dilemmas form.answer-links__form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("#id_dilemmas_error").count() == 1
    assert page.locator("#id_dilemmas_add").input_value() == "Ingen tråd hedder sådan"
    check()
    page.fill("#id_dilemmas_add", other.title)
    page.locator("main form.form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("#answered-dilemmas a", has_text=other.title).count() == 1

    if failures:
        report = "\n\n".join(f"== {url}\n{text}" for url, text in failures.items())
        pytest.fail(f"axe found WCAG 2.1 AA violations:\n{report}")

"""Searching from the header and opening a result; axe on home, search, tag and feed-free pages."""

import pytest

from dilemmas import services as dilemma_services
from komvidere import search
from tests.browser.conftest import login
from tests.browser.test_accessibility import assert_no_violations, check
from tests.factories import ArticleFactory, CaseFactory, UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_search_from_the_header_and_open_a_result(live_server, page):
    member = UserFactory(name="Mette Kjær")
    case = CaseFactory(
        title="Skybrudssikring i Viborg",
        summary="Regnvandsbassiner og grønne kiler beskytter byen mod skybrud.",
        tags=["klimatilpasning"],
    )
    article = ArticleFactory(title="Guide til klimatilpasning", tags=["klimatilpasning"])
    dilemma = dilemma_services.dilemma_create(
        author=member,
        kind="question",
        title="Hvem betaler for skybrudssikring?",
        body="Forsyningen eller kommunen?",
        tags=["klimatilpasning"],
        check_rate=False,
    )
    search.index_many([case, article, dilemma])
    failures: dict = {}

    login(page, live_server, member)
    check(page, failures)  # home

    page.locator("header form.header-search input[type=search]").fill("skybrud")
    page.locator("header form.header-search button").click()
    page.wait_for_url("**/search/?q=skybrud*")
    results = page.locator("ol.results > li")
    assert results.count() == 2
    assert page.locator("ol.results mark").count() >= 1
    check(page, failures)

    page.get_by_role("link", name="Skybrudssikring i Viborg").click()
    page.wait_for_url(f"**{case.get_absolute_url()}")
    assert page.locator("h1").inner_text() == "Skybrudssikring i Viborg"
    check(page, failures)

    page.goto(live_server.url + "/tags/klimatilpasning/")
    assert page.get_by_role("link", name="Guide til klimatilpasning").count() == 1
    check(page, failures)
    page.goto(live_server.url + "/tags/")
    check(page, failures)
    page.goto(live_server.url + article.get_absolute_url())
    check(page, failures)
    page.goto(live_server.url + "/search/?q=xyzzyplugh")
    check(page, failures)

    assert_no_violations(failures)

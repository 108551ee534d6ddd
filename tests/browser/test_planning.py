"""The planning pages in a browser: axe-clean at WCAG 2.1 AA, charts with text alternatives,
their tables reachable by keyboard, usable at phone width."""

import os
from decimal import Decimal
from pathlib import Path

import pytest

from accounts.models import EmissionRecord, Organisation
from komvidere.models import PlanStage, Sector
from tests.browser.conftest import axe_report, login
from tests.factories import ArticleFactory, CaseFactory, DilemmaFactory, UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SCREENSHOTS = os.environ.get("KOMVIDERE_SCREENSHOTS")  # a folder: save what the tests see


def _shoot(page, name):
    if SCREENSHOTS:
        Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SCREENSHOTS) / f"{name}.png"), full_page=True)


def _content():
    sectors = {s.slug: s for s in Sector.objects.all()}
    stages = list(PlanStage.objects.order_by("position"))
    silkeborg = Organisation.objects.get(slug="silkeborg")
    aarhus = Organisation.objects.get(slug="aarhus")
    for index, (org, slug, tonnes) in enumerate(
        [(silkeborg, "energi", 120), (aarhus, "transport", 45), (silkeborg, "transport", 8)]
    ):
        CaseFactory(
            organisation=org,
            sectors=[sectors[slug]],
            co2e_tonnes_per_year=Decimal(tonnes),
            co2e_method="calculated",
            co2e_baseline_year=2019,
            year_start=2020 + index,
            plan_stage=stages[index],
        )
        ArticleFactory(plan_stage=stages[index])
        DilemmaFactory(plan_stage=stages[index]).sectors.add(sectors[slug])
    for slug, tonnes in [("energi", 500), ("transport", 400), ("landbrug", 100)]:
        EmissionRecord.objects.create(
            organisation=silkeborg,
            year=2022,
            sector=sectors[slug],
            tonnes_co2e=tonnes,
            source="Eksempeldata",
            is_sample=True,
        )


def _check(page, failures, name):
    assert page.locator("h1").count() == 1, page.url
    report = axe_report(page)
    if report:
        failures[page.url] = report
    _shoot(page, name)


def test_plan_and_climate_pages(live_server, page):
    member = UserFactory()
    _content()
    login(page, live_server, member)
    failures: dict = {}
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 900})
        for path, name in [
            ("/plan/", "plan"),
            ("/plan/kortlaegning/", "plan-stage"),
            ("/climate/", "climate"),
            ("/climate/?organisation=silkeborg", "climate-silkeborg"),
        ]:
            page.goto(live_server.url + path)
            _check(page, failures, f"{name}-{width}")
        # Nothing wider than the screen at phone width (tables scroll inside their region).
        assert page.evaluate("document.documentElement.scrollWidth") <= width + 1
    assert not failures, "\n\n".join(f"== {url}\n{text}" for url, text in failures.items())

    # Every chart is an image with a name and a description; its table follows it.
    charts = page.locator("svg[role=img]")
    assert charts.count() == 6
    for index in range(charts.count()):
        chart = charts.nth(index)
        labelled = chart.get_attribute("aria-labelledby").split()
        assert all(page.locator(f"#{ident}").text_content().strip() for ident in labelled)
    # The tables are reachable by keyboard: their scrolling regions take focus by Tab.
    regions = page.locator(".table-wrap[tabindex='0']")
    assert regions.count() == 7
    page.locator("#sector-table").focus()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.tagName") in {"A", "DIV"}


def test_dashboard(live_server, page):
    from tests.factories import ModeratorFactory

    moderator = ModeratorFactory()
    _content()
    login(page, live_server, moderator)
    failures: dict = {}
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(live_server.url + "/dashboard/")
        _check(page, failures, f"dashboard-{width}")
        assert page.evaluate("document.documentElement.scrollWidth") <= width + 1
    page.goto(live_server.url + "/dashboard/?region=midtjylland")
    _check(page, failures, "dashboard-region")
    assert not failures, "\n\n".join(f"== {url}\n{text}" for url, text in failures.items())
    charts = page.locator("svg[role=img]")
    assert charts.count() == 4
    for index in range(charts.count()):
        labelled = charts.nth(index).get_attribute("aria-labelledby").split()
        assert all(page.locator(f"#{ident}").text_content().strip() for ident in labelled)
    assert page.locator(".table-wrap[tabindex='0']").count() == 2
    # The nudge works from the keyboard and says what it did.
    page.locator("form.inline-form button").first.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "#unanswered" in page.url
    assert page.locator(".message").count() >= 1
    assert not axe_report(page)

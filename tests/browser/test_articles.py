"""Knowledge articles in a real browser: the list with facets, a detail page with a player,
and the moderators' form, each checked with axe-core for WCAG 2.1 AA."""

import re

import pytest
from playwright.sync_api import expect

from komvidere.models import PlanStage, Sector, Theme
from tests.browser.conftest import CHROMIUM, axe_report, login
from tests.factories import ArticleFactory, ModeratorFactory, UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} is not installed"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _offline(page, live_server) -> None:
    """The players' hosts are unreachable here: answer them at once instead of waiting."""

    def handle(route):
        if route.request.url.startswith(live_server.url):
            route.continue_()
        else:
            route.abort()

    page.route("**/*", handle)


def _check(page, failures: dict) -> None:
    assert page.locator("h1").count() == 1, page.url
    report = axe_report(page)
    if report:
        failures[page.url] = report


def _assert_clean(failures: dict) -> None:
    if failures:
        report = "\n\n".join(f"== {url}\n{text}" for url, text in failures.items())
        pytest.fail(f"axe found WCAG 2.1 AA violations on {len(failures)} page(s):\n{report}")


def _articles():
    energi = Sector.objects.get(slug="energi")
    klima = Sector.objects.get(slug="klimatilpasning")
    theme = Theme.objects.get(slug="borgerinddragelse")
    stage = PlanStage.objects.get(slug="kortlaegning")
    author = ModeratorFactory()
    ArticleFactory(
        author=author,
        title="Sådan laver I et CO2-regnskab sektor for sektor",
        kind="guide",
        sectors=[energi],
        plan_stage=stage,
        tags=["co2-regnskab"],
        external_url="https://ens.dk/",
    )
    ArticleFactory(
        author=author,
        title="Værktøj til kortlægning af oversvømmelser",
        kind="tool",
        source_organisation="Klimatilpasning.dk",
        sectors=[klima],
        tags=["skybrud"],
    )
    podcast = ArticleFactory(
        author=author,
        title="Perspektiver fra midtjyske kommuner på klimaplanlægning",
        kind="podcast",
        source_organisation="Region Midtjylland",
        media_url="https://open.spotify.com/episode/4rOoJ6Egrf8K2IrywzwOMk",
        sectors=[energi],
        themes=[theme],
        tags=["podcast", "dk2020"],
        body="## I afsnittet\n\n- Forankring\n- Klimabudget",
    )
    video = ArticleFactory(
        author=author,
        title="Varmeplanlægning når naturgassen udfases",
        kind="video",
        media_url="https://www.youtube.com/watch?v=aqz-KE-bpKQ",
        sectors=[energi],
    )
    ArticleFactory(
        author=author,
        title="Et afsnit hos en anden udbyder",
        kind="podcast",
        media_url="https://www.podcaster.dk/afsnit/12",
    )
    return podcast, video


def test_member_browses_filters_and_reads(live_server, page):
    podcast, video = _articles()
    member = UserFactory(name="Mette Kjær")
    _offline(page, live_server)
    failures: dict = {}

    login(page, live_server, member)
    page.goto(live_server.url + "/articles/")
    assert page.locator(".article-card").count() == 5
    _check(page, failures)

    # Filter with the facet checkboxes (no JavaScript needed: a plain GET form).
    page.locator("#facet-kind > summary").click()  # the facet groups start folded
    page.locator("input[name=kind][value=podcast]").check()
    page.locator("[data-filter-panel] button[type=submit]").first.click()
    page.wait_for_url(re.compile(r"kind=podcast"))
    expect(page.locator(".article-card")).to_have_count(2)
    _check(page, failures)

    page.get_by_role("link", name=podcast.title).click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == podcast.title
    frame = page.locator("iframe.embed__frame")
    assert frame.count() == 1
    assert frame.get_attribute("src") == (
        "https://open.spotify.com/embed/episode/4rOoJ6Egrf8K2IrywzwOMk"
    )
    assert frame.get_attribute("title")
    _check(page, failures)

    page.goto(live_server.url + video.get_absolute_url())
    assert page.locator("iframe.embed__frame").count() == 1
    _check(page, failures)

    # The same pages in English.
    page.select_option("#language-select", "en")
    page.locator(".language-switcher button").click()
    page.wait_for_load_state()
    _check(page, failures)
    page.goto(live_server.url + "/articles/?sort=title")
    _check(page, failures)

    _assert_clean(failures)


def test_moderator_writes_an_article(live_server, page):
    moderator = ModeratorFactory(name="Lars Bøgh")
    _offline(page, live_server)
    failures: dict = {}

    login(page, live_server, moderator)
    page.goto(live_server.url + "/articles/new/")
    _check(page, failures)

    # Submitting an empty form shows the error summary and the errors by the fields.
    page.locator("form.article-form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(".error-summary").count() == 1
    _check(page, failures)

    page.fill("input[name=title]", "Guide til DK2020-recertificering")
    page.fill("textarea[name=summary]", "Hvad kræver recertificeringen af klimaplanen?")
    page.locator("input[name=kind][value=guide]").check()
    page.fill("textarea[name=body]", "## Tjekliste\n\n- Opdateret basislinje")
    page.locator("form.article-form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Guide til DK2020-recertificering"
    _check(page, failures)

    page.locator(".moderation-bar form[action$='/publish/'] button").click()
    page.wait_for_load_state()
    assert page.locator(".article__status").count() == 0  # published, not featured
    _check(page, failures)

    _assert_clean(failures)

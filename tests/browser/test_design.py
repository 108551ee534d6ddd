"""The look, in a browser: every page a member or a coordinator visits is axe-clean at WCAG 2.1
AA in Danish and in English and does not scroll sideways at 320 px; the mobile menu works by
keyboard; a case prints as a clean document."""

import pytest

from dilemmas import services as dilemma_services
from komvidere.models import Sector
from tests.browser.conftest import CHROMIUM, axe_report, login
from tests.factories import ArticleFactory, CaseFactory, ModeratorFactory, UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} is not installed"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def content(member):
    energi = Sector.objects.get(name="Energi")
    member.sectors.set([energi])
    case = CaseFactory(
        title="Geotermisk fjernvarme i Thisted: ny boring og større varmepumper",
        sectors=[energi],
        tags=["DK2020", "varmeplan"],
        challenge="Fjernvarmen kom fra **naturgas**. En meget lang linje uden mellemrum: "
        + "https://eksempel.dk/"
        + "a" * 120,
    )
    CaseFactory(author=member, status="draft", published_at=None, title="Min kladde")
    asker = UserFactory(name="Ole Andersen")
    dilemma = dilemma_services.dilemma_create(
        author=asker,
        kind="question",
        title="Hvordan holder vi borgerne engagerede, når kampagnen er slut?",
        body="Vi har haft stor opbakning. Hvad gør vi nu?",
        check_rate=False,
    )
    dilemma.sectors.set([energi])
    dilemma_services.reply_create(
        author=UserFactory(name="Sara Holm"),
        dilemma=dilemma,
        body="Faste borgermøder.",
        check_rate=False,
    )
    video = ArticleFactory(
        title="Video: Varmeplanlægning når naturgassen udfases",
        kind="video",
        media_url="https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        transcript="**Fortæller:** Naturgassen skal ud af de danske hjem.",
    )
    podcast = ArticleFactory(
        title="Podcast: Fra plan til handling",
        kind="podcast",
        media_url="https://open.spotify.com/episode/4rOoJ6Egrf8K2IrywzwOMk",
        transcript="**Vært:** Velkommen.",
    )
    return case, dilemma, video, podcast


def member_paths(member, case, dilemma, video, podcast):
    return [
        "/",
        "/cases/",
        case.get_absolute_url(),
        "/cases/new/",
        "/dilemmas/",
        dilemma.get_absolute_url(),
        "/dilemmas/new/",
        "/articles/",
        video.get_absolute_url(),
        podcast.get_absolute_url(),
        "/search/?q=fjernvarme",
        "/people/",
        member.get_absolute_url(),
        "/organisations/",
        "/organisations/silkeborg/",
        "/tags/",
        "/tags/dk2020/",
        "/notifications/",
        "/profile/",
        "/accessibility/",
        "/privacy/",
    ]


def visit_all(page, live_server, paths, failures, overflow):
    for path in paths:
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        assert page.locator("h1").count() == 1, path
        if report := axe_report(page):
            failures[f"{page.evaluate('document.documentElement.lang')} {path}"] = report
        with_320 = page.viewport_size
        page.set_viewport_size({"width": 320, "height": 800})
        wide = page.evaluate("document.documentElement.scrollWidth")
        if wide > 320:
            overflow[path] = wide
        page.set_viewport_size(with_320)


def switch_language(page, live_server, language):
    page.goto(live_server.url + "/accessibility/")
    page.select_option("#language-select", language)
    page.locator(".language-switcher button").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == language


def report(failures, overflow):
    text = "\n\n".join(f"== {where}\n{what}" for where, what in failures.items())
    assert not failures, f"axe found violations on {len(failures)} page(s):\n{text}"
    assert not overflow, f"wider than 320 px (scrollWidth): {overflow}"


def test_member_pages_in_both_languages(live_server, browser):
    member = UserFactory(name="Mette Kjær", email_local_part="mette")
    items = content(member)
    context = browser.new_context(
        bypass_csp=True, locale="da-DK", viewport={"width": 1366, "height": 900}
    )
    page = context.new_page()
    login(page, live_server, member)
    failures: dict[str, str] = {}
    overflow: dict[str, int] = {}
    paths = member_paths(member, *items)
    visit_all(page, live_server, paths, failures, overflow)
    switch_language(page, live_server, "en")
    visit_all(page, live_server, paths, failures, overflow)
    report(failures, overflow)


def test_coordinator_pages_in_both_languages(live_server, browser):
    moderator = ModeratorFactory(name="Karen Regionsen", is_staff=True, is_superuser=True)
    case, dilemma, *_ = content(moderator)
    CaseFactory(status="submitted", published_at=None, title="Venter på gennemgang")
    context = browser.new_context(
        bypass_csp=True, locale="da-DK", viewport={"width": 1366, "height": 900}
    )
    page = context.new_page()
    login(page, live_server, moderator)
    paths = [
        "/",
        "/cases/review/",
        "/dilemmas/flags/",
        "/admin/",
        "/admin/cases/case/",
        f"/admin/cases/case/{case.pk}/change/",
        f"/admin/dilemmas/dilemma/{dilemma.pk}/change/",
        "/admin/accounts/organisation/",
        f"/admin/accounts/organisation/{moderator.organisation_id}/change/",
    ]
    failures: dict[str, str] = {}
    for language in ("da", "en"):
        if language == "en":
            switch_language(page, live_server, "en")
        for path in paths:
            response = page.goto(live_server.url + path)
            assert response.status == 200, path
            page.wait_for_load_state("load")
            if found := axe_report(page):
                failures[f"{language} {path}"] = found
    assert not failures, "\n\n".join(f"== {k}\n{v}" for k, v in failures.items())
    # The site's own coordinator pages reflow too (the Django admin is desktop-first).
    page.set_viewport_size({"width": 320, "height": 800})
    for path in paths[:3]:
        page.goto(live_server.url + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 320, path


def test_the_mobile_menu_works_by_keyboard(live_server, browser):
    member = UserFactory(name="Mette Kjær", email_local_part="mette")
    context = browser.new_context(
        bypass_csp=True, locale="da-DK", viewport={"width": 390, "height": 800}
    )
    page = context.new_page()
    login(page, live_server, member)
    page.goto(live_server.url + "/")
    cases_link = page.locator(".main-nav a", has_text="Cases")
    assert not cases_link.is_visible()  # folded away behind the button

    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('menu__button')"):
            break
    else:
        pytest.fail("The menu button is not reachable with Tab")
    assert page.evaluate("document.activeElement.textContent").strip() == "Menu"
    page.keyboard.press("Enter")
    assert cases_link.is_visible()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('href')") == "/cases/"
    page.keyboard.press("Enter")
    page.wait_for_url(live_server.url + "/cases/")
    assert page.locator("h1").count() == 1
    # Closed again with the keyboard.
    page.locator(".menu__button").focus()
    page.keyboard.press("Enter")
    page.keyboard.press(" ")
    assert not page.locator(".main-nav a", has_text="Dilemmaer").is_visible()
    # On a wide screen the navigation is simply there, with no button.
    page.set_viewport_size({"width": 1366, "height": 800})
    assert page.locator(".main-nav a", has_text="Dilemmaer").is_visible()
    assert not page.locator(".menu__button").is_visible()


def test_a_case_prints_as_a_clean_document(live_server, browser):
    member = UserFactory()
    case, *_ = content(member)
    context = browser.new_context(bypass_csp=True, locale="da-DK")
    page = context.new_page()
    login(page, live_server, member)
    page.goto(live_server.url + case.get_absolute_url())
    page.emulate_media(media="print")
    assert page.locator("h1").is_visible()
    assert page.locator(".case__section").first.is_visible()
    for chrome in (".site-header", ".site-footer", "main form", ".button"):
        locator = page.locator(chrome)
        assert all(not locator.nth(i).is_visible() for i in range(locator.count())), chrome
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF")


def test_the_header_is_one_row_of_navigation_on_wide_screens(live_server, browser):
    """From 1152 px the whole navigation (a coordinator's, the longest) is one row under the
    brand, in both languages; narrower, it is behind the menu button."""
    moderator = ModeratorFactory(name="Karen Regionsen", is_staff=True, is_superuser=True)
    context = browser.new_context(
        bypass_csp=True, locale="da-DK", viewport={"width": 1366, "height": 900}
    )
    page = context.new_page()
    login(page, live_server, moderator)
    rows = "ls => new Set(ls.map(l => Math.round(l.getBoundingClientRect().top))).size"
    for language in ("da", "en"):
        if language == "en":
            page.set_viewport_size({"width": 1366, "height": 900})
            switch_language(page, live_server, "en")
        for width in (1152, 1366, 1920):
            page.set_viewport_size({"width": width, "height": 900})
            page.goto(live_server.url + "/")
            assert page.eval_on_selector_all(".main-nav li", rows) == 1, (language, width)
            assert not page.locator(".menu__button").is_visible()
        page.set_viewport_size({"width": 1024, "height": 900})
        page.goto(live_server.url + "/")
        assert page.locator(".menu__button").is_visible()
    context.close()

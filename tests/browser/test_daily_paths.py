"""The daily paths of authors and coordinators, in a real browser with axe-core:

- a case written section by section, with the partner and related-case boxes' suggestions and
  the formatting toolbar, submitted, sent back with a comment, fixed and published;
- the lists' filter pattern at phone width: the first result shows without scrolling;
- a journey by keyboard alone: log in, open a thread, write a reply (with the formatting
  toolbar) and post it.
"""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from accounts.models import Organisation
from cases.models import Case, Status
from dilemmas import services as dilemma_services
from komvidere.models import Sector
from tests.browser.conftest import CHROMIUM
from tests.browser.test_accessibility import assert_no_violations, check
from tests.factories import PASSWORD, ArticleFactory, CaseFactory, ModeratorFactory, UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} is not installed"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHONE = {"width": 390, "height": 844}


def log_in(page, base_url: str, email: str) -> None:
    page.context.clear_cookies()
    page.goto(base_url + "/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(base_url + "/")


def open_section(page, key: str) -> None:
    section = page.locator(f"#section-{key}")
    if section.get_attribute("open") is None:
        section.locator("> summary").click()
    expect(section).to_have_attribute("open", "")


def choose_suggestion(page, box_id: str, typed: str, label: str) -> None:
    """Type into an autocomplete box and pick the suggestion by keyboard, as the widget offers."""
    box = page.locator(f"#{box_id}_add")
    box.fill("")
    box.type(typed, delay=30)
    option = page.locator(f"#{box_id}_add_listbox [role=option]", has_text=label)
    expect(option).to_be_visible()
    options = page.locator(f"#{box_id}_add_listbox [role=option]")
    index = next(i for i in range(options.count()) if label in options.nth(i).inner_text())
    for _step in range(index + 1):
        box.press("ArrowDown")
    box.press("Enter")
    expect(page.locator(f"#{box_id}_chosen")).to_contain_text(label)


def test_a_case_written_in_sections_sent_back_fixed_and_published(live_server, page):
    author = UserFactory(name="Mette Kjær", email_local_part="mette")
    moderator = ModeratorFactory(name="Lars Bøgh", email_local_part="lars")
    energy = Sector.objects.get(slug="energi")
    partner = Organisation.objects.exclude(pk=author.organisation_id).order_by("name").first()
    earlier = CaseFactory(title="Solceller på skolernes tage", sectors=[energy])
    failures: dict = {}
    base = live_server.url

    # The author writes the case, one section at a time.
    log_in(page, base, author.email)
    page.goto(base + "/cases/new/")
    expect(page.locator("#section-basics")).to_have_attribute("open", "")
    expect(page.locator("#section-story")).not_to_have_attribute("open", "")
    check(page, failures)
    page.fill("input[name=title]", "Varmepumper i landsbyerne")
    page.fill("textarea[name=summary]", "Et fælles udbud af varmepumper i otte landsbyer.")
    choose_suggestion(page, "id_partners", partner.name[:5], partner.name)
    page.check("input[name=origin][value=municipality]")
    page.check("input[name=work_status][value=ongoing]")
    page.fill("input[name=year_start]", "2024")
    page.fill("input[name=year_end]", "2020")  # before the start: refused below

    open_section(page, "classification")
    page.check(f"input[name=sectors][value='{energy.pk}']")
    page.fill("input[name=tags]", "varmepumper")

    open_section(page, "story")
    expect(page.locator(".markdown-help")).to_have_count(1)
    challenge = page.locator("textarea[name=challenge]")
    challenge.fill("Mange oliefyr uden for fjernvarmen.")
    challenge.evaluate("t => t.setSelectionRange(6, 13)")  # "oliefyr"
    page.locator("[role=toolbar][aria-controls=id_challenge] button").first.click()
    expect(challenge).to_have_value("Mange **oliefyr** uden for fjernvarmen.")

    open_section(page, "figures")
    page.fill("input[name=co2e_tonnes_per_year]", "12,5")
    page.fill("input[name=budget_dkk]", "2.500.000")

    open_section(page, "more")
    choose_suggestion(page, "id_related_cases", "Solcel", earlier.title)
    check(page, failures)

    # The first attempt has an error: the summary takes the focus, the input is kept.
    page.locator("button[name=action][value=submit]").click()
    page.wait_for_load_state()
    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    expect(page.locator("input[name=title]")).to_have_value("Varmepumper i landsbyerne")
    expect(page.locator("#section-basics")).to_have_attribute("open", "")
    check(page, failures)
    page.fill("input[name=year_end]", "2025")
    page.locator("button[name=action][value=submit]").click()
    page.wait_for_url(re.compile(r"/cases/varmepumper-i-landsbyerne/$"))
    check(page, failures)
    case = Case.objects.get(title="Varmepumper i landsbyerne")
    assert case.status == Status.SUBMITTED
    assert list(case.partners.all()) == [partner]
    assert list(case.related_cases.all()) == [earlier]
    assert case.co2e_tonnes_per_year == Decimal("12.5")
    assert case.budget_dkk == 2_500_000

    # The moderator finds the actions at the top and sends it back with a comment.
    log_in(page, base, moderator.email)
    page.goto(base + case.get_absolute_url())
    bar = page.locator(".moderation-bar")
    assert bar.bounding_box()["y"] < page.locator("#heading-challenge").bounding_box()["y"]
    page.locator(".send-back summary").click()
    page.fill("textarea[name=comment]", "Skriv, hvad udbuddet kostede pr. husstand.")
    page.locator(".send-back button[type=submit]").click()
    page.wait_for_load_state()
    expect(page.locator(".message--success")).to_be_visible()
    check(page, failures)
    assert Case.objects.get(pk=case.pk).status == Status.DRAFT

    # The author reads the comment, fixes the case in the form and submits it again.
    log_in(page, base, author.email)
    page.goto(base + case.get_absolute_url())
    expect(page.locator(".sent-back")).to_contain_text("pr. husstand")
    check(page, failures)
    page.locator(f".case-actions a[href='{case.get_edit_url()}']").click()
    page.wait_for_url(re.compile(r"/edit/$"))
    open_section(page, "story")
    page.fill("textarea[name=costs_and_funding]", "Ca. 4.000 kr. pr. husstand.")
    check(page, failures)
    page.locator("button[name=action][value=submit]").click()
    page.wait_for_url(re.compile(r"/cases/varmepumper-i-landsbyerne/$"))
    assert Case.objects.get(pk=case.pk).status == Status.SUBMITTED

    # The moderator publishes it; the history tells the story in sentences.
    log_in(page, base, moderator.email)
    page.goto(base + case.get_absolute_url())
    page.locator(".moderation-bar form[action$='/publish/'] button").click()
    page.wait_for_load_state()
    case.refresh_from_db()
    assert case.status == Status.PUBLISHED
    assert case.costs_and_funding == "Ca. 4.000 kr. pr. husstand."
    expect(page.locator(".history")).to_contain_text("Lars Bøgh")
    expect(page.locator(".history")).not_to_contain_text("send_back")
    check(page, failures)
    assert_no_violations(failures)


@pytest.mark.parametrize(
    ("path", "result"),
    [
        ("/cases/", ".case-list > li"),
        ("/dilemmas/", ".dilemma-list > li"),
        ("/articles/", ".article-list > li"),
    ],
)
def test_at_phone_width_the_first_result_shows_without_scrolling(
    live_server, browser, path, result
):
    member = UserFactory(email_local_part="mette")
    energy = Sector.objects.get(slug="energi")
    for number in range(3):
        CaseFactory(title=f"Fjernvarme i landsby {number}", sectors=[energy], tags=["varme"])
        ArticleFactory(title=f"Guide til varmeplanen, del {number}", sectors=[energy])
        dilemma_services.dilemma_create(
            author=member,
            kind="question",
            title=f"Hvordan planlægger vi fjernvarmen i landsby {number}?",
            body="Erfaringer?",
            sectors=[energy],
            check_rate=False,
        )
    context = browser.new_context(bypass_csp=True, locale="da-DK", viewport=PHONE)
    page = context.new_page()
    failures: dict = {}
    log_in(page, live_server.url, member.email)

    for query in ("", "?sector=energi"):
        page.goto(live_server.url + path + query)
        panel = page.locator("[data-filter-panel]")
        expect(panel).to_be_visible()
        assert panel.get_attribute("open") is None  # folded away at phone width
        first = page.locator(result).first
        expect(first).to_be_visible()
        box = first.bounding_box()
        assert box["y"] >= 0 and box["y"] + min(box["height"], 48) <= PHONE["height"], (
            path + query,
            box,
        )
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        check(page, failures)

    # The filters work at this width too: open the panel, choose, and the list follows.
    page.goto(live_server.url + path)
    page.locator("[data-filter-panel] > summary").click()
    expect(page.locator("[data-filter-panel]")).to_have_attribute("open", "")
    check(page, failures)
    context.close()
    assert_no_violations(failures)


def tab_to(page, selector: str, *, limit: int = 120, backwards: bool = False) -> None:
    """Press Tab (or Shift+Tab) until the focused element matches `selector`."""
    for _press in range(limit):
        if page.evaluate(
            "s => !!document.activeElement && document.activeElement.matches(s)", selector
        ):
            return
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
    raise AssertionError(f"Tab never reached {selector} on {page.url}")


def test_log_in_open_a_thread_and_reply_by_keyboard_alone(live_server, page):
    asker = UserFactory(name="Mette Kjær", email_local_part="mette")
    replier = UserFactory(name="Ole Holm", email_local_part="ole")
    dilemma = dilemma_services.dilemma_create(
        author=asker,
        kind="question",
        title="Hvordan får vi politikerne med på klimaplanen?",
        body="Vi har brug for **opbakning**.",
        check_rate=False,
    )
    failures: dict = {}
    base = live_server.url

    page.goto(base + "/accounts/login/")
    tab_to(page, "input[name=login]")
    page.keyboard.type(replier.email)
    tab_to(page, "input[name=password]")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(base + "/")

    page.goto(base + "/dilemmas/")
    check(page, failures)
    tab_to(page, f"main a[href='{dilemma.get_absolute_url()}']")
    page.keyboard.press("Enter")
    page.wait_for_url(base + dilemma.get_absolute_url())
    check(page, failures)

    tab_to(page, "#reply-form textarea[name=body]")
    page.keyboard.type("Vi inviterede udvalget på en tur til et ")
    # The formatting toolbar is one tab stop before the box; Enter on "bold" puts the
    # markers in and the focus back between them.
    page.keyboard.press("Shift+Tab")
    assert page.evaluate("document.activeElement.closest('[role=toolbar]') !== null")
    page.keyboard.press("Enter")
    page.keyboard.type("varmeværk")
    page.keyboard.press("End")
    page.keyboard.type(". Det hjalp.")
    expect(page.locator("#reply-form textarea[name=body]")).to_have_value(
        "Vi inviterede udvalget på en tur til et **varmeværk**. Det hjalp."
    )
    tab_to(page, "#reply-form button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"#reply-\d+$"))
    reply = dilemma.replies.order_by("-pk").first()
    assert reply.author == replier
    assert reply.body == "Vi inviterede udvalget på en tur til et **varmeværk**. Det hjalp."
    assert page.evaluate("document.activeElement.id") == f"reply-{reply.pk}"
    expect(page.locator(f"#reply-{reply.pk}")).to_contain_text("Ole Holm")
    expect(page.locator(f"#reply-{reply.pk} strong")).to_have_text("varmeværk")
    check(page, failures)
    assert_no_violations(failures)


@pytest.mark.parametrize(
    ("path", "writer"),
    [
        ("/cases/new/", UserFactory),
        ("/dilemmas/new/", UserFactory),
        ("/articles/new/", ModeratorFactory),
    ],
)
def test_a_refused_form_puts_the_focus_on_its_error_summary(live_server, page, path, writer):
    user = writer(email_local_part="skribent")
    log_in(page, live_server.url, user.email)
    page.goto(live_server.url + path)

    page.locator("main form button[type=submit]:not([name=preview])").last.click()
    page.wait_for_load_state()

    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    # Its links lead to the fields, so a keyboard user goes from the summary to the first one.
    first_link = summary.locator("a").first
    target = first_link.get_attribute("href")
    first_link.press("Enter")
    expect(page.locator(target)).to_be_in_viewport()

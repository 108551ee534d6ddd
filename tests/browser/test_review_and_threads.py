"""A moderator sends a submitted case back with a comment; the author reads it, fixes the
case and submits again; the moderator publishes it and reads the history. Then a reply in a
thread: the page lands on the new reply, with focus and its message. axe checks each page."""

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from cases import services as case_services
from cases.models import Case, Status
from dilemmas import services as dilemma_services
from tests.browser.conftest import CHROMIUM
from tests.browser.test_accessibility import assert_no_violations, check
from tests.factories import PASSWORD, ModeratorFactory, UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} is not installed"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SCREENSHOTS = (
    Path(os.environ.get("KOMVIDERE_SCREENSHOTS", ""))
    if os.environ.get("KOMVIDERE_SCREENSHOTS")
    else None
)


def log_in(page, base_url: str, email: str) -> None:
    page.context.clear_cookies()
    page.goto(base_url + "/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(base_url + "/")


def shot(page, name: str) -> None:
    if SCREENSHOTS:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def test_send_back_with_a_comment_fix_and_publish(live_server, page):
    author = UserFactory(name="Mette Kjær", email_local_part="mette")
    moderator = ModeratorFactory(name="Lars Bøgh", email_local_part="lars")
    case = case_services.case_create(
        author=author,
        title="Varmepumper i landsbyerne",
        summary="Et fælles udbud af varmepumper i otte landsbyer.",
        organisation=author.organisation,
        origin="municipality",
        work_status="ongoing",
        challenge="Mange oliefyr uden for fjernvarmen.",
        submit=True,
    )
    failures: dict = {}
    base = live_server.url

    # The moderator finds the actions at the top and sends the case back.
    log_in(page, base, moderator.email)
    page.goto(base + case.get_absolute_url())
    bar = page.locator(".moderation-bar")
    expect(bar).to_be_visible()
    assert bar.bounding_box()["y"] < page.locator("#heading-challenge").bounding_box()["y"]
    check(page, failures)
    page.locator(".send-back summary").click()
    page.locator(".send-back button[type=submit]").click()  # empty: refused, kept open
    page.wait_for_load_state()
    expect(page.locator("#id_comment_error")).to_be_visible()
    check(page, failures)
    page.fill("textarea[name=comment]", "Tilføj gerne, hvad udbuddet kostede pr. husstand.")
    page.locator(".send-back button[type=submit]").click()
    page.wait_for_load_state()
    assert Case.objects.get(pk=case.pk).status == Status.DRAFT
    shot(page, "send-back-moderator")

    # The author sees the comment at the top and the history as sentences.
    log_in(page, base, author.email)
    page.goto(base + "/notifications/")
    expect(page.locator("main")).to_contain_text("Lars Bøgh")
    expect(page.locator("main")).to_contain_text("kostede pr. husstand")
    check(page, failures)
    page.goto(base + case.get_absolute_url())
    expect(page.locator(".sent-back")).to_contain_text("kostede pr. husstand")
    expect(page.locator(".history")).not_to_contain_text("send_back")
    check(page, failures)
    shot(page, "send-back-author")
    Case.objects.filter(pk=case.pk).update(costs_and_funding="Ca. 4.000 kr. pr. husstand.")
    page.locator("form[action$='/submit/'] button").click()
    page.wait_for_load_state()
    assert Case.objects.get(pk=case.pk).status == Status.SUBMITTED

    # The moderator publishes it.
    log_in(page, base, moderator.email)
    page.goto(base + case.get_absolute_url())
    expect(page.locator(".send-back")).to_be_visible()
    page.locator(".moderation-bar form[action$='/publish/'] button").click()
    page.wait_for_load_state()
    assert Case.objects.get(pk=case.pk).status == Status.PUBLISHED
    expect(page.locator(".history li")).to_have_count(5)  # create, submit, back, submit, publish
    check(page, failures)
    shot(page, "send-back-published")
    assert_no_violations(failures)


def test_a_reply_lands_with_focus_and_its_message(live_server, page):
    asker = UserFactory(name="Mette Kjær", email_local_part="mette")
    replier = UserFactory(name="Ole Holm", email_local_part="ole")
    dilemma = dilemma_services.dilemma_create(
        author=asker,
        kind="question",
        title="Hvordan får vi politikerne med?",
        body="Vi har brug for **opbakning** til klimaplanen.",
        check_rate=False,
    )
    first = dilemma_services.reply_create(
        author=asker, dilemma=dilemma, body="Vi prøver med et temamøde.", check_rate=False
    )
    failures: dict = {}
    base = live_server.url
    log_in(page, base, replier.email)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(base + dilemma.get_absolute_url())
    page.locator(f"#reply-{first.pk} a[href^='?quote=']").click()
    page.wait_for_load_state()
    expect(page.locator("#reply-form textarea")).to_have_value(
        re.compile(r"^> Mette Kjær \(Silkeborg\) (skrev|wrote):\n>\n> Vi prøver med et temamøde.")
    )
    # The script put the focus in the form, ready to write under the quote.
    assert page.evaluate("document.activeElement.name") == "body"
    page.locator("#reply-form textarea").press("End")
    page.locator("#reply-form textarea").type("Godt forslag. Vi inviterede udvalget på tur.")
    page.locator("#reply-form button[type=submit]").click()
    page.wait_for_load_state()
    reply = dilemma.replies.order_by("-pk").first()
    assert page.url.endswith(f"#reply-{reply.pk}")
    assert page.evaluate("document.activeElement.id") == f"reply-{reply.pk}"
    message = page.locator(f"#reply-{reply.pk} .reply__posted")
    expect(message).to_be_visible()
    expect(message).to_be_in_viewport()
    expect(page.locator("#replies-title")).to_contain_text("2 svar")
    check(page, failures)
    shot(page, "thread-after-reply-390")
    assert_no_violations(failures)

"""A member writes a case, a moderator publishes it, and it is found under its sector facet.

axe-core checks the list, detail and form pages (WCAG 2.1 AA) along the way.
"""

import io
import re

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from cases.models import Case, Status
from komvidere.models import Sector
from tests.browser.conftest import CHROMIUM
from tests.browser.test_accessibility import assert_no_violations, check
from tests.factories import PASSWORD, CaseFactory, ModeratorFactory, UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} is not installed"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def log_in(page, base_url: str, email: str) -> None:
    page.goto(base_url + "/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(base_url + "/")


def test_a_case_from_draft_to_the_sector_facet(live_server, page, browser, browser_context_args):
    member = UserFactory(name="Mette Kjær", email_local_part="mette")
    moderator = ModeratorFactory(name="Lars Bøgh", email_local_part="lars")
    energy = Sector.objects.get(slug="energi")
    buildings = Sector.objects.get(slug="bygninger")
    CaseFactory(title="En anden energicase", sectors=[energy])
    failures: dict = {}
    base = live_server.url

    # The member writes the case. First an attempt with an error: the input is kept.
    log_in(page, base, member.email)
    page.goto(base + "/cases/new/")
    check(page, failures)
    page.fill("input[name=title]", "Varmepumper i landsbyerne")
    page.fill("textarea[name=summary]", "Et fælles udbud af varmepumper i otte landsbyer.")
    # The form is in folded sections: open the ones to fill in.
    for key in ("classification", "story"):
        page.locator(f"#section-{key} > summary").click()
    page.check(f"input[name=sectors][value='{energy.pk}']")
    page.check(f"input[name=sectors][value='{buildings.pk}']")
    page.fill("input[name=tags]", "varmepumper")
    page.fill("textarea[name=challenge]", "Mange **oliefyr** uden for fjernvarmen.")
    page.fill("input[name=year_start]", "2024")
    page.fill("input[name=year_end]", "2020")
    page.locator("button[name=action][value=submit]").click()
    page.wait_for_load_state()
    expect(page.locator(".error-summary")).to_be_visible()
    expect(page.locator("input[name=title]")).to_have_value("Varmepumper i landsbyerne")
    check(page, failures)

    page.fill("input[name=year_end]", "2025")
    page.locator("button[name=action][value=submit]").click()
    page.wait_for_url(re.compile(r"/cases/varmepumper-i-landsbyerne/$"))
    expect(page.locator("h1")).to_have_text("Varmepumper i landsbyerne")
    expect(page.locator(".case__section strong")).to_have_text("oliefyr")
    check(page, failures)
    case = Case.objects.get(title="Varmepumper i landsbyerne")
    assert case.status == Status.SUBMITTED
    assert set(case.sectors.all()) == {energy, buildings}
    assert case.tags.names()[0] == "varmepumper"

    # The moderator finds it in the review queue and publishes it.
    moderator_context = browser.new_context(**browser_context_args)
    moderator_page = moderator_context.new_page()
    log_in(moderator_page, base, moderator.email)
    moderator_page.goto(base + "/cases/review/")
    check(moderator_page, failures)
    moderator_page.get_by_role("link", name="Varmepumper i landsbyerne").click()
    moderator_page.wait_for_url(re.compile(r"/cases/varmepumper-i-landsbyerne/$"))
    check(moderator_page, failures)
    moderator_page.locator("form[action$='/publish/'] button").click()
    moderator_page.wait_for_load_state()
    expect(moderator_page.locator(".message--success")).to_be_visible()
    moderator_context.close()
    case.refresh_from_db()
    assert case.status == Status.PUBLISHED

    # The edit page, with its forms for links and files.
    page.goto(base + case.get_edit_url())
    expect(page.locator("#links-heading")).to_be_visible()
    check(page, failures)

    # The member finds it in the list under the buildings sector, and only there with it.
    page.goto(base + "/cases/")
    check(page, failures)
    cards = page.locator(".case-card__title")
    expect(cards).to_have_count(2)
    page.locator("#facet-sector > summary").click()  # the facet groups start folded
    page.check(f"input[name=sector][value='{buildings.slug}']")
    page.locator("[data-filter-panel] button[type=submit]").first.click()
    page.wait_for_url(re.compile(r"sector=bygninger"))
    expect(cards).to_have_count(1)
    expect(cards.first).to_have_text("Varmepumper i landsbyerne")
    label = page.locator(
        f"label[for={page.locator('input[name=sector][value=bygninger]').get_attribute('id')}]"
    )
    expect(label).to_contain_text("(1")
    check(page, failures)

    # The downloads follow the filters htmx applied, and the workbook holds what the list shows.
    xlsx = page.get_by_role("link", name=re.compile("XLSX"))
    expect(xlsx).to_have_attribute("href", re.compile(r"^/cases/export\.xlsx\?.*sector=bygninger"))
    expect(page.locator("a[href^='/cases/export.csv']")).to_have_attribute(
        "href", re.compile(r"sector=bygninger")
    )
    with page.expect_download() as download_info:
        xlsx.click()
    sheet = load_workbook(io.BytesIO(download_info.value.path().read_bytes())).active
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == [
        "Varmepumper i landsbyerne"
    ]
    assert download_info.value.suggested_filename.endswith(".xlsx")

    assert_no_violations(failures)

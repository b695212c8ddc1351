"""axe-core on the main pages, on a desktop and on a phone, and no sideways scrolling on the phone."""

import pytest
from playwright.sync_api import Page, expect

from .conftest import DESKTOP, PHONE, axe_violations, describe_violations

pytestmark = pytest.mark.browser


def fits_the_width(page: Page) -> bool:
    return page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth + 1")


def check(page: Page, where: str, phone: bool, problems: list[str]) -> None:
    """Collect the page's axe violations (and sideways scrolling on a phone) into ``problems``."""
    problems_here = describe_violations(where, axe_violations(page))
    if problems_here:
        problems.append(problems_here)
    if phone and not fits_the_width(page):
        width = page.evaluate("[document.scrollingElement.scrollWidth, window.innerWidth]")
        problems.append(f"{where}: the page scrolls sideways on a phone (scrollWidth, innerWidth = {width})")


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_main_pages_have_no_axe_violations(new_page, region, viewport):
    phone = viewport == PHONE
    problems: list[str] = []

    page = new_page(viewport=viewport)
    page.goto("/login/")
    check(page, "login", phone, problems)

    # A coordinator sees every part of the pages, the read log and the share form included.
    page = new_page(user=region["coordinator"], viewport=viewport)
    page.goto("/")
    check(page, "home", phone, problems)

    page.goto("/clients/")
    expect(page.locator("main table tbody tr")).to_have_count(3)
    check(page, "client list", phone, problems)

    page.goto(f"/clients/{region['jarvinen'].pk}/")
    expect(page.locator("#read-log tbody tr").first).to_be_visible()
    check(page, "client profile", phone, problems)

    page.goto(f"/casework/clients/{region['jarvinen'].pk}/contacts/new/")
    check(page, "contact form", phone, problems)

    page.goto("/casework/rules/")
    check(page, "deadline rules", phone, problems)

    page.goto("/clients/new/")
    check(page, "client form", phone, problems)

    page.fill("#id_given_names", "فاطمة")
    page.fill("#id_identity_code", "131052-308U")
    page.fill("#id_date_of_birth", "1990-13")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").first.click()
    expect(page.locator("#form-errors")).to_be_visible()
    check(page, "client form with errors", phone, problems)

    assert not problems, "\n".join(problems)

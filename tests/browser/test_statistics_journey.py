"""Statistics in a real browser (issue 7): a coordinator opens the page from the menu, filters,
sees the charts with their tables, ticks "for sharing" and sees small groups suppressed; the page
passes axe."""

import datetime

import pytest
from django.utils import timezone, translation
from playwright.sync_api import expect

from hemkommun.casework.models import Contact

from .conftest import axe_violations, describe_violations

pytestmark = pytest.mark.browser


def fi(text: str) -> str:
    with translation.override("fi"):
        return translation.gettext(text)


def test_coordinator_filters_the_statistics(new_page, region):
    narpes, counsellor = region["narpes"], region["counsellor"]
    now = timezone.now()
    year = timezone.localdate().year
    for channel in ("visit", "visit", "phone"):
        Contact.objects.create(
            organisation=narpes,
            unit=narpes.units.first(),
            client=region["jarvinen"],
            recorded_by=counsellor,
            occurred_at=now - datetime.timedelta(minutes=5),
            channel=channel,
        )
    for _n in range(6):
        Contact.objects.create(
            organisation=narpes,
            recorded_by=counsellor,
            occurred_at=now - datetime.timedelta(minutes=5),
            channel="chat",
            language="ar",
            age_group="18-29",
        )
    page = new_page(user=region["coordinator"])
    page.goto("/")
    page.get_by_role("link", name=fi("Statistics"), exact=True).click()
    expect(page.get_by_role("heading", level=1, name=fi("Statistics"))).to_be_visible()

    channels = page.locator("#table-contacts_by_channel")
    expect(channels.locator("tfoot td")).to_have_text("9")
    page.wait_for_function("document.querySelector('#chart-contacts_by_channel').width > 0")
    canvas = page.locator("#chart-contacts_by_channel")
    expect(canvas).to_have_attribute("role", "img")
    violations = axe_violations(page)
    assert not violations, describe_violations("statistics", violations)

    page.get_by_label(fi("Native language"), exact=True).select_option("ar")
    page.get_by_label(fi("From"), exact=True).fill(f"{year}-01-01")
    page.get_by_role("button", name=fi("Show")).click()
    expect(channels.locator("tfoot td")).to_have_text("6")  # the anonymous Arabic chats
    expect(page.locator("#suppression-note")).to_contain_text(fi("Native language"))

    page.get_by_label(fi("For sharing outside the unit (groups smaller than 5 suppressed)")).check()
    page.get_by_role("button", name=fi("Show")).click()
    by_kind = page.locator("#table-contacts_by_kind")
    expect(by_kind.locator("tbody tr").first.locator("td")).to_have_text("0")
    expect(channels.locator("tfoot td")).to_have_text("6")
    page.wait_for_function("document.querySelector('#chart-contacts_by_channel').width > 0")
    violations = axe_violations(page)
    assert not violations, describe_violations("statistics for sharing", violations)

    page.goto("/reports/statistics/?date_from=2026-13-45")
    expect(page.locator("#form-errors")).to_be_visible()

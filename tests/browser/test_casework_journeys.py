"""Casework journeys in a real browser (issue 3), growing with the issue."""

import pytest
from playwright.sync_api import expect

from hemkommun.casework.models import Contact

from .conftest import PHONE

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("viewport", [None, PHONE], ids=["desktop", "phone"])
def test_counsellor_records_a_drop_in_from_the_home_page_in_three_actions(new_page, region, viewport):
    page = new_page(user=region["counsellor"], viewport=viewport)
    page.goto("/")
    form = page.locator("#drop-in-form")
    # 1: the language spoken, 2: a topic, 3: record. Channel (visit) and organisation are preset.
    form.locator("select[name='drop_in-language']").select_option("ar")
    form.get_by_label("Asuminen").check()
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    expect(page.locator("main .alert")).to_be_visible()
    contact = Contact.objects.get()
    assert (contact.language, contact.topic_codes, contact.client_id) == ("ar", ["housing"], None)
    assert contact.organisation == region["narpes"] and contact.recorded_by == region["counsellor"]

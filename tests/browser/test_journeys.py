"""The journeys of issue 2 in a real browser: sign in and find, register, switch language, 404."""

import re

import pytest
from django.utils import translation
from playwright.sync_api import Page, expect

from hemkommun.clients.models import Client

from .conftest import PASSWORD, PHONE

pytestmark = pytest.mark.browser


def submit_main_form(page: Page) -> None:
    """Submit the form in the page's main content (the header has its own forms)."""
    with page.expect_navigation():
        page.locator("main form button[type=submit]").first.click()


def test_counsellor_signs_in_and_finds_a_client_typed_without_diacritics(new_page, region, live_server):
    page = new_page()
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/login/\?next=/$"))

    page.fill("#id_username", "counsellor.narpes")
    page.fill("#id_password", PASSWORD)
    submit_main_form(page)
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.locator("header")).to_contain_text("Nora Neuvoja")

    page.click("header a[href='/clients/']")
    page.fill("#id_q", "jarvinen")
    with page.expect_navigation():
        page.press("#id_q", "Enter")
    rows = page.locator("main table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text("Järvinen, Oleksandr")

    rows.get_by_role("link").click()
    expect(page).to_have_url(f"{live_server.url}/clients/{region['jarvinen'].pk}/")
    expect(page.locator("h1")).to_have_text("Järvinen, Oleksandr")


def test_counsellor_registers_a_client_with_a_year_only_birth_date_and_arabic_name(new_page, region):
    page = new_page(user=region["counsellor"])
    page.goto("/clients/new/")
    page.fill("#id_family_name", "العلي")
    page.fill("#id_given_names", "فاطمة")
    page.fill("#id_family_name_latin", "Al-Ali")
    page.fill("#id_given_names_latin", "Fatima")
    page.fill("#id_date_of_birth", "1990")
    submit_main_form(page)

    client = Client.objects.get(family_name="العلي")
    expect(page).to_have_url(re.compile(rf"/clients/{client.pk}/$"))
    expect(page.locator("h1")).to_have_text("Al-Ali, Fatima")
    expect(page.locator("main")).to_contain_text("العلي, فاطمة")
    expect(page.locator("main")).to_contain_text("1990")
    assert (client.birth_year, client.birth_month, client.birth_day) == (1990, None, None)
    assert client.organisation == region["narpes"]


def test_invalid_identity_code_shows_a_translated_message_and_keeps_what_was_typed(new_page, region):
    page = new_page(user=region["counsellor"], locale="fi-FI")
    page.goto("/clients/new/")
    typed = {
        "#id_family_name": "العلي",
        "#id_given_names": "فاطمة",
        "#id_family_name_latin": "Al-Ali",
        "#id_given_names_latin": "Fatima",
        "#id_date_of_birth": "1990",
        "#id_identity_code": "131052-308U",  # the check character should be T
        "#id_phone": "+358 40 123 4567",
        "#id_email": "fatima@example.org",
        "#id_other_languages": "en:B1, fi:A1",
        "#id_arrival_date": "2023-04-12",
    }
    for selector, value in typed.items():
        page.fill(selector, value)
    page.select_option("#id_native_language", "ar")
    page.check("#id_interpreter_needed")
    page.select_option("#id_interpreter_language", "ar")
    submit_main_form(page)

    with translation.override("fi"):
        expected = translation.gettext(
            "The check character of the identity code is wrong: check for typing errors."
        )
    expect(page.locator("html")).to_have_attribute("lang", "fi")
    expect(page.locator("#form-errors")).to_be_visible()
    expect(page.locator("#id_identity_code_error")).to_have_text(expected)
    # A screen reader reads the message with the field.
    expect(page.locator("#id_identity_code")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_identity_code")).to_have_attribute(
        "aria-describedby", re.compile(r"\bid_identity_code_error\b")
    )
    for selector, value in typed.items():
        expect(page.locator(selector)).to_have_value(value)
    expect(page.locator("#id_native_language")).to_have_value("ar")
    expect(page.locator("#id_interpreter_needed")).to_be_checked()
    expect(page.locator("#id_interpreter_language")).to_have_value("ar")
    assert not Client.objects.filter(family_name="العلي").exists()


def switch_language(page: Page, code: str) -> None:
    with page.expect_navigation():
        page.click(f"#language-switcher button[value={code}]")


def expect_language(page: Page, code: str) -> None:
    expect(page.locator("html")).to_have_attribute("lang", code)
    expect(page.locator(f"#language-switcher button[value={code}]")).to_have_attribute("aria-current", "true")
    expect(page.locator("#language-switcher button[aria-current]")).to_have_count(1)


def test_language_switcher_changes_the_language_and_stays_on_the_page(new_page, region, live_server):
    page = new_page(user=region["counsellor"], locale="fi-FI")
    page.goto("/clients/?q=jarvinen")
    expect_language(page, "fi")
    for code in ("sv", "en"):
        switch_language(page, code)
        expect(page).to_have_url(f"{live_server.url}/clients/?q=jarvinen")
        expect_language(page, code)
    # The choice is remembered on the next page, not only on the one it was made on.
    page.goto("/")
    expect_language(page, "en")


def test_language_switcher_translates_the_page(new_page, region):
    """Depends on the fi and sv catalogues translating the msgid "Clients"."""
    page = new_page(user=region["counsellor"], locale="fi-FI")
    page.goto("/clients/")
    for code, clients in (("fi", "Asiakkaat"), ("sv", "Klienter"), ("en", "Clients")):
        if code != "fi":
            switch_language(page, code)
        expect(page.locator("h1")).to_have_text(clients)
        expect(page.locator("header nav a[href='/clients/']")).to_have_text(clients)


def test_on_a_phone_the_menu_folds_and_opens_to_switch_language(new_page, region):
    page = new_page(user=region["counsellor"], viewport=PHONE, locale="fi-FI")
    page.goto("/clients/")
    toggler = page.locator("header .navbar-toggler")
    expect(page.locator("#language-switcher")).to_be_hidden()
    expect(toggler).to_have_attribute("aria-expanded", "false")
    toggler.click()
    expect(toggler).to_have_attribute("aria-expanded", "true")
    expect(page.locator("#language-switcher")).to_be_visible()
    switch_language(page, "sv")
    expect_language(page, "sv")
    expect(page.locator("h1")).to_have_text("Klienter")


def test_counsellor_of_another_municipality_gets_404_for_a_narpes_client(new_page, region):
    page = new_page(user=region["counsellor_vasa"])
    response = page.goto(f"/clients/{region['jarvinen'].pk}/")
    assert response.status == 404
    expect(page.locator("body")).not_to_contain_text("Järvinen")
    assert page.goto(f"/clients/{region['jarvinen'].pk}/edit/").status == 404

"""Signing in with a second factor in a real browser: an authenticator app, and a security key
through Chromium's virtual authenticator (WebAuthn over the DevTools protocol)."""

import re

import pyotp
import pytest
from playwright.sync_api import Page, expect

from hemkommun.accounts.models import SecurityKey, TotpDevice
from hemkommun.organizations.models import Role

from ..factories import OrganisationFactory, UserFactory
from .conftest import PASSWORD, axe_violations, describe_violations

pytestmark = pytest.mark.browser


@pytest.fixture
def strict_counsellor(transactional_db):
    narpes = OrganisationFactory.municipality("545", "Närpes", mfa_required=True)
    return UserFactory.with_role(
        Role.COUNSELLOR, narpes, username="counsellor.narpes", first_name="Nora", last_name="Neuvoja"
    )


def password_step(page: Page, live_server, then: str) -> None:
    page.goto("/login/")
    page.fill("#id_username", "counsellor.narpes")
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(f"{live_server.url}{then}")


def no_axe_violations(page: Page, where: str) -> None:
    problems = describe_violations(where, axe_violations(page))
    assert not problems, problems


def test_counsellor_enrols_an_authenticator_app_then_signs_in_with_a_code(
    new_page, strict_counsellor, live_server
):
    page = new_page()
    password_step(page, live_server, "/account/security/")
    page.goto("/clients/")  # nothing else before enrolling
    expect(page).to_have_url(f"{live_server.url}/account/security/")
    no_axe_violations(page, "security page")

    page.locator("main a[href='/account/security/totp/']").click()
    expect(page.locator("main svg")).to_be_visible()
    no_axe_violations(page, "authenticator enrolment")
    secret = page.locator("#totp-secret").inner_text()
    page.fill("#id_code", pyotp.TOTP(secret).now())
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    expect(page.locator("main ol.recovery-codes li")).to_have_count(10)
    assert TotpDevice.objects.filter(user=strict_counsellor).exists()
    page.goto("/clients/")
    expect(page).to_have_url(f"{live_server.url}/clients/")

    page.context.clear_cookies()
    TotpDevice.objects.filter(user=strict_counsellor).update(last_step=None)  # the same 30 s
    password_step(page, live_server, "/login/verify/")
    no_axe_violations(page, "second step")
    page.fill("#id_code", pyotp.TOTP(secret).now())
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.locator("header")).to_contain_text("Nora Neuvoja")


def test_counsellor_adds_a_security_key_then_signs_in_with_it(new_page, strict_counsellor, live_server):
    page = new_page()
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "usb",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )
    password_step(page, live_server, "/account/security/")
    page.fill("#security-key-name", "YubiKey")
    with page.expect_navigation():
        page.click("#webauthn-register")
    expect(page).to_have_url(re.compile(r"/account/security/recovery-codes/new/$"))
    expect(page.locator("main ol.recovery-codes li")).to_have_count(10)
    key = SecurityKey.objects.get(user=strict_counsellor)
    assert key.name == "YubiKey"
    page.goto("/clients/")
    expect(page).to_have_url(f"{live_server.url}/clients/")

    page.context.clear_cookies()
    password_step(page, live_server, "/login/verify/")
    with page.expect_navigation():
        page.click("#webauthn-sign-in")
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.locator("header")).to_contain_text("Nora Neuvoja")
    key.refresh_from_db()
    assert key.last_used_at is not None

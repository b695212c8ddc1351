"""Single sign-on in a real browser: the sign-in page's button, the organisation's provider
(node-oidc-provider, started for these tests) and back to Hemkommun, signed in."""

import re

import pytest
from playwright.sync_api import expect

from hemkommun.sso.models import ExternalIdentity

from ..sso.provider_process import configure, running_provider
from .conftest import axe_violations, describe_violations

pytestmark = pytest.mark.browser


@pytest.fixture(scope="session")
def browser_oidc_provider(live_server):
    """A provider whose client returns to the live server (its address is known only now)."""
    with running_provider([f"{live_server.url}/sso/region-idp/callback/"]) as provider:
        yield provider


@pytest.fixture
def region_idp(region, browser_oidc_provider, live_server, settings, monkeypatch):
    settings.SITE_URL = live_server.url
    counsellor = region["counsellor"]
    counsellor.email = "nora.neuvoja@narpes.example"  # the provider says Nora.Neuvoja@Narpes.example
    counsellor.save()
    return configure(browser_oidc_provider, region["narpes"], monkeypatch)


def test_counsellor_signs_in_with_the_organisations_provider(new_page, region, region_idp, live_server):
    page = new_page(locale="en-GB")
    page.goto("/clients/")
    expect(page).to_have_url(re.compile(r"/login/\?next=/clients/$"))
    violations = axe_violations(page)
    assert not violations, describe_violations("sign-in page with SSO buttons", violations)

    page.get_by_role("link", name="Sign in with Närpes AD").click()
    expect(page.get_by_role("heading", name="Test identity provider")).to_be_visible()
    page.get_by_label("Login").fill("nora")
    page.get_by_role("button", name="Sign in").click()

    expect(page).to_have_url(f"{live_server.url}/clients/")
    assert ExternalIdentity.objects.get(provider=region_idp).user == region["counsellor"]


def test_declining_at_the_provider_ends_on_the_sign_in_page_with_a_message(new_page, region, region_idp):
    page = new_page(locale="en-GB")
    page.goto("/login/")

    page.get_by_role("link", name="Sign in with Närpes AD").click()
    page.get_by_role("button", name="Deny").click()

    expect(page).to_have_url(re.compile(r"/login/$"))
    expect(page.get_by_role("status")).to_contain_text("cancelled or refused")
    expect(page.locator("#id_username")).to_be_visible()

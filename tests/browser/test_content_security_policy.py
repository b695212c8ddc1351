"""The Content-Security-Policy in a real browser. Every browser test fails on a violation
(tests/browser/conftest.py); these tests show that the check catches one, and walk the pages
that no journey visits: the API documentation (the one relaxed route) and the admin."""

import pytest
from playwright.sync_api import expect

from ..factories import UserFactory

pytestmark = pytest.mark.browser

INJECT_INLINE = """() => {
  const script = document.createElement("script");
  script.textContent = "window.injected = true";
  document.body.append(script);
  document.body.setAttribute("style", "background: red");
}"""


def test_an_injected_inline_script_and_style_are_blocked_and_caught(new_page, region):
    page = new_page(user=region["counsellor"])
    page.goto("/clients/")
    page.evaluate(INJECT_INLINE)
    page.wait_for_timeout(300)  # the violation events are dispatched asynchronously
    caught = list(new_page.csp_violations)
    new_page.csp_violations.clear()  # caught on purpose: the fixture must not fail this test
    assert page.evaluate("window.injected === undefined")
    assert any("script-src" in text for text in caught), caught
    assert any("style-src" in text for text in caught), caught


def test_pages_of_the_ordinary_journeys_raise_no_violation(new_page, region):
    page = new_page(user=region["coordinator"])
    for path in ("/", "/clients/", f"/clients/{region['jarvinen'].pk}/", "/login/"):
        page.goto(path)
    # the fixture fails the test on any violation seen on these pages
    assert new_page.csp_violations == []


def test_the_api_documentation_renders_under_its_relaxed_policy(new_page, transactional_db):
    # Redoc's attribution logo comes from its CDN: blocked on purpose (no third-party requests;
    # Redoc then leaves the image out). Anything else blocked on this page fails the test.
    new_page.csp_expected.append("https://cdn.redoc.ly/")
    page = new_page()
    response = page.goto("/api/v1/docs/")
    assert "script-src 'self';" in response.headers["content-security-policy"]  # scripts stay strict
    expect(page.locator("#redoc-container h1").first).to_be_visible(timeout=20_000)
    expect(page.locator("#redoc-container [role=search] input, #redoc-container input").first).to_be_visible()


def test_the_admin_works_under_the_strict_policy(new_page, transactional_db):
    admin = UserFactory(is_staff=True, is_superuser=True, username="admin.installation")
    page = new_page(user=admin)
    page.goto("/admin/")
    expect(page.locator("#site-name")).to_be_visible()
    page.goto("/admin/organizations/organisation/")
    expect(page.locator("#changelist")).to_be_visible()
    page.goto("/admin/organizations/organisation/add/")
    expect(page.locator("#organisation_form")).to_be_visible()

"""Browser tests: Debian's chromium driven by Playwright against pytest-django's live server.

One browser serves the whole session; each test opens its own contexts (cookies, viewport,
language), so tests stay independent without paying for a browser start each time.
"""

import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client as DjangoClient
from playwright.sync_api import Browser, BrowserContext, Page

from hemkommun.organizations.models import Role

from ..factories import OrganisationFactory, UserFactory, make_client

CHROMIUM = Path("/usr/bin/chromium")
AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
PASSWORD = "demo-password-1"  # what tests.factories.UserFactory gives every user
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 667}


def _require(path: Path, install: str) -> None:
    """A missing browser or asset fails under CI=true (nothing may be skipped there), else skips."""
    if path.exists():
        return
    message = f"{path} is missing: {install}"
    if os.environ.get("CI") == "true":
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Launch Debian's chromium (Playwright's own download is not available here), headless."""
    _require(CHROMIUM, "sudo apt-get install chromium")
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "headless": True,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ],
    }


# Every page reports what the Content-Security-Policy blocked on the console, where the
# context's listener collects it across navigations (a list in the page would be lost on each).
CSP_REPORTER = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI || "inline"}`
    + ` at ${event.sourceFile}:${event.lineNumber} ${event.sample}`);
});
"""


def is_csp_violation(text: str) -> bool:
    """Our reporter's message, or chromium's own "Refused to ... Content Security Policy"."""
    return text.startswith("CSP violation:") or "Content Security Policy" in text


@pytest.fixture
def new_page(browser: Browser, live_server) -> Iterator[Callable[..., Page]]:
    """Open a page in a fresh context: ``new_page(user=..., viewport=PHONE, locale="fi-FI")``.

    A given user is signed in by session cookie, which is much faster than the login form;
    the form itself is covered by the sign-in journey. Whatever the Content-Security-Policy
    blocked on any page of the test fails it, so every browser test checks the policy too.
    """
    contexts: list[BrowserContext] = []
    violations: list[str] = []

    def collect(message) -> None:
        if is_csp_violation(message.text):
            violations.append(f"{message.page.url if message.page else '?'}: {message.text}")

    def open_page(*, user=None, viewport: dict | None = None, locale: str = "fi-FI") -> Page:
        context = browser.new_context(base_url=live_server.url, viewport=viewport or DESKTOP, locale=locale)
        context.set_default_timeout(10_000)
        context.add_init_script(CSP_REPORTER)
        context.on("console", collect)
        contexts.append(context)
        if user is not None:
            django_client = DjangoClient()
            django_client.force_login(user)
            cookie = django_client.cookies[settings.SESSION_COOKIE_NAME]
            context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
        return context.new_page()

    # A test of the check itself reads (and empties) what it caught; a test of a page with a
    # known, wanted block names it (a substring of the message) in csp_expected.
    open_page.csp_violations = violations
    open_page.csp_expected = []
    yield open_page
    for context in contexts:
        context.close()
    violations[:] = [text for text in violations if not any(e in text for e in open_page.csp_expected)]
    if violations:
        pytest.fail("Content-Security-Policy violations:\n" + "\n".join(dict.fromkeys(violations)))


@pytest.fixture
def region(transactional_db):
    """Närpes and Vasa with a counsellor each, a Närpes coordinator and a few Närpes clients."""
    narpes = OrganisationFactory.municipality("545", "Närpes")
    vasa = OrganisationFactory.municipality("905", "Vasa")
    counsellor = UserFactory.with_role(
        Role.COUNSELLOR, narpes, username="counsellor.narpes", first_name="Nora", last_name="Neuvoja"
    )
    coordinator = UserFactory.with_role(
        Role.COORDINATOR, narpes, username="coordinator.narpes", first_name="Kaj", last_name="Koordinator"
    )
    counsellor_vasa = UserFactory.with_role(Role.COUNSELLOR, vasa, username="counsellor.vasa")
    jarvinen = make_client(
        narpes, by=counsellor, family_name="Järvinen", given_names="Oleksandr", birth_year=1984
    )
    make_client(
        narpes,
        by=counsellor,
        family_name="حسن",
        given_names="أحمد",
        family_name_latin="Hassan",
        given_names_latin="Ahmad",
        birth_year=1990,
        birth_month=5,
    )
    make_client(narpes, by=counsellor, family_name="Warsame", given_names="Hodan")
    return {
        "narpes": narpes,
        "vasa": vasa,
        "counsellor": counsellor,
        "coordinator": coordinator,
        "counsellor_vasa": counsellor_vasa,
        "jarvinen": jarvinen,
    }


def axe_violations(page: Page) -> list[dict]:
    """Run axe-core on the page as it is now and return its violations."""
    _require(AXE, "run `npm ci` (axe-core is a dev dependency in package.json)")
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # Evaluated through the DevTools protocol, which the page's CSP does not govern; an
        # inline <script> tag (add_script_tag) would be blocked like any other.
        page.evaluate(AXE.read_text())
    return page.evaluate("async () => (await axe.run(document)).violations")


def describe_violations(where: str, violations: list[dict]) -> str:
    """axe-core's findings as text a developer can act on: rule, impact, help and the elements."""
    lines = []
    for violation in violations:
        lines.append(f"{where}: {violation['id']} ({violation['impact']}): {violation['help']}")
        lines.append(f"    {violation['helpUrl']}")
        for node in violation["nodes"][:5]:
            lines.append(f"    - {json.dumps(node['target'])}: {node['html'][:160]}")
            if node.get("failureSummary"):
                lines.extend(f"        {line}" for line in node["failureSummary"].splitlines())
    return "\n".join(lines)

"""Every page that takes a post refuses one without the CSRF token, for a signed-in user; the
API is exempt by design: it authenticates by bearer token only and ignores the session cookie."""

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import get_resolver, resolve

from hemkommun.organizations.models import Role

from ..factories import UserFactory
from .urlwalk import address_templates, candidate_fillings, resolves_to

pytestmark = pytest.mark.django_db


def views_and_addresses() -> dict:
    """One resolving address per view: the first candidate address that resolves to it."""
    found = {}
    for template, names, view in address_templates(get_resolver().url_patterns):
        if view not in found:
            fillings = (address for _, address in candidate_fillings(template, names))
            address = next((address for address in fillings if resolves_to(address, view)), None)
            if address is not None:
                found[view] = address
    return found


VIEWS = views_and_addresses()
PAGES = sorted(address for view, address in VIEWS.items() if not address.startswith("/api/"))
API = sorted(address for view, address in VIEWS.items() if address.startswith("/api/"))


# The admin's own sign-in is shadowed on purpose by /admin/login/ of hemkommun.accounts, which
# sends it to ours: the admin's would sign in without the second factor.
SHADOWED = {admin.site.login}


def test_the_walk_reaches_every_view():
    views = [view for _, _, view in address_templates(get_resolver().url_patterns)]
    assert [view for view in views if view not in VIEWS and view not in SHADOWED] == []


def test_the_walk_finds_the_pages_that_take_posts():
    for address in ("/logout/", "/i18n/setlang/", "/clients/import/", "/compensation/reconciliation/"):
        assert address in PAGES
    assert any(address.startswith("/survey/") for address in PAGES)  # answered without an account
    assert any(address.startswith("/admin/") for address in PAGES)
    assert len(PAGES) > 100 and API


@pytest.fixture
def signed_in(narpes) -> Client:
    """A signed-in coordinator's browser that, like a real one, must show the CSRF token."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(UserFactory.with_role(Role.COORDINATOR, narpes))
    return client


def test_every_page_refuses_a_post_without_the_csrf_token(signed_in):
    allowed = [address for address in PAGES if not _refused_for_csrf(signed_in.post(address, {"x": "1"}))]
    assert allowed == []


def _refused_for_csrf(response) -> bool:
    return response.status_code == 403 and b"CSRF" in response.content


def test_a_post_with_the_token_gets_past_the_check(signed_in):
    """The control: the refusal above is the CSRF check, not something every post meets."""
    page = signed_in.get("/clients/import/")
    token = page.context["csrf_token"]
    response = signed_in.post("/clients/import/", {"csrfmiddlewaretoken": str(token)})
    assert response.status_code == 200


def test_the_api_is_exempt_because_it_ignores_the_session_cookie(signed_in):
    """No API view reads the session: a signed-in browser's cookie does not authenticate a post
    (or anything else) there, so a forged cross-site request has nothing to ride on."""
    for address in API:
        assert getattr(resolve(address).func, "csrf_exempt", False), address
        response = signed_in.post(address, {"x": "1"})
        assert response.status_code in (401, 405), (address, response.status_code)
    response = signed_in.get("/api/v1/clients/")
    assert response.status_code == 401 and response.json()["error"]["code"] == "not_authenticated"

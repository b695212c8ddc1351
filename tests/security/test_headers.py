"""Security headers on pages, the API and the one relaxed route (docs/security.md)."""

import pytest
from django.urls import reverse

from hemkommun.core.security import policy_for, policy_header

pytestmark = pytest.mark.django_db


def directives(response) -> dict[str, list[str]]:
    header = response.headers["Content-Security-Policy"]
    return {name: sources for name, *sources in (part.split() for part in header.split(";"))}


@pytest.mark.parametrize("path", ["/login/", "/admin/login/", "/no-such-page/", "/api/v1/clients/"])
def test_every_response_carries_the_strict_policy_and_headers(client, path):
    response = client.get(path)
    policy = directives(response)
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"
    for feature in ("camera=()", "microphone=()", "geolocation=()"):
        assert feature in response.headers["Permissions-Policy"]


def test_only_the_api_documentation_has_the_relaxed_style_policy(client):
    policy = directives(client.get(reverse("api:docs")))
    assert "'unsafe-inline'" in policy["style-src"]
    assert policy["script-src"] == ["'self'"]  # Redoc is started from a static file
    assert "'unsafe-inline'" not in policy_for("/api/v1/clients/")["style-src"]


def test_a_look_alike_path_does_not_get_the_relaxed_policy():
    assert policy_for("/api/v1/docs/")["style-src"] == ["'self'", "'unsafe-inline'"]
    assert policy_for("/clients/api/v1/docs/")["style-src"] == ["'self'"]


def test_the_header_is_built_from_the_directives():
    assert policy_header({"default-src": ["'self'"], "upgrade-insecure-requests": []}) == (
        "default-src 'self'; upgrade-insecure-requests"
    )


def test_pages_carry_no_inline_code(client, counsellor_narpes, narpes_client):
    client.force_login(counsellor_narpes)
    for url in ("/", reverse("clients:list"), reverse("clients:detail", args=[narpes_client.pk])):
        html = client.get(url).content.decode()
        assert "<style" not in html and " style=" not in html
        assert "<script>" not in html and " onclick=" not in html
        assert '"includeIndicatorStyles":false' in html  # htmx adds no <style> of its own

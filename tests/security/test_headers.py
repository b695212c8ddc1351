"""Security headers on pages, the API and the one relaxed route (docs/security.md)."""

import re
from pathlib import Path

import pytest
from django.conf import settings
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


# Served pages only: the PDF templates are rendered by WeasyPrint, never by a browser.
NOT_SERVED = ("pdf/",)
INLINE = {
    "inline script": re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.IGNORECASE),
    "style element": re.compile(r"<style\b", re.IGNORECASE),
    "style attribute": re.compile(r"\sstyle\s*=", re.IGNORECASE),
    "event handler": re.compile(r"\son[a-z]+\s*=", re.IGNORECASE),
    "javascript: address": re.compile(r"javascript:", re.IGNORECASE),
}


def served_templates() -> list[Path]:
    roots = [
        Path(settings.BASE_DIR) / "hemkommun" / "templates",
        *Path(settings.BASE_DIR).glob("hemkommun/*/templates"),
    ]
    return [
        path
        for root in roots
        for path in root.rglob("*.html")
        if not path.relative_to(root).as_posix().startswith(NOT_SERVED)
    ]


def test_no_template_holds_inline_code_that_the_policy_would_block():
    found = [
        f"{path.name}: {what}"
        for path in served_templates()
        for what, pattern in INLINE.items()
        if pattern.search(path.read_text())
    ]
    assert len(served_templates()) > 100 and found == []


def test_the_pattern_catches_what_it_should():
    samples = ["<script>alert(1)</script>", '<p style="x">', "<style>p{}</style>", '<a onclick="x">']
    assert all(any(p.search(sample) for p in INLINE.values()) for sample in samples)
    assert not any(p.search('<script src="/static/a.js"></script>') for p in INLINE.values())

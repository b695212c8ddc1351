"""The whole sign-in across the real provider: start, the provider's pages, the callback."""

from urllib.parse import parse_qs, urlparse

import pytest
from django.contrib.auth import SESSION_KEY

from hemkommun.sso.models import ExternalIdentity

from .conftest import RP, walk_provider

pytestmark = pytest.mark.django_db


def sign_in_at_provider(client, login: str, *, next_url: str = "", deny: bool = False):
    """Start at Hemkommun, sign in at the provider, return to the callback; the final response."""
    start = client.get("/sso/region-idp/start/", {"next": next_url} if next_url else {})
    assert start.status_code == 302, start
    back = walk_provider(start["Location"], login, deny=deny)
    return client.get(back.removeprefix(RP))


def test_first_sign_in_matches_by_verified_email_and_links_the_subject(client, idp, nora, oidc_provider):
    response = sign_in_at_provider(client, "nora", next_url="/clients/")

    assert response.status_code == 302 and response["Location"] == "/clients/"
    assert client.session[SESSION_KEY] == str(nora.pk)
    assert client.session["sign_in_method"] == "sso"
    assert client.session["mfa_passed"] is True  # amr ["pwd", "otp"]
    link = ExternalIdentity.objects.get(provider=idp)
    assert (link.user, link.subject) == (nora, "sub-nora")
    assert oidc_provider.started_in < 15


def test_authorization_request_uses_pkce_state_and_nonce(client, idp):
    start = client.get("/sso/region-idp/start/")
    query = parse_qs(urlparse(start["Location"]).query)

    assert query["code_challenge_method"] == ["S256"]
    assert len(query["code_challenge"][0]) == 43
    assert query["state"][0] in client.session["sso_flows"]
    assert client.session["sso_flows"][query["state"][0]]["nonce"] == query["nonce"][0]
    assert "code_verifier" not in query

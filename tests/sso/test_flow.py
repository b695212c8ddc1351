"""The whole sign-in across the real provider: start, the provider's pages, the callback."""

from urllib.parse import parse_qs, urlparse

import pytest
from django.contrib.auth import SESSION_KEY

from hemkommun.accounts import services
from hemkommun.accounts.models import UserSession
from hemkommun.sso.models import ExternalIdentity

from .provider_process import CLIENT_SECRET, RP, walk_provider

pytestmark = pytest.mark.django_db


def sign_in_at_provider(client, login: str, *, next_url: str = "", deny: bool = False):
    """Start at Hemkommun, sign in at the provider, return to the callback; the final response."""
    start = client.get("/sso/region-idp/start/", {"next": next_url} if next_url else {})
    assert start.status_code == 302, start
    back = walk_provider(start["Location"], login, deny=deny)
    return client.get(back.removeprefix(RP))


def test_first_sign_in_matches_by_verified_email_and_links_the_subject(
    client, idp, nora, oidc_provider, monkeypatch
):
    from hemkommun.sso import oidc

    userinfo_calls = []
    real_userinfo = oidc.userinfo
    monkeypatch.setattr(
        oidc, "userinfo", lambda *a, **kw: userinfo_calls.append(a) or real_userinfo(*a, **kw)
    )

    response = sign_in_at_provider(client, "nora", next_url="/clients/")

    assert response.status_code == 302 and response["Location"] == "/clients/"
    assert client.session[SESSION_KEY] == str(nora.pk)
    assert client.session[services.MFA_STATE] == services.MFA_PASSED  # amr ["pwd", "otp"]
    assert UserSession.objects.get(user=nora).method == "sso"
    link = ExternalIdentity.objects.get(provider=idp)
    assert (link.user, link.subject) == (nora, "sub-nora")
    assert oidc_provider.started_in < 15
    # node-oidc-provider keeps the e-mail claims out of the ID token when userinfo can give them.
    assert len(userinfo_calls) == 1


def test_authorization_request_uses_pkce_state_and_nonce(client, idp):
    start = client.get("/sso/region-idp/start/")
    query = parse_qs(urlparse(start["Location"]).query)

    assert query["code_challenge_method"] == ["S256"]
    assert len(query["code_challenge"][0]) == 43
    assert query["state"][0] in client.session["sso_flows"]
    assert client.session["sso_flows"][query["state"][0]]["nonce"] == query["nonce"][0]
    assert "code_verifier" not in query
    assert query["redirect_uri"] == [f"{RP}/sso/region-idp/callback/"]  # from SITE_URL


def test_later_sign_in_follows_the_subject_not_the_address(client, idp, nora):
    ExternalIdentity.objects.create(provider=idp, subject="sub-nora", user=nora)
    nora.email = "nora@new-address.example"
    nora.save()

    response = sign_in_at_provider(client, "nora")

    assert response["Location"] == "/"
    assert client.session[SESSION_KEY] == str(nora.pk)
    assert ExternalIdentity.objects.get().last_sign_in_at is not None


def test_sign_in_without_a_second_factor_is_not_marked_mfa(client, idp, kaj):
    sign_in_at_provider(client, "kaj")  # amr ["pwd"]

    assert client.session[SESSION_KEY] == str(kaj.pk)
    assert client.session[services.MFA_STATE] == services.PASSWORD_ONLY


def test_provider_that_enforces_mfa_marks_every_sign_in(client, idp, kaj):
    idp.enforces_mfa = True
    idp.save()

    sign_in_at_provider(client, "kaj")

    assert client.session[services.MFA_STATE] == services.MFA_PASSED


def test_next_address_elsewhere_is_not_followed(client, idp, nora):
    response = sign_in_at_provider(client, "nora", next_url="https://evil.example/")

    assert response["Location"] == "/"


def test_login_page_offers_active_providers_only(client, idp, narpes):
    from hemkommun.sso.models import IdentityProvider

    IdentityProvider.objects.create(
        name="Retired IdP", slug="old", issuer="https://old.example", active=False
    )
    page = client.get("/login/?next=/clients/").content.decode()

    assert 'href="/sso/region-idp/start/?next=/clients/"' in page
    assert "Närpes AD" in page
    assert "Retired IdP" not in page


def test_client_secret_from_a_file(client, idp, nora, monkeypatch, tmp_path):
    secret_file = tmp_path / "secret"
    secret_file.write_text(CLIENT_SECRET + "\n")
    monkeypatch.setenv("SSO_TEST_CLIENT_SECRET", "the wrong secret: the file wins")
    monkeypatch.setenv("SSO_TEST_CLIENT_SECRET_FILE", str(secret_file))

    sign_in_at_provider(client, "nora")

    assert client.session[SESSION_KEY] == str(nora.pk)


def test_only_the_newest_open_sign_ins_are_kept(client, idp):
    states = [
        parse_qs(urlparse(client.get("/sso/region-idp/start/")["Location"]).query)["state"][0]
        for _ in range(6)
    ]

    assert list(client.session["sso_flows"]) == states[1:]


def test_discovery_and_keys_are_fetched_once_for_several_sign_ins(client, idp, nora, kaj, monkeypatch):
    from hemkommun.sso import oidc

    fetched = []
    real_get_json = oidc._get_json
    monkeypatch.setattr(oidc, "_get_json", lambda url: fetched.append(url) or real_get_json(url))

    sign_in_at_provider(client, "nora")
    client.logout()
    sign_in_at_provider(client, "kaj")

    assert client.session[SESSION_KEY] == str(kaj.pk)
    assert sorted(fetched) == sorted([f"{idp.issuer}/.well-known/openid-configuration", f"{idp.issuer}/jwks"])

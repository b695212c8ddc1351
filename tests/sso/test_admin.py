"""Administrators configure identity providers in the admin; links are only removed there."""

import pytest

from hemkommun.sso.models import ExternalIdentity, IdentityProvider

from ..factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


def provider_form(narpes, **changes) -> dict:
    data = {
        "name": "Närpes Entra ID",
        "slug": "narpes-entra",
        "issuer": "https://login.microsoftonline.com/tenant/v2.0",
        "client_id": "client-1",
        "client_secret_env": "SSO_NARPES_SECRET",
        "scopes": "openid email profile",
        "match_claim": "preferred_username",
        "organisations": [narpes.pk],
        "active": "on",
    }
    data.update(changes)
    return data


def test_administrator_adds_a_provider(admin_client, narpes):
    response = admin_client.post("/admin/sso/identityprovider/add/", provider_form(narpes))

    assert response.status_code == 302
    provider = IdentityProvider.objects.get()
    assert (provider.match_claim, list(provider.organisations.all())) == ("preferred_username", [narpes])


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("issuer", "http://idp.example/realms/narpes"),
        ("issuer", "javascript:alert(1)"),
        ("client_secret_env", "lower-case; rm -rf /"),
        ("match_claim", "sub"),
    ],
)
def test_bad_provider_settings_are_refused_with_a_message(admin_client, narpes, field, value):
    response = admin_client.post("/admin/sso/identityprovider/add/", provider_form(narpes, **{field: value}))

    assert response.status_code == 200
    assert field in response.context["adminform"].form.errors
    assert not IdentityProvider.objects.exists()


def test_links_cannot_be_made_by_hand(admin_client, narpes):
    assert admin_client.get("/admin/sso/externalidentity/add/").status_code == 403
    provider = IdentityProvider.objects.create(name="IdP", slug="idp", issuer="https://idp.example")
    ExternalIdentity.objects.create(provider=provider, subject="s", user=UserFactory())
    assert admin_client.get("/admin/sso/externalidentity/").status_code == 200

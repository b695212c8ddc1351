"""The clients endpoint of the API: tokens and scopes, the same access rules and read log as the
pages, incremental sync, ETags, and the one error shape."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from hemkommun.api.models import ApiToken
from hemkommun.clients.models import Client
from hemkommun.core.models import ReadEvent
from hemkommun.organizations.models import Role

from ..factories import UserFactory, make_client


def issue(user, scopes="clients:read", **extra) -> str:
    token = ApiToken(name="Partner system", user=user, scopes=scopes, **extra)
    key = token.issue_key()
    token.save()
    return key


def bearer(key: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


@pytest.fixture
def integration(narpes):
    return UserFactory.with_role(Role.COUNSELLOR, narpes, username="integration.narpes")


def test_a_token_lists_the_clients_its_account_may_see_and_the_read_is_logged(
    client, narpes, vasa, integration
):
    own = make_client(narpes, family_name="Haddad", residence_ground="quota_refugee")
    make_client(vasa, family_name="Secret")
    response = client.get(reverse("api:client-list"), **bearer(issue(integration)))
    assert response.status_code == 200
    body = response.json()
    assert [row["family_name"] for row in body["results"]] == ["Haddad"]
    assert (
        body["results"][0]["organisation"] == "545"
        and body["results"][0]["residence_ground"] == "quota_refugee"
    )
    assert "identity_code" not in body["results"][0]
    assert ReadEvent.objects.filter(client=own, user=integration, action="api").exists()


def test_another_municipalitys_client_is_404_and_not_logged(client, vasa, integration):
    stranger = make_client(vasa, family_name="Secret")
    response = client.get(reverse("api:client-detail", args=[stranger.pk]), **bearer(issue(integration)))
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    assert not ReadEvent.objects.filter(client=stranger).exists()


@pytest.mark.parametrize(
    ("header", "scopes", "status"),
    [
        (None, "clients:read", 401),
        ("Bearer nonsense", "clients:read", 401),
        ("Token abc", "clients:read", 401),
        ("Bearer", "clients:read", 401),
        ("valid", "", 403),
    ],
)
def test_missing_wrong_or_narrow_tokens_are_refused_in_one_error_shape(
    client, integration, header, scopes, status
):
    key = issue(integration, scopes=scopes)
    headers = (
        {} if header is None else {"HTTP_AUTHORIZATION": f"Bearer {key}" if header == "valid" else header}
    )
    response = client.get(reverse("api:client-list"), **headers)
    assert response.status_code == status
    error = response.json()["error"]
    assert error["status"] == status and error["code"] and error["message"]
    if status == 401:
        assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_revoked_or_expired_token_or_an_inactive_account_is_refused(client, integration):
    revoked = issue(integration, revoked_at=timezone.now())
    expired = issue(integration, expires_at=timezone.now() - datetime.timedelta(minutes=1))
    for key in (revoked, expired):
        assert client.get(reverse("api:client-list"), **bearer(key)).status_code == 401
    key = issue(integration)
    integration.is_active = False
    integration.save()
    assert client.get(reverse("api:client-list"), **bearer(key)).status_code == 401


def test_roles_without_client_data_see_no_client_through_the_api(client, narpes):
    make_client(narpes, family_name="Haddad")
    reporting = UserFactory.with_role(Role.REPORTING, narpes)
    response = client.get(reverse("api:client-list"), **bearer(issue(reporting)))
    assert response.status_code == 200 and response.json()["results"] == []


def test_changes_are_followed_page_by_page_and_since_a_time(client, narpes, integration):
    clients = [make_client(narpes, family_name=f"Person{index}") for index in range(5)]
    key = issue(integration)
    seen, url = [], reverse("api:client-list") + "?page_size=2"
    while url:
        body = client.get(url, **bearer(key)).json()
        seen += [row["id"] for row in body["results"]]
        url = body["next"]
    assert seen == [c.pk for c in clients]
    moment = timezone.now()
    Client.objects.filter(pk=clients[1].pk).update(updated_at=moment + datetime.timedelta(seconds=1))
    since = client.get(
        reverse("api:client-list"), {"updated_since": moment.isoformat()}, **bearer(key)
    ).json()
    assert [row["id"] for row in since["results"]] == [clients[1].pk]
    far = client.get(
        reverse("api:client-list"), {"updated_since": "0126-08-27T15:35:20+21:18"}, **bearer(key)
    )  # found by schemathesis: a legal offset in Python that PostgreSQL refuses
    assert far.status_code == 200
    for wrong in ("yesterday", "2026-13-45T00:00:00Z", "2026-01-01T00:00:00"):
        bad = client.get(reverse("api:client-list"), {"updated_since": wrong}, **bearer(key))
        assert bad.status_code == 400 and "updated_since" in bad.json()["error"]["fields"], wrong


def test_a_client_unchanged_since_its_etag_is_not_sent_again(client, narpes, integration):
    person = make_client(narpes, family_name="Haddad")
    key = issue(integration)
    url = reverse("api:client-detail", args=[person.pk])
    first = client.get(url, **bearer(key))
    assert first.status_code == 200 and first["ETag"]
    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"], **bearer(key))
    assert again.status_code == 304
    Client.objects.filter(pk=person.pk).update(updated_at=timezone.now() + datetime.timedelta(seconds=5))
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"], **bearer(key)).status_code == 200


def test_the_schema_and_the_docs_are_published(client):
    schema = client.get(reverse("api:schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema.status_code == 200
    document = schema.json()
    assert document["openapi"].startswith("3.") and "/api/v1/clients/" in document["paths"]
    docs = client.get(reverse("api:docs"))
    assert docs.status_code == 200 and b"redoc" in docs.content.lower()


def test_only_a_hash_of_the_token_is_stored(integration):
    key = issue(integration)
    token = ApiToken.objects.get()
    assert key not in (token.key_hash, token.prefix) and token.key_hash == ApiToken.hash(key)


def test_unknown_parameters_and_addresses_answer_in_the_error_shape(client, integration):
    key = issue(integration)
    response = client.get(reverse("api:client-list"), {"updated_snce": "2026-01-01T00:00:00Z"}, **bearer(key))
    assert response.status_code == 400 and "updated_snce" in response.json()["error"]["fields"]
    for page_size in ("0", "501", "abc", "1" * 50):
        assert (
            client.get(reverse("api:client-list"), {"page_size": page_size}, **bearer(key)).status_code == 400
        )
    missing = client.get("/api/v1/nothing-here/", **bearer(key))
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"
    assert client.get("/no-such-page/").status_code == 404  # pages keep their own 404 page


def test_an_administrator_issues_a_token_shown_once_and_revokes_it(client, integration):
    admin = UserFactory(username="admin", is_superuser=True, is_staff=True)
    client.force_login(admin)
    response = client.post(
        reverse("admin:api_apitoken_add"),
        {
            "name": "Koto-AJ",
            "user": integration.pk,
            "scopes": "clients:read",
            "expires_at_0": "",
            "expires_at_1": "",
        },
        follow=True,
    )
    token = ApiToken.objects.get()
    shown = [str(message) for message in response.context["messages"]]
    key = next(message.split(": ")[-1] for message in shown if token.prefix in message)
    assert ApiToken.hash(key) == token.key_hash
    client.logout()
    assert client.get(reverse("api:client-list"), **bearer(key)).status_code == 200
    client.force_login(admin)
    client.post(
        reverse("admin:api_apitoken_changelist"), {"action": "revoke", "_selected_action": [token.pk]}
    )
    client.logout()
    assert client.get(reverse("api:client-list"), **bearer(key)).status_code == 401

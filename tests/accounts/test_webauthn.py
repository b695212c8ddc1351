"""Security keys: the server side with hostile and broken input (the browser journey with
Chromium's virtual authenticator is in tests/browser/test_sign_in_journeys.py)."""

import json
import time

import pytest
from django.urls import reverse
from webauthn.helpers import bytes_to_base64url

from hemkommun.accounts.models import SecurityKey, SignInAttempt

from ..factories import UserFactory
from .conftest import fi, sign_in

pytestmark = pytest.mark.django_db
NOT_ADDED = "The security key could not be added. Try again."
NOT_ACCEPTED = "The security key was not accepted. Try again or use a code."


def post_json(client, name: str, body, **kwargs):
    data = body if isinstance(body, (str, bytes)) else json.dumps(body)
    return client.post(reverse(f"accounts:{name}"), data, content_type="application/json", **kwargs)


def fake_id(user, name="Key") -> str:
    """A credential id as browsers give them: base64url, whatever the length of the user's number."""
    return bytes_to_base64url(f"cred-{user.pk}-{name}".encode())


def fake_key(user, name="Key") -> SecurityKey:
    return SecurityKey.objects.create(
        user=user, name=name, credential_id=fake_id(user, name), public_key=b"\x00" * 77
    )


def test_registration_options_bind_the_key_to_the_host_and_keep_the_challenge(client, relaxed):
    sign_in(client, "counsellor.vasa")
    options = post_json(client, "webauthn_register_options", {}).json()
    assert options["rp"] == {"id": "testserver", "name": "Hemkommun"}
    assert options["user"]["name"] == "counsellor.vasa"
    assert client.session["accounts.webauthn_challenge"] == options["challenge"]


def test_rp_id_from_the_settings(client, relaxed, settings):
    settings.WEBAUTHN_RP_ID = "hemkommun.example.fi"
    sign_in(client, "counsellor.vasa")
    assert post_json(client, "webauthn_register_options", {}).json()["rp"]["id"] == "hemkommun.example.fi"


@pytest.mark.parametrize(
    "body",
    [
        "not json",
        b"\xff\xfe",
        "[1, 2]",
        {"name": "x"},
        {"credential": {"id": "abc", "response": {"clientDataJSON": "!!!"}}},
        {"credential": "<script>alert(1)</script>"},
    ],
)
def test_broken_registrations_are_refused_with_a_message(client, relaxed, body):
    sign_in(client, "counsellor.vasa")
    post_json(client, "webauthn_register_options", {})
    response = post_json(client, "webauthn_register", body)
    assert response.status_code == 400
    assert response.json()["error"] == fi(NOT_ADDED)
    assert not SecurityKey.objects.exists()
    # The challenge was used up: a second try needs new options.
    assert "accounts.webauthn_challenge" not in client.session


def test_registration_without_options_is_refused(client, relaxed):
    sign_in(client, "counsellor.vasa")
    assert post_json(client, "webauthn_register", {"credential": {}}).status_code == 400


def test_anonymous_cannot_register(client, relaxed):
    assert post_json(client, "webauthn_register_options", {}).status_code == 302


def test_a_session_without_the_second_factor_cannot_add_keys(client, relaxed):
    fake_key(relaxed)
    client.force_login(relaxed)  # has a key, but this session did not use it
    assert post_json(client, "webauthn_register_options", {}).status_code == 403
    assert post_json(client, "webauthn_register", {}).status_code == 403


def test_key_sign_in_needs_the_password_first(client, relaxed):
    fake_key(relaxed)
    assert post_json(client, "webauthn_sign_in_options", {}).status_code == 403
    assert post_json(client, "webauthn_sign_in", {"id": fake_id(relaxed)}).status_code == 403


def test_key_sign_in_offers_only_the_users_own_keys(client, relaxed, lenient_org):
    fake_key(relaxed)
    fake_key(UserFactory(username="someone"), name="Other")
    assert sign_in(client, "counsellor.vasa")["Location"] == reverse("accounts:verify")
    options = post_json(client, "webauthn_sign_in_options", {}).json()
    assert len(options["allowCredentials"]) == 1


@pytest.mark.parametrize(
    "body",
    ["garbage", {"id": "cred-unknown"}, {"id": None}, {"id": "x", "response": "<svg onload=alert(1)>"}],
)
def test_broken_assertions_are_refused_and_counted(client, relaxed, body):
    fake_key(relaxed)
    sign_in(client, "counsellor.vasa")
    post_json(client, "webauthn_sign_in_options", {})
    response = post_json(client, "webauthn_sign_in", body)
    assert response.status_code == 400 and response.json()["error"] == fi(NOT_ACCEPTED)
    assert "_auth_user_id" not in client.session
    assert SignInAttempt.objects.filter(outcome="failed", stage="second_factor").count() == 1


def test_another_users_key_does_not_sign_in(client, relaxed):
    fake_key(relaxed)
    other = UserFactory(username="someone")
    fake_key(other, name="Other")
    sign_in(client, "counsellor.vasa")
    post_json(client, "webauthn_sign_in_options", {})
    response = post_json(client, "webauthn_sign_in", {"id": fake_id(other, "Other"), "response": {}})
    assert response.status_code == 400 and "_auth_user_id" not in client.session


def test_repeated_refusals_lock_out(client, relaxed):
    fake_key(relaxed)
    sign_in(client, "counsellor.vasa")
    for _ in range(4):
        post_json(client, "webauthn_sign_in_options", {})
        post_json(client, "webauthn_sign_in", {"id": "nope"})
    post_json(client, "webauthn_sign_in_options", {})
    response = post_json(client, "webauthn_sign_in", {"id": "nope"})
    assert response.json() == {"redirect": reverse("login")}
    assert "accounts.pending" not in client.session


def test_keys_are_removed_only_by_their_owner(client, relaxed):
    from hemkommun.accounts.services import MFA_PASSED, MFA_STATE, SIGNED_IN_AT

    mine, theirs = fake_key(relaxed), fake_key(UserFactory(username="someone"), name="Other")
    client.force_login(relaxed)
    session = client.session
    session[MFA_STATE], session[SIGNED_IN_AT] = MFA_PASSED, int(time.time())
    session.save()
    assert client.post(reverse("accounts:security_key_remove", args=[theirs.pk])).status_code == 404
    client.post(reverse("accounts:security_key_remove", args=[mine.pk]))
    assert list(SecurityKey.objects.all()) == [theirs]


def test_removing_a_key_needs_a_session_that_passed_the_second_factor(client, relaxed):
    key = fake_key(relaxed)
    client.force_login(relaxed)
    client.post(reverse("accounts:security_key_remove", args=[key.pk]))
    assert SecurityKey.objects.filter(pk=key.pk).exists()


@pytest.mark.parametrize(
    "response", ["<svg onload=alert(1)>", {}, {"clientDataJSON": "e30", "signature": 5}, None]
)
def test_a_forged_assertion_for_the_right_key_is_refused(client, relaxed, response):
    key = fake_key(relaxed)
    sign_in(client, "counsellor.vasa")
    post_json(client, "webauthn_sign_in_options", {})
    body = {"id": key.credential_id, "rawId": key.credential_id, "type": "public-key", "response": response}
    assert post_json(client, "webauthn_sign_in", body).status_code == 400
    assert "_auth_user_id" not in client.session

"""Sign-ins that must be refused, across the real provider: a message on the login page, no
session, a log line, and never a 500."""

import time

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.messages import get_messages

from hemkommun.organizations.models import Role
from hemkommun.sso import oidc, services, views
from hemkommun.sso.models import ExternalIdentity

from ..factories import UserFactory
from .provider_process import RP, walk_provider

pytestmark = pytest.mark.django_db


def start(client, **params) -> str:
    response = client.get("/sso/region-idp/start/", params)
    assert response.status_code == 302
    return response["Location"]


def callback_url(client, login: str, **kwargs) -> str:
    """Start at Hemkommun and sign in at the provider; the address it sends the person back to."""
    return walk_provider(start(client), login, **kwargs).removeprefix(RP)


def assert_refused(client, response, message, caplog, code: str) -> None:
    assert response.status_code == 302 and response["Location"] == "/login/"
    assert SESSION_KEY not in client.session
    assert [str(m) for m in get_messages(response.wsgi_request)] == [str(message)]
    assert f"code={code}" in caplog.text
    page = client.get("/login/")
    assert page.status_code == 200


def test_person_who_declines_at_the_provider(client, idp, nora, caplog):
    response = client.get(callback_url(client, "nora", deny=True))
    assert_refused(client, response, views.CANCELLED, caplog, "provider_error")


def test_missing_state(client, idp, nora, caplog):
    url = callback_url(client, "nora")
    response = client.get(url.replace("state=", "ignored="))
    assert_refused(client, response, views.STATE_INVALID, caplog, "state_invalid")


def test_wrong_state(client, idp, nora, caplog):
    url = callback_url(client, "nora")
    response = client.get(url.replace("state=", "state=x"))
    assert_refused(client, response, views.STATE_INVALID, caplog, "state_invalid")


def test_replayed_state_is_refused_after_its_one_use(client, idp, nora, caplog):
    url = callback_url(client, "nora")
    assert client.get(url)["Location"] == "/"
    client.logout()
    assert_refused(client, client.get(url), views.STATE_INVALID, caplog, "state_invalid")


def test_state_of_another_browser_is_refused(client, idp, nora, caplog):
    """Login CSRF: an attacker's own callback address sent to someone else does not sign them in."""
    from django.test import Client

    attackers_url = callback_url(Client(), "nora")
    assert_refused(client, client.get(attackers_url), views.STATE_INVALID, caplog, "state_invalid")


def test_flow_older_than_its_lifetime(client, idp, nora, caplog):
    url = callback_url(client, "nora")
    session = client.session
    for flow in session[views.SESSION_KEY].values():
        flow["started"] = time.time() - views.FLOW_LIFETIME - 1
    session.save()
    assert_refused(client, client.get(url), views.STATE_INVALID, caplog, "state_expired")


def test_wrong_nonce(client, idp, nora, caplog):
    url = callback_url(client, "nora")
    session = client.session
    for flow in session[views.SESSION_KEY].values():
        flow["nonce"] = "another-nonce"
    session.save()
    assert_refused(client, client.get(url), oidc.PROVIDER_FAILED, caplog, "id_token_invalid")


def test_forged_code(client, idp, nora, caplog):
    url = callback_url(client, "nora")
    code = url.split("code=")[1].split("&")[0]
    response = client.get(url.replace(code, "forged-code"))
    assert_refused(client, response, oidc.PROVIDER_FAILED, caplog, "token_refused")


def test_missing_code(client, idp, nora, caplog):
    url = callback_url(client, "nora")
    response = client.get(url.replace("code=", "nocode="))
    assert_refused(client, response, oidc.PROVIDER_FAILED, caplog, "code_missing")


def test_response_naming_another_issuer(client, idp, nora, caplog):
    url = callback_url(client, "nora")
    response = client.get(url.replace("iss=", "iss=https%3A%2F%2Fevil.example&was="))
    assert_refused(client, response, oidc.PROVIDER_FAILED, caplog, "issuer_mismatch")


def test_unknown_person(client, idp, nora, caplog):
    response = client.get(callback_url(client, "stranger"))
    assert_refused(client, response, services.NO_ACCOUNT, caplog, "unknown_person")
    assert not ExternalIdentity.objects.exists()


def test_unverified_email(client, idp, narpes, caplog):
    UserFactory.with_role(Role.COUNSELLOR, narpes, username="ulla", email="ulla@narpes.example")
    response = client.get(callback_url(client, "unverified"))
    assert_refused(client, response, services.EMAIL_UNVERIFIED, caplog, "email_unverified")


def test_deactivated_user(client, idp, nora, caplog):
    nora.is_active = False
    nora.save()
    response = client.get(callback_url(client, "nora"))
    assert_refused(client, response, services.ACCOUNT_INACTIVE, caplog, "account_inactive")
    assert not ExternalIdentity.objects.exists()


def test_user_deactivated_after_linking(client, idp, nora, caplog):
    ExternalIdentity.objects.create(provider=idp, subject="sub-nora", user=nora)
    nora.is_active = False
    nora.save()
    response = client.get(callback_url(client, "nora"))
    assert_refused(client, response, services.ACCOUNT_INACTIVE, caplog, "account_inactive")


def test_organisation_not_served_by_the_provider(client, idp, vasa, caplog):
    UserFactory.with_role(Role.COUNSELLOR, vasa, username="nora.vasa", email="nora.neuvoja@narpes.example")
    response = client.get(callback_url(client, "nora"))
    assert_refused(client, response, services.NOT_SERVED, caplog, "organisation_not_served")


def test_two_accounts_with_the_address_are_not_guessed_between(client, idp, nora, narpes, caplog):
    UserFactory.with_role(Role.COUNSELLOR, narpes, username="nora2", email="NORA.NEUVOJA@narpes.example")
    response = client.get(callback_url(client, "nora"))
    assert_refused(client, response, services.NO_ACCOUNT, caplog, "ambiguous_email")


def test_account_linked_to_another_subject(client, idp, nora, caplog):
    ExternalIdentity.objects.create(provider=idp, subject="sub-of-the-previous-holder", user=nora)
    response = client.get(callback_url(client, "nora"))
    assert_refused(client, response, services.ALREADY_LINKED, caplog, "already_linked")


def test_provider_deactivated_during_the_sign_in(client, idp, nora, caplog):
    url = callback_url(client, "nora")
    idp.active = False
    idp.save()
    assert_refused(client, client.get(url), views.STATE_INVALID, caplog, "state_invalid")


def test_inactive_or_unknown_provider_cannot_be_started(client, idp, caplog):
    idp.active = False
    idp.save()
    for slug in ("region-idp", "no-such-idp"):
        response = client.get(f"/sso/{slug}/start/")
        assert_refused(client, response, views.UNAVAILABLE, caplog, "provider_unavailable")


def test_unreachable_provider(client, idp, caplog):
    idp.issuer = "http://127.0.0.1:9/"  # the discard port: nothing answers
    idp.save()
    response = client.get("/sso/region-idp/start/")
    assert_refused(client, response, oidc.PROVIDER_FAILED, caplog, "provider_unreachable")


def test_client_secret_not_configured(client, idp, nora, caplog, monkeypatch):
    url = callback_url(client, "nora")
    monkeypatch.delenv("SSO_TEST_CLIENT_SECRET")
    assert_refused(client, client.get(url), oidc.PROVIDER_FAILED, caplog, "secret_missing")


def test_client_secret_file_missing(client, idp, nora, caplog, monkeypatch, tmp_path):
    url = callback_url(client, "nora")
    monkeypatch.setenv("SSO_TEST_CLIENT_SECRET_FILE", str(tmp_path / "no-such-file"))
    assert_refused(client, client.get(url), oidc.PROVIDER_FAILED, caplog, "secret_missing")

"""A provider's sign-in without a second factor counts as a password alone (docs/sso.md): the
local second factor is asked for, or enrolment, as after our own password step."""

import pyotp
import pytest
from django.contrib.auth import SESSION_KEY
from django.urls import reverse

from hemkommun.accounts import services
from hemkommun.accounts.models import UserSession

from ..accounts.conftest import enter_code, give_totp
from .test_flow import sign_in_at_provider

pytestmark = pytest.mark.django_db


@pytest.fixture
def strict_narpes(narpes):
    narpes.mfa_required = True
    narpes.save()
    return narpes


def test_required_second_factor_missing_leads_to_enrolment_only(client, idp, kaj, strict_narpes):
    response = sign_in_at_provider(client, "kaj", next_url="/clients/")  # amr ["pwd"]

    assert response["Location"] == reverse("accounts:security")
    assert client.session[services.MFA_STATE] == services.PASSWORD_ONLY
    assert client.get("/clients/")["Location"] == reverse("accounts:security")
    session = UserSession.objects.get(user=kaj)
    assert (session.method, session.mfa) == ("sso", False)


def test_a_user_with_a_second_factor_passes_it_after_the_provider(client, idp, kaj, strict_narpes):
    secret = give_totp(kaj)

    response = sign_in_at_provider(client, "kaj", next_url="/clients/")

    assert response["Location"] == reverse("accounts:verify")
    assert SESSION_KEY not in client.session  # not signed in between the steps
    response = enter_code(client, pyotp.TOTP(secret).now())
    assert response["Location"] == "/clients/"
    assert client.session[SESSION_KEY] == str(kaj.pk)
    assert client.session[services.MFA_STATE] == services.MFA_PASSED
    session = UserSession.objects.get(user=kaj)
    assert (session.method, session.mfa) == ("sso+totp", True)


def test_a_wrong_code_after_the_provider_does_not_sign_in(client, idp, kaj, strict_narpes):
    give_totp(kaj)
    sign_in_at_provider(client, "kaj")

    response = enter_code(client, "000000")

    assert response.status_code == 400
    assert SESSION_KEY not in client.session


def test_second_factor_at_the_provider_is_not_asked_again(client, idp, nora, strict_narpes):
    give_totp(nora)

    response = sign_in_at_provider(client, "nora", next_url="/clients/")  # amr ["pwd", "otp"]

    assert response["Location"] == "/clients/"
    assert client.session[services.MFA_STATE] == services.MFA_PASSED

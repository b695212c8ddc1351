"""The password step, complete_sign_in, signing out and the admin's login page."""

import pytest
from django.contrib.sessions.models import Session
from django.test import RequestFactory
from django.urls import reverse

from hemkommun.accounts import services
from hemkommun.accounts.models import SignInAttempt, UserSession
from hemkommun.organizations.models import Role

from ..factories import OrganisationFactory, UserFactory
from .conftest import PASSWORD, fi, sign_in

pytestmark = pytest.mark.django_db


def test_password_signs_in_where_no_second_factor_is_required(client, relaxed, settings):
    anonymous_key = client.get(reverse("login")) and client.session.session_key
    response = client.post(
        reverse("login"), {"username": "counsellor.vasa", "password": PASSWORD, "next": "/clients/"}
    )
    assert response.status_code == 302 and response["Location"] == "/clients/"
    assert int(client.session["_auth_user_id"]) == relaxed.pk
    assert client.session[services.MFA_STATE] == services.PASSWORD_ONLY
    assert client.session.session_key != anonymous_key
    assert UserSession.objects.get(user=relaxed).session_key == client.session.session_key
    assert SignInAttempt.objects.filter(username="counsellor.vasa", outcome="succeeded").exists()
    assert client.get("/clients/").status_code == 200


def test_session_key_changes_at_sign_in_against_fixation(client, relaxed):
    client.get(reverse("login"))
    client.session.save()
    planted = client.session.session_key
    sign_in(client, "counsellor.vasa")
    assert client.session.session_key != planted
    assert not Session.objects.filter(session_key=planted).exists()


def test_wrong_password_is_refused_with_one_message_and_recorded(client, relaxed):
    response = sign_in(client, "counsellor.vasa", "wrong")
    assert response.status_code == 400
    assert fi("The user name or password is wrong.") in response.content.decode()
    assert "_auth_user_id" not in client.session
    attempt = SignInAttempt.objects.get()
    assert (attempt.username, attempt.outcome, attempt.ip) == ("counsellor.vasa", "failed", "127.0.0.1")


def test_unknown_user_gets_the_same_message(client, relaxed):
    unknown = sign_in(client, "nobody.here", "wrong").content.decode()
    assert fi("The user name or password is wrong.") in unknown


def test_empty_and_oversized_input_is_a_clear_message_not_an_error(client, relaxed):
    response = client.post(reverse("login"), {"username": "", "password": ""})
    assert (
        response.status_code == 200 and fi("Enter your user name and password.") in response.content.decode()
    )
    response = client.post(reverse("login"), {"username": "x" * 5000, "password": "y"})
    assert response.status_code == 200 and "_auth_user_id" not in client.session


def test_inactive_user_cannot_sign_in(client, relaxed):
    relaxed.is_active = False
    relaxed.save()
    assert sign_in(client, "counsellor.vasa").status_code == 400


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)"])
def test_next_pointing_elsewhere_goes_to_the_start_page(client, relaxed, target):
    response = client.post(
        reverse("login"), {"username": "counsellor.vasa", "password": PASSWORD, "next": target}
    )
    assert response["Location"] == reverse("home")


def test_signed_in_user_visiting_login_goes_on(client, relaxed):
    sign_in(client, "counsellor.vasa")
    assert client.get(reverse("login") + "?next=/clients/")["Location"] == "/clients/"


def test_sign_out_ends_the_session_and_its_record(client, relaxed):
    sign_in(client, "counsellor.vasa")
    assert client.get(reverse("logout")).status_code == 405  # only by the form, never by a link
    response = client.post(reverse("logout"))
    assert response["Location"] == reverse("login")
    assert not UserSession.objects.exists() and "_auth_user_id" not in client.session
    assert client.get("/clients/").status_code == 302


def test_admin_login_page_sends_to_ours(client):
    response = client.get("/admin/login/?next=/admin/organizations/")
    assert response.status_code == 302
    assert response["Location"] == reverse("login") + "?next=%2Fadmin%2Forganizations%2F"


def test_complete_sign_in_is_the_one_way_in(relaxed, client):
    """What single sign-on will call: a new key, the session recorded, the factor marked."""
    request = RequestFactory().get("/")
    engine = __import__("django.contrib.sessions.backends.db", fromlist=["SessionStore"])
    request.session = engine.SessionStore()
    request.session["before"] = 1
    request.session.save()
    before = request.session.session_key
    services.complete_sign_in(request, relaxed, method="sso", mfa=True)
    assert request.session.session_key != before
    assert request.session[services.MFA_STATE] == services.MFA_PASSED
    assert UserSession.objects.get().method == "sso"


def test_staff_of_several_organisations_signs_in(client, relaxed, lenient_org):
    other = OrganisationFactory.municipality("287", "Kristinestad")
    UserFactory.with_role(Role.REPORTING, other, username="counsellor.vasa")
    assert sign_in(client, "counsellor.vasa").status_code == 302


@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("accounts:security", "get"),
        ("accounts:totp_enrol", "get"),
        ("accounts:totp_remove", "post"),
        ("accounts:recovery_regenerate", "post"),
        ("accounts:recovery_codes_new", "get"),
        ("accounts:webauthn_register_options", "post"),
        ("accounts:webauthn_register", "post"),
        ("accounts:sign_out_everywhere", "post"),
    ],
)
def test_the_security_pages_are_for_signed_in_staff_only(client, relaxed, name, method):
    response = getattr(client, method)(reverse(name))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_each_user_sees_only_their_own_security_page(client, relaxed, lenient_org):
    from hemkommun.accounts.models import SecurityKey

    other = UserFactory.with_role(Role.COUNSELLOR, lenient_org, username="other.person")
    SecurityKey.objects.create(user=other, name="Other's key", credential_id="x", public_key=b"k")
    sign_in(client, "counsellor.vasa")
    assert "Other&#x27;s key" not in client.get(reverse("accounts:security")).content.decode()

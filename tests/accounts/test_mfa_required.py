"""Who must use a second factor (access.policy.mfa_required), and the middleware enforcing it."""

import re

import pyotp
import pytest
from django.urls import reverse

from hemkommun.access import policy
from hemkommun.organizations.models import Role

from ..factories import OrganisationFactory, UserFactory
from .conftest import sign_in

pytestmark = pytest.mark.django_db
CLIENT_DATA_ROLES = sorted(policy.CLIENT_DATA_ROLES)


@pytest.mark.parametrize("role", CLIENT_DATA_ROLES)
def test_roles_that_see_client_data_must(role, strict_org):
    assert policy.mfa_required(UserFactory.with_role(role, strict_org))


def test_reporting_sees_figures_only_and_need_not(strict_org):
    assert not policy.mfa_required(UserFactory.with_role(Role.REPORTING, strict_org))


@pytest.mark.parametrize("role", CLIENT_DATA_ROLES)
def test_an_organisation_may_turn_it_off(role, lenient_org):
    assert not policy.mfa_required(UserFactory.with_role(role, lenient_org))


def test_one_strict_membership_is_enough(strict_org, lenient_org):
    user = UserFactory.with_role(Role.COUNSELLOR, lenient_org)
    UserFactory.with_role(Role.COORDINATOR, strict_org, username=user.username)
    user = type(user).objects.get(pk=user.pk)
    assert policy.mfa_required(user)


def test_an_ended_membership_does_not_count(strict_org):
    import datetime

    user = UserFactory.with_role(Role.COUNSELLOR, strict_org)
    user.memberships.update(valid_until=datetime.date(2000, 1, 1))
    assert not policy.mfa_required(type(user).objects.get(pk=user.pk))


def test_the_installation_administrator_always_must(db):
    assert policy.mfa_required(UserFactory(is_superuser=True, is_staff=True))


def test_model_default_is_on(db):
    organisation = OrganisationFactory.build()
    assert type(organisation)._meta.get_field("mfa_required").default is True


def test_password_only_reaches_nothing_but_enrolment(client, counsellor, narpes_clients):
    response = sign_in(client, "counsellor.narpes")
    assert response["Location"] == reverse("accounts:security")
    for url in ["/", "/clients/", f"/clients/{narpes_clients.pk}/", "/admin/", "/reports/statistics/"]:
        assert client.get(url)["Location"] == reverse("accounts:security"), url
    assert client.post("/clients/new/", {})["Location"] == reverse("accounts:security")
    htmx = client.get("/clients/", headers={"HX-Request": "true"})
    assert htmx.status_code == 204 and htmx["HX-Redirect"] == reverse("accounts:security")
    assert client.get(reverse("accounts:security")).status_code == 200
    assert client.get(reverse("accounts:totp_enrol")).status_code == 200
    assert client.post(reverse("set_language"), {"language": "sv", "next": "/"}).status_code == 302

    page = client.get(reverse("accounts:totp_enrol")).content.decode()
    secret = re.search(r'id="totp-secret">([A-Z2-7]+)<', page).group(1)
    before = client.session.session_key
    client.post(reverse("accounts:totp_enrol"), {"code": pyotp.TOTP(secret).now()})
    assert client.session.session_key != before
    assert client.get("/clients/").status_code == 200


@pytest.fixture
def narpes_clients(strict_org):
    from ..factories import make_client

    return make_client(strict_org)


def test_force_login_sessions_are_left_alone(client, counsellor):
    """Sessions without our marker come from django.test.Client.force_login only."""
    client.force_login(counsellor)
    assert client.get("/clients/").status_code == 200


def test_reporting_staff_signs_in_with_the_password_only(client, strict_org):
    UserFactory.with_role(Role.REPORTING, strict_org, username="reporting.narpes")
    assert sign_in(client, "reporting.narpes")["Location"] == reverse("home")
    assert client.get("/").status_code == 200


def test_the_api_is_not_concerned(client, counsellor):
    """The API authenticates by token; a password-only session cookie changes nothing there."""
    sign_in(client, "counsellor.narpes")
    response = client.get("/api/v1/clients/")
    assert response.status_code == 401  # no token: the API's own answer, not our redirect


def test_enrolled_user_is_asked_for_the_code(client, counsellor):
    from .conftest import give_totp

    give_totp(counsellor)
    assert sign_in(client, "counsellor.narpes")["Location"] == reverse("accounts:verify")

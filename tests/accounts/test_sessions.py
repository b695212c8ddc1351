"""Session expiry (inactivity and absolute), and signing out everywhere."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from hemkommun.accounts.models import TotpDevice, UserSession
from hemkommun.organizations.models import Role

from ..factories import UserFactory
from .conftest import fi, give_totp, sign_in

pytestmark = pytest.mark.django_db
IDLE = "You were signed out after %(minutes)d minutes without activity. Sign in again."


@pytest.fixture
def clock():
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        yield traveller


def test_inactivity_signs_out_with_a_message(client, relaxed, clock):
    sign_in(client, "counsellor.vasa")
    clock.shift(timedelta(minutes=29))
    assert client.get("/clients/").status_code == 200
    clock.shift(timedelta(minutes=29))  # activity restarted the count
    assert client.get("/clients/").status_code == 200
    clock.shift(timedelta(minutes=31))
    response = client.get("/clients/?q=x")
    assert response.status_code == 302
    assert response["Location"] == reverse("login") + "?next=%2Fclients%2F%3Fq%3Dx"
    assert "_auth_user_id" not in client.session
    assert not UserSession.objects.exists()
    assert fi(IDLE, minutes=30) in client.get(response["Location"]).content.decode()


def test_idle_minutes_come_from_the_settings(client, relaxed, clock, settings):
    settings.SESSION_IDLE_MINUTES = 5
    sign_in(client, "counsellor.vasa")
    clock.shift(timedelta(minutes=6))
    assert client.get("/clients/").status_code == 302


def test_htmx_request_is_sent_to_the_sign_in_page_as_a_whole(client, relaxed, clock):
    sign_in(client, "counsellor.vasa")
    clock.shift(timedelta(minutes=31))
    response = client.post("/clients/", headers={"HX-Request": "true"})
    assert response.status_code == 204
    assert response["HX-Redirect"] == reverse("login") + "?next=%2F"


def test_absolute_expiry_ends_even_a_busy_session(client, relaxed, clock, settings):
    settings.SESSION_COOKIE_AGE = 2 * 60 * 60
    sign_in(client, "counsellor.vasa")
    for _ in range(5):  # a request every 20 minutes: never idle
        clock.shift(timedelta(minutes=20))
        assert client.get("/clients/").status_code == 200
    clock.shift(timedelta(minutes=21))  # 2 h 1 min after signing in
    assert client.get("/clients/").status_code == 302


def test_session_key_changes_after_the_second_factor(client, counsellor):
    import pyotp

    secret = give_totp(counsellor)
    sign_in(client, "counsellor.narpes")
    between = client.session.session_key
    assert "_auth_user_id" not in client.session  # not signed in before the code
    client.post(reverse("accounts:verify"), {"code": pyotp.TOTP(secret).now()})
    assert "_auth_user_id" in client.session
    assert client.session.session_key != between
    assert not Session.objects.filter(session_key=between).exists()


def test_sign_out_everywhere_ends_every_session_of_the_user(relaxed, lenient_org):
    laptop, phone, colleague = Client(), Client(), Client()
    UserFactory.with_role(Role.COUNSELLOR, lenient_org, username="colleague")
    sign_in(laptop, "counsellor.vasa")
    sign_in(phone, "counsellor.vasa")
    sign_in(colleague, "colleague")
    assert laptop.get("/clients/").status_code == phone.get("/clients/").status_code == 200

    response = phone.post(reverse("accounts:sign_out_everywhere"))
    assert response["Location"] == reverse("login")
    assert laptop.get("/clients/").status_code == 302
    assert phone.get("/clients/").status_code == 302
    assert colleague.get("/clients/").status_code == 200
    assert list(UserSession.objects.values_list("user__username", flat=True)) == ["colleague"]


def test_sign_out_everywhere_takes_a_post(client, relaxed):
    sign_in(client, "counsellor.vasa")
    assert client.get(reverse("accounts:sign_out_everywhere")).status_code == 405
    assert client.get("/clients/").status_code == 200


def test_deactivation_in_the_admin_ends_the_sessions(admin_client, relaxed):
    laptop = Client()
    sign_in(laptop, "counsellor.vasa")
    url = reverse("admin:organizations_user_change", args=[relaxed.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {key: value for key, value in form.initial.items() if value is not None and key != "password"}
    data.update(
        {
            "is_active": "",
            "date_joined_0": relaxed.date_joined.strftime("%Y-%m-%d"),
            "date_joined_1": relaxed.date_joined.strftime("%H:%M:%S"),
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        }
    )
    data.pop("date_joined", None)
    data.pop("last_login", None)
    data.pop("groups", None)
    data.pop("user_permissions", None)
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    relaxed.refresh_from_db()
    assert not relaxed.is_active
    assert not UserSession.objects.filter(user=relaxed).exists()
    assert laptop.get("/clients/").status_code == 302


def test_admin_actions_deactivate_and_reset_mfa(admin_client, relaxed, counsellor):
    laptop, other = Client(), Client()
    give_totp(relaxed)
    sign_in(laptop, "counsellor.vasa")
    laptop.post(reverse("accounts:verify"), {"code": _code(relaxed)})
    sign_in(other, "counsellor.narpes")
    changelist = reverse("admin:organizations_user_changelist")
    admin_client.post(changelist, {"action": "reset_mfa_action", "_selected_action": [relaxed.pk]})
    assert not TotpDevice.objects.filter(user=relaxed).exists()
    assert laptop.get("/clients/").status_code == 302
    assert other.get(reverse("accounts:security")).status_code == 200  # someone else: untouched

    admin_client.post(changelist, {"action": "deactivate_action", "_selected_action": [counsellor.pk]})
    counsellor.refresh_from_db()
    assert not counsellor.is_active
    assert other.get(reverse("accounts:security")).status_code == 302


def _code(user) -> str:
    import pyotp

    return pyotp.TOTP(TotpDevice.objects.get(user=user).secret).now()


def test_force_login_sessions_do_not_expire_by_inactivity(client, relaxed, clock):
    """Only sessions of a real sign-in carry the marker; tests travel in time freely."""
    client.force_login(relaxed)
    assert client.get("/clients/").status_code == 200
    clock.shift(timedelta(hours=2))  # idle, though within the session cookie's age
    assert client.get("/clients/").status_code == 200

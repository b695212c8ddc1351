"""Second factors: enrolling an authenticator app, the second step, recovery codes."""

import re
from datetime import timedelta

import pyotp
import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from hemkommun.accounts import mfa
from hemkommun.accounts.models import RecoveryCode, TotpDevice, UserSession

from .conftest import PASSWORD, enter_code, fi, give_totp, sign_in

pytestmark = pytest.mark.django_db
WRONG_CODE = "The code is wrong or has already been used."


def enrol(client) -> tuple[str, list[str]]:
    """Set up the app on the security page; the secret and the recovery codes shown."""
    page = client.get(reverse("accounts:totp_enrol")).content.decode()
    secret = re.search(r'id="totp-secret">([A-Z2-7]+)<', page).group(1)
    response = client.post(reverse("accounts:totp_enrol"), {"code": pyotp.TOTP(secret).now()})
    codes = re.findall(r"<li>([a-z2-9]{5}-[a-z2-9]{5})</li>", response.content.decode())
    return secret, codes


def test_enrolment_shows_a_qr_code_and_the_key_then_ten_recovery_codes(client, relaxed):
    sign_in(client, "counsellor.vasa")
    page = client.get(reverse("accounts:totp_enrol")).content.decode()
    assert "<svg" in page and "style=" not in page.split("<svg", 1)[1].split("</svg>", 1)[0]
    secret, codes = enrol(client)
    assert TotpDevice.objects.get(user=relaxed).secret == secret
    assert len(codes) == len(set(codes)) == 10
    # Stored hashed only.
    digests = list(RecoveryCode.objects.filter(user=relaxed).values_list("digest", flat=True))
    assert len(digests) == 10 and not any(code.replace("-", "") in d for d in digests for code in codes)
    assert client.session["accounts.mfa"] == "passed"


def test_enrolment_refuses_a_wrong_code_with_a_message(client, relaxed):
    sign_in(client, "counsellor.vasa")
    client.get(reverse("accounts:totp_enrol"))
    for bad in ["123456", "abcdef", "", "9" * 40, "<script>"]:
        response = client.post(reverse("accounts:totp_enrol"), {"code": bad})
        assert response.status_code == 400
    assert not TotpDevice.objects.exists()
    expected = "The code does not match. Check the time on your phone and try again."
    assert fi(expected) in client.post(reverse("accounts:totp_enrol"), {"code": "123456"}).content.decode()


def test_second_step_with_the_app(client, relaxed):
    secret = give_totp(relaxed)
    response = client.post(
        reverse("login"), {"username": "counsellor.vasa", "password": "demo-password-1", "next": "/clients/"}
    )
    assert response["Location"] == reverse("accounts:verify")
    assert client.get("/clients/").status_code == 302  # not signed in yet
    response = enter_code(client, "000000")
    assert response.status_code == 400 and fi(WRONG_CODE) in response.content.decode()
    response = enter_code(client, pyotp.TOTP(secret).now())
    assert response["Location"] == "/clients/"
    assert client.session["accounts.mfa"] == "passed"
    assert UserSession.objects.get().method == "password+totp"


def test_a_code_works_once(client, relaxed):
    from django.test import Client

    secret = give_totp(relaxed)
    code = pyotp.TOTP(secret).now()
    sign_in(client, "counsellor.vasa")
    assert enter_code(client, code).status_code == 302
    other = Client()
    sign_in(other, "counsellor.vasa")
    assert enter_code(other, code).status_code == 400


def test_codes_of_the_neighbouring_steps_are_accepted_but_no_further(client, relaxed):
    secret = give_totp(relaxed)
    totp = pyotp.TOTP(secret)
    now = timezone.now()
    sign_in(client, "counsellor.vasa")
    assert enter_code(client, totp.at(now - timedelta(seconds=90))).status_code == 400
    assert enter_code(client, totp.at(now - timedelta(seconds=30))).status_code == 302


def test_second_step_expires_after_five_minutes(client, relaxed):
    secret = give_totp(relaxed)
    with time_machine.travel(timezone.now(), tick=False) as clock:
        sign_in(client, "counsellor.vasa")
        clock.shift(timedelta(minutes=5, seconds=1))
        response = enter_code(client, pyotp.TOTP(secret).now())
        assert response["Location"] == reverse("login")
        assert "_auth_user_id" not in client.session
        expected = "Signing in took too long or was not started. Sign in again."
        assert fi(expected) in client.get(reverse("login")).content.decode()


def test_second_step_without_a_password_is_refused(client, relaxed):
    assert client.get(reverse("accounts:verify"))["Location"] == reverse("login")
    session = client.session
    session["accounts.pending"] = "forged"
    session.save()
    assert client.post(reverse("accounts:verify"), {"code": "123456"})["Location"] == reverse("login")


def test_recovery_code_signs_in_once(client, relaxed):
    sign_in(client, "counsellor.vasa")
    _secret, codes = enrol(client)
    client.post(reverse("logout"))
    sign_in(client, "counsellor.vasa")
    response = enter_code(client, codes[0].upper().replace("-", " "))  # typed loosely
    assert response.status_code == 302
    assert (
        fi("You signed in with a recovery code. Codes left: %(count)d.", count=9)
        in client.get("/").content.decode()
    )
    client.post(reverse("logout"))
    sign_in(client, "counsellor.vasa")
    assert enter_code(client, codes[0]).status_code == 400
    assert mfa.recovery_codes_left(relaxed) == 9


def test_new_recovery_codes_replace_the_old(client, relaxed):
    sign_in(client, "counsellor.vasa")
    _secret, old = enrol(client)
    response = client.post(reverse("accounts:recovery_regenerate"))
    new = re.findall(r"<li>([a-z2-9]{5}-[a-z2-9]{5})</li>", response.content.decode())
    assert len(new) == 10 and not set(new) & set(old)
    assert not mfa.use_recovery_code(relaxed, old[0])
    assert mfa.use_recovery_code(relaxed, new[0])


def test_regenerating_needs_a_session_that_passed_a_second_factor(client, relaxed):
    give_totp(relaxed)
    mfa.regenerate_recovery_codes(relaxed)
    client.force_login(relaxed)  # no second factor passed in this session
    response = client.post(reverse("accounts:recovery_regenerate"))
    assert response["Location"] == reverse("accounts:security")
    assert client.get(reverse("accounts:totp_enrol"))["Location"] == reverse("accounts:security")


def test_removing_the_app(client, relaxed):
    sign_in(client, "counsellor.vasa")
    enrol(client)
    client.post(reverse("accounts:totp_remove"))
    assert not TotpDevice.objects.exists()


def test_the_last_factor_stays_where_one_is_required(client, counsellor):
    sign_in(client, "counsellor.narpes")
    enrol(client)
    response = client.post(reverse("accounts:totp_remove"), follow=True)
    assert TotpDevice.objects.filter(user=counsellor).exists()
    message = "Your work requires a second factor: add another before removing this one."
    assert fi(message) in response.content.decode()


def test_security_page_in_finnish(client, relaxed):
    sign_in(client, "counsellor.vasa")
    page = client.get(reverse("accounts:security")).content.decode()
    assert fi("Sign out everywhere") in page and fi("Set up an authenticator app") in page


SIGN_IN_AGAIN = "For your safety, sign in again before you change how you sign in."


def test_factors_change_only_within_fifteen_minutes_of_signing_in(client, relaxed):
    """A session left open (or taken over) cannot add a factor of its own, nor remove or renew one."""
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        sign_in(client, "counsellor.vasa")
        secret, _codes = enrol(client)
        traveller.shift(timedelta(minutes=16))
        page = client.get(reverse("accounts:security")).content.decode()
        assert fi(SIGN_IN_AGAIN) in page and reverse("accounts:totp_remove") not in page
        refused = client.post(reverse("accounts:totp_remove"), follow=True)
        assert fi(SIGN_IN_AGAIN) in refused.content.decode()
        assert TotpDevice.objects.filter(user=relaxed).exists()
        before = set(RecoveryCode.objects.filter(user=relaxed).values_list("digest", flat=True))
        client.post(reverse("accounts:recovery_regenerate"))
        assert set(RecoveryCode.objects.filter(user=relaxed).values_list("digest", flat=True)) == before
        options = client.post(reverse("accounts:webauthn_register_options"))
        assert options.status_code == 403


def test_signing_in_again_comes_back_to_the_security_page_and_allows_the_change(client, relaxed):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        sign_in(client, "counsellor.vasa")
        secret, _codes = enrol(client)
        traveller.shift(timedelta(minutes=16))
        response = client.post(reverse("accounts:sign_in_again"))
        assert response["Location"] == f"{reverse('login')}?next=%2Faccount%2Fsecurity%2F"
        assert client.get(reverse("accounts:security")).status_code == 302  # signed out
        data = {"username": "counsellor.vasa", "password": PASSWORD, "next": reverse("accounts:security")}
        client.post(reverse("login"), data)
        response = enter_code(client, pyotp.TOTP(secret).now())
        assert response["Location"] == reverse("accounts:security")
        client.post(reverse("accounts:totp_remove"))
        assert not TotpDevice.objects.filter(user=relaxed).exists()


def test_a_session_opened_without_our_sign_in_changes_nothing(client, relaxed):
    """A session that did not pass our sign-in (tests' force_login) has no sign-in time."""
    client.force_login(relaxed)
    assert client.get(reverse("accounts:totp_enrol"))["Location"] == reverse("accounts:security")

"""Lock-out after repeated failures, per user name and per address, with time-machine."""

import logging
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from hemkommun.accounts.models import SignInAttempt

from .conftest import PASSWORD, enter_code, fi, give_totp, sign_in

pytestmark = pytest.mark.django_db
LOCKED = "Too many failed sign-in attempts. Wait a while and try again."
WRONG = "The user name or password is wrong."


@pytest.fixture
def clock():
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        yield traveller


def test_brute_force_is_locked_out_until_the_lock_ends(client, relaxed, clock, caplog):
    with caplog.at_level(logging.WARNING, logger="hemkommun.accounts"):
        pages = [sign_in(client, "counsellor.vasa", f"guess-{n}").content.decode() for n in range(20)]
    assert all(fi(WRONG) in page for page in pages[:4])
    assert all(fi(LOCKED) in page for page in pages[4:])
    assert [r.message for r in caplog.records if "sign-in locked" in r.message][:1]
    # Counted: the five that brought on the lock; the fifteen during it are refused unread.
    assert SignInAttempt.objects.filter(outcome="failed").count() == 5
    assert SignInAttempt.objects.filter(outcome="locked").count() == 15

    response = sign_in(client, "counsellor.vasa", PASSWORD)
    assert response.status_code == 400 and fi(LOCKED) in response.content.decode()
    assert "_auth_user_id" not in client.session

    clock.shift(timedelta(minutes=14))
    assert fi(LOCKED) in sign_in(client, "counsellor.vasa", PASSWORD).content.decode()
    clock.shift(timedelta(minutes=1, seconds=1))
    assert sign_in(client, "counsellor.vasa", PASSWORD).status_code == 302
    assert "_auth_user_id" in client.session


def test_an_unknown_name_is_locked_the_same_way(client, relaxed):
    pages = [sign_in(client, "nobody.here", "x").content.decode() for _ in range(6)]
    assert fi(WRONG) in pages[0] and fi(LOCKED) in pages[5]


def test_lock_of_one_name_leaves_others_free(client, relaxed, counsellor):
    for _ in range(5):
        sign_in(client, "counsellor.narpes", "wrong")
    assert sign_in(client, "counsellor.vasa").status_code == 302


def test_case_of_the_name_does_not_get_round_the_lock(client, relaxed):
    for name in [
        "Counsellor.Vasa",
        "COUNSELLOR.VASA",
        "counsellor.vasa",
        "CoUnSeLlOr.VaSa",
        "counsellor.VASA",
    ]:
        sign_in(client, name, "wrong")
    assert fi(LOCKED) in sign_in(client, "counsellor.vasa").content.decode()


def test_failures_spread_beyond_the_window_do_not_lock(client, relaxed, clock):
    for _ in range(4):
        sign_in(client, "counsellor.vasa", "wrong")
    clock.shift(timedelta(minutes=16))
    sign_in(client, "counsellor.vasa", "wrong")
    assert sign_in(client, "counsellor.vasa").status_code == 302


def test_success_ends_the_count_for_the_name(client, relaxed):
    for _ in range(4):
        sign_in(client, "counsellor.vasa", "wrong")
    assert sign_in(client, "counsellor.vasa").status_code == 302
    client.post(reverse("logout"))
    for _ in range(4):
        sign_in(client, "counsellor.vasa", "wrong")
    assert sign_in(client, "counsellor.vasa").status_code == 302


def test_one_address_trying_many_names_is_locked(client, relaxed, settings):
    settings.SIGNIN_IP_FAILURE_LIMIT = 8
    for n in range(8):
        sign_in(client, f"name-{n}", "wrong")
    assert fi(LOCKED) in sign_in(client, "counsellor.vasa").content.decode()
    # Another address is not concerned.
    assert sign_in(client, "counsellor.vasa", REMOTE_ADDR="192.0.2.7").status_code == 302


def test_wrong_codes_at_the_second_step_count_too(client, counsellor):
    give_totp(counsellor)
    for _ in range(3):
        sign_in(client, "counsellor.narpes", "wrong")
    assert sign_in(client, "counsellor.narpes").status_code == 302
    assert enter_code(client, "000000").status_code == 400
    response = enter_code(client, "111111")
    # The fifth failure: the second step ends and the lock is told on the sign-in page.
    assert response["Location"] == reverse("login")
    assert fi(LOCKED) in client.get(reverse("login")).content.decode()
    assert "_auth_user_id" not in client.session
    assert fi(LOCKED) in sign_in(client, "counsellor.narpes").content.decode()


def test_attempts_are_shown_to_the_administrator(admin_client, relaxed):
    from django.test import Client

    Client().post(reverse("login"), {"username": "counsellor.vasa", "password": "wrong"})
    page = admin_client.get(reverse("admin:accounts_signinattempt_changelist")).content.decode()
    assert "counsellor.vasa" in page


def test_settings_change_the_limit(client, relaxed, settings):
    settings.SIGNIN_FAILURE_LIMIT = 2
    sign_in(client, "counsellor.vasa", "wrong")
    assert fi(LOCKED) in sign_in(client, "counsellor.vasa", "wrong").content.decode()

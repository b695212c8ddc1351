"""Webhooks: signed deliveries to a real receiver, retries and giving up, the delivery log, and
the same access rules as the API (scope, token in force, the account's view of the client)."""

import datetime
import json
from importlib import import_module

import pytest
from django.apps import apps
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from django_q.models import Schedule

from hemkommun.casework.models import Referral
from hemkommun.casework.services import contacts as contact_services
from hemkommun.casework.services import referrals as referral_services
from hemkommun.organizations.models import Role
from hemkommun.webhooks import sending
from hemkommun.webhooks.models import Delivery

from ..factories import OrganisationFactory, UserFactory, make_client, make_share
from .conftest import subscribe
from .verify import verify

IDENTITY_CODE = "010190-123" + "0123456789ABCDEFHJKLMNPRSTUVWXY"[10190123 % 31]


def test_a_new_client_is_posted_signed_with_a_thin_payload(
    narpes, integration, receiver, django_capture_on_commit_callbacks
):
    subscription = subscribe(integration, receiver.url)
    with django_capture_on_commit_callbacks(execute=True):
        client = make_client(narpes, family_name="Haddad", given_names="Amal", identity_code=IDENTITY_CODE)

    [request] = receiver.requests
    assert request.path == "/hook" and request.headers["content-type"] == "application/json"
    assert verify(subscription.secret, request.headers, request.body)
    payload = json.loads(request.body)
    assert payload["type"] == "client.created"
    assert payload["id"] == request.headers["webhook-id"]
    assert payload["data"] == {
        "client": {"id": client.pk, "url": f"http://127.0.0.1:8000/api/v1/clients/{client.pk}/"}
    }
    text = request.body.decode()
    assert "Haddad" not in text and "Amal" not in text and "010190" not in text and "1990" not in text

    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.DELIVERED and delivery.attempts == 1
    assert delivery.last_status_code == 204 and delivery.delivered_at is not None
    assert str(delivery.event_id) == payload["id"] and delivery.next_attempt_at is None


def test_a_tampered_delivery_does_not_verify(
    narpes, integration, receiver, django_capture_on_commit_callbacks
):
    subscription = subscribe(integration, receiver.url)
    with django_capture_on_commit_callbacks(execute=True):
        make_client(narpes)
    [request] = receiver.requests
    headers, body = request.headers, request.body
    assert verify(subscription.secret, headers, body)
    assert not verify(subscription.secret, headers, body.replace(b"client.created", b"client.changed"))
    assert not verify(subscription.secret, {**headers, "webhook-id": "another"}, body)
    later = str(int(headers["webhook-timestamp"]) + 1)
    assert not verify(subscription.secret, {**headers, "webhook-timestamp": later}, body)
    other = subscribe(integration, receiver.url)
    assert not verify(other.secret, headers, body)
    # An old delivery replayed is refused by its timestamp even with a valid signature.
    assert not verify(subscription.secret, headers, body, now=int(headers["webhook-timestamp"]) + 3600)


def test_a_change_is_sent_and_a_failure_is_retried_until_it_succeeds(
    narpes, integration, receiver, django_capture_on_commit_callbacks
):
    client = make_client(narpes)
    subscribe(integration, receiver.url)
    receiver.statuses = [500, 200]
    with django_capture_on_commit_callbacks(execute=True):
        from hemkommun.clients import services

        services.client_update(
            client=client, by=UserFactory.with_role(Role.COORDINATOR, narpes), data={"preferred_name": "Ami"}
        )

    delivery = Delivery.objects.get()
    assert delivery.event_type == "client.changed"
    assert delivery.status == Delivery.Status.FAILED and delivery.attempts == 1
    assert delivery.last_status_code == 500 and "from the test receiver" in delivery.last_response
    first = delivery.last_attempt_at
    assert delivery.next_attempt_at == first + datetime.timedelta(minutes=1)

    assert sending.deliver_due(now=first + datetime.timedelta(seconds=30)) == 0  # not yet
    assert sending.deliver_due(now=first + datetime.timedelta(seconds=61)) == 1
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.DELIVERED and delivery.attempts == 2
    assert delivery.last_status_code == 200
    assert len(receiver.requests) == 2
    # The same message id both times, so that the receiver can drop a repeat.
    assert receiver.requests[0].headers["webhook-id"] == receiver.requests[1].headers["webhook-id"]


def test_after_the_last_attempt_the_delivery_is_given_up(
    narpes, integration, receiver, django_capture_on_commit_callbacks
):
    subscribe(integration, receiver.url)
    receiver.statuses = [503]
    with django_capture_on_commit_callbacks(execute=True):
        make_client(narpes)
    delivery = Delivery.objects.get()
    pauses = []
    while delivery.status == Delivery.Status.FAILED:
        pauses.append(delivery.next_attempt_at - delivery.last_attempt_at)
        assert sending.deliver_due(now=delivery.next_attempt_at) == 1
        delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.GIVEN_UP
    assert delivery.attempts == sending.MAX_ATTEMPTS == 6 and len(receiver.requests) == 6
    assert pauses == list(sending.RETRY_AFTER)
    assert delivery.next_attempt_at is None
    assert sending.deliver_due(now=timezone.now() + datetime.timedelta(days=3)) == 0


def test_a_redirect_is_not_followed(narpes, integration, receiver, django_capture_on_commit_callbacks):
    subscribe(integration, receiver.url)
    receiver.statuses = [302]
    receiver.extra_headers = {"Location": "http://169.254.169.254/latest/meta-data/"}
    with django_capture_on_commit_callbacks(execute=True):
        make_client(narpes)
    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.FAILED and delivery.last_status_code == 302
    assert len(receiver.requests) == 1


def test_an_unreachable_receiver_is_logged_and_retried(
    narpes, integration, django_capture_on_commit_callbacks
):
    subscribe(integration, "http://127.0.0.1:9/hook")  # the discard port: nothing listens
    with django_capture_on_commit_callbacks(execute=True):
        make_client(narpes)
    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.FAILED and delivery.last_status_code is None
    assert "ConnectionError" in delivery.last_response and delivery.next_attempt_at is not None


def test_nothing_is_sent_for_a_change_rolled_back(
    narpes, integration, receiver, django_capture_on_commit_callbacks
):
    subscribe(integration, receiver.url)
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        make_client(narpes)
        raise RuntimeError("the rest of the import failed")
    assert callbacks == []
    assert not Delivery.objects.exists() and receiver.requests == []


def test_emitting_waits_for_the_commit(narpes, integration, receiver, django_capture_on_commit_callbacks):
    subscribe(integration, receiver.url)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        make_client(narpes)
        assert not Delivery.objects.exists() and receiver.requests == []
    assert len(callbacks) == 1


@pytest.mark.parametrize(
    "case",
    ["scope_missing", "revoked", "expired", "inactive_account", "inactive_subscription", "not_subscribed"],
)
def test_no_delivery_without_the_scope_a_token_in_force_or_the_subscription(
    narpes, integration, receiver, django_capture_on_commit_callbacks, case
):
    now = timezone.now()
    options = {
        "scope_missing": {"scopes": "contacts:read,plans:read"},
        "revoked": {"revoked_at": now - datetime.timedelta(minutes=1)},
        "expired": {"expires_at": now - datetime.timedelta(minutes=1)},
        "not_subscribed": {"events": "contact.recorded"},
    }.get(case, {})
    subscription = subscribe(integration, receiver.url, **options)
    if case == "inactive_account":
        integration.is_active = False
        integration.save()
    if case == "inactive_subscription":
        subscription.active = False
        subscription.save()
    with django_capture_on_commit_callbacks(execute=True):
        make_client(narpes)
    assert not Delivery.objects.exists() and receiver.requests == []


def test_no_delivery_of_another_municipalitys_client_unless_shared(
    narpes, vasa, counsellor_vasa, receiver, django_capture_on_commit_callbacks
):
    vasa_integration = UserFactory.with_role(Role.COUNSELLOR, vasa, username="integration.vasa")
    subscribe(vasa_integration, receiver.url)
    with django_capture_on_commit_callbacks(execute=True):
        client = make_client(narpes)
    assert not Delivery.objects.exists() and receiver.requests == []

    make_share(client, vasa)  # now Vasa sees the client, and hears of its changes
    with django_capture_on_commit_callbacks(execute=True):
        from hemkommun.clients import services

        services.client_update(
            client=client, by=UserFactory.with_role(Role.COORDINATOR, narpes), data={"preferred_name": "Ami"}
        )
    [delivery] = Delivery.objects.all()
    assert delivery.event_type == "client.changed" and delivery.status == Delivery.Status.DELIVERED


def test_one_insert_for_all_subscriptions_of_an_event(
    narpes, integration, receiver, django_capture_on_commit_callbacks
):
    for _ in range(3):
        subscribe(integration, receiver.url)
    with CaptureQueriesContext(connection) as queries, django_capture_on_commit_callbacks(execute=True):
        make_client(narpes)
    inserts = [
        q["sql"] for q in queries.captured_queries if q["sql"].startswith('INSERT INTO "webhooks_delivery"')
    ]
    assert len(inserts) == 1
    assert Delivery.objects.count() == 3 and len({d.event_id for d in Delivery.objects.all()}) == 1
    assert len(receiver.requests) == 3


def test_a_recorded_contact_names_the_contact_and_the_client(
    narpes, counsellor_narpes, narpes_client, integration, receiver, django_capture_on_commit_callbacks
):
    subscribe(integration, receiver.url, events="contact.recorded")
    with django_capture_on_commit_callbacks(execute=True):
        contact = contact_services.contact_record(
            by=counsellor_narpes, organisation=narpes, client=narpes_client, data={"channel": "visit"}
        )
    payload = json.loads(receiver.requests[0].body)
    assert payload["type"] == "contact.recorded"
    assert payload["data"]["contact"]["url"].endswith(f"/api/v1/contacts/{contact.pk}/")
    assert payload["data"]["client"]["id"] == narpes_client.pk


def test_a_referral_is_heard_by_the_receiving_organisation_without_the_client(
    narpes, receiver, django_capture_on_commit_callbacks
):
    welfare = OrganisationFactory.welfare_area()
    worker = UserFactory.with_role(Role.CASE_WORKER, narpes, username="case.narpes")
    holder = make_client(narpes, by=worker)
    welfare_system = UserFactory.with_role(Role.SOCIAL_WORKER, welfare, username="integration.welfare")
    subscribe(welfare_system, receiver.url, events="referral.sent,referral.changed,client.changed")
    with django_capture_on_commit_callbacks(execute=True):
        referral = referral_services.referral_send(
            consent_given="oral",
            by=worker,
            client=holder,
            kind=Referral.Kind.SOCIAL_CARE,
            to_organisation=welfare,
            reason="Needs help.",
        )
    with django_capture_on_commit_callbacks(execute=True):
        referral_services.referral_acknowledge(
            by=UserFactory.with_role(Role.SOCIAL_WORKER, welfare), referral=referral
        )
    types = [json.loads(r.body)["type"] for r in receiver.requests]
    assert types == ["referral.sent", "referral.changed"]
    data = json.loads(receiver.requests[0].body)["data"]
    assert data == {
        "referral": {"id": referral.pk, "url": f"http://127.0.0.1:8000/api/v1/referrals/{referral.pk}/"}
    }


def test_an_address_that_became_internal_is_not_posted_to(
    settings, narpes, integration, receiver, django_capture_on_commit_callbacks
):
    subscribe(integration, receiver.url)
    settings.WEBHOOKS_ALLOW_PRIVATE = False
    with django_capture_on_commit_callbacks(execute=True):
        make_client(narpes)
    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.FAILED and receiver.requests == []
    with translation.override("fi"):
        refusal = translation.gettext("The address may not point to this server or an internal network.")
    assert refusal in delivery.last_response


def test_a_token_revoked_after_the_event_gives_the_delivery_up(
    narpes, integration, receiver, django_capture_on_commit_callbacks
):
    subscription = subscribe(integration, receiver.url)
    receiver.statuses = [500]
    with django_capture_on_commit_callbacks(execute=True):
        make_client(narpes)
    token = subscription.token
    token.revoked_at = timezone.now()
    token.save()
    delivery = Delivery.objects.get()
    assert sending.deliver_due(now=delivery.next_attempt_at) == 1
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.GIVEN_UP and len(receiver.requests) == 1


def test_a_delivery_is_sent_once_when_two_senders_race(narpes, integration, receiver, send_at_once):
    subscription = subscribe(integration, receiver.url)
    delivery = Delivery.objects.create(
        subscription=subscription,
        event_type="client.created",
        payload={"id": "x"},
        next_attempt_at=timezone.now(),
    )
    assert sending.deliver(delivery.pk) == Delivery.Status.DELIVERED
    assert sending.deliver(delivery.pk) is None
    assert len(receiver.requests) == 1


def test_the_retry_job_is_scheduled_every_minute(db):
    # The migration's function is run again (it is idempotent): on the SQLite pass a browser
    # test's flush removes the rows the migrations made before this test runs.
    import_module("hemkommun.webhooks.migrations.0002_delivery_schedule").schedule(apps, None)
    schedule = Schedule.objects.get(name="webhook deliveries")
    assert schedule.func == "hemkommun.webhooks.sending.deliver_due"
    assert schedule.schedule_type == Schedule.MINUTES and schedule.minutes == 1

"""The admin's pages: subscriptions (the secret shown once), the read-only delivery log with its
filters, and sending again."""

import pytest
from django.urls import reverse

from hemkommun.api.models import ApiToken
from hemkommun.organizations.models import Role
from hemkommun.webhooks.models import Delivery, Subscription

from ..factories import UserFactory
from .conftest import subscribe


@pytest.fixture
def admin_client(client, db):
    superuser = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(superuser)
    return client


def test_making_a_subscription_shows_its_secret_once(admin_client, integration, receiver):
    token = ApiToken(name="Partner system", user=integration, scopes="clients:read")
    token.issue_key()
    token.save()
    assert admin_client.get(reverse("admin:webhooks_subscription_add")).status_code == 200
    response = admin_client.post(
        reverse("admin:webhooks_subscription_add"),
        {
            "name": "Partner hook",
            "token": token.pk,
            "url": receiver.url,
            "event_types": ["client.created", "client.changed"],
            "active": "on",
        },
        follow=True,
    )
    assert response.status_code == 200
    subscription = Subscription.objects.get()
    assert subscription.secret.startswith("whsec_") and len(subscription.secret) > 40
    assert subscription.event_type_set == {"client.created", "client.changed"}
    assert subscription.secret in response.content.decode()

    for url in (
        reverse("admin:webhooks_subscription_changelist"),
        reverse("admin:webhooks_subscription_change", args=[subscription.pk]),
    ):
        page = admin_client.get(url)
        assert page.status_code == 200 and subscription.secret not in page.content.decode()
    # Changing it keeps the secret.
    admin_client.post(
        reverse("admin:webhooks_subscription_change", args=[subscription.pk]),
        {"name": "Renamed", "token": token.pk, "url": receiver.url, "event_types": ["client.created"]},
    )
    subscription_after = Subscription.objects.get()
    assert subscription_after.name == "Renamed" and subscription_after.secret == subscription.secret
    assert not subscription_after.active


def test_an_internal_or_plain_http_address_is_refused_in_production(admin_client, settings, integration):
    settings.WEBHOOKS_ALLOW_HTTP = False
    settings.WEBHOOKS_ALLOW_PRIVATE = False
    token = ApiToken(name="Partner system", user=integration, scopes="clients:read")
    token.issue_key()
    token.save()
    for url in ("http://93.184.216.34/hook", "https://10.0.0.5/hook", "https://localhost/hook"):
        response = admin_client.post(
            reverse("admin:webhooks_subscription_add"),
            {
                "name": "Hook",
                "token": token.pk,
                "url": url,
                "event_types": ["client.created"],
                "active": "on",
            },
        )
        assert response.status_code == 200 and response.context["adminform"].form.errors["url"]
    assert not Subscription.objects.exists()


def test_the_delivery_log_is_read_only_filters_and_sends_again(
    admin_client, integration, receiver, send_at_once
):
    subscription = subscribe(integration, receiver.url)
    given_up = Delivery.objects.create(
        subscription=subscription,
        event_type="client.created",
        payload={"id": "x", "type": "client.created", "data": {}},
        status=Delivery.Status.GIVEN_UP,
        attempts=6,
        last_status_code=500,
        last_response="Internal error",
    )
    changelist = reverse("admin:webhooks_delivery_changelist")
    for query in (
        "",
        "?status=given_up",
        "?event_type=client.created",
        f"?subscription__id__exact={subscription.pk}",
    ):
        page = admin_client.get(changelist + query)
        assert page.status_code == 200
        assert "client.created" in page.content.decode() or "A client was registered" in page.content.decode()
    detail = admin_client.get(reverse("admin:webhooks_delivery_change", args=[given_up.pk]))
    assert detail.status_code == 200 and "Internal error" in detail.content.decode()
    assert admin_client.get(reverse("admin:webhooks_delivery_add")).status_code == 403

    response = admin_client.post(
        changelist, {"action": "send_again", "_selected_action": [given_up.pk]}, follow=True
    )
    assert response.status_code == 200
    given_up.refresh_from_db()
    assert given_up.status == Delivery.Status.DELIVERED and given_up.attempts == 1
    assert len(receiver.requests) == 1


def test_staff_without_the_superuser_flag_does_not_see_the_pages(client, narpes):
    staff = UserFactory.with_role(Role.COORDINATOR, narpes, is_staff=True)
    client.force_login(staff)
    assert client.get(reverse("admin:webhooks_subscription_changelist")).status_code == 403

"""The API's rate limit per token (settings.API_RATE): 429 in the one error shape, Retry-After,
one token's use does not limit another's, and the count starts afresh after the period."""

import datetime

import pytest
import time_machine
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse

from hemkommun.organizations.models import Role

from ..factories import UserFactory
from .helpers import bearer, issue

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_counts():
    """The counts live in the cache, which outlives a test's database transaction."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def user(narpes):
    return UserFactory.with_role(Role.COORDINATOR, narpes, username="integration.narpes")


@override_settings(API_RATE="2/min")
def test_a_token_over_its_rate_gets_429_in_the_error_shape_with_retry_after(client, user):
    key = issue(user)
    url = reverse("api:client-list")
    with time_machine.travel(datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC), tick=False):
        assert [client.get(url, **bearer(key)).status_code for _ in range(2)] == [200, 200]
        response = client.get(url, **bearer(key))
    assert response.status_code == 429
    assert int(response["Retry-After"]) == 60
    error = response.json()["error"]
    assert error["status"] == 429 and error["code"] == "throttled"
    assert error["message"] and set(response.json()) == {"error"}


@override_settings(API_RATE="2/min")
def test_another_token_is_not_limited_by_the_first_and_the_count_starts_afresh(client, user):
    first, second = issue(user), issue(user)
    url = reverse("api:client-list")
    start = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False):
        for _ in range(2):
            client.get(url, **bearer(first))
        assert client.get(url, **bearer(first)).status_code == 429
        assert client.get(url, **bearer(second)).status_code == 200
    with time_machine.travel(start + datetime.timedelta(seconds=61), tick=False):
        assert client.get(url, **bearer(first)).status_code == 200


@override_settings(API_RATE="1/min")
def test_the_public_schema_and_refused_requests_are_not_counted_against_a_token(client, user):
    key = issue(user)
    for _ in range(3):
        assert client.get(reverse("api:schema")).status_code == 200
        assert client.get(reverse("api:client-list")).status_code == 401
    assert client.get(reverse("api:client-list"), **bearer(key)).status_code == 200
    assert client.get(reverse("api:client-list"), **bearer(key)).status_code == 429


def test_the_published_schema_documents_the_429(client):
    schema = client.get(reverse("api:schema"), {"format": "json"}).json()
    assert "429" in schema["paths"]["/api/v1/clients/"]["get"]["responses"]

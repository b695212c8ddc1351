"""schemathesis against the published OpenAPI document: every operation, called with generated
input through the WSGI application, must answer as its schema says (no 500, documented status
codes and bodies). Hypothesis is bounded so that this stays a few seconds in the suite."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from hemkommun.api.models import ApiToken
from hemkommun.organizations.models import Role

from ..factories import OrganisationFactory, UserFactory, make_client, make_share
from .helpers import ALL_SCOPES, activity, arrival, assessment, contact, plan, referral

# Generated requests by the hundred: run once, on PostgreSQL (the production database) when there
# is one (scripts/test.sh).
pytestmark = pytest.mark.one_pass

# Read from the application itself when the tests are collected: the document needs no database.
schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", get_wsgi_application())


@pytest.fixture(autouse=True)
def one_connection():
    """The application is called directly, not through Django's test client, so it would close the
    database connection at the end of each request, inside the test's transaction (PostgreSQL then
    fails). Do as the test client does: keep the connection for the test."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def key(narpes, vasa):
    # A coordinator, so that every endpoint has records to answer with (arrivals included).
    user = UserFactory.with_role(Role.COORDINATOR, narpes, username="integration.narpes")
    welfare = OrganisationFactory.welfare_area()
    people = [make_client(narpes, family_name=f"Person{index}") for index in range(3)]
    make_share(people[0], welfare, scope="health")
    for person in people[:2]:
        contact(narpes, person, notes="Asked about work")
        assessment(person)
        plan(person)
        referral(person, vasa)
    contact(narpes)
    arrival(narpes, welfare, clients=[people[2]])
    activity(narpes, clients=people[:2])
    token = ApiToken(name="schemathesis", user=user, scopes=ALL_SCOPES)
    secret = token.issue_key()
    token.save()
    return secret


@schema.parametrize()
# derandomize: the same examples on every run, so that the suite does not turn red by chance; a
# finding of a new kind comes from a change of the API, and shows on the run that made it.
@settings(max_examples=25, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
def test_the_api_answers_as_its_schema_says(case, key):
    case.call_and_validate(headers={"Authorization": f"Bearer {key}"})

"""The events of casework and reception as the service functions emit them."""

import datetime
import json

import pytest
import time_machine

from hemkommun.casework.services import assessments as assessment_services
from hemkommun.casework.services import plans as plan_services
from hemkommun.organizations.models import Role
from hemkommun.webhooks.models import Delivery

from ..factories import UserFactory, make_client
from .conftest import subscribe
from .verify import verify

D = datetime.date


@pytest.fixture
def case_worker(narpes):
    return UserFactory.with_role(Role.CASE_WORKER, narpes, username="case.narpes")


@time_machine.travel("2025-06-02 10:00 +0300", tick=False)
def test_assessment_and_plan_steps_are_told_with_their_records(
    narpes, vasa, case_worker, integration, receiver, django_capture_on_commit_callbacks
):
    newcomer = make_client(
        narpes, by=case_worker, client_since=D(2025, 3, 3), first_permit_date=D(2025, 1, 20)
    )
    events = "assessment.completed,assessment.signed,plan.agreed,plan.changed"
    subscription = subscribe(integration, receiver.url, events=events)
    stranger = UserFactory.with_role(Role.CASE_WORKER, vasa, username="integration.vasa")
    subscribe(stranger, receiver.url, events=events)  # another municipality: hears nothing

    with django_capture_on_commit_callbacks(execute=True):
        assessment = assessment_services.assessment_create(
            by=case_worker,
            client=newcomer,
            data={"started_on": D(2025, 3, 10), "plan_needed": True, "path": "employment"},
        )
        assessment_services.assessment_complete(
            by=case_worker, assessment=assessment, completed_on=D(2025, 3, 24)
        )
        assessment_services.assessment_sign(by=case_worker, assessment=assessment)
        plan = plan_services.plan_create(
            by=case_worker,
            client=newcomer,
            data={"assessment": assessment, "starts_on": D(2025, 6, 2), "ends_on": D(2026, 6, 1)},
        )
        plan_services.goal_add(by=case_worker, plan=plan, data={"kind": "studies"})
        plan_services.plan_agree(by=case_worker, plan=plan)
        plan_services.plan_review(by=case_worker, plan=plan, reviewed_on=D(2025, 6, 2), notes="Going well")

    payloads = [json.loads(r.body) for r in receiver.requests]
    assert [p["type"] for p in payloads] == [
        "assessment.completed",
        "assessment.signed",
        "plan.agreed",
        "plan.changed",
    ]
    assert all(verify(subscription.secret, r.headers, r.body) for r in receiver.requests)
    assert payloads[0]["data"]["assessment"]["url"].endswith(f"/api/v1/assessments/{assessment.pk}/")
    assert payloads[2]["data"]["plan"]["url"].endswith(f"/api/v1/plans/{plan.pk}/")
    assert {p["data"]["client"]["id"] for p in payloads} == {newcomer.pk}
    assert "Going well" not in "".join(r.body.decode() for r in receiver.requests)
    assert set(Delivery.objects.values_list("subscription", flat=True)) == {subscription.pk}


@time_machine.travel("2025-08-01 09:00 +0300", tick=False)
def test_an_arrival_is_told_to_the_municipalitys_reception_and_not_to_another(
    narpes, vasa, receiver, django_capture_on_commit_callbacks
):
    from hemkommun.reception.services import arrivals

    from ..factories import OrganisationFactory

    welfare = OrganisationFactory.welfare_area()
    coordinator = UserFactory.with_role(Role.COORDINATOR, narpes, username="coordinator.narpes")
    reception_system = UserFactory.with_role(Role.CASE_WORKER, narpes, username="integration.reception")
    own = subscribe(reception_system, receiver.url, scopes="reception:read", events="arrival.changed")
    subscribe(
        UserFactory.with_role(Role.COORDINATOR, vasa, username="integration.vasa"),
        receiver.url,
        scopes="reception:read",
        events="arrival.changed",
    )
    with django_capture_on_commit_callbacks(execute=True):
        group = arrivals.arrival_create(
            by=coordinator,
            municipality=narpes,
            welfare_area=welfare,
            reference="ELY-2025-017",
            expected_on=D(2025, 9, 15),
            members=[{"relation": "head", "birth_year": 1984}],
        )
        arrivals.arrival_move(by=coordinator, group=group, expected_on=D(2025, 10, 1))
    payloads = [json.loads(r.body) for r in receiver.requests]
    assert [p["type"] for p in payloads] == ["arrival.changed", "arrival.changed"]
    assert payloads[0]["data"] == {
        "arrival": {"id": group.pk, "url": f"http://127.0.0.1:8000/api/v1/arrivals/{group.pk}/"}
    }
    assert set(Delivery.objects.values_list("subscription", flat=True)) == {own.pk}

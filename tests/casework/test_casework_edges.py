"""Edges found in review: health data passed on or shown, dates past the calendar, overlapping
plans, outcomes lost after completion, measures under way before they start."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from hemkommun.casework.models import Deadline, PlanGoal
from hemkommun.casework.services import assessments as assessment_services
from hemkommun.casework.services import plans as plan_services
from hemkommun.casework.services.referrals import referral_send
from hemkommun.organizations.models import Role

from ..factories import OrganisationFactory, UserFactory, make_client

D = datetime.date
TODAY = "2025-06-02 10:00 +0300"


def codes(excinfo) -> set[str]:
    error = excinfo.value
    if hasattr(error, "error_dict"):
        return {e.code for errors in error.error_dict.values() for e in errors}
    return {error.code}


@pytest.fixture
def case_worker(narpes):
    return UserFactory.with_role(Role.CASE_WORKER, narpes)


@pytest.fixture
def person(narpes, case_worker):
    with time_machine.travel(TODAY, tick=False):
        return make_client(narpes, by=case_worker, family_name="Haidari", client_since=D(2025, 3, 3))


def agreed_plan(person, by, starts, ends, agreed):
    plan = plan_services.plan_create(
        by=by, client=person, data={"drafted_on": starts, "starts_on": starts, "ends_on": ends}
    )
    plan_services.goal_add(by=by, plan=plan, data={"kind": "health", "description": "Trauma therapy weekly"})
    plan_services.plan_agree(by=by, plan=plan, agreed_on=agreed)
    return plan


@time_machine.travel(TODAY, tick=False)
def test_only_those_who_see_health_data_may_pass_it_on(narpes, person, counsellor_narpes, case_worker):
    welfare = OrganisationFactory.welfare_area()
    with pytest.raises(ValidationError) as excinfo:
        referral_send(
            consent_given="oral",
            by=counsellor_narpes,
            client=person,
            kind="language_course",
            to_organisation=welfare,
            reason="Course",
            scope="health",
        )
    assert "referral_scope_forbidden" in codes(excinfo)
    referral_send(
        consent_given="oral",
        by=case_worker,
        client=person,
        kind="social_care",
        to_organisation=welfare,
        reason="Support",
        scope="health",
    )


@time_machine.travel(TODAY, tick=False)
def test_a_health_goal_shows_only_to_those_who_see_health_data(
    client, narpes, person, case_worker, counsellor_narpes
):
    plan = agreed_plan(person, case_worker, D(2025, 5, 1), D(2026, 4, 30), D(2025, 5, 1))
    url = reverse("casework:plan", args=[plan.pk])
    client.force_login(case_worker)
    assert "Trauma therapy weekly" in client.get(url).content.decode()
    client.force_login(counsellor_narpes)
    page = client.get(url).content.decode()
    assert "Trauma therapy weekly" not in page and PlanGoal.objects.filter(plan=plan).exists()


@time_machine.travel(TODAY, tick=False)
def test_two_plans_in_force_at_once_are_refused(person, case_worker):
    agreed_plan(person, case_worker, D(2025, 5, 2), D(2026, 5, 1), D(2025, 5, 2))
    second = plan_services.plan_create(
        by=case_worker,
        client=person,
        data={"drafted_on": D(2025, 5, 2), "starts_on": D(2025, 9, 1), "ends_on": D(2026, 3, 1)},
    )
    plan_services.goal_add(by=case_worker, plan=second, data={"kind": "studies"})
    with pytest.raises(ValidationError) as excinfo:
        plan_services.plan_agree(by=case_worker, plan=second, agreed_on=D(2025, 5, 2))
    assert "plan_overlaps" in codes(excinfo)


@time_machine.travel(TODAY, tick=False)
def test_dates_past_the_calendars_end_give_messages_not_errors(client, narpes, case_worker):
    far = make_client(
        narpes, by=case_worker, family_name="Far", client_since=D(2025, 3, 3), first_permit_date=D(9998, 6, 1)
    )
    assert not Deadline.objects.filter(client=far, kind="permit_window").exists()
    client.force_login(case_worker)
    response = client.post(
        reverse("casework:plan_create", args=[far.pk]),
        {"drafted_on": "2025-06-01", "starts_on": "9999-06-01", "ends_on": "9999-12-31"},
    )
    assert response.status_code == 200 and 'id="id_starts_on_error"' in response.content.decode()
    assessment = assessment_services.assessment_create(
        by=case_worker, client=far, data={"plan_needed": False}
    )
    response = client.post(
        reverse("casework:assessment", args=[assessment.pk]),
        {"action": "complete", "status-day": "9999-12-31"},
    )
    with translation.override("fi"):  # the page's language
        expected = translation.gettext("The completion cannot be in the future.")
    assert response.status_code == 200 and expected in response.content.decode()
    assessment.refresh_from_db()
    assert assessment.status == "draft"


@time_machine.travel(TODAY, tick=False)
def test_a_measure_id_that_is_not_a_number_is_not_found(client, person, case_worker):
    plan = agreed_plan(person, case_worker, D(2025, 5, 1), D(2026, 4, 30), D(2025, 5, 1))
    client.force_login(case_worker)
    response = client.post(
        reverse("casework:plan", args=[plan.pk]), {"action": "measure_status", "measure": "abc"}
    )
    assert response.status_code == 404


@time_machine.travel(TODAY, tick=False)
def test_a_completed_assessment_keeps_its_outcome_and_is_signed_in_order(person, case_worker):
    assessment = assessment_services.assessment_create(
        by=case_worker,
        client=person,
        data={"started_on": D(2025, 4, 1), "plan_needed": True, "path": "studies"},
    )
    with pytest.raises(ValidationError) as excinfo:
        assessment_services.assessment_complete(
            by=case_worker, assessment=assessment, completed_on=D(2025, 7, 1)
        )
    assert "date_in_future" in codes(excinfo)
    assessment_services.assessment_complete(by=case_worker, assessment=assessment, completed_on=D(2025, 5, 1))
    with pytest.raises(ValidationError) as excinfo:
        assessment_services.assessment_update(
            by=case_worker, assessment=assessment, data={"plan_needed": None, "path": ""}
        )
    assert "outcome_missing" in codes(excinfo)
    assessment.refresh_from_db()
    with pytest.raises(ValidationError) as excinfo:
        assessment_services.assessment_sign(by=case_worker, assessment=assessment, signed_on=D(2025, 4, 15))
    assert "signed_on_date" in codes(excinfo)


@time_machine.travel(TODAY, tick=False)
def test_measures_under_way_have_started_and_ended_plans_are_closed(person, case_worker):
    plan = agreed_plan(person, case_worker, D(2025, 5, 1), D(2026, 4, 30), D(2025, 5, 1))
    with pytest.raises(ValidationError) as excinfo:
        plan_services.measure_add(
            by=case_worker,
            plan=plan,
            data={"service": "Course", "starts_on": D(2026, 3, 1), "status": "ongoing"},
        )
    assert "measure_not_started" in codes(excinfo)
    measure = plan_services.measure_add(
        by=case_worker, plan=plan, data={"service": "Course", "starts_on": D(2026, 3, 1)}
    )
    with pytest.raises(ValidationError):
        plan_services.measure_set_status(by=case_worker, measure=measure, status="done")
    with pytest.raises(ValidationError) as excinfo:
        plan_services.plan_end(by=case_worker, plan=plan, ended_on=D(2030, 1, 1))
    assert "end_date" in codes(excinfo)
    plan_services.plan_end(by=case_worker, plan=plan, ended_on=D(2025, 6, 1))
    with pytest.raises(ValidationError) as excinfo:
        plan_services.measure_set_status(by=case_worker, measure=measure, status="cancelled")
    assert "plan_ended" in codes(excinfo)

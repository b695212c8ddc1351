"""Assessments and integration plans through their services: states, limits, deadlines."""

import datetime

import pytest
import time_machine
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError

from hemkommun.casework.models import (
    AssessedLanguage,
    Assessment,
    Deadline,
    IntegrationPlan,
    PlanExtension,
    RuleKind,
)
from hemkommun.casework.services import assessments as assessment_services
from hemkommun.casework.services import plans as plan_services
from hemkommun.organizations.models import Role

from ..factories import OrganisationFactory, UserFactory, make_client

D = datetime.date


def codes(excinfo) -> dict[str, set[str]]:
    error = excinfo.value
    if not hasattr(error, "error_dict"):
        return {"__all__": {error.code}}
    return {field: {e.code for e in errors} for field, errors in error.error_dict.items()}


@pytest.fixture
def case_worker(narpes):
    return UserFactory.with_role(Role.CASE_WORKER, narpes)


@pytest.fixture
def newcomer(narpes, case_worker):
    return make_client(
        narpes,
        by=case_worker,
        family_name="Haidari",
        client_since=D(2025, 3, 3),
        first_permit_date=D(2025, 1, 20),
    )


def completed_assessment(client, by, started=D(2025, 3, 10), completed=D(2025, 3, 24)):
    assessment = assessment_services.assessment_create(
        by=by, client=client, data={"started_on": started, "plan_needed": True, "path": "employment"}
    )
    return assessment_services.assessment_complete(by=by, assessment=assessment, completed_on=completed)


@time_machine.travel("2025-06-02 10:00 +0300", tick=False)
def test_from_assessment_to_agreed_plan_the_deadlines_follow(newcomer, case_worker):
    assessment = completed_assessment(newcomer, case_worker)
    assessment_services.assessment_sign(by=case_worker, assessment=assessment)
    plan = plan_services.plan_create(
        by=case_worker,
        client=newcomer,
        data={
            "assessment": assessment,
            "drafted_on": D(2025, 4, 1),
            "starts_on": D(2025, 4, 14),
            "ends_on": D(2026, 4, 14),
        },
    )
    plan_services.goal_add(by=case_worker, plan=plan, data={"kind": "language", "target_level": "B1"})
    plan_services.responsibility_set(
        by=case_worker, plan=plan, party="client", description="Attends the course"
    )
    plan_services.plan_agree(by=case_worker, plan=plan, agreed_on=D(2025, 4, 14))
    found = {
        d.kind: (d.due_on, d.met_on)
        for d in Deadline.objects.filter(client=newcomer)
        if d.kind != RuleKind.PLAN_REVIEW
    }
    assert found == {
        RuleKind.ASSESSMENT_START: (D(2025, 5, 3), D(2025, 3, 10)),
        RuleKind.PLAN_AFTER_ASSESSMENT: (D(2025, 4, 7), D(2025, 4, 1)),
        RuleKind.SERVICES_AFTER_PLAN: (D(2025, 10, 14), None),
        RuleKind.PERMIT_WINDOW: (D(2028, 1, 20), D(2025, 4, 14)),
    }
    # A measure started meets the "directed to services" deadline.
    measure = plan_services.measure_add(by=case_worker, plan=plan, data={"service": "Finnish course A1-B1"})
    plan_services.measure_set_status(by=case_worker, measure=measure, status="ongoing")
    services_deadline = Deadline.objects.get(client=newcomer, kind=RuleKind.SERVICES_AFTER_PLAN)
    assert services_deadline.met_on == D(2025, 6, 2)


@time_machine.travel("2025-06-02 10:00 +0300", tick=False)
def test_first_plan_longer_than_a_year_is_refused_with_the_date(newcomer, case_worker):
    with pytest.raises(ValidationError) as excinfo:
        plan_services.plan_create(
            by=case_worker, client=newcomer, data={"starts_on": D(2025, 5, 1), "ends_on": D(2026, 5, 2)}
        )
    assert "plan_too_long" in codes(excinfo)["ends_on"]
    assert "2026" in str(excinfo.value.error_dict["ends_on"][0].message)
    assert not IntegrationPlan.objects.exists()


@time_machine.travel("2026-05-01 10:00 +0300", tick=False)
def test_extension_is_refused_beyond_the_total_under_the_2025_rules(newcomer, case_worker):
    plan = plan_services.plan_create(
        by=case_worker,
        client=newcomer,
        data={"drafted_on": D(2025, 4, 1), "starts_on": D(2025, 4, 14), "ends_on": D(2026, 4, 14)},
    )
    plan_services.goal_add(by=case_worker, plan=plan, data={"kind": "employment"})
    plan_services.plan_agree(by=case_worker, plan=plan, agreed_on=D(2025, 4, 14))
    # Two years from the first plan's start is the most, with no extension beyond it in 681/2023.
    extension = plan_services.plan_extend(
        by=case_worker, plan=plan, new_end=D(2027, 4, 14), reason="Course continues"
    )
    assert (extension.previous_end, extension.new_end) == (D(2026, 4, 14), D(2027, 4, 14))
    with pytest.raises(ValidationError) as excinfo:
        plan_services.plan_extend(by=case_worker, plan=plan, new_end=D(2027, 4, 15), reason="Illness")
    assert "extension_beyond_limit" in codes(excinfo)["new_end"]
    assert PlanExtension.objects.count() == 1


@time_machine.travel("2025-06-02 10:00 +0300", tick=False)
def test_plan_states_and_refusals(newcomer, case_worker):
    plan = plan_services.plan_create(
        by=case_worker, client=newcomer, data={"starts_on": D(2025, 6, 2), "ends_on": D(2026, 6, 1)}
    )
    with pytest.raises(ValidationError) as excinfo:
        plan_services.plan_agree(by=case_worker, plan=plan)
    assert "plan_without_goals" in codes(excinfo)["__all__"]
    with pytest.raises(ValidationError) as excinfo:
        plan_services.plan_review(by=case_worker, plan=plan, reviewed_on=D(2025, 6, 2))
    assert "plan_not_agreed" in codes(excinfo)["__all__"]
    plan_services.goal_add(by=case_worker, plan=plan, data={"kind": "studies"})
    plan_services.plan_agree(by=case_worker, plan=plan)
    with pytest.raises(ValidationError) as excinfo:
        plan_services.goal_add(by=case_worker, plan=plan, data={"kind": "health"})
    assert "plan_not_draft" in codes(excinfo)["__all__"]
    with pytest.raises(ValidationError) as excinfo:
        plan_services.plan_review(by=case_worker, plan=plan, reviewed_on=D(2025, 7, 1))
    assert "review_date" in codes(excinfo)["reviewed_on"]


@time_machine.travel("2025-06-02 10:00 +0300", tick=False)
def test_assessment_outcome_is_required_and_signed_is_final(newcomer, case_worker):
    assessment = assessment_services.assessment_create(by=case_worker, client=newcomer, data={})
    with pytest.raises(ValidationError) as excinfo:
        assessment_services.assessment_complete(by=case_worker, assessment=assessment)
    assert "outcome_missing" in codes(excinfo)["plan_needed"]
    assessment_services.assessment_update(by=case_worker, assessment=assessment, data={"plan_needed": False})
    assessment_services.assessment_complete(by=case_worker, assessment=assessment)
    assessment_services.assessment_sign(by=case_worker, assessment=assessment)
    with pytest.raises(ValidationError) as excinfo:
        assessment_services.assessment_update(
            by=case_worker, assessment=assessment, data={"work_history": "x"}
        )
    assert "assessment_signed" in codes(excinfo)["__all__"]


@time_machine.travel("2025-06-02 10:00 +0300", tick=False)
def test_multisectoral_assessment_names_welfare_or_employment(narpes, newcomer, case_worker):
    welfare = OrganisationFactory.welfare_area()
    with pytest.raises(ValidationError) as excinfo:
        assessment_services.assessment_create(by=case_worker, client=newcomer, data={"multisectoral": True})
    assert "participants_missing" in codes(excinfo)["participants"]
    with pytest.raises(ValidationError) as excinfo:
        assessment_services.assessment_create(
            by=case_worker, client=newcomer, data={"multisectoral": True}, participants=[narpes]
        )
    assert "participant_kind" in codes(excinfo)["participants"]
    assessment = assessment_services.assessment_create(
        by=case_worker, client=newcomer, data={"multisectoral": True}, participants=[welfare]
    )
    assert list(assessment.participants.all()) == [welfare]


@time_machine.travel("2025-06-02 10:00 +0300", tick=False)
@pytest.mark.parametrize(("role", "may_write_health"), [(Role.CASE_WORKER, True), (Role.COORDINATOR, False)])
def test_health_notes_only_by_health_roles(narpes, newcomer, role, may_write_health):
    user = UserFactory.with_role(role, narpes)
    data = {"health_notes": "Diabetes; needs a ground-floor flat"}
    if may_write_health:
        assert assessment_services.assessment_create(by=user, client=newcomer, data=data).health_notes
    else:
        with pytest.raises(ValidationError) as excinfo:
            assessment_services.assessment_create(by=user, client=newcomer, data=data)
        assert "health_forbidden" in codes(excinfo)["health_notes"]
        assert not Assessment.objects.exists()


@pytest.mark.parametrize(
    "role", [Role.COUNSELLOR, Role.REPORTING, Role.ADMINISTRATOR, Role.DATA_PROTECTION_OFFICER]
)
def test_roles_without_casework_may_not_assess_or_plan(narpes, newcomer, role):
    user = UserFactory.with_role(role, narpes)
    with pytest.raises(ValidationError) as excinfo:
        assessment_services.assessment_create(by=user, client=newcomer, data={})
    assert excinfo.value.code == "casework_forbidden"
    with pytest.raises(ValidationError):
        plan_services.plan_create(
            by=user, client=newcomer, data={"starts_on": D(2025, 6, 2), "ends_on": D(2026, 6, 1)}
        )


@time_machine.travel("2025-06-02 10:00 +0300", tick=False)
def test_an_assessments_languages_are_in_the_write_log(newcomer, case_worker):
    assessment = assessment_services.assessment_create(
        by=case_worker, client=newcomer, data={}, languages=[("fi", "A1"), ("ar", "native")]
    )
    assessment_services.assessment_update(
        by=case_worker, assessment=assessment, data={}, languages=[("fi", "A2"), ("en", "B1")]
    )
    assert sorted(assessment.languages.values_list("language", "level")) == [("en", "B1"), ("fi", "A2")]
    entries = LogEntry.objects.get_for_model(AssessedLanguage)
    actions = sorted((entry.action, entry.object_repr.split()[0]) for entry in entries)
    # Created fi and ar; fi changed; ar removed; en created: each by the case worker.
    assert len(actions) == 5 and {entry.actor for entry in entries} == {case_worker}

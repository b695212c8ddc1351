"""Worked examples of the deadline rules, written by hand from the rule texts in DOMAIN.md and
docs/deadline-rules.md (not from the code): due dates, met and late, overdue, the permit window
closing and the plan-length limits, for each rule set."""

import datetime

import pytest

from hemkommun.casework.deadlines import latest_allowed_end, refresh_deadlines, rule_set_for
from hemkommun.casework.models import Assessment, Deadline, IntegrationPlan, PlanReview, RuleKind
from hemkommun.organizations.models import Jurisdiction, Role

from ..factories import OrganisationFactory, UserFactory, make_client

D = datetime.date


@pytest.fixture
def worker(narpes):
    return UserFactory.with_role(Role.CASE_WORKER, narpes)


@pytest.fixture
def mariehamn(db):
    return OrganisationFactory.municipality("478", "Mariehamn", jurisdiction=Jurisdiction.ALAND)


def client_of(organisation, worker, **data):
    return make_client(organisation, by=worker if organisation.units.exists() else None, **data)


def assess(client, worker, started, completed=None, plan_needed=True):
    Assessment.objects.create(
        client=client,
        organisation=client.organisation,
        worker=worker,
        started_on=started,
        completed_on=completed,
        plan_needed=plan_needed,
    )


def plan(client, worker, drafted, starts, ends, agreed=None):
    return IntegrationPlan.objects.create(
        client=client,
        organisation=client.organisation,
        worker=worker,
        drafted_on=drafted,
        starts_on=starts,
        ends_on=ends,
        agreed_on=agreed,
        status=IntegrationPlan.Status.AGREED if agreed else IntegrationPlan.Status.DRAFT,
    )


def deadlines(client) -> dict[str, list[tuple]]:
    """kind -> [(due, met)] in due order."""
    found: dict[str, list[tuple]] = {}
    for deadline in Deadline.objects.filter(client=client).order_by("due_on"):
        found.setdefault(deadline.kind, []).append((deadline.due_on, deadline.met_on))
    return found


# --- mainland from 2025 (681/2023) ---------------------------------------------------------


def test_mainland_2025_chain_from_client_relationship_to_reviews(narpes, worker):
    client = client_of(
        narpes,
        worker,
        client_since=D(2025, 3, 10),
        first_permit_date=D(2024, 11, 15),
        residence_ground="asylum",
    )
    assert rule_set_for(client).code == "mainland-2025"
    # Only the relationship and the permit have started clocks.
    assert deadlines(client) == {
        RuleKind.ASSESSMENT_START: [(D(2025, 5, 10), None)],  # 2 months
        RuleKind.PERMIT_WINDOW: [(D(2027, 11, 15), None)],  # 3 years from the first permit
    }

    assess(client, worker, started=D(2025, 4, 1), completed=D(2025, 4, 20))
    the_plan = plan(
        client,
        worker,
        drafted=D(2025, 5, 6),
        starts=D(2025, 5, 15),
        ends=D(2026, 5, 15),
        agreed=D(2025, 5, 15),
    )
    PlanReview.objects.create(plan=the_plan, reviewed_on=D(2025, 11, 1), reviewed_by=worker)
    refresh_deadlines(client)

    assert deadlines(client) == {
        RuleKind.ASSESSMENT_START: [(D(2025, 5, 10), D(2025, 4, 1))],
        # 14 days after the assessment was completed; plan work began two days late.
        RuleKind.PLAN_AFTER_ASSESSMENT: [(D(2025, 5, 4), D(2025, 5, 6))],
        # Six months after the plan; nobody referred yet.
        RuleKind.SERVICES_AFTER_PLAN: [(D(2025, 11, 15), None)],
        # Reviews every six months from the agreement, then from the last review, while the plan runs.
        RuleKind.PLAN_REVIEW: [(D(2025, 11, 15), D(2025, 11, 1)), (D(2026, 5, 1), None)],
        RuleKind.PERMIT_WINDOW: [(D(2027, 11, 15), D(2025, 5, 15))],
    }
    late = Deadline.objects.get(client=client, kind=RuleKind.PLAN_AFTER_ASSESSMENT)
    assert late.status(D(2025, 6, 1)) == "met_late"
    review = Deadline.objects.get(client=client, kind=RuleKind.PLAN_REVIEW, met_on__isnull=True)
    assert review.status(D(2026, 5, 1)) == "open"
    assert review.status(D(2026, 5, 2)) == "overdue"


def test_mainland_2025_permit_window_closes_and_trafficking_victims_are_exempt(narpes, worker):
    waiting = client_of(narpes, worker, client_since=D(2025, 2, 1), first_permit_date=D(2022, 12, 31))
    window = Deadline.objects.get(client=waiting, kind=RuleKind.PERMIT_WINDOW)
    assert window.due_on == D(2025, 12, 31)
    assert window.status(D(2025, 12, 31)) == "open"
    assert window.status(D(2026, 1, 1)) == "overdue"

    victim = client_of(
        narpes,
        worker,
        family_name="Other",
        client_since=D(2025, 2, 1),
        first_permit_date=D(2022, 12, 31),
        residence_ground="trafficking_victim",
    )
    assert not Deadline.objects.filter(client=victim, kind=RuleKind.PERMIT_WINDOW).exists()


def test_mainland_2025_plan_lengths(narpes, worker):
    client = client_of(narpes, worker, client_since=D(2025, 1, 15))
    first = plan(client, worker, drafted=D(2025, 2, 1), starts=D(2025, 2, 1), ends=D(2026, 1, 31))
    # The first plan at most one year; extensions cannot go beyond two years in total (no
    # extension beyond the total is set for this law).
    assert latest_allowed_end(client, first, with_extension=False) == D(2026, 2, 1)
    first.agreed_on = D(2025, 2, 1)
    first.save()
    second = plan(client, worker, drafted=D(2026, 1, 20), starts=D(2026, 2, 1), ends=D(2027, 1, 31))
    assert latest_allowed_end(client, second, with_extension=False) == D(2027, 2, 1)
    assert latest_allowed_end(client, second, with_extension=True) == D(2027, 2, 1)


# --- mainland before 2025 (1386/2010) ------------------------------------------------------


def test_mainland_2011_rules_apply_to_relationships_started_before_2025(narpes, worker):
    client = client_of(narpes, worker, client_since=D(2024, 6, 3), first_permit_date=D(2024, 1, 31))
    assert rule_set_for(client).code == "mainland-2011"
    assess(client, worker, started=D(2024, 8, 5), completed=D(2024, 8, 20))
    plan(
        client,
        worker,
        drafted=D(2024, 9, 2),
        starts=D(2024, 9, 10),
        ends=D(2025, 9, 10),
        agreed=D(2024, 9, 10),
    )
    refresh_deadlines(client)
    assert deadlines(client) == {
        RuleKind.ASSESSMENT_START: [(D(2024, 8, 3), D(2024, 8, 5))],  # 2 months; started late
        RuleKind.PLAN_AFTER_ASSESSMENT: [(D(2024, 9, 3), D(2024, 9, 2))],  # 2 weeks
        RuleKind.SERVICES_AFTER_PLAN: [(D(2024, 10, 10), None)],  # 1 month
        # Yearly review: the year from 10.9.2024 falls on the plan's last day, so none is due.
        RuleKind.PERMIT_WINDOW: [(D(2027, 1, 31), D(2024, 9, 10))],
    }


def test_mainland_2011_total_three_years_extendable_by_two_and_no_further(narpes, worker):
    client = client_of(
        narpes,
        worker,
        client_since=D(2020, 3, 1),
        first_permit_date=D(2020, 1, 10),
        residence_ground="trafficking_victim",
    )
    # The old law has no exemption for victims of trafficking: the window runs for them too.
    assert deadlines(client)[RuleKind.PERMIT_WINDOW] == [(D(2023, 1, 10), None)]
    first = plan(
        client, worker, drafted=D(2020, 4, 1), starts=D(2020, 4, 1), ends=D(2021, 4, 1), agreed=D(2020, 4, 1)
    )
    later = plan(client, worker, drafted=D(2022, 3, 1), starts=D(2022, 4, 1), ends=D(2023, 4, 1))
    assert latest_allowed_end(client, first, with_extension=False) == D(2021, 4, 1)
    assert latest_allowed_end(client, later, with_extension=False) == D(2023, 4, 1)
    assert latest_allowed_end(client, later, with_extension=True) == D(2025, 4, 1)


def test_relationships_before_the_2011_act_have_no_rule_set(narpes, worker):
    client = client_of(narpes, worker, client_since=D(2010, 5, 1))
    assert rule_set_for(client) is None
    assert not Deadline.objects.filter(client=client).exists()


def test_no_plan_deadline_when_the_assessment_found_no_plan_needed(narpes, worker):
    client = client_of(narpes, worker, client_since=D(2025, 3, 10))
    assess(client, worker, started=D(2025, 4, 1), completed=D(2025, 4, 20), plan_needed=False)
    refresh_deadlines(client)
    assert deadlines(client) == {RuleKind.ASSESSMENT_START: [(D(2025, 5, 10), D(2025, 4, 1))]}


def test_no_deadlines_without_a_client_relationship_date(narpes, worker):
    client = client_of(narpes, worker, client_since=None, first_permit_date=D(2025, 1, 1))
    assert not Deadline.objects.filter(client=client).exists()


# --- Åland (ÅFS 2012:74) ---------------------------------------------------------------------


def test_aland_municipality_takes_the_aland_rules_even_after_2025(narpes, mariehamn, worker):
    client = client_of(narpes, worker, client_since=D(2025, 2, 1), municipality_of_residence=mariehamn)
    assert rule_set_for(client).code == "aland-2012"
    assert deadlines(client) == {RuleKind.ASSESSMENT_START: [(D(2025, 4, 1), None)]}


def test_a_corrected_rule_moves_the_due_dates(narpes, worker):
    from hemkommun.casework.deadlines import refresh_rule_set

    client = client_of(narpes, worker, client_since=D(2025, 3, 10))
    rule = rule_set_for(client).rules.get(kind=RuleKind.ASSESSMENT_START)
    rule.amount = 1
    rule.save()
    assert refresh_rule_set(rule.rule_set) >= 1
    assert deadlines(client) == {RuleKind.ASSESSMENT_START: [(D(2025, 4, 10), None)]}

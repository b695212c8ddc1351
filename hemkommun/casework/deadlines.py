"""The deadline engine: which rule set applies to a client, and their deadlines under it.

Everything the law says is read from the Rule rows (periods, what starts and stops each clock,
exempt grounds); this module only knows how to find the dates of those events in the records.
``refresh_deadlines`` rebuilds a client's Deadline rows from scratch, so they always follow the
records and the rules as they are now; the services call it after every write that matters.
"""

import datetime
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from hemkommun.clients.models import Client

from .models import (
    Assessment,
    ClockStart,
    ClockStop,
    Deadline,
    IntegrationPlan,
    PlanMeasure,
    Referral,
    Rule,
    RuleKind,
    RuleSet,
)


def jurisdiction_of(client: Client) -> str:
    """The jurisdiction of the client's municipality (else of the organisation holding the case)."""
    return (client.municipality_of_residence or client.organisation).jurisdiction


def rule_set_for(client: Client) -> RuleSet | None:
    """The rule set for the client's jurisdiction and the date their client relationship started.

    None while that date is not recorded: no clock can start without it.
    """
    if client.client_since is None:
        return None
    since = client.client_since
    return (
        RuleSet.objects.filter(jurisdiction=jurisdiction_of(client), applies_from__lte=since)
        .filter(Q(applies_until__isnull=True) | Q(applies_until__gt=since))
        .order_by("-applies_from")
        .first()
    )


@dataclass
class _Plan:
    plan: IntegrationPlan
    reviews: list[datetime.date]


@dataclass
class Facts:
    """The dates in a client's records that start and stop the clocks."""

    starts: dict[str, datetime.date | None] = field(default_factory=dict)
    stops: dict[str, datetime.date | None] = field(default_factory=dict)
    agreed_plans: list[_Plan] = field(default_factory=list)
    residence_ground: str = ""


def _earliest(dates) -> datetime.date | None:
    dates = [d for d in dates if d is not None]
    return min(dates) if dates else None


def gather_facts(client: Client) -> Facts:
    assessments = list(
        Assessment.objects.filter(client=client).values_list("started_on", "completed_on", "plan_needed")
    )
    plans = list(
        IntegrationPlan.objects.filter(client=client).prefetch_related("reviews").order_by("starts_on")
    )
    agreed = [plan for plan in plans if plan.agreed_on is not None]
    first_agreed = _earliest(plan.agreed_on for plan in agreed)
    facts = Facts(residence_ground=client.residence_ground)
    facts.starts = {
        ClockStart.CLIENT_SINCE: client.client_since,
        ClockStart.FIRST_PERMIT: client.first_permit_date,
        # The plan's clock starts only when an assessment found a plan needed.
        ClockStart.ASSESSMENT_COMPLETED: _earliest(
            completed for _started, completed, plan_needed in assessments if plan_needed
        ),
        ClockStart.PLAN_AGREED: first_agreed,
    }
    facts.stops = {
        ClockStop.ASSESSMENT_STARTED: _earliest(started for started, _completed, _needed in assessments),
        ClockStop.ASSESSMENT_COMPLETED: _earliest(completed for _started, completed, _needed in assessments),
        ClockStop.PLAN_STARTED: _earliest(plan.drafted_on for plan in plans),
        ClockStop.PLAN_AGREED: first_agreed,
        ClockStop.REFERRAL_SENT: _first_service_after(client, first_agreed),
    }
    facts.agreed_plans = [
        _Plan(plan=plan, reviews=sorted(review.reviewed_on for review in plan.reviews.all()))
        for plan in agreed
    ]
    return facts


def _first_service_after(client: Client, agreed_on: datetime.date | None) -> datetime.date | None:
    """When the client was first referred or directed to a service on or after the first plan:
    a referral sent, or a measure of a plan that has started."""
    if agreed_on is None:
        return None
    referred = (
        Referral.objects.filter(client=client, sent_on__gte=agreed_on)
        .exclude(status=Referral.Status.WITHDRAWN)
        .values_list("sent_on", flat=True)
    )
    started = PlanMeasure.objects.filter(
        plan__client=client,
        starts_on__gte=agreed_on,
        starts_on__lte=timezone.localdate(),
        status__in=[PlanMeasure.Status.ONGOING, PlanMeasure.Status.DONE],
    ).values_list("starts_on", flat=True)
    return _earliest([*referred, *started])


def compute_deadlines(client: Client, rule_set: RuleSet, facts: Facts) -> list[Deadline]:
    """The client's deadlines under this rule set (unsaved rows)."""
    deadlines: list[Deadline] = []
    for rule in rule_set.rules.all():
        if rule.is_limit or rule.exempts(facts.residence_ground):
            continue
        if rule.starts_on == ClockStart.LAST_REVIEW:
            deadlines.extend(_review_deadlines(client, rule, facts))
            continue
        start = facts.starts.get(rule.starts_on)
        due = rule.add_to(start) if start is not None else None
        if due is None:
            continue  # the clock has not started (or the date is past the calendar's end)
        deadlines.append(
            Deadline(
                client=client,
                rule=rule,
                kind=rule.kind,
                starts_on=start,
                due_on=due,
                met_on=facts.stops.get(rule.stopped_by),
            )
        )
    return deadlines


def _review_deadlines(client: Client, rule: Rule, facts: Facts) -> Iterator[Deadline]:
    """One deadline per review period of each agreed plan: from the agreement, then from each
    review; none falls due after the plan has ended or would end. A period that starts on a day
    another plan's period already started on is counted once."""
    started: set[datetime.date] = set()
    for agreed in facts.agreed_plans:
        plan = agreed.plan
        end = plan.ended_on or plan.ends_on
        start = plan.agreed_on
        reviews = iter(agreed.reviews)
        while start is not None and (due := rule.add_to(start)) is not None and due < end:
            met = next(reviews, None)
            if start not in started:
                started.add(start)
                yield Deadline(
                    client=client,
                    rule=rule,
                    kind=rule.kind,
                    plan=plan,
                    starts_on=start,
                    due_on=due,
                    met_on=met,
                )
            start = met


@transaction.atomic
def refresh_deadlines(client: Client) -> list[Deadline]:
    """Rebuild the client's deadlines from their records and the rules in force for them."""
    Deadline.objects.filter(client=client).delete()
    rule_set = rule_set_for(client)
    if rule_set is None:
        return []
    return Deadline.objects.bulk_create(compute_deadlines(client, rule_set, gather_facts(client)))


def refresh_rule_set(rule_set: RuleSet) -> int:
    """Rebuild the deadlines of every client this rule set may govern (after a rule is corrected)."""
    jurisdiction = rule_set.jurisdiction  # in SQL, as jurisdiction_of reads it in Python
    in_range = Q(client_since__gte=rule_set.applies_from) & (
        Q(municipality_of_residence__jurisdiction=jurisdiction)
        | Q(municipality_of_residence__isnull=True, organisation__jurisdiction=jurisdiction)
    )
    if rule_set.applies_until:
        in_range &= Q(client_since__lt=rule_set.applies_until)
    # Also those it governed until now: a changed date range moves clients to another set.
    governed = Q(pk__in=Deadline.objects.filter(rule__rule_set=rule_set).values("client_id"))
    clients = Client.objects.filter(in_range | governed).select_related(
        "organisation", "municipality_of_residence"
    )
    count = 0
    for client in clients.iterator(chunk_size=500):
        refresh_deadlines(client)
        count += 1
    return count


def limit(rule_set: RuleSet | None, kind: str) -> Rule | None:
    if rule_set is None:
        return None
    return rule_set.rules.filter(kind=kind).first()


def latest_allowed_end(
    client: Client, plan: IntegrationPlan, *, with_extension: bool
) -> datetime.date | None:
    """The last day the plan may run to under the client's rules, None when no rule limits it.

    A first plan is drawn up for at most the first-plan length; every plan runs at most to the
    total counted from the start of the client's first agreed plan. An extension being granted
    may prolong a plan (the first one too) to that total plus the extension rule's period.
    """
    rule_set = rule_set_for(client)
    earlier = IntegrationPlan.objects.filter(client=client, agreed_on__isnull=False).exclude(pk=plan.pk)
    first_start = min([plan.starts_on, *earlier.values_list("starts_on", flat=True)])
    ends = []
    first_length = limit(rule_set, RuleKind.FIRST_PLAN_LENGTH)
    if first_length and not earlier.exists() and not with_extension:
        ends.append(first_length.add_to(plan.starts_on))
    total = limit(rule_set, RuleKind.TOTAL_PLAN_LENGTH)
    if total:
        end = total.add_to(first_start)
        extension = limit(rule_set, RuleKind.EXTENSION)
        if with_extension and extension and end is not None:
            end = extension.add_to(end)
        ends.append(end)
    ends = [end for end in ends if end is not None]  # None: past the calendar's end, no limit
    return min(ends) if ends else None

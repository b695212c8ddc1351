"""Integration plans: drafted with goals, measures and responsibilities, agreed with the client,
then reviewed, extended within the client's rule set, and ended."""

import datetime
from collections.abc import Iterable

from auditlog.context import set_actor
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from hemkommun.clients.models import Client
from hemkommun.organizations.models import Organisation
from hemkommun.webhooks.events import emit

from ..deadlines import latest_allowed_end, refresh_deadlines
from ..models import (
    Assessment,
    IntegrationPlan,
    PlanExtension,
    PlanGoal,
    PlanMeasure,
    PlanResponsibility,
    PlanReview,
)
from .common import check_casework_allowed, check_participants

# A plan is made for the present: one that starts more than a year ahead is a typing error.
PLAN_START_HORIZON = datetime.timedelta(days=366)
PLAN_FIELDS = ("assessment", "drafted_on", "starts_on", "ends_on", "multisectoral", "summary")
GOAL_FIELDS = ("kind", "description", "target_level")
MEASURE_FIELDS = (
    "goal",
    "service",
    "provider",
    "provider_name",
    "responsible",
    "starts_on",
    "ends_on",
    "status",
)


def plan_create(
    *, by, client: Client, data: dict, participants: Iterable[Organisation] = ()
) -> IntegrationPlan:
    check_casework_allowed(by, client)
    plan = IntegrationPlan(client=client, organisation=client.organisation, worker=by)
    data = {"drafted_on": timezone.localdate(), **data}
    return _save(by=by, plan=plan, data=data, participants=list(participants))


def _check_draft(by, plan: IntegrationPlan) -> None:
    check_casework_allowed(by, plan.client)
    if plan.status != IntegrationPlan.Status.DRAFT:
        raise ValidationError(
            _("An agreed plan changes through reviews and extensions."), code="plan_not_draft"
        )


def _save(*, by, plan: IntegrationPlan, data: dict, participants) -> IntegrationPlan:
    unknown = set(data) - set(PLAN_FIELDS)
    if unknown:
        raise ValueError(f"not plan fields: {sorted(unknown)}")
    for name, value in data.items():
        setattr(plan, name, value)
    _validate(plan, participants)
    with transaction.atomic(), set_actor(by):
        plan.save()
        if participants is not None:
            plan.participants.set(participants)
        refresh_deadlines(plan.client)
    return plan


def _validate(plan: IntegrationPlan, participants) -> None:
    errors: dict[str, list[ValidationError]] = {}

    def add(field, message, code):
        errors.setdefault(field, []).append(ValidationError(message, code=code))

    try:
        plan.full_clean(
            exclude=["client", "organisation", "worker", "assessment"], validate_constraints=False
        )
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            for message in messages:
                add(field, message, "invalid")
    if plan.assessment is not None and plan.assessment.client_id != plan.client_id:
        add("assessment", _("The assessment is another client's."), "assessment_elsewhere")
    if plan.assessment is not None and plan.assessment.status == Assessment.Status.DRAFT:
        add("assessment", _("Complete the assessment first."), "assessment_not_completed")
    if plan.starts_on and plan.starts_on > timezone.localdate() + PLAN_START_HORIZON:
        add("starts_on", _("A plan starts within a year from today."), "plan_start_far")
    if plan.drafted_on and plan.drafted_on > timezone.localdate():
        add("drafted_on", _("The start of the plan work cannot be in the future."), "date_in_future")
    if plan.starts_on and plan.ends_on:
        if plan.ends_on <= plan.starts_on:
            add("ends_on", _("The plan must end after it starts."), "plan_period")
        else:
            _check_length(plan, add)
    if participants is not None:
        check_participants(plan, participants, add)
    if errors:
        raise ValidationError(errors)


def _check_length(plan: IntegrationPlan, add, *, with_extension: bool = False) -> None:
    latest = latest_allowed_end(plan.client, plan, with_extension=with_extension)
    if latest is not None and plan.ends_on > latest:
        add(
            "ends_on",
            _("Under the client's rules this plan may run until %(date)s at the latest.")
            % {"date": date_format(latest, "SHORT_DATE_FORMAT")},
            "plan_too_long",
        )


def goal_add(*, by, plan: IntegrationPlan, data: dict) -> PlanGoal:
    _check_draft(by, plan)
    goal = PlanGoal(plan=plan, **_only(data, GOAL_FIELDS))
    _full_clean(goal, exclude=["plan"])
    if goal.target_level and goal.kind != PlanGoal.Kind.LANGUAGE:
        raise ValidationError(
            {
                "target_level": ValidationError(
                    _("Only a language goal has a level."), code="level_not_language"
                )
            }
        )
    with transaction.atomic(), set_actor(by):
        goal.save()
    return goal


def measure_add(*, by, plan: IntegrationPlan, data: dict) -> PlanMeasure:
    check_casework_allowed(by, plan.client)
    if plan.status == IntegrationPlan.Status.ENDED:
        raise ValidationError(_("The plan has ended."), code="plan_ended")
    measure = PlanMeasure(plan=plan, **_only(data, MEASURE_FIELDS))
    _full_clean(measure, exclude=["plan", "goal", "provider"])
    if measure.goal is not None and measure.goal.plan_id != plan.pk:
        raise ValidationError(
            {"goal": ValidationError(_("The goal is another plan's."), code="goal_elsewhere")}
        )
    if measure.starts_on and measure.ends_on and measure.ends_on < measure.starts_on:
        raise ValidationError(
            {"ends_on": ValidationError(_("The measure must end after it starts."), code="measure_period")}
        )
    _check_under_way(measure)
    with transaction.atomic(), set_actor(by):
        measure.save()
        refresh_deadlines(plan.client)
    return measure


def measure_set_status(*, by, measure: PlanMeasure, status: str) -> PlanMeasure:
    check_casework_allowed(by, measure.plan.client)
    if measure.plan.status == IntegrationPlan.Status.ENDED:
        raise ValidationError(_("The plan has ended."), code="plan_ended")
    if status not in PlanMeasure.Status.values:
        raise ValidationError(_("Unknown status."), code="measure_status")
    measure.status = status
    if measure.is_under_way and measure.starts_on is None:
        measure.starts_on = timezone.localdate()  # directed to the service today
    _check_under_way(measure)
    with transaction.atomic(), set_actor(by):
        measure.save()
        refresh_deadlines(measure.plan.client)
    return measure


def _check_under_way(measure: PlanMeasure) -> None:
    """A measure under way or done has started: it meets the "refer to services" deadline from
    its start, which must therefore not lie in the future."""
    if measure.is_under_way and measure.starts_on and measure.starts_on > timezone.localdate():
        error = ValidationError(
            _("A measure that starts later cannot be under way yet."), code="measure_not_started"
        )
        raise ValidationError({"status": error})


def responsibility_set(*, by, plan: IntegrationPlan, party: str, description: str) -> PlanResponsibility:
    _check_draft(by, plan)
    if not description.strip():
        raise ValidationError(
            {
                "description": ValidationError(
                    _("Write what the party undertakes."), code="responsibility_empty"
                )
            }
        )
    responsibility = PlanResponsibility(plan=plan, party=party, description=description.strip())
    _full_clean(responsibility, exclude=["plan"], validate_unique=False)
    with transaction.atomic(), set_actor(by):
        responsibility, _created = PlanResponsibility.objects.update_or_create(
            plan=plan, party=party, defaults={"description": description.strip()}
        )
    return responsibility


def plan_agree(*, by, plan: IntegrationPlan, agreed_on: datetime.date | None = None) -> IntegrationPlan:
    """The client accepts the plan: it becomes binding and its deadlines run."""
    _check_draft(by, plan)
    agreed_on = agreed_on or timezone.localdate()
    errors: dict[str, list[ValidationError]] = {}

    def add(field, message, code):
        errors.setdefault(field, []).append(ValidationError(message, code=code))

    if not plan.goals.exists():
        add(
            "__all__", _("A plan needs at least one goal before the client accepts it."), "plan_without_goals"
        )
    if agreed_on > timezone.localdate():
        add("agreed_on", _("The acceptance cannot be in the future."), "date_in_future")
    if agreed_on < plan.drafted_on:
        add(
            "agreed_on",
            _("The acceptance cannot come before the plan work started."),
            "agreed_before_drafted",
        )
    _check_length(plan, add)
    if _overlapping_agreed(plan).exists():
        add("__all__", _("Another plan of the client is in force for some of these days."), "plan_overlaps")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(), set_actor(by):
        plan.status = IntegrationPlan.Status.AGREED
        plan.agreed_on = agreed_on
        plan.save()
        emit("plan.agreed", client=plan.client, obj=plan)
        refresh_deadlines(plan.client)
    return plan


def _overlapping_agreed(plan: IntegrationPlan):
    """The client's other agreed plans sharing a day with this plan's period."""
    return (
        IntegrationPlan.objects.filter(client=plan.client_id, status=IntegrationPlan.Status.AGREED)
        .exclude(pk=plan.pk)
        .filter(starts_on__lte=plan.ends_on, ends_on__gte=plan.starts_on)
    )


def plan_review(*, by, plan: IntegrationPlan, reviewed_on: datetime.date, notes: str = "") -> PlanReview:
    _check_agreed(by, plan)
    if not plan.agreed_on <= reviewed_on <= timezone.localdate():
        raise ValidationError(
            {
                "reviewed_on": ValidationError(
                    _("A review falls between the agreement and today."), code="review_date"
                )
            }
        )
    with transaction.atomic(), set_actor(by):
        review = PlanReview.objects.create(
            plan=plan, reviewed_on=reviewed_on, reviewed_by=by, notes=notes.strip()
        )
        emit("plan.changed", client=plan.client, obj=plan)
        refresh_deadlines(plan.client)
    return review


def plan_extend(*, by, plan: IntegrationPlan, new_end: datetime.date, reason: str) -> PlanExtension:
    """Extend an agreed plan, no further than the client's rule set allows with its extension."""
    _check_agreed(by, plan)
    errors: dict[str, list[ValidationError]] = {}

    def add(field, message, code):
        errors.setdefault(field, []).append(ValidationError(message, code=code))

    if not reason.strip():
        add("reason", _("Write the reason for the extension."), "extension_reason")
    if new_end <= plan.ends_on:
        add("new_end", _("An extension ends after the current end."), "extension_not_later")
    else:
        latest = latest_allowed_end(plan.client, plan, with_extension=True)
        if latest is not None and new_end > latest:
            add(
                "new_end",
                _("The client's rules allow plans until %(date)s at the latest, extension included.")
                % {"date": date_format(latest, "SHORT_DATE_FORMAT")},
                "extension_beyond_limit",
            )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(), set_actor(by):
        extension = PlanExtension.objects.create(
            plan=plan,
            decided_on=timezone.localdate(),
            decided_by=by,
            previous_end=plan.ends_on,
            new_end=new_end,
            reason=reason.strip(),
        )
        plan.ends_on = new_end
        plan.save()
        emit("plan.changed", client=plan.client, obj=plan)
        refresh_deadlines(plan.client)
    return extension


def plan_end(*, by, plan: IntegrationPlan, ended_on: datetime.date | None = None) -> IntegrationPlan:
    _check_agreed(by, plan)
    ended_on = ended_on or timezone.localdate()
    if not plan.agreed_on <= ended_on <= timezone.localdate():
        raise ValidationError(
            {"ended_on": ValidationError(_("A plan ends between its agreement and today."), code="end_date")}
        )
    with transaction.atomic(), set_actor(by):
        plan.status = IntegrationPlan.Status.ENDED
        plan.ended_on = ended_on
        plan.save()
        emit("plan.changed", client=plan.client, obj=plan)
        refresh_deadlines(plan.client)
    return plan


def _check_agreed(by, plan: IntegrationPlan) -> None:
    check_casework_allowed(by, plan.client)
    if plan.status != IntegrationPlan.Status.AGREED:
        raise ValidationError(
            _("Only an agreed plan in force can be changed this way."), code="plan_not_agreed"
        )


def _only(data: dict, allowed: tuple) -> dict:
    unknown = set(data) - set(allowed)
    if unknown:
        raise ValueError(f"unknown fields: {sorted(unknown)}")
    return data


def _full_clean(instance, *, exclude, validate_unique: bool = True) -> None:
    try:
        instance.full_clean(exclude=exclude, validate_unique=validate_unique, validate_constraints=False)
    except ValidationError as error:
        raise ValidationError(
            {
                field: [ValidationError(m, code="invalid") for m in messages]
                for field, messages in error.message_dict.items()
            }
        ) from None

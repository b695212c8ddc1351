"""Expected arrivals of quota refugees: the task list from the municipality's template, moving the
arrival date, tasks done, and the conversion of the members into clients on arrival."""

import datetime
from collections.abc import Iterable

from auditlog.context import set_actor
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hemkommun.access import policy
from hemkommun.clients import services as client_services
from hemkommun.clients.codes import ResidenceGround
from hemkommun.organizations.models import Organisation

from ..models import ArrivalGroup, ArrivalTask, ExpectedMember, TaskTemplate, TaskTemplateItem

# The checklist of seeds 001 and 003 and DOMAIN.md (Reception): a new municipality's template
# starts from it, written in the language of the coordinator who opens it, and is theirs to edit.
# (title, days from arrival, health task)
DEFAULT_TASKS = [
    (gettext_lazy("Reserve a flat"), -42, False),
    (gettext_lazy("Pass the health data from the country of origin to the welfare area"), -28, True),
    (gettext_lazy("Apply for Kela support in advance"), -21, False),
    (gettext_lazy("Inform partners: daycare and school"), -21, False),
    (gettext_lazy("Furnish the flat"), -7, False),
    (gettext_lazy("Meet the family on arrival"), 0, False),
    (gettext_lazy("Registrations: population register, Kela, bank, tax card"), 7, False),
    (gettext_lazy("Health check and tuberculosis screening"), 14, True),
    (gettext_lazy("Orientation to the new home municipality"), 30, False),
]
MEMBER_FIELDS = ("relation", "birth_year", "sex", "languages", "education", "health_flags")


def _check_manager(by, municipality: Organisation) -> None:
    if not policy.can_manage_arrivals(by, municipality.pk):
        raise ValidationError(
            _("You may not manage arrivals in this municipality."), code="reception_forbidden"
        )


def template_for(*, by, municipality: Organisation) -> TaskTemplate:
    """The municipality's task template, made from the default checklist the first time."""
    _check_manager(by, municipality)
    with transaction.atomic(), set_actor(by):
        template, created = TaskTemplate.objects.get_or_create(municipality=municipality)
        if created:
            TaskTemplateItem.objects.bulk_create(
                TaskTemplateItem(
                    template=template, title=str(title), offset_days=offset, health_related=health, position=i
                )
                for i, (title, offset, health) in enumerate(DEFAULT_TASKS)
            )
    return template


def arrival_create(
    *,
    by,
    municipality: Organisation,
    welfare_area: Organisation,
    reference: str,
    expected_on: datetime.date,
    members: Iterable[dict],
    permit_granted_on: datetime.date | None = None,
) -> ArrivalGroup:
    """An expected family or group, with its anonymised members and the template's tasks."""
    _check_manager(by, municipality)
    members = list(members)
    _validate_group(municipality, welfare_area, reference, members)
    template = template_for(by=by, municipality=municipality)
    with transaction.atomic(), set_actor(by):
        group = ArrivalGroup.objects.create(
            municipality=municipality,
            welfare_area=welfare_area,
            reference=reference.strip(),
            expected_on=expected_on,
            permit_granted_on=permit_granted_on,
            created_by=by,
        )
        for data in members:
            ExpectedMember.objects.create(
                group=group, **{k: v for k, v in data.items() if k in MEMBER_FIELDS}
            )
        ArrivalTask.objects.bulk_create(
            ArrivalTask(
                group=group,
                title=item.title,
                offset_days=item.offset_days,
                due_on=expected_on + datetime.timedelta(days=item.offset_days),
                responsible=item.responsible or (welfare_area if item.health_related else municipality),
                health_related=item.health_related,
            )
            for item in template.items.all()
        )
    return group


def _validate_group(municipality, welfare_area, reference: str, members: list[dict]) -> None:
    errors: dict[str, list[ValidationError]] = {}

    def add(field, message, code):
        errors.setdefault(field, []).append(ValidationError(message, code=code))

    if municipality.kind != Organisation.Kind.MUNICIPALITY:
        add("municipality", _("Choose a municipality."), "not_a_municipality")
    if welfare_area.kind != Organisation.Kind.WELFARE_AREA:
        add("welfare_area", _("Choose a welfare area."), "not_a_welfare_area")
    if not reference.strip():
        add("reference", _("Write the reference of the arrival."), "reference_missing")
    if not members:
        add("members", _("An arrival has at least one person."), "no_members")
    for number, data in enumerate(members, start=1):
        unknown = set(data) - set(MEMBER_FIELDS)
        if unknown:
            raise ValueError(f"not member fields: {sorted(unknown)}")
        member = ExpectedMember(**data)
        try:
            member.full_clean(exclude=["group", "client"])
        except ValidationError as error:
            for messages in error.message_dict.values():
                for message in messages:
                    add(
                        "members",
                        _("Person %(number)s: %(message)s") % {"number": number, "message": message},
                        "member",
                    )
    if errors:
        raise ValidationError(errors)


def arrival_move(*, by, group: ArrivalGroup, expected_on: datetime.date) -> ArrivalGroup:
    """A new arrival date: the open tasks move with it; tasks done stay as they were."""
    _check_manager(by, group.municipality)
    if group.status != ArrivalGroup.Status.EXPECTED:
        raise ValidationError(_("Only an expected arrival can be moved."), code="arrival_state")
    with transaction.atomic(), set_actor(by):
        group.expected_on = expected_on
        group.save(update_fields=["expected_on"])
        for task in group.tasks.filter(status=ArrivalTask.Status.OPEN):
            task.due_on = expected_on + datetime.timedelta(days=task.offset_days)
            task.save(update_fields=["due_on"])
    return group


def task_set_status(
    *, by, task: ArrivalTask, status: str, done_on: datetime.date | None = None
) -> ArrivalTask:
    """The responsible organisation's staff mark their task; the municipality manages them all,
    except the health tasks, which are the welfare area's alone."""
    group = task.group
    may = (
        policy.can_see_arrival_health(by, group)
        if task.health_related
        else policy.can_manage_arrivals(by, group.municipality_id)
        or bool(policy.roles_in(by, task.responsible_id) & policy.CASEWORK_ROLES)
    )
    if not may:
        raise ValidationError(_("You may not change this task."), code="task_forbidden")
    if status not in ArrivalTask.Status.values:
        raise ValidationError(_("Unknown status."), code="task_status")
    with transaction.atomic(), set_actor(by):
        task.status = status
        task.done_on = (done_on or timezone.localdate()) if status == ArrivalTask.Status.DONE else None
        task.save(update_fields=["status", "done_on"])
    return task


def arrival_convert(*, by, group: ArrivalGroup, arrived_on: datetime.date, people: dict[int, dict]) -> list:
    """On arrival, every member becomes a client in one step, linked as a household, with the
    quota-refugee ground and the dates that start their casework clocks. ``people`` maps each
    member's id to the client data known now (names at least). All or nothing."""
    _check_manager(by, group.municipality)
    if group.status != ArrivalGroup.Status.EXPECTED:
        raise ValidationError(_("This arrival has already been recorded."), code="arrival_state")
    members = list(group.members.all())
    if set(people) != {member.pk for member in members}:
        raise ValidationError(_("Give the data of every person of the arrival."), code="members_incomplete")
    clients = []
    with transaction.atomic(), set_actor(by):
        household = None
        for number, member in enumerate(members, start=1):
            client = _member_to_client(by, group, member, arrived_on, people[member.pk], number)
            household = client_services.household_link(
                by=by, client=client, household=household, relation=member.relation
            ).household
            member.client = client
            member.save(update_fields=["client"])
            clients.append(client)
        group.status = ArrivalGroup.Status.ARRIVED
        group.arrived_on = arrived_on
        group.household = household
        group.save(update_fields=["status", "arrived_on", "household"])
    return clients


def _member_to_client(by, group, member, arrived_on, data: dict, number: int):
    data = {
        "birth_year": member.birth_year,
        "sex": member.sex,
        **data,
        "residence_ground": ResidenceGround.QUOTA_REFUGEE,
        "arrival_date": arrived_on,
        "client_since": arrived_on,
        "first_permit_date": group.permit_granted_on,
        "municipality_of_residence": group.municipality,
    }
    try:
        return client_services.client_create(by=by, organisation=group.municipality, data=data)
    except ValidationError as error:
        messages = "; ".join(error.messages)
        raise ValidationError(
            _("Person %(number)s: %(message)s") % {"number": number, "message": messages},
            code="member_invalid",
        ) from None

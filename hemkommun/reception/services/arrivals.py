"""Arrivals of quota refugees and moves from reception centres: the task list from the
municipality's template, accepting a placement request, moving the arrival date, tasks done, and
the conversion of the members into clients on arrival."""

import datetime
from collections.abc import Iterable
from contextlib import contextmanager

from auditlog.context import set_actor
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hemkommun.access import policy
from hemkommun.clients import services as client_services
from hemkommun.clients.codes import ResidenceGround
from hemkommun.compensation.codes import Key
from hemkommun.compensation.models import Parameter
from hemkommun.compensation.rules import ParameterBook
from hemkommun.organizations.models import Organisation, User
from hemkommun.webhooks.events import emit

from ..models import ArrivalGroup, ArrivalKind, ArrivalTask, ExpectedMember, TaskTemplate, TaskTemplateItem
from .common import check_manager

# The checklists of seeds 001 and 003 and DOMAIN.md (Reception): a new municipality's template
# starts from them, written in the language of the coordinator who opens it, and is theirs to edit.
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
DEFAULT_MOVE_TASKS = [
    (gettext_lazy("Reserve a flat"), -21, False),
    (gettext_lazy("Agree the date and the help with the move with the reception centre"), -14, False),
    (gettext_lazy("Apply for Kela support in advance"), -14, False),
    (gettext_lazy("Inform partners: daycare and school"), -7, False),
    (gettext_lazy("Meet on the day of the move"), 0, False),
    (gettext_lazy("Registrations: population register, Kela, bank, tax card"), 7, False),
    (gettext_lazy("Health check"), 14, True),
    (gettext_lazy("Orientation to the new home municipality"), 30, False),
]
DEFAULTS_BY_KIND = {ArrivalKind.QUOTA: DEFAULT_TASKS, ArrivalKind.RECEPTION_CENTRE: DEFAULT_MOVE_TASKS}
# The data of a move that a quota arrival does not have.
MOVE_FIELDS = (
    "reception_centre",
    "move_type",
    "placement_requested_on",
    "residence_ground",
    "family_reunification",
)


def move_grounds(jurisdiction: str, on: datetime.date) -> set[str]:
    """Who may move from a reception centre into a municipality's integration services on the day:
    the residence grounds of the integration act's scope, as the effective-dated compensation
    parameters record them with their sources, quota refugees aside (they come by the quota)."""
    book = ParameterBook(Parameter.objects.filter(key=Key.QUALIFYING_GROUND))
    return book.qualifying_grounds(jurisdiction, on) - {ResidenceGround.QUOTA_REFUGEE}


# What the municipality records of a person before arrival. The health flags are not among them:
# only the welfare area writes them (health_flags_set).
REFERENCE_TAKEN = gettext_lazy("An arrival with this reference is already recorded.")
MEMBER_FIELDS = ("relation", "birth_year", "sex", "languages", "education")
# Arrival dates are kept within these years, so that no task date runs off the calendar.
EARLIEST_ARRIVAL = datetime.date(2000, 1, 1)
LATEST_ARRIVAL = datetime.date(2099, 12, 31)


def template_for(*, by, municipality: Organisation, kind: str = ArrivalKind.QUOTA) -> TaskTemplate:
    """The municipality's task template for the kind, made from the default checklist the first time."""
    check_manager(by, municipality.pk)
    with transaction.atomic(), set_actor(by):
        template, created = TaskTemplate.objects.get_or_create(municipality=municipality, kind=kind)
        if created:
            # One by one, not in bulk: the write log sees only rows saved singly (about ten here).
            for position, (title, offset, health) in enumerate(DEFAULTS_BY_KIND[kind]):
                TaskTemplateItem.objects.create(
                    template=template,
                    title=str(title),
                    offset_days=offset,
                    health_related=health,
                    position=position,
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
    kind: str = ArrivalKind.QUOTA,
    move: dict | None = None,
    notes: str = "",
) -> ArrivalGroup:
    """An expected family or group, with its anonymised members and the template's tasks.

    A quota arrival is expected from the start. A move from a reception centre starts as the
    centre's placement request, with ``move`` holding the MOVE_FIELDS."""
    check_manager(by, municipality.pk)
    members = list(members)
    move = dict(move or {})
    _validate_group(municipality, welfare_area, reference, members, kind, move, expected_on)
    _check_arrival_date(expected_on, "expected_on")
    template = template_for(by=by, municipality=municipality, kind=kind)
    is_move = kind == ArrivalKind.RECEPTION_CENTRE
    try:
        with transaction.atomic(), set_actor(by):
            group = ArrivalGroup.objects.create(
                kind=kind,
                status=ArrivalGroup.Status.REQUESTED if is_move else ArrivalGroup.Status.EXPECTED,
                municipality=municipality,
                welfare_area=welfare_area,
                reference=reference.strip(),
                expected_on=expected_on,
                permit_granted_on=permit_granted_on,
                notes=notes,
                created_by=by,
                **move,
            )
            emit("arrival.changed", obj=group)
            for data in members:
                ExpectedMember.objects.create(
                    group=group, **{k: v for k, v in data.items() if k in MEMBER_FIELDS}
                )
            for item in template.items.all():  # singly, so that the write log sees each task
                ArrivalTask.objects.create(
                    group=group,
                    title=item.title,
                    offset_days=item.offset_days,
                    due_on=expected_on + datetime.timedelta(days=item.offset_days),
                    # A health task is always the family's own welfare area's.
                    responsible=welfare_area if item.health_related else item.responsible or municipality,
                    health_related=item.health_related,
                )
    except IntegrityError:
        # The same family saved twice at once: the second save meets the unique reference (the
        # members were validated above, so that is the only constraint left to break).
        raise ValidationError(
            {"reference": ValidationError(REFERENCE_TAKEN, code="reference_taken")}
        ) from None
    return group


def _validate_group(
    municipality, welfare_area, reference: str, members: list[dict], kind: str, move: dict, expected_on
) -> None:
    errors: dict[str, list[ValidationError]] = {}

    def add(field, message, code):
        errors.setdefault(field, []).append(ValidationError(message, code=code))

    if set(move) - set(MOVE_FIELDS):
        raise ValueError(f"not move fields: {sorted(set(move) - set(MOVE_FIELDS))}")
    if kind == ArrivalKind.RECEPTION_CENTRE:
        centre = move.get("reception_centre")
        if centre is None or centre.kind != Organisation.Kind.RECEPTION_CENTRE:
            add("reception_centre", _("Choose the reception centre."), "not_a_reception_centre")
        if move.get("move_type") not in ArrivalGroup.MoveType.values:
            add("move_type", _("Choose whether the move is assisted or independent."), "move_type")
        if move.get("residence_ground") not in move_grounds(municipality.jurisdiction, expected_on):
            add(
                "residence_ground",
                _("Choose a residence ground of protection or of a protected person's family."),
                "move_ground",
            )
    elif move:
        raise ValueError("a quota arrival has no move data")

    if municipality.kind != Organisation.Kind.MUNICIPALITY:
        add("municipality", _("Choose a municipality."), "not_a_municipality")
    if welfare_area.kind != Organisation.Kind.WELFARE_AREA:
        add("welfare_area", _("Choose a welfare area."), "not_a_welfare_area")
    if not reference.strip():
        add("reference", _("Write the reference of the arrival."), "reference_missing")
    elif ArrivalGroup.objects.filter(municipality=municipality, reference=reference.strip()).exists():
        add("reference", REFERENCE_TAKEN, "reference_taken")
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


def _check_arrival_date(day: datetime.date, field: str) -> None:
    if not EARLIEST_ARRIVAL <= day <= LATEST_ARRIVAL:
        raise ValidationError(
            {field: ValidationError(_("Give a date between 2000 and 2099."), code="arrival_date_range")}
        )


PENDING = (ArrivalGroup.Status.REQUESTED, ArrivalGroup.Status.EXPECTED)


def arrival_accept(*, by, group: ArrivalGroup) -> ArrivalGroup:
    """The municipality agrees to the reception centre's placement request."""
    return _set_status(by, group, ArrivalGroup.Status.EXPECTED, allowed_from=(ArrivalGroup.Status.REQUESTED,))


def arrival_cancel(*, by, group: ArrivalGroup) -> ArrivalGroup:
    """The family will not come, or the request is declined. The tasks stay for the record; the
    flat is freed: a booking not begun is removed, one begun ends today."""
    today = timezone.localdate()
    with _locked_pending(by, group) as group:
        group.status = ArrivalGroup.Status.CANCELLED
        group.save(update_fields=["status"])
        for assignment in group.flats.all():
            if assignment.starts_on > today:
                assignment.delete()
            elif assignment.ends_on is None or assignment.ends_on > today:
                assignment.ends_on = today
                assignment.save(update_fields=["ends_on"])
    return group


def _set_status(by, group: ArrivalGroup, status: str, allowed_from) -> ArrivalGroup:
    with _locked_pending(by, group, allowed_from) as group:
        group.status = status
        group.save(update_fields=["status"])
    return group


@contextmanager
def _locked_pending(by, group: ArrivalGroup, allowed_from=PENDING):
    """The group, locked and read afresh inside a transaction, if it is still in one of the
    stages: a second coordinator's click on a stale page changes nothing."""
    check_manager(by, group.municipality_id)
    with transaction.atomic(), set_actor(by):
        group = ArrivalGroup.objects.select_for_update().get(pk=group.pk)
        if group.status not in allowed_from:
            raise ValidationError(_("The arrival is no longer in that stage."), code="arrival_state")
        yield group
        emit("arrival.changed", obj=group)


def arrival_move(*, by, group: ArrivalGroup, expected_on: datetime.date) -> ArrivalGroup:
    """A new arrival date: the open tasks move with it; tasks done stay as they were."""
    _check_arrival_date(expected_on, "expected_on")
    with _locked_pending(by, group) as group:
        group.expected_on = expected_on
        group.save(update_fields=["expected_on"])
        _reschedule_open_tasks(group, expected_on)
    return group


def _reschedule_open_tasks(group: ArrivalGroup, day: datetime.date) -> None:
    for task in group.tasks.filter(status=ArrivalTask.Status.OPEN):
        task.due_on = day + datetime.timedelta(days=task.offset_days)
        task.save(update_fields=["due_on"])


def _check_task_access(by, task: ArrivalTask) -> None:
    if not policy.can_handle_arrival_task(by, task):
        raise ValidationError(_("You may not change this task."), code="task_forbidden")


# Leaves a task's status or person as it is (read under the lock, not from a stale object).
KEEP = object()


def task_update(
    *, by, task: ArrivalTask, status=KEEP, responsible_user=KEEP, done_on: datetime.date | None = None
) -> ArrivalTask:
    """A task's status and the person responsible for it, together. The day it was done is set
    when it becomes done, and kept while it stays done."""
    _check_task_access(by, task)
    if status is not KEEP and status not in ArrivalTask.Status.values:
        raise ValidationError(_("Unknown status."), code="task_status")
    if (
        responsible_user not in (KEEP, None)
        and not task_assignees(task).filter(pk=responsible_user.pk).exists()
    ):
        raise ValidationError(
            {
                "responsible_user": ValidationError(
                    _("Choose a person of the responsible organisation."), code="assignee"
                )
            }
        )
    with transaction.atomic(), set_actor(by):
        task = ArrivalTask.objects.select_for_update().get(pk=task.pk)
        if status is not KEEP and status != task.status:
            task.done_on = (done_on or timezone.localdate()) if status == ArrivalTask.Status.DONE else None
            task.status = status
        if responsible_user is not KEEP:
            task.responsible_user = responsible_user
        task.save(update_fields=["status", "done_on", "responsible_user"])
    return task


def task_set_status(
    *, by, task: ArrivalTask, status: str, done_on: datetime.date | None = None
) -> ArrivalTask:
    """Mark a task done, not needed, or to do again, leaving its person as it is."""
    return task_update(by=by, task=task, status=status, done_on=done_on)


def arrival_convert(
    *,
    by,
    group: ArrivalGroup,
    arrived_on: datetime.date,
    people: dict[int, dict],
    move_reported_on: datetime.date | None = None,
) -> list:
    """On arrival, every member becomes a client in one step, linked as a household, with the
    group's residence ground and the dates that start their casework clocks. ``people`` maps each
    member's id to the client data known now (names at least). All or nothing.

    An independent move may be recorded straight from the placement request, when the reception
    centre's move report is the first the municipality hears of it."""
    check_manager(by, group.municipality_id)
    _check_arrival_date(arrived_on, "arrived_on")
    clients = []
    with transaction.atomic(), set_actor(by):
        # Locked, so that two coordinators recording the same arrival make the clients once.
        group = ArrivalGroup.objects.select_for_update().get(pk=group.pk)
        if group.status not in PENDING:
            raise ValidationError(_("This arrival has already been recorded."), code="arrival_state")
        members = list(group.members.all())
        if set(people) != {member.pk for member in members}:
            raise ValidationError(
                _("Give the data of every person of the arrival."), code="members_incomplete"
            )
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
        group.move_reported_on = move_reported_on or group.move_reported_on
        group.save(update_fields=["status", "arrived_on", "household", "move_reported_on"])
        emit("arrival.changed", obj=group)
        # What is still to do counts from the day they came (the health check within 2 weeks).
        _reschedule_open_tasks(group, arrived_on)
    return clients


def _member_to_client(by, group, member, arrived_on, data: dict, number: int):
    data = {
        "birth_year": member.birth_year,
        "sex": member.sex,
        **data,
        "residence_ground": group.residence_ground,
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


def task_assignees(task: ArrivalTask):
    """Staff of the task's organisation who may be made responsible for it: a membership in
    force today with one of the roles that handle such a task."""
    memberships = policy.memberships_in_force().filter(
        unit__organisation=task.responsible_id, role__in=policy.arrival_task_roles(task)
    )
    return User.objects.filter(memberships__in=memberships).distinct().order_by("last_name", "first_name")


def task_assign(*, by, task: ArrivalTask, user) -> ArrivalTask:
    """Make a person of the task's organisation responsible: the task shows in their worklist."""
    return task_update(by=by, task=task, responsible_user=user)


def template_update(*, by, template: TaskTemplate, items: list[dict]) -> TaskTemplate:
    """Replace the template's tasks with ``items`` (title, offset_days, responsible,
    health_related) in the order given. Task lists made earlier stay as they are."""
    check_manager(by, template.municipality_id)
    if not items:
        raise ValidationError(_("A template has at least one task."), code="template_empty")
    # A health task is always given to the arriving family's own welfare area.
    items = [{**item, "responsible": None} if item.get("health_related") else item for item in items]
    with transaction.atomic(), set_actor(by):
        template.items.all().delete()
        for position, item in enumerate(items):
            TaskTemplateItem.objects.create(template=template, position=position, **item)
    return template


def health_flags_set(*, by, member: ExpectedMember, health_flags: str) -> ExpectedMember:
    """The welfare area records the health data passed on from the country of origin."""
    if not policy.can_see_arrival_health(by, member.group):
        raise ValidationError(_("Only the welfare area records health flags."), code="health_forbidden")
    with transaction.atomic(), set_actor(by):
        member.health_flags = health_flags.strip()
        member.save(update_fields=["health_flags"])
    return member

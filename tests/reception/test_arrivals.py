"""Quota refugee arrivals: tasks from the template, moving the date, flats, conversion to clients."""

import datetime

import pytest
import time_machine
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError

from hemkommun.access import policy
from hemkommun.casework.models import Deadline, RuleKind
from hemkommun.clients.models import Client, HouseholdMember
from hemkommun.organizations.models import Role
from hemkommun.reception.models import ArrivalGroup, ArrivalTask, Flat, FlatAssignment, TaskTemplateItem
from hemkommun.reception.services import arrivals, housing

from ..factories import OrganisationFactory, UserFactory

D = datetime.date
FAMILY = [
    {"relation": "head", "birth_year": 1984, "sex": "M", "languages": "ar"},
    {"relation": "spouse", "birth_year": 1988, "sex": "F", "languages": "ar, ku"},
    {"relation": "child", "birth_year": 2012, "sex": "F"},
    {"relation": "child", "birth_year": 2015, "sex": "M"},
    {"relation": "child", "birth_year": 2021, "sex": "F"},
]
# What the welfare area records from the country of origin, by person.
HEALTH_FLAGS = {0: "Hypertension", 3: "Needs a wheelchair"}


def record_health_flags(group) -> None:
    """The welfare area's social worker writes the family's health flags, as on the health view."""
    social_worker = UserFactory.with_role(Role.SOCIAL_WORKER, group.welfare_area)
    members = list(group.members.all())
    for index, flags in HEALTH_FLAGS.items():
        arrivals.health_flags_set(by=social_worker, member=members[index], health_flags=flags)


@pytest.fixture
def welfare(db):
    return OrganisationFactory.welfare_area()


@pytest.fixture
def coordinator(narpes):
    return UserFactory.with_role(Role.COORDINATOR, narpes, username="coordinator.narpes")


@pytest.fixture
def family(narpes, welfare, coordinator):
    group = arrivals.arrival_create(
        by=coordinator,
        municipality=narpes,
        welfare_area=welfare,
        reference="ELY-2025-017",
        expected_on=D(2025, 9, 15),
        permit_granted_on=D(2025, 6, 2),
        members=FAMILY,
    )
    record_health_flags(group)
    return group


def test_tasks_come_from_the_template_relative_to_the_arrival(family, narpes, welfare):
    tasks = {task.title: task for task in family.tasks.all()}
    assert len(tasks) == len(arrivals.DEFAULT_TASKS) == 9
    flat = next(t for t in tasks.values() if t.offset_days == -42)
    assert flat.due_on == D(2025, 8, 4) and flat.responsible == narpes and not flat.health_related
    health = [t for t in tasks.values() if t.health_related]
    assert {t.due_on for t in health} == {D(2025, 8, 18), D(2025, 9, 29)}  # 4 weeks before, 2 weeks after
    assert {t.responsible for t in health} == {welfare}
    assert family.members.count() == 5


def test_an_edited_template_makes_the_next_task_list(family, narpes, welfare, coordinator):
    template = arrivals.template_for(by=coordinator, municipality=narpes)
    TaskTemplateItem.objects.create(template=template, title="School place for the children", offset_days=-10)
    template.items.filter(offset_days=30).delete()
    second = arrivals.arrival_create(
        by=coordinator,
        municipality=narpes,
        welfare_area=welfare,
        reference="ELY-2025-018",
        expected_on=D(2025, 10, 1),
        members=[{"relation": "head", "birth_year": 1990}],
    )
    titles = set(second.tasks.values_list("title", flat=True))
    assert "School place for the children" in titles and len(titles) == 9
    assert family.tasks.count() == 9  # the first family's list is its own


def test_moving_the_arrival_moves_the_open_tasks_only(family, coordinator):
    done = family.tasks.get(offset_days=-42)
    arrivals.task_set_status(by=coordinator, task=done, status="done", done_on=D(2025, 8, 1))
    arrivals.arrival_move(by=coordinator, group=family, expected_on=D(2025, 10, 1))
    done.refresh_from_db()
    assert done.due_on == D(2025, 8, 4)  # already done: stays
    assert family.tasks.get(offset_days=0).due_on == D(2025, 10, 1)
    assert family.tasks.get(offset_days=14).due_on == D(2025, 10, 15)


def test_health_tasks_and_flags_are_the_welfare_areas_alone(family, narpes, welfare, coordinator):
    social_worker = UserFactory.with_role(Role.SOCIAL_WORKER, welfare)
    assert policy.can_see_arrival_health(social_worker, family)
    assert not policy.can_see_arrival_health(coordinator, family)
    health_task = family.tasks.filter(health_related=True).first()
    with pytest.raises(ValidationError) as excinfo:
        arrivals.task_set_status(by=coordinator, task=health_task, status="done")
    assert excinfo.value.code == "task_forbidden"
    arrivals.task_set_status(by=social_worker, task=health_task, status="done")
    ordinary = family.tasks.filter(health_related=False).first()
    with pytest.raises(ValidationError):
        arrivals.task_set_status(by=social_worker, task=ordinary, status="done")
    # The write log never holds the flags.
    assert not LogEntry.objects.filter(changes_text__contains="Hypertension").exists()


@time_machine.travel("2025-09-16 09:00 +0300", tick=False)
def test_on_arrival_the_family_becomes_clients_in_one_step(family, narpes, coordinator):
    names = ["Haddad", "Haddad", "Haddad", "Haddad", "Haddad"]
    given = ["Omar", "Layla", "Sara", "Yusuf", "Mira"]
    people = {
        member.pk: {"family_name": family_name, "given_names": given_name}
        for member, family_name, given_name in zip(family.members.all(), names, given, strict=True)
    }
    clients = arrivals.arrival_convert(by=coordinator, group=family, arrived_on=D(2025, 9, 16), people=people)
    assert len(clients) == 5
    family.refresh_from_db()
    assert (family.status, family.arrived_on) == ("arrived", D(2025, 9, 16))
    head = Client.objects.get(given_names="Omar")
    assert (head.birth_year, head.sex, head.residence_ground, head.client_since, head.first_permit_date) == (
        1984,
        "M",
        "quota_refugee",
        D(2025, 9, 16),
        D(2025, 6, 2),
    )
    relations = sorted(
        HouseholdMember.objects.filter(household=family.household).values_list("relation", flat=True)
    )
    assert relations == ["child", "child", "child", "head", "spouse"]
    # The casework clocks start with the client relationship.
    assert Deadline.objects.filter(
        client=head, kind=RuleKind.ASSESSMENT_START, due_on=D(2025, 11, 16)
    ).exists()
    assert LogEntry.objects.get_for_object(head).filter(action=LogEntry.Action.CREATE).exists()
    with pytest.raises(ValidationError) as excinfo:
        arrivals.arrival_convert(by=coordinator, group=family, arrived_on=D(2025, 9, 16), people=people)
    assert excinfo.value.code == "arrival_state"


@time_machine.travel("2025-09-16 09:00 +0300", tick=False)
def test_conversion_is_all_or_nothing(family, coordinator):
    members = list(family.members.all())
    people = {member.pk: {"family_name": "Haddad", "given_names": "X"} for member in members}
    people[members[3].pk] = {"family_name": "Haddad", "given_names": "Yusuf", "identity_code": "131052-308X"}
    with pytest.raises(ValidationError) as excinfo:
        arrivals.arrival_convert(by=coordinator, group=family, arrived_on=D(2025, 9, 16), people=people)
    assert "4" in excinfo.value.messages[0]
    assert not Client.objects.exists()
    family.refresh_from_db()
    assert family.status == ArrivalGroup.Status.EXPECTED


def test_a_flat_cannot_be_assigned_twice_for_overlapping_dates(family, narpes, welfare, coordinator):
    flat = Flat.objects.create(
        municipality=narpes, street_address="Storgatan 1 A 3", rooms=4, size_m2=86, rent_eur=820
    )
    housing.flat_assign(by=coordinator, flat=flat, group=family, starts_on=D(2025, 9, 1))
    other = arrivals.arrival_create(
        by=coordinator,
        municipality=narpes,
        welfare_area=welfare,
        reference="ELY-2025-019",
        expected_on=D(2025, 11, 1),
        members=[{"relation": "head", "birth_year": 1979}],
    )
    with pytest.raises(ValidationError) as excinfo:
        housing.flat_assign(
            by=coordinator, flat=flat, group=other, starts_on=D(2026, 1, 1), ends_on=D(2026, 6, 30)
        )
    assert excinfo.value.code == "flat_taken"
    assert FlatAssignment.objects.count() == 1


def test_adjacent_periods_of_a_flat_are_fine_and_overlaps_are_not(narpes, welfare, coordinator, family):
    flat = Flat.objects.create(
        municipality=narpes, street_address="Kyrkvägen 2", rooms=2, size_m2=48, rent_eur=510
    )
    housing.flat_assign(
        by=coordinator, flat=flat, group=family, starts_on=D(2025, 1, 1), ends_on=D(2025, 6, 30)
    )
    housing.flat_assign(
        by=coordinator, flat=flat, group=family, starts_on=D(2025, 7, 1), ends_on=D(2025, 12, 31)
    )
    for start, end in [
        (D(2025, 6, 30), D(2025, 7, 5)),
        (D(2024, 12, 1), None),
        (D(2025, 3, 1), D(2025, 3, 2)),
    ]:
        with pytest.raises(ValidationError):
            housing.flat_assign(by=coordinator, flat=flat, group=family, starts_on=start, ends_on=end)


@pytest.mark.parametrize(
    "role",
    [Role.COUNSELLOR, Role.SOCIAL_WORKER, Role.REPORTING, Role.ADMINISTRATOR, Role.DATA_PROTECTION_OFFICER],
)
def test_roles_that_may_not_manage_arrivals(narpes, welfare, role):
    user = UserFactory.with_role(role, narpes)
    with pytest.raises(ValidationError) as excinfo:
        arrivals.arrival_create(
            by=user,
            municipality=narpes,
            welfare_area=welfare,
            reference="X",
            expected_on=D(2025, 9, 1),
            members=[{"relation": "head"}],
        )
    assert excinfo.value.code == "reception_forbidden"
    assert not ArrivalTask.objects.exists()


def test_another_municipality_may_not_manage_narpes_arrivals(family, vasa):
    vasa_coordinator = UserFactory.with_role(Role.COORDINATOR, vasa)
    with pytest.raises(ValidationError):
        arrivals.arrival_move(by=vasa_coordinator, group=family, expected_on=D(2025, 12, 1))

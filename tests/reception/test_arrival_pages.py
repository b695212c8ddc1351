"""The arrival pages: the board, the calendar, a family from the form, its tasks and date, the
conversion, the task templates, the welfare area's health view, the worklist and the exports."""

import csv
import datetime
import io

import openpyxl
import pytest
import time_machine
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from hemkommun.clients.models import Client
from hemkommun.core.models import ReadEvent
from hemkommun.organizations.models import Membership, Organisation, Role
from hemkommun.reception.models import (
    ArrivalGroup,
    ArrivalTask,
    ExpectedMember,
    Flat,
    FlatAssignment,
    TaskTemplateItem,
)
from hemkommun.reception.services import arrivals, housing

from ..factories import OrganisationFactory, UnitFactory, UserFactory
from .test_arrivals import FAMILY, record_health_flags

D = datetime.date
TODAY = "2025-09-01 09:00 +0300"
pytestmark = pytest.mark.usefixtures("frozen")


@pytest.fixture
def frozen():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def welfare(db):
    return OrganisationFactory.welfare_area()


@pytest.fixture
def coordinator(narpes):
    return UserFactory.with_role(Role.COORDINATOR, narpes, username="coordinator.narpes")


@pytest.fixture
def social_worker(welfare):
    return UserFactory.with_role(Role.SOCIAL_WORKER, welfare, username="socialworker.welfare")


@pytest.fixture
def centre(db):
    return OrganisationFactory(
        kind=Organisation.Kind.RECEPTION_CENTRE, code="centre", name_fi="Vastaanottokeskus"
    )


def make_family(municipality, welfare, by, reference="ELY-2025-017", expected_on=D(2025, 9, 15)):
    return arrivals.arrival_create(
        by=by,
        municipality=municipality,
        welfare_area=welfare,
        reference=reference,
        expected_on=expected_on,
        permit_granted_on=D(2025, 6, 2),
        members=FAMILY,
    )


@pytest.fixture
def family(narpes, welfare, coordinator):
    return make_family(narpes, welfare, coordinator)


def family_post(welfare, narpes, **overrides) -> dict:
    data = {
        "municipality": narpes.pk,
        "welfare_area": welfare.pk,
        "reference": "ELY-2025-030",
        "expected_on": "2025-10-20",
        "permit_granted_on": "2025-07-01",
        "notes": "",
        "member-TOTAL_FORMS": "5",
        "member-INITIAL_FORMS": "0",
        "member-MIN_NUM_FORMS": "0",
        "member-MAX_NUM_FORMS": "30",
    }
    for i, person in enumerate(FAMILY):
        for field in ("relation", "birth_year", "sex", "languages"):
            data[f"member-{i}-{field}"] = person.get(field, "")
    data.update(overrides)
    return data


def test_a_family_of_five_from_the_form_gets_the_templates_tasks(client, coordinator, narpes, welfare):
    client.force_login(coordinator)
    assert client.get(reverse("reception:arrival_create", args=["quota"])).status_code == 200
    # A health_flags field smuggled into the post is not the municipality's to write.
    post = family_post(welfare, narpes, **{"member-0-health_flags": "Tuberculosis"})
    response = client.post(reverse("reception:arrival_create", args=["quota"]), post)
    group = ArrivalGroup.objects.get(reference="ELY-2025-030")
    assert response.status_code == 302 and response["Location"] == reverse(
        "reception:arrival_detail", args=[group.pk]
    )
    assert group.members.count() == 5 and group.tasks.count() == len(arrivals.DEFAULT_TASKS)
    assert group.tasks.get(offset_days=-42).due_on == D(2025, 9, 8)
    assert sorted(group.members.values_list("relation", flat=True)) == [
        "child",
        "child",
        "child",
        "head",
        "spouse",
    ]
    # No health flags pass through the municipality's form.
    assert not group.members.exclude(health_flags="").exists()


def test_bad_input_keeps_the_form_and_writes_nothing(client, coordinator, narpes, welfare):
    client.force_login(coordinator)
    url = reverse("reception:arrival_create", args=["quota"])
    no_people = family_post(
        welfare,
        narpes,
        **{f"member-{i}-{f}": "" for i in range(5) for f in ("relation", "birth_year", "sex", "languages")},
    )
    response = client.post(url, no_people)
    assert response.status_code == 200
    with translation.override("fi"):
        assert translation.gettext("An arrival has at least one person.") in response.content.decode()
    response = client.post(
        url, family_post(welfare, narpes, **{"member-1-relation": "", "member-2-birth_year": "year"})
    )
    assert response.status_code == 200 and 'value="ELY-2025-030"' in response.content.decode()
    response = client.post(url, family_post(welfare, narpes, welfare_area=narpes.pk))
    assert response.status_code == 200
    assert not ArrivalGroup.objects.exists() and not ArrivalTask.objects.exists()


def test_markup_in_the_reference_is_shown_as_text(client, coordinator, narpes, welfare):
    client.force_login(coordinator)
    client.post(
        reverse("reception:arrival_create", args=["quota"]),
        family_post(welfare, narpes, reference="<script>alert(1)</script>", notes="<b>x</b>"),
    )
    group = ArrivalGroup.objects.get()
    for url in (reverse("reception:board"), reverse("reception:arrival_detail", args=[group.pk])):
        page = client.get(url).content.decode()
        assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_the_board_shows_stages_and_overdue_tasks_first(client, coordinator, narpes, welfare, family, centre):
    move = arrivals.arrival_create(
        by=coordinator,
        municipality=narpes,
        welfare_area=welfare,
        reference="VOK-77",
        expected_on=D(2025, 10, 1),
        members=[{"relation": "head", "birth_year": 1990}],
        kind="reception_centre",
        move={
            "reception_centre": centre,
            "move_type": "assisted",
            "placement_requested_on": D(2025, 8, 20),
            "residence_ground": "asylum",
        },
    )
    # An earlier family whose past tasks are all done: no overdue tasks.
    earlier = make_family(narpes, welfare, coordinator, reference="ELY-EARLIER", expected_on=D(2025, 9, 10))
    earlier.tasks.filter(due_on__lt=D(2025, 9, 1)).update(status="done")
    client.force_login(coordinator)
    response = client.get(reverse("reception:board"))
    stages = response.context["stages"]
    assert [g.pk for g in stages["requested"]] == [move.pk]
    # The family with overdue tasks comes first although it is expected later.
    assert [g.pk for g in stages["expected"]] == [family.pk, earlier.pk]
    assert (stages["expected"][0].overdue_tasks, stages["expected"][1].overdue_tasks) == (4, 0)
    overdue = list(response.context["overdue"])
    assert {task.group_id for task in overdue} == {family.pk}
    assert overdue[0].due_on == D(2025, 8, 4)


def test_the_board_costs_the_same_queries_for_many_families(client, coordinator, narpes, welfare):
    client.force_login(coordinator)
    make_family(narpes, welfare, coordinator)
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("reception:board"))
    for number in range(5):
        make_family(narpes, welfare, coordinator, reference=f"ELY-{number}")
    with CaptureQueriesContext(connection) as six:
        client.get(reverse("reception:board"))
    assert len(six) == len(one)


def test_moving_the_date_through_the_page_moves_open_tasks(client, coordinator, family):
    client.force_login(coordinator)
    response = client.post(reverse("reception:arrival_date", args=[family.pk]), {"expected_on": "2025-10-15"})
    assert response.status_code == 302
    assert family.tasks.get(offset_days=14).due_on == D(2025, 10, 29)
    response = client.post(reverse("reception:arrival_date", args=[family.pk]), {"expected_on": "15.13.2025"})
    assert response.status_code == 400
    family.refresh_from_db()
    assert family.expected_on == D(2025, 10, 15)


def test_tasks_are_marked_and_given_to_a_person_whose_worklist_shows_them(
    client, coordinator, narpes, family
):
    case_worker = UserFactory.with_role(Role.CASE_WORKER, narpes)
    task = family.tasks.filter(offset_days=-21).first()
    client.force_login(coordinator)
    prefix = f"task-{task.pk}"
    response = client.post(
        reverse("reception:task_update", args=[task.pk]),
        {f"{prefix}-status": "open", f"{prefix}-responsible_user": case_worker.pk},
    )
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.responsible_user == case_worker
    client.force_login(case_worker)
    worklist = client.get(reverse("casework:worklist"))
    assert [t.pk for t, _form in worklist.context["arrival_tasks"]] == [task.pk]
    client.post(
        reverse("reception:task_update", args=[task.pk]),
        {f"{prefix}-status": "done", f"{prefix}-responsible_user": case_worker.pk},
    )
    task.refresh_from_db()
    assert task.status == "done" and task.done_on == D(2025, 9, 1)
    assert not client.get(reverse("casework:worklist")).context["arrival_tasks"]


def test_a_person_of_another_organisation_cannot_be_made_responsible(client, coordinator, vasa, family):
    stranger = UserFactory.with_role(Role.CASE_WORKER, vasa)
    task = family.tasks.get(offset_days=-42)
    client.force_login(coordinator)
    prefix = f"task-{task.pk}"
    client.post(
        reverse("reception:task_update", args=[task.pk]),
        {f"{prefix}-status": "done", f"{prefix}-responsible_user": stranger.pk},
    )
    task.refresh_from_db()
    assert task.responsible_user is None and task.status == "open"


def test_the_municipality_cannot_touch_or_read_health_data(client, coordinator, family):
    record_health_flags(family)
    health_task = family.tasks.filter(health_related=True).first()
    client.force_login(coordinator)
    page = client.get(reverse("reception:arrival_detail", args=[family.pk])).content.decode()
    assert "Hypertension" not in page and "wheelchair" not in page
    assert f'action="{reverse("reception:task_update", args=[health_task.pk])}"' not in page
    prefix = f"task-{health_task.pk}"
    response = client.post(
        reverse("reception:task_update", args=[health_task.pk]), {f"{prefix}-status": "done"}
    )
    assert response.status_code == 404
    assert client.get(reverse("reception:health_detail", args=[family.pk])).status_code == 404


def test_the_welfare_area_sees_health_tasks_and_flags_and_nothing_else(client, social_worker, family):
    record_health_flags(family)
    ExpectedMember.objects.filter(group=family).update(education="Secondary school")
    ArrivalGroup.objects.filter(pk=family.pk).update(notes="Father speaks some English")
    client.force_login(social_worker)
    listing = client.get(reverse("reception:health"))
    assert [g.pk for g in listing.context["groups"]] == [family.pk]
    response = client.get(reverse("reception:health_detail", args=[family.pk]))
    page = response.content.decode()
    assert "Hypertension" in page and "Needs a wheelchair" in page
    assert {task.health_related for task, _form in response.context["tasks"]} == {True}
    for hidden in ("Secondary school", "Father speaks some English", "Reserve a flat"):
        with translation.override("fi"):
            assert translation.gettext(hidden) not in page
    assert client.get(reverse("reception:arrival_detail", args=[family.pk])).status_code == 404
    assert client.get(reverse("reception:board")).status_code == 404
    # The welfare area records the flags and marks its tasks.
    member = family.members.get(relation="spouse")
    data = {f"health-{m.pk}-health_flags": m.health_flags for m in family.members.all()}
    data[f"health-{member.pk}-health_flags"] = "Pregnant, due in November"
    assert client.post(reverse("reception:health_detail", args=[family.pk]), data).status_code == 302
    member.refresh_from_db()
    assert member.health_flags == "Pregnant, due in November"
    # A post that leaves out the others' fields leaves their flags alone.
    only_spouse = {f"health-{member.pk}-health_flags": "Pregnant"}
    assert client.post(reverse("reception:health_detail", args=[family.pk]), only_spouse).status_code == 302
    assert family.members.get(relation="head").health_flags == "Hypertension"
    task = family.tasks.filter(health_related=True).first()
    prefix = f"task-{task.pk}"
    client.post(
        reverse("reception:task_update", args=[task.pk]),
        {f"{prefix}-status": "done", f"{prefix}-responsible_user": social_worker.pk},
    )
    task.refresh_from_db()
    assert task.status == "done" and task.responsible_user == social_worker


def test_the_family_becomes_clients_from_the_page(client, coordinator, family):
    client.force_login(coordinator)
    url = reverse("reception:arrival_convert", args=[family.pk])
    members = list(family.members.all())
    data = {"arrived_on": "2025-09-15"}
    names = ["Omar", "Layla", "Sara", "Yusuf", "Mira"]
    for member, given in zip(members, names, strict=True):
        data[f"person-{member.pk}-family_name"] = "Haddad"
        data[f"person-{member.pk}-given_names"] = given
        data[f"person-{member.pk}-date_of_birth"] = str(member.birth_year)
    form_page = client.get(url)
    assert form_page.context["people"][0]["native_language"].value() == "ar"
    data[f"person-{members[0].pk}-native_language"] = "ar"
    missing = dict(data)
    missing[f"person-{members[2].pk}-given_names"] = ""
    assert client.post(url, missing).status_code == 200
    assert not Client.objects.exists()
    response = client.post(url, data)
    assert response.status_code == 302
    family.refresh_from_db()
    assert family.status == "arrived" and family.household is not None
    assert sorted(Client.objects.values_list("given_names", flat=True)) == sorted(names)
    assert Client.objects.get(given_names="Omar").native_language == "ar"
    # Recorded once: a second post changes nothing.
    client.post(url, data)
    assert Client.objects.count() == 5


def test_a_move_from_a_reception_centre_is_accepted_and_becomes_a_client(
    client, coordinator, narpes, welfare, centre
):
    client.force_login(coordinator)
    post = {
        "municipality": narpes.pk,
        "welfare_area": welfare.pk,
        "reception_centre": centre.pk,
        "reference": "VOK-2025-5",
        "placement_requested_on": "2025-08-25",
        "move_type": "independent",
        "expected_on": "2025-09-20",
        "residence_ground": "subsidiary_protection",
        "permit_granted_on": "2025-08-01",
        "family_reunification": "Wife and two children in Kabul; application pending",
        "member-TOTAL_FORMS": "1",
        "member-INITIAL_FORMS": "0",
        "member-0-relation": "head",
        "member-0-birth_year": "1995",
    }
    response = client.post(reverse("reception:arrival_create", args=["reception_centre"]), post)
    move = ArrivalGroup.objects.get(reference="VOK-2025-5")
    assert response.status_code == 302 and move.status == "requested" and move.kind == "reception_centre"
    assert move.tasks.count() == len(arrivals.DEFAULT_MOVE_TASKS)
    client.post(reverse("reception:arrival_step", args=[move.pk, "accept"]))
    move.refresh_from_db()
    assert move.status == "expected"
    member = move.members.get()
    client.post(
        reverse("reception:arrival_convert", args=[move.pk]),
        {
            "arrived_on": "2025-09-20",
            "move_reported_on": "2025-09-22",
            f"person-{member.pk}-family_name": "Rahimi",
            f"person-{member.pk}-given_names": "Ahmad",
        },
    )
    person = Client.objects.get(family_name="Rahimi")
    assert (person.residence_ground, person.first_permit_date, person.client_since) == (
        "subsidiary_protection",
        D(2025, 8, 1),
        D(2025, 9, 20),
    )
    move.refresh_from_db()
    assert move.move_reported_on == D(2025, 9, 22)


def test_a_move_needs_a_ground_of_protection_and_a_centre(client, coordinator, narpes, welfare):
    client.force_login(coordinator)
    post = {
        "municipality": narpes.pk,
        "welfare_area": welfare.pk,
        "reception_centre": narpes.pk,
        "reference": "VOK-2025-6",
        "placement_requested_on": "2025-08-25",
        "move_type": "teleport",
        "expected_on": "2025-09-20",
        "residence_ground": "work",
        "member-TOTAL_FORMS": "1",
        "member-INITIAL_FORMS": "0",
        "member-0-relation": "head",
    }
    response = client.post(reverse("reception:arrival_create", args=["reception_centre"]), post)
    assert response.status_code == 200
    assert set(response.context["form"].errors) >= {"reception_centre", "move_type", "residence_ground"}
    assert not ArrivalGroup.objects.exists()


def test_the_template_editor_changes_the_next_task_list(client, coordinator, narpes, welfare):
    client.force_login(coordinator)
    url = reverse("reception:template", args=["quota"])
    response = client.get(url)
    formset = response.context["formset"]
    data = {
        "item-TOTAL_FORMS": str(len(formset.forms)),
        "item-INITIAL_FORMS": str(formset.initial_form_count()),
    }
    for i, form in enumerate(formset.initial_forms):
        data.update(
            {
                f"item-{i}-{name}": value
                for name, value in form.initial.items()
                if value is not None and value is not False
            }
        )
        if form.initial["offset_days"] == 30:
            data[f"item-{i}-DELETE"] = "on"
    new = len(formset.forms) - 2
    data.update({f"item-{new}-title": "School place for the children", f"item-{new}-offset_days": "-10"})
    saved = client.post(url, data)
    assert saved.status_code == 302, saved.context["formset"].errors
    group = make_family(narpes, welfare, coordinator, reference="ELY-NEXT")
    titles = list(group.tasks.values_list("title", flat=True))
    assert "School place for the children" in titles and len(titles) == 9
    # A health task is the family's welfare area's, whatever organisation the row names.
    data.update({f"item-{new}-health_related": "on", f"item-{new}-responsible": narpes.pk})
    assert client.post(url, data).status_code == 302
    item = TaskTemplateItem.objects.get(title="School place for the children")
    assert item.health_related and item.responsible is None
    other_welfare = OrganisationFactory.welfare_area(code="other-welfare")
    group = make_family(narpes, other_welfare, coordinator, reference="ELY-OTHER")
    assert group.tasks.get(title="School place for the children").responsible == other_welfare
    # Rows beyond the limit are refused, not saved.
    data["item-TOTAL_FORMS"] = "500"
    response = client.post(url, data)
    assert response.status_code == 200 and response.context["formset"].non_form_errors()


def test_the_calendar_shows_arrivals_on_their_day(client, coordinator, family):
    client.force_login(coordinator)
    response = client.get(reverse("reception:calendar"), {"month": "2025-09"})
    days = {day: groups for week in response.context["weeks"] for day, groups in week}
    assert [g.pk for g in days[D(2025, 9, 15)]] == [family.pk]
    assert not days[D(2025, 9, 14)]
    assert client.get(reverse("reception:calendar"), {"month": "nonsense"}).status_code == 200


def test_the_export_lists_arrivals_with_their_counts(client, coordinator, family):
    client.force_login(coordinator)
    response = client.get(reverse("reception:arrivals_export", args=["csv"]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    header = rows.index(
        [
            "reference",
            "municipality",
            "kind",
            "status",
            "expected_on",
            "arrived_on",
            "persons",
            "open_tasks",
            "overdue_tasks",
            "flat",
        ]
    )
    assert rows[header + 1][:7] == ["ELY-2025-017", "Närpes", "quota", "expected", "2025-09-15", "", "5"]
    response = client.get(reverse("reception:arrivals_export", args=["xlsx"]))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert any(row[:2] == ["ELY-2025-017", "Närpes"] for row in values)


@pytest.mark.parametrize(
    "role", [Role.COUNSELLOR, Role.EMPLOYMENT_OFFICER, Role.DATA_PROTECTION_OFFICER, Role.REPORTING]
)
def test_roles_without_reception_see_none_of_it(client, narpes, family, role):
    client.force_login(UserFactory.with_role(role, narpes))
    task = family.tasks.first()
    for url in (
        reverse("reception:board"),
        reverse("reception:calendar"),
        reverse("reception:arrivals_export", args=["csv"]),
        reverse("reception:arrival_create", args=["quota"]),
        reverse("reception:arrival_detail", args=[family.pk]),
        reverse("reception:arrival_convert", args=[family.pk]),
        reverse("reception:template", args=["quota"]),
        reverse("reception:health"),
        reverse("reception:health_detail", args=[family.pk]),
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("reception:task_update", args=[task.pk]), {}).status_code == 404
    assert client.post(reverse("reception:arrival_step", args=[family.pk, "cancel"])).status_code == 404


def test_another_municipalitys_coordinator_gets_404_and_changes_nothing(client, vasa, family):
    client.force_login(UserFactory.with_role(Role.COORDINATOR, vasa))
    assert client.get(reverse("reception:board")).context["stages"]["expected"] == []
    assert client.get(reverse("reception:arrival_detail", args=[family.pk])).status_code == 404
    assert (
        client.post(
            reverse("reception:arrival_date", args=[family.pk]), {"expected_on": "2026-01-01"}
        ).status_code
        == 404
    )
    assert client.post(reverse("reception:arrival_step", args=[family.pk, "cancel"])).status_code == 404
    assert client.post(reverse("reception:arrival_convert", args=[family.pk]), {}).status_code == 404
    family.refresh_from_db()
    assert (family.status, family.expected_on) == ("expected", D(2025, 9, 15))


def test_anonymous_visitors_are_sent_to_sign_in(client, family):
    response = client.get(reverse("reception:arrival_detail", args=[family.pk]))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_a_cancelled_arrival_leaves_the_board(client, coordinator, family):
    client.force_login(coordinator)
    client.post(reverse("reception:arrival_step", args=[family.pk, "cancel"]))
    family.refresh_from_db()
    assert family.status == "cancelled"
    stages = client.get(reverse("reception:board")).context["stages"]
    assert not any(stages.values())
    assert client.post(reverse("reception:arrival_step", args=[family.pk, "accept"])).status_code == 302
    family.refresh_from_db()
    assert family.status == "cancelled"


def test_the_page_names_only_visible_clients_and_logs_the_read(client, coordinator, family, vasa):
    members = list(family.members.all())
    people = {m.pk: {"family_name": "Haddad", "given_names": f"P{m.pk}"} for m in members}
    clients = arrivals.arrival_convert(by=coordinator, group=family, arrived_on=D(2025, 9, 15), people=people)
    moved = clients[1]
    Client.objects.filter(pk=moved.pk).update(organisation=vasa)  # the case moved to Vasa
    client.force_login(coordinator)
    page = client.get(reverse("reception:arrival_detail", args=[family.pk])).content.decode()
    assert clients[0].given_names in page and moved.given_names not in page
    logged = set(
        ReadEvent.objects.filter(user=coordinator, action="list").values_list("client_id", flat=True)
    )
    assert logged == {c.pk for c in clients if c.pk != moved.pk}


def test_recording_the_arrival_counts_the_open_tasks_from_the_day_they_came(coordinator, family):
    people = {m.pk: {"family_name": "Haddad", "given_names": "X"} for m in family.members.all()}
    arrivals.arrival_convert(by=coordinator, group=family, arrived_on=D(2025, 10, 15), people=people)
    health_check = family.tasks.get(offset_days=14)
    assert health_check.due_on == D(2025, 10, 29)


def test_a_done_task_keeps_its_day_when_its_person_changes(coordinator, narpes, family):
    task = family.tasks.get(offset_days=-42)
    arrivals.task_set_status(by=coordinator, task=task, status="done", done_on=D(2025, 8, 1))
    case_worker = UserFactory.with_role(Role.CASE_WORKER, narpes)
    arrivals.task_assign(by=coordinator, task=task, user=case_worker)
    task.refresh_from_db()
    assert (task.status, task.done_on, task.responsible_user) == ("done", D(2025, 8, 1), case_worker)


def test_an_expired_membership_does_not_hide_a_current_worker(coordinator, narpes, family):
    worker = UserFactory.with_role(Role.CASE_WORKER, narpes)
    old_unit = UnitFactory(organisation=narpes, name_fi="Vanha")
    Membership.objects.create(user=worker, unit=old_unit, role=Role.COUNSELLOR, valid_until=D(2020, 1, 1))
    gone = UserFactory.with_role(Role.CASE_WORKER, narpes)
    Membership.objects.filter(user=gone).update(valid_until=D(2025, 1, 1))
    task = family.tasks.get(offset_days=-42)
    assignees = set(arrivals.task_assignees(task))
    assert worker in assignees and gone not in assignees


def test_cancelling_frees_the_flat(coordinator, narpes, family):
    flat = Flat.objects.create(
        municipality=narpes, street_address="Storgatan 1", rooms=3, size_m2=70, rent_eur=700
    )
    housing.flat_assign(by=coordinator, flat=flat, group=family, starts_on=D(2025, 9, 15))
    begun = housing.flat_assign(
        by=coordinator, flat=flat, group=family, starts_on=D(2025, 8, 1), ends_on=D(2025, 8, 31)
    )
    FlatAssignment.objects.filter(pk=begun.pk).update(ends_on=D(2025, 9, 10))
    arrivals.arrival_cancel(by=coordinator, group=family)
    assert list(FlatAssignment.objects.values_list("starts_on", "ends_on")) == [
        (D(2025, 8, 1), D(2025, 9, 1))
    ]


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-02"])
def test_dates_off_the_calendar_get_a_message_not_an_error(client, coordinator, narpes, welfare, family, day):
    client.force_login(coordinator)
    assert (
        client.post(reverse("reception:arrival_date", args=[family.pk]), {"expected_on": day}).status_code
        == 400
    )
    response = client.post(
        reverse("reception:arrival_create", args=["quota"]), family_post(welfare, narpes, expected_on=day)
    )
    assert response.status_code == 200 and "expected_on" in response.context["form"].errors
    for month in ("0001-01", "9999-12"):
        assert client.get(reverse("reception:calendar"), {"month": month}).status_code == 200
    assert ArrivalGroup.objects.count() == 1


def test_too_many_person_rows_are_refused(client, coordinator, narpes, welfare):
    client.force_login(coordinator)
    post = family_post(welfare, narpes, **{"member-TOTAL_FORMS": "200"})
    response = client.post(reverse("reception:arrival_create", args=["quota"]), post)
    assert response.status_code == 200 and not ArrivalGroup.objects.exists()


def test_the_arrival_page_costs_the_same_queries_for_many_tasks(client, coordinator, narpes, family):
    client.force_login(coordinator)
    url = reverse("reception:arrival_detail", args=[family.pk])
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    template = arrivals.template_for(by=coordinator, municipality=narpes)
    for number in range(10):
        ArrivalTask.objects.create(
            group=family,
            title=f"Extra {number}",
            offset_days=number,
            due_on=D(2025, 9, 20),
            responsible=narpes,
        )
    with CaptureQueriesContext(connection) as after:
        client.get(url)
    assert len(after) == len(before)
    assert template.items.count() == len(arrivals.DEFAULT_TASKS)


def test_a_second_submit_of_the_same_family_makes_no_second_group(client, coordinator, narpes, welfare):
    client.force_login(coordinator)
    url = reverse("reception:arrival_create", args=["quota"])
    assert client.post(url, family_post(welfare, narpes)).status_code == 302
    response = client.post(url, family_post(welfare, narpes))
    assert response.status_code == 200 and "reference" in response.context["form"].errors
    assert ArrivalGroup.objects.count() == 1 and ArrivalTask.objects.count() == len(arrivals.DEFAULT_TASKS)


def test_the_welfare_areas_view_of_arrived_clients_health_is_logged(
    client, coordinator, social_worker, family
):
    record_health_flags(family)
    people = {m.pk: {"family_name": "Haddad", "given_names": "X"} for m in family.members.all()}
    clients = arrivals.arrival_convert(by=coordinator, group=family, arrived_on=D(2025, 9, 1), people=people)
    client.force_login(social_worker)
    assert client.get(reverse("reception:health_detail", args=[family.pk])).status_code == 200
    logged = set(
        ReadEvent.objects.filter(user=social_worker, action="detail").values_list("client_id", flat=True)
    )
    assert logged == {c.pk for c in clients}


def test_arrival_tasks_and_template_tasks_are_in_the_write_log(coordinator, family):

    from hemkommun.reception.models import TaskTemplateItem

    assert (
        LogEntry.objects.get_for_model(ArrivalTask).count()
        == family.tasks.count()
        == len(arrivals.DEFAULT_TASKS)
    )
    assert LogEntry.objects.get_for_model(TaskTemplateItem).count() == len(arrivals.DEFAULT_TASKS)


@pytest.mark.parametrize("value", ["²", "١٢", "x"])
def test_odd_digits_in_the_address_give_a_page_not_an_error(client, coordinator, family, value):
    client.force_login(coordinator)
    assert client.get(reverse("reception:board"), {"municipality": value}).status_code == 200
    assert (
        client.get(reverse("reception:arrival_create", args=["quota"]), {"persons": value}).status_code == 200
    )


def test_the_grounds_that_may_move_follow_the_dated_parameters(coordinator, narpes, welfare, centre):
    def move(ground, on):
        return arrivals.arrival_create(
            by=coordinator,
            municipality=narpes,
            welfare_area=welfare,
            reference=f"VOK-{ground}-{on}",
            expected_on=on,
            members=[{"relation": "head"}],
            kind="reception_centre",
            move={"reception_centre": centre, "move_type": "assisted", "residence_ground": ground},
        )

    # Temporary protection is in the act's scope from 1.3.2023 (parameter qualifying_ground).
    with pytest.raises(ValidationError) as excinfo:
        move("temporary_protection", D(2023, 2, 1))
    assert "residence_ground" in excinfo.value.error_dict
    assert move("temporary_protection", D(2023, 3, 1)).residence_ground == "temporary_protection"
    with pytest.raises(ValidationError):
        move("work", D(2025, 9, 1))

"""Identity codes and health data: encrypted in the tables, and never in the write or read log
(clear, encrypted or as a blind index). Written through the services, as staff would."""

import datetime

import pytest
from auditlog.models import LogEntry
from django.db import connection
from django.urls import reverse

from hemkommun.casework.services import assessments as assessment_services
from hemkommun.casework.services import plans as plan_services
from hemkommun.clients import services as client_services
from hemkommun.core import crypto
from hemkommun.core.models import ReadEvent
from hemkommun.organizations.models import Role
from hemkommun.reception.services import arrivals

from ..factories import OrganisationFactory, UserFactory, make_client

D = datetime.date
CODE, NEW_CODE = "131052-308T", "140390-123M"
NOTES, NEW_NOTES = "Diabetes typ 2, insulin", "Hypertension, medication daily"
GOAL = "Trauma therapy weekly"
FLAGS, NEW_FLAGS = "Tuberculosis screening pending", "Needs a wheelchair"
SECRETS = (CODE, NEW_CODE, "131052", "140390", NOTES, NEW_NOTES, GOAL, FLAGS, NEW_FLAGS)


@pytest.fixture
def case_worker(narpes):
    return UserFactory.with_role(Role.CASE_WORKER, narpes, username="case.worker")


@pytest.fixture
def written(narpes, case_worker):
    """Every encrypted field created and then changed through its service."""
    person = make_client(narpes, by=case_worker, identity_code=CODE, client_since=D(2025, 3, 3))
    client_services.client_update(by=case_worker, client=person, data={"identity_code": NEW_CODE})
    assessment = assessment_services.assessment_create(
        by=case_worker, client=person, data={"started_on": D(2025, 3, 10), "health_notes": NOTES}
    )
    assessment_services.assessment_update(
        by=case_worker, assessment=assessment, data={"health_notes": NEW_NOTES}
    )
    plan = plan_services.plan_create(
        by=case_worker,
        client=person,
        data={"drafted_on": D(2025, 4, 1), "starts_on": D(2025, 4, 14), "ends_on": D(2026, 4, 14)},
    )
    goal = plan_services.goal_add(by=case_worker, plan=plan, data={"kind": "health", "description": GOAL})
    member = _expected_member(narpes)
    social_worker = UserFactory.with_role(Role.SOCIAL_WORKER, member.group.welfare_area)
    arrivals.health_flags_set(by=social_worker, member=member, health_flags=FLAGS)
    arrivals.health_flags_set(by=social_worker, member=member, health_flags=NEW_FLAGS)
    return {"client": person, "assessment": assessment, "goal": goal, "member": member}


def _expected_member(narpes):
    coordinator = UserFactory.with_role(Role.COORDINATOR, narpes)
    group = arrivals.arrival_create(
        by=coordinator,
        municipality=narpes,
        welfare_area=OrganisationFactory.welfare_area(),
        reference="ELY-2025-017",
        expected_on=D(2025, 9, 15),
        permit_granted_on=D(2025, 6, 2),
        members=[{"relation": "head", "birth_year": 1984, "sex": "M"}],
    )
    return group.members.get()


def raw(table: str, column: str, pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])  # noqa: S608 (names are ours)
        return cursor.fetchone()[0]


def test_the_tables_hold_ciphertext_and_the_models_clear_values(written):
    columns = [
        ("clients_client", "identity_code", written["client"], NEW_CODE),
        ("casework_assessment", "health_notes", written["assessment"], NEW_NOTES),
        ("casework_plangoal", "description", written["goal"], GOAL),
        ("reception_expectedmember", "health_flags", written["member"], NEW_FLAGS),
    ]
    for table, column, instance, clear in columns:
        stored = raw(table, column, instance.pk)
        assert crypto.is_encrypted(stored) and clear not in stored, (table, column)
        instance.refresh_from_db()
        assert getattr(instance, column) == clear


def test_no_log_entry_holds_a_clear_value_a_ciphertext_or_an_index(written):
    index = raw("clients_client", "identity_code_index", written["client"].pk)
    entries = list(LogEntry.objects.all())
    models = {entry.content_type.model for entry in entries}
    assert {"client", "assessment", "plangoal", "expectedmember"} <= models
    for entry in entries:
        text = " ".join(str(part) for part in (entry.changes, entry.object_repr, entry.additional_data))
        for secret in (*SECRETS, f"{crypto.FORMAT}$", index, index.split(":")[-1]):
            assert secret not in text, (entry.content_type.model, secret)
    # The log still says that the values changed.
    client_update = LogEntry.objects.get_for_object(written["client"]).filter(action=LogEntry.Action.UPDATE)
    assert client_update.get().changes_dict["identity_code"] == ["********", "********"]


def test_a_search_by_identity_code_leaves_no_code_in_the_read_log(client, written, case_worker):
    client.force_login(case_worker)
    for query in (NEW_CODE, NEW_CODE.lower(), "010101+123N".replace("+", "%2B"), "131052"):
        assert client.get(f"{reverse('clients:list')}?hetu={query}&q=").status_code == 200
    contexts = list(ReadEvent.objects.values_list("context", flat=True))
    assert any("hetu=********" in context for context in contexts)
    for context in contexts:
        assert not any(secret.lower() in context.lower() for secret in SECRETS), context

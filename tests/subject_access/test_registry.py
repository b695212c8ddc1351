"""Completeness by construction: every model related to a client is in the registry, and a
richly-populated client's report has a section with exactly its rows for every included model."""

import json

import pytest
from auditlog.context import set_actor
from django.apps import apps

from hemkommun.casework.models import Contact
from hemkommun.core.audit import record_reads
from hemkommun.core.models import ReadEvent
from hemkommun.organizations.models import Role
from hemkommun.subject_access import registry
from hemkommun.subject_access.report import build_report, row
from tests.api import helpers as api
from tests.factories import UserFactory, make_client

from .helpers import IDENTITY_CODE


def test_every_model_related_to_a_client_is_included_or_excluded_with_a_reason():
    missing = registry.reachable_models() - registry.registered_labels()
    assert not missing, f"Add these to hemkommun/subject_access/registry.py: {sorted(missing)}"


def test_the_registry_names_no_model_that_is_gone_or_unrelated():
    assert registry.registered_labels() <= registry.reachable_models()
    for entry in registry.UNLINKED:
        assert apps.get_model(entry.label)
    assert all(entry.reason for entry in (*registry.EXCLUDED, *registry.UNLINKED))


def test_the_walk_finds_models_two_steps_from_a_client():
    found = registry.reachable_models()
    # goal of a plan, event of a referral, session of an attendance, members' household
    assert {"casework.PlanGoal", "casework.ReferralEvent", "programme.Session", "clients.Household"} <= found
    assert not found & registry.REFERENCE_MODELS


def _ends_at_client(model, lookup: str) -> bool:
    for name in lookup.split("__"):
        if name == "pk":
            continue
        model = model._meta.get_field(name).related_model
    return model._meta.label == "clients.Client"


@pytest.mark.parametrize("entry", registry.INCLUDED, ids=lambda e: e.label)
def test_each_included_model_is_reached_through_lookups_ending_at_the_client(entry):
    assert entry.via and all(_ends_at_client(entry.model, lookup) for lookup in entry.via)
    for name in entry.omit:  # an omitted field that no longer exists is a stale reason
        entry.model._meta.get_field(name)


@pytest.fixture
def report(subject, worker_narpes, narpes):
    return build_report(client=subject, by=worker_narpes, organisation=narpes, language="en")


def test_the_rich_client_has_rows_in_every_included_model_and_the_report_has_exactly_them(subject, report):
    sections = {s["model"]: s for s in report["sections"]}
    assert list(sections) == [entry.label for entry in registry.INCLUDED]
    for entry in registry.INCLUDED:
        expected = sorted(entry.rows(subject).values_list("pk", flat=True))
        assert expected, f"the test client has no {entry.label}: extend tests/subject_access/helpers.py"
        assert sorted(r["id"] for r in sections[entry.label]["rows"]) == expected, entry.label


def test_another_clients_rows_stay_out(narpes, worker_narpes, subject):
    stranger = make_client(narpes, by=worker_narpes, family_name="Stranger", given_names="Sam")
    api.contact(narpes, stranger, notes="Not the subject's note")
    api.activity(narpes, clients=[stranger], name="Other café")
    text = json.dumps(build_report(client=subject, by=worker_narpes, organisation=narpes, language="en"))
    assert "Stranger" not in text and "Not the subject's note" not in text and "Other café" not in text
    assert Contact.objects.filter(client=stranger).exists()


def test_the_subject_gets_their_identity_code_and_health_notes_in_clear(report):
    client_row = report["sections"][0]["rows"][0]
    assert client_row["identity_code"] == IDENTITY_CODE
    assessments = next(s for s in report["sections"] if s["model"] == "casework.Assessment")
    assert assessments["rows"][0]["health_notes"] == "Ryggbesvär."


def test_the_write_log_keeps_the_identity_code_masked(report):
    created = next(
        e for e in report["write_log"] if e["model"] == "clients.Client" and e["action"] == "create"
    )
    assert created["changes"]["identity_code"][1] == "********"
    assert IDENTITY_CODE not in json.dumps(report["write_log"])
    assert {e["model"] for e in report["write_log"]} >= {"casework.IntegrationPlan", "casework.Assessment"}


def test_values_are_codes_and_iso_dates_and_the_file_is_plain_json(report, subject):
    client_row = report["sections"][0]["rows"][0]
    assert client_row["residence_ground"] == "quota_refugee"
    assert client_row["arrival_date"] == subject.arrival_date.isoformat()
    assert client_row["organisation"] == {"code": "545", "name": "Närpes"}
    reads = next(s for s in report["sections"] if s["model"] == "core.ReadEvent")
    assert reads["rows"][0]["basis_text"] and reads["rows"][0]["organisations"][0]["code"] == "545"
    assert json.loads(json.dumps(report)) == report


def test_a_model_left_out_of_the_registry_is_reported(monkeypatch):
    """The guard above really guards: drop an entry and the walk names the model."""
    dropped = registry.EXCLUDED[0]
    monkeypatch.setattr(registry, "EXCLUDED", registry.EXCLUDED[1:])
    assert registry.reachable_models() - registry.registered_labels() == {dropped.label}


def test_the_write_log_keeps_the_history_of_the_clients_rows_since_deleted(narpes, worker_narpes):
    subject = make_client(narpes, by=worker_narpes, family_name="Subject")
    other = make_client(narpes, by=worker_narpes, family_name="Other")
    deleted, others = (
        api.contact(narpes, subject, notes="Deleted note"),
        api.contact(narpes, other, notes="Theirs"),
    )
    with set_actor(worker_narpes):
        deleted.delete()
        others.delete()
    log = build_report(client=subject, by=worker_narpes, organisation=narpes, language="en")["write_log"]
    contacts = [e for e in log if e["model"] == "casework.Contact"]
    assert [e["action"] for e in contacts] == ["create", "delete"]
    assert contacts[1]["changes"]["notes"][0] == "Deleted note"
    assert "Theirs" not in json.dumps(log)


def test_many_read_events_cost_no_query_each(narpes, worker_narpes, django_assert_max_num_queries):
    subject = make_client(narpes, by=worker_narpes)
    for n in range(30):
        reader = UserFactory.with_role(Role.COUNSELLOR, narpes, username=f"reader{n}")
        record_reads(user=reader, client_ids=[subject.pk], action=ReadEvent.Action.LIST)
    entry = registry.included("core.ReadEvent")
    fields = registry.fields_of(entry)
    with django_assert_max_num_queries(8):
        rows = [row(event, entry, fields) for event in entry.rows(subject)]
    assert len(rows) == 30 and all(r["organisations"] == [{"code": "545", "name": "Närpes"}] for r in rows)


def test_the_clients_row_leaves_out_the_derived_search_keys(report):
    """The keyed digest of the identity code and the folded names mean nothing to the client."""
    client_row = report["sections"][0]["rows"][0]
    assert "identity_code_index" not in client_row and "name_key" not in client_row
    assert client_row["family_name"]

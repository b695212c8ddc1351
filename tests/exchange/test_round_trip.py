import json

import jsonschema
import pytest

from hemkommun.casework.models import ReferralEvent
from hemkommun.clients.models import Client
from hemkommun.exchange.models import RecordImport
from hemkommun.exchange.record import build_record, schema

from .helpers import do_import, free_identity_code

pytestmark = pytest.mark.django_db


def _comparable(document: dict) -> dict:
    """Everything but what differs by design: export time and exporter, the owner organisation."""
    document = json.loads(json.dumps(document))
    for key in ("exported_at", "exported_by"):
        document.pop(key)
    for assessment in document["assessments"]:
        assessment.pop("key")
    for plan in document["plans"]:
        plan.pop("assessment")
        for goal in plan["goals"]:
            goal.pop("key")
        for measure in plan["measures"]:
            measure.pop("goal")
    return document


def test_export_validates_against_the_schema(record_client, worker_narpes):
    document = build_record(client=record_client, by=worker_narpes)
    jsonschema.Draft202012Validator.check_schema(schema())
    jsonschema.Draft202012Validator(schema()).validate(document)
    assert document["format"] == "hemkommun.integration-record" and document["version"] == 1
    assert document["includes_health"] is True
    assert document["client"]["identity_code"] == "131052-308T"
    assert document["client"]["family_name"] == "الحسن"
    assert document["assessments"][0]["worker"] == "Anna Berg"
    assert document["assessments"][0]["health_notes"] == "Ryggbesvär."
    events = document["referrals"][0]["events"]
    assert [e["status"] for e in events] == ["sent", "acknowledged", "accepted", "completed"]
    extension = document["plans"][0]["extensions"][0]
    assert extension["decided_by"] == "Anna Berg" and extension["reason"] == "Kursen fortsätter."
    assert document["plans"][0]["reviews"][0]["reviewed_by"] == "Anna Berg"
    assert events[1]["by"] == "Sara Social" and events[1]["organisation"]["code"] == "welfare-ostrobothnia"


def test_round_trip_narpes_to_vasa(record_client, worker_narpes, worker_vasa, vasa, exported):
    original = build_record(client=record_client, by=worker_narpes)
    # The client moves to another installation's Vasa: here the same database, so the Närpes
    # record gives up the identity code first (else the import is refused as a duplicate), and
    # the same name and date of birth in Närpes is confirmed as known.
    free_identity_code(record_client)

    result = do_import(worker_vasa, vasa, exported, confirm_duplicate=True)

    assert result.errors == [] and result.client is not None
    imported = Client.objects.get(pk=result.client.pk)
    assert imported.organisation == vasa
    note = RecordImport.objects.get(client=imported)
    assert (note.source_organisation_code, note.imported_by) == ("545", worker_vasa)
    again = build_record(client=imported, by=worker_vasa)
    assert _comparable(again) == _comparable(original)
    # Keys differ but the links they carry survive.
    plan = imported.plans.get()
    assert plan.assessment == imported.assessments.get()
    assert plan.measures.get(service="Integrationsutbildning").goal.kind == "language"
    # Event times are the file's, not the import's.
    first = ReferralEvent.objects.filter(referral__client=imported).order_by("at", "id").first()
    assert first.at.isoformat() == original["referrals"][0]["events"][0]["at"]


def test_import_writes_the_audit_log(exported, record_client, worker_vasa, vasa):
    from auditlog.models import LogEntry

    free_identity_code(record_client)
    before = LogEntry.objects.count()
    result = do_import(worker_vasa, vasa, exported, confirm_duplicate=True)
    entries = LogEntry.objects.filter(pk__gt=0).count() - before
    assert result.client is not None and entries >= 10
    assert LogEntry.objects.filter(actor=worker_vasa, object_pk=str(result.client.pk)).exists()


def test_health_left_out_when_the_exporter_may_not_see_it(record_client, narpes):
    from hemkommun.organizations.models import Role
    from tests.factories import UserFactory

    coordinator = UserFactory.with_role(Role.COORDINATOR, narpes)
    document = build_record(client=record_client, by=coordinator)
    jsonschema.Draft202012Validator(schema()).validate(document)
    assert document["includes_health"] is False
    assert "health_notes" not in document["assessments"][0]
    health_goal = next(g for g in document["plans"][0]["goals"] if g["kind"] == "health")
    assert "description" not in health_goal

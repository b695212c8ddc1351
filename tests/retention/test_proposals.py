"""Rules, holds and the daily proposal job. Worked examples from the rule text: a client record
is due when the later of the end of the relationship and the last event is the rule's period ago
(the default: 10 years, so on 15.6.2026 a last event on 15.6.2016 or before)."""

from importlib import import_module

import pytest
import time_machine
from django.apps import apps
from django.core.exceptions import ValidationError
from django_q.models import Schedule

from hemkommun.casework.models import Aftercare, Contact
from hemkommun.retention import jobs, records, services
from hemkommun.retention.models import RecordType, RetentionProposal, RetentionRule

from ..factories import make_client
from .conftest import TODAY, at, d

Status = RetentionProposal.Status


def old_client(organisation, by, last_contact: str, **data):
    client = make_client(organisation, by=by, client_since=d("2010-01-01"), **data)
    Contact.objects.create(
        organisation=organisation, client=client, recorded_by=by, occurred_at=at(last_contact)
    )
    return client


def proposed_numbers():
    return set(
        RetentionProposal.objects.filter(record_type=RecordType.CLIENT, status=Status.PROPOSED).values_list(
            "client_number", flat=True
        )
    )


def codes(error: ValidationError) -> set[str]:
    if hasattr(error, "error_dict"):
        return {e.code for errors in error.error_dict.values() for e in errors}
    return {error.code}


def test_the_defaults_are_seeded_with_their_source_and_marked_to_be_checked(db):
    for record_type in RecordType:
        rule = records.rule_in_force(record_type, None, TODAY)
        assert rule is not None and rule.is_default
        assert "906/2019, § 21" in rule.legal_source and "831/1994" in rule.legal_source
        assert "information management plan" in rule.legal_source


def test_an_organisations_own_rule_replaces_the_default_while_in_force(narpes, vasa):
    own = RetentionRule.objects.create(
        organisation=narpes,
        record_type=RecordType.CLIENT,
        valid_from=d("2026-01-01"),
        valid_until=d("2026-12-31"),
        years=12,
        counted_from="last_event",
        action="erase",
        legal_source="Närpes information management plan 2026",
    )
    assert records.rule_in_force(RecordType.CLIENT, narpes.pk, TODAY) == own
    assert records.rule_in_force(RecordType.CLIENT, vasa.pk, TODAY).is_default
    assert records.rule_in_force(RecordType.CLIENT, narpes.pk, d("2027-01-01")).is_default


@pytest.mark.parametrize(
    "fields, code",
    [
        ({"record_type": "read_log", "action": "anonymise", "counted_from": "created"}, "action"),
        ({"record_type": "client", "action": "erase", "counted_from": "created"}, "counted_from"),
        (
            {"record_type": "client", "action": "erase", "counted_from": "last_event", "years": 0},
            "zero_period",
        ),
    ],
)
def test_a_rule_that_makes_no_sense_is_refused(db, fields, code):
    rule = RetentionRule(valid_from=TODAY, legal_source="x", **{"years": 1, **fields})
    with pytest.raises(ValidationError) as error:
        rule.clean()
    assert code in codes(error.value)


def test_an_installation_type_cannot_belong_to_an_organisation(narpes):
    rule = RetentionRule(
        organisation=narpes,
        record_type="export_job",
        valid_from=TODAY,
        months=1,
        counted_from="finished",
        action="erase",
        legal_source="x",
    )
    with pytest.raises(ValidationError) as error:
        rule.clean()
    assert "organisation" in error.value.error_dict


def test_a_client_is_due_exactly_the_period_after_the_last_event(narpes, counsellor_narpes):
    due = old_client(narpes, counsellor_narpes, "2016-06-15")
    not_yet = old_client(narpes, counsellor_narpes, "2016-06-16")
    assert jobs.propose_due() == 1
    assert proposed_numbers() == {due.pk}
    proposal = RetentionProposal.objects.get(client_number=due.pk)
    assert proposal.due_since == TODAY and proposal.action == "anonymise" and proposal.organisation == narpes
    with time_machine.travel("2026-06-16 12:00 +0300", tick=False):
        jobs.propose_due()
    assert proposed_numbers() == {due.pk, not_yet.pk}


def test_an_open_aftercare_or_a_later_plan_end_keeps_the_client(narpes, counsellor_narpes):
    client = old_client(narpes, counsellor_narpes, "2012-01-01")
    Aftercare.objects.create(client=client, started_on=d("2012-01-01"), description="x", by=counsellor_narpes)
    assert jobs.propose_due() == 0


def test_a_client_under_a_hold_is_never_proposed_and_a_lifted_hold_no_longer_holds(
    narpes, counsellor_narpes, dpo_narpes
):
    client = old_client(narpes, counsellor_narpes, "2012-01-01")
    hold = services.hold_place(
        client=client, by=dpo_narpes, reason="Complaint pending", held_from=d("2026-01-01")
    )
    assert jobs.propose_due() == 0
    services.hold_lift(hold=hold, by=dpo_narpes)
    assert jobs.propose_due() == 1


def test_a_hold_that_has_ended_no_longer_holds(narpes, counsellor_narpes, dpo_narpes):
    client = old_client(narpes, counsellor_narpes, "2012-01-01")
    services.hold_place(
        client=client, by=dpo_narpes, reason="Audit", held_from=d("2025-01-01"), held_until=d("2026-06-14")
    )
    assert proposed_numbers() == set() and jobs.propose_due() == 1


def test_running_twice_makes_no_duplicates(narpes, counsellor_narpes):
    old_client(narpes, counsellor_narpes, "2012-01-01")
    Contact.objects.create(organisation=narpes, recorded_by=counsellor_narpes, occurred_at=at("2020-01-01"))
    assert jobs.propose_due() == 2
    assert jobs.propose_due() == 0
    assert RetentionProposal.objects.count() == 2


def test_the_job_is_bounded_and_goes_on_the_next_day(narpes, counsellor_narpes):
    clients = [old_client(narpes, counsellor_narpes, "2012-01-01") for _ in range(3)]
    assert jobs.propose_due(batch=2) == 2
    assert jobs.propose_due(batch=2) == 1
    assert proposed_numbers() == {c.pk for c in clients}


def test_a_hold_placed_after_the_proposal_withdraws_it(narpes, counsellor_narpes, dpo_narpes):
    client = old_client(narpes, counsellor_narpes, "2012-01-01")
    jobs.propose_due()
    services.hold_place(client=client, by=dpo_narpes, reason="Court case", held_from=TODAY)
    jobs.propose_due()
    proposal = RetentionProposal.objects.get(client_number=client.pk)
    assert proposal.status == Status.WITHDRAWN and proposal.reason == "legal_hold"


def test_bulk_proposals_grow_rather_than_multiply(narpes, vasa, counsellor_narpes, counsellor_vasa):
    Contact.objects.create(organisation=narpes, recorded_by=counsellor_narpes, occurred_at=at("2021-06-14"))
    Contact.objects.create(organisation=narpes, recorded_by=counsellor_narpes, occurred_at=at("2021-06-16"))
    Contact.objects.create(organisation=vasa, recorded_by=counsellor_vasa, occurred_at=at("2022-01-01"))
    jobs.propose_due()
    proposal = RetentionProposal.objects.get(record_type=RecordType.ANONYMOUS_CONTACT)
    assert proposal.organisation == narpes and proposal.record_count == 1
    with time_machine.travel("2026-06-17 12:00 +0300", tick=False):
        jobs.propose_due()
    proposal.refresh_from_db()
    assert proposal.record_count == 2
    assert RetentionProposal.objects.filter(record_type=RecordType.ANONYMOUS_CONTACT).count() == 1


def test_the_job_is_scheduled_daily(db):
    import_module("hemkommun.retention.migrations.0003_schedule").schedule(apps, None)
    schedule = Schedule.objects.get(name="propose records due for retention")
    assert schedule.func == "hemkommun.retention.jobs.propose_due"
    assert schedule.schedule_type == Schedule.DAILY

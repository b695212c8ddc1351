"""Lawful erasure in the audit chain: after an approved anonymisation, an approved erasure and
the read log's rule the chain still verifies, with the removals on sealed erasure records;
a removal any other way, or an erasure record tampered with, is still found."""

import pytest
import time_machine
from auditlog.models import LogEntry
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hemkommun.audit import selectors
from hemkommun.audit.erasure import erase_entries, runs
from hemkommun.audit.labels import erasure_text, missing_entry
from hemkommun.audit.models import AuditSeal, Erasure
from hemkommun.audit.verify import Runs, verify_chain
from hemkommun.core.audit import record_reads
from hemkommun.core.models import ReadEvent
from hemkommun.retention import jobs, services
from hemkommun.retention.models import DestructionRecord, RecordType, RetentionProposal, RetentionRule

from ..factories import make_client
from .conftest import d
from .helpers import old_client, proposal_for


def reasons() -> list[str]:
    return [problem.reason for problem in verify_chain().breaks]


def read(user, *clients) -> None:
    record_reads(user=user, client_ids=[c.pk for c in clients], action=ReadEvent.Action.DETAIL)


@pytest.fixture
def erase_in_narpes(narpes):
    return RetentionRule.objects.create(
        organisation=narpes,
        record_type=RecordType.CLIENT,
        valid_from=d("2026-01-01"),
        years=10,
        counted_from="last_event",
        action="erase",
        legal_source="Närpes information management plan, 4.2",
    )


@pytest.fixture
def bystander(narpes, counsellor_narpes):
    """A client who stays, read after the one who goes: their entries must stay checked."""
    return make_client(narpes, by=counsellor_narpes, family_name="Kvar")


def approve(person, dpo):
    proposal = proposal_for(person)
    services.proposal_approve(proposal=proposal, by=dpo)
    return proposal


def erased_seals(person_reads: list[int]) -> list[AuditSeal]:
    return list(AuditSeal.objects.filter(kind="read", entry_id__in=person_reads))


def test_an_approved_anonymisation_leaves_a_chain_that_verifies(
    narpes, counsellor_narpes, dpo_narpes, bystander, capsys
):
    person = old_client(narpes, counsellor_narpes)
    read(counsellor_narpes, person, bystander)
    proposal = approve(person, dpo_narpes)
    assert not ReadEvent.objects.filter(client=person).exists()
    assert not LogEntry.objects.get_for_object(person).exists()
    details = DestructionRecord.objects.get(proposal=proposal).details
    report = verify_chain()
    assert report.ok and report.erased == details["read events"] + details["audit log entries"] > 1
    erasure = Erasure.objects.get()
    assert (erasure.purpose, erasure.reference, erasure.actor_id) == (
        "client_anonymise",
        proposal.pk,
        dpo_narpes.pk,
    )
    call_command("verify_audit_chain")
    assert "audit chain intact" in capsys.readouterr().out


def test_an_approved_erasure_leaves_a_chain_that_verifies(
    narpes, counsellor_narpes, dpo_narpes, bystander, erase_in_narpes
):
    person = old_client(narpes, counsellor_narpes)
    read(counsellor_narpes, person)
    read(counsellor_narpes, bystander)
    approve(person, dpo_narpes)
    assert not type(person).objects.filter(pk=person.pk).exists()
    report = verify_chain()
    assert report.ok and report.erased == Erasure.objects.get().count > 0
    call_command("verify_audit_chain")


def test_the_seals_of_erased_entries_keep_nothing_of_who_whom_or_what(
    narpes, counsellor_narpes, dpo_narpes, erase_in_narpes
):
    person = old_client(narpes, counsellor_narpes)
    read(counsellor_narpes, person)
    reads = list(ReadEvent.objects.filter(client=person).values_list("pk", flat=True))
    approve(person, dpo_narpes)
    assert not AuditSeal.objects.filter(client_id=person.pk).exists()
    [seal] = erased_seals(reads)
    assert (seal.actor_id, seal.client_id, seal.action) == (None, None, "erased")
    assert seal.at == Erasure.objects.get().at


def test_the_read_log_rule_leaves_a_chain_that_verifies(narpes, counsellor_narpes, dpo_narpes, bystander):
    person = old_client(narpes, counsellor_narpes, last_contact="2026-01-01")
    with time_machine.travel("2021-01-01 12:00 +0200", tick=False):
        read(counsellor_narpes, person, bystander)
        read(counsellor_narpes, person)
    read(counsellor_narpes, person)  # today: kept
    jobs.propose_due()
    proposal = RetentionProposal.objects.get(record_type=RecordType.READ_LOG, status="proposed")
    services.proposal_approve(proposal=proposal, by=dpo_narpes)
    assert ReadEvent.objects.count() == 1
    report = verify_chain()
    assert report.ok and report.erased == 3


def test_erasing_many_read_events_costs_the_same_queries_as_a_few(narpes, counsellor_narpes, bystander):
    person = make_client(narpes, by=counsellor_narpes, family_name="Monta")
    read(counsellor_narpes, person)
    read(counsellor_narpes, *[bystander] * 40)

    def queries(client) -> int:
        with CaptureQueriesContext(connection) as captured:
            erase_entries(reads=ReadEvent.objects.filter(client=client), purpose="read_log")
        return len(captured)

    assert queries(person) == queries(bystander)
    assert verify_chain().ok


@pytest.fixture
def anonymised(narpes, counsellor_narpes, dpo_narpes, bystander):
    person = old_client(narpes, counsellor_narpes)
    read(counsellor_narpes, person, bystander)
    approve(person, dpo_narpes)
    assert verify_chain().ok
    return person


def test_a_read_event_deleted_outside_retention_is_still_found(anonymised, bystander):
    ReadEvent.objects.filter(client=bystander).delete()
    assert reasons() == ["entry_removed"]


def test_a_log_entry_deleted_outside_retention_is_still_found(anonymised, bystander):
    entry = LogEntry.objects.get_for_object(bystander).first()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM auditlog_logentry WHERE id = %s", [entry.pk])
    assert reasons() == ["entry_removed"]
    with pytest.raises(CommandError):
        call_command("verify_audit_chain")


def test_an_erasure_list_extended_to_cover_another_deletion_is_found(anonymised, bystander):
    event = ReadEvent.objects.get(client=bystander)
    sequence = AuditSeal.objects.get(kind="read", entry_id=event.pk).sequence
    erasure = Erasure.objects.get()
    Erasure.objects.filter(pk=erasure.pk).update(sequences=[*erasure.sequences, [sequence, sequence]])
    event.delete()
    # The erasure is reported, and what it excused is no longer excused.
    assert reasons() == ["entry_altered", "entry_removed"]
    assert verify_chain().breaks[0].kind == "erasure"


def test_an_erasure_record_removed_is_found(anonymised):
    Erasure.objects.all().delete()
    assert reasons() == [
        "entry_removed",
        "entry_removed",
    ]  # the record itself, and the first entry it excused


def test_a_forged_erasure_without_the_key_excuses_nothing(anonymised, bystander, settings):
    # Someone with the database but not the key seals an erasure of their own.
    real_key = settings.AUDIT_CHAIN_KEY
    settings.AUDIT_CHAIN_KEY = "guessed"
    erase_entries(reads=ReadEvent.objects.filter(client=bystander), purpose="read_log")
    settings.AUDIT_CHAIN_KEY = real_key
    report = verify_chain()
    assert [b.reason for b in report.breaks] == ["entry_altered", "entry_removed"]
    assert report.breaks[0].kind == "erasure"


def test_an_erased_seal_pointed_at_an_inserted_entry_is_found(anonymised, counsellor_narpes, bystander):
    [forged] = ReadEvent.objects.bulk_create(
        [ReadEvent(user=counsellor_narpes, client=bystander, action=ReadEvent.Action.DETAIL)]
    )
    erased = AuditSeal.objects.filter(kind="read", action="erased").first()
    AuditSeal.objects.filter(pk=erased.pk).update(entry_id=forged.pk)
    assert reasons() == ["entry_altered"]


def test_runs_compress_sequences_and_answer_membership():
    assert runs([7, 3, 4, 5, 9, 4]) == [[3, 5], [7, 7], [9, 9]]
    listed = Runs([[10, 12], [3, 5], [6, 6]])
    assert [n for n in range(1, 15) if n in listed] == [3, 4, 5, 6, 10, 11, 12]


def test_the_officer_sees_the_erasure_in_the_audit_log_and_nothing_of_what_it_removed(
    anonymised, dpo_narpes, narpes
):
    seals = list(selectors.audit_seals(user=dpo_narpes, selection=selectors.AuditFilter()))
    assert not [s for s in seals if s.action == "erased"]
    [row] = [r for r in selectors.rows_for(seals, organisation_ids={narpes.pk}) if r.seal.kind == "erasure"]
    assert row.client_number is None and row.staff
    assert row.subject == erasure_text(Erasure.objects.get())
    assert row.subject != missing_entry()

"""The audit chain: every read and write entry sealed as written, and each kind of tampering
(queryset update/delete, raw SQL, forged or reordered seals) found by the verification."""

import pytest
from auditlog.models import LogEntry
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hemkommun.audit.models import AuditSeal, ChainHead
from hemkommun.audit.verify import verify_chain
from hemkommun.core.audit import record_reads
from hemkommun.core.models import ReadEvent

from ..factories import make_client, make_share


@pytest.fixture
def logged(narpes, counsellor_narpes, narpes_client):
    """A chain with write entries (the client's creation) and read entries after them."""
    others = [make_client(narpes, by=counsellor_narpes, family_name=f"Other{n}") for n in range(2)]
    record_reads(user=counsellor_narpes, client_ids=[narpes_client.pk], action=ReadEvent.Action.DETAIL)
    record_reads(user=counsellor_narpes, client_ids=[c.pk for c in others], action=ReadEvent.Action.LIST)
    return narpes_client


def reasons() -> list[str]:
    return [problem.reason for problem in verify_chain().breaks]


def test_every_entry_of_both_logs_is_sealed_in_one_sequence(logged):
    seals = list(AuditSeal.objects.order_by("sequence"))
    assert {s.kind for s in seals} == {"read", "write"}
    assert [s.sequence for s in seals] == list(range(1, len(seals) + 1))
    assert AuditSeal.objects.filter(kind="read").count() == ReadEvent.objects.count() == 3
    assert AuditSeal.objects.filter(kind="write").count() == LogEntry.objects.count()
    for earlier, later in zip(seals, seals[1:], strict=False):
        assert later.previous == earlier.digest
    head = ChainHead.objects.get(pk=1)
    assert (head.sequence, head.digest) == (seals[-1].sequence, seals[-1].digest)


def test_a_seal_names_the_client_and_staff_member(logged, counsellor_narpes, vasa):
    created = LogEntry.objects.get_for_object(logged).get()
    seal = AuditSeal.objects.get(kind="write", entry_id=created.pk)
    assert (seal.client_id, seal.actor_id, seal.action) == (logged.pk, counsellor_narpes.pk, "create")
    share = make_share(logged, vasa)  # an object about a client, not the client itself
    share_seal = AuditSeal.objects.get(kind="write", entry_id=LogEntry.objects.get_for_object(share).get().pk)
    assert share_seal.client_id == logged.pk
    read = AuditSeal.objects.filter(kind="read", client_id=logged.pk).get()
    assert (read.actor_id, read.action) == (counsellor_narpes.pk, "detail")


def test_an_untampered_chain_passes(logged, capsys):
    report = verify_chain()
    assert report.ok and report.checked == AuditSeal.objects.count()
    call_command("verify_audit_chain")
    assert "audit chain intact" in capsys.readouterr().out


def test_sealing_a_list_of_reads_costs_the_same_queries_however_long(narpes, counsellor_narpes):
    clients = [make_client(narpes, by=counsellor_narpes, family_name=f"List{n}") for n in range(12)]

    def queries(client_ids) -> int:
        with CaptureQueriesContext(connection) as captured:
            record_reads(user=counsellor_narpes, client_ids=client_ids, action=ReadEvent.Action.LIST)
        return len(captured)

    assert queries([clients[0].pk]) == queries([c.pk for c in clients[1:]])
    assert verify_chain().ok


def test_an_entry_altered_by_a_queryset_update_is_found(logged):
    event = ReadEvent.objects.order_by("pk").first()
    ReadEvent.objects.filter(pk=event.pk).update(context="nothing to see")
    report = verify_chain()
    assert [(b.reason, b.kind, b.entry_id) for b in report.breaks] == [("entry_altered", "read", event.pk)]


def test_a_write_entry_altered_by_raw_sql_is_found(logged):
    entry = LogEntry.objects.get_for_object(logged).get()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE auditlog_logentry SET actor_id = NULL WHERE id = %s", [entry.pk])
    assert reasons() == ["entry_altered"]


def test_a_changed_time_is_found(logged):
    ReadEvent.objects.filter(pk=ReadEvent.objects.order_by("pk").first().pk).update(at="2020-01-01T00:00Z")
    assert reasons() == ["entry_altered"]


def test_a_removed_entry_is_found(logged):
    event = ReadEvent.objects.order_by("pk").first()
    ReadEvent.objects.filter(pk=event.pk).delete()
    assert reasons() == ["entry_removed"]


def test_a_write_entry_removed_by_raw_sql_is_found(logged):
    entry = LogEntry.objects.get_for_object(logged).get()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM auditlog_logentry WHERE id = %s", [entry.pk])
    assert reasons() == ["entry_removed"]


def test_an_entry_removed_with_its_seal_is_found(logged):
    event = ReadEvent.objects.order_by("pk").first()
    AuditSeal.objects.filter(kind="read", entry_id=event.pk).delete()
    event.delete()
    assert reasons() == ["seal_missing"]


def test_entries_cut_off_the_end_with_their_seals_are_found(logged):
    last = AuditSeal.objects.order_by("-sequence").first()
    ReadEvent.objects.filter(pk=last.entry_id).delete()
    last.delete()
    assert reasons() == ["tail_removed"]


def test_an_entry_inserted_without_a_seal_is_found(logged, counsellor_narpes):
    # bulk_create bypasses record_reads, as a raw INSERT would.
    [forged] = ReadEvent.objects.bulk_create(
        [ReadEvent(user=counsellor_narpes, client=logged, action=ReadEvent.Action.DETAIL)]
    )
    record_reads(user=counsellor_narpes, client_ids=[logged.pk], action=ReadEvent.Action.DETAIL)
    report = verify_chain()
    assert [(b.reason, b.kind, b.entry_id) for b in report.breaks] == [("entry_unsealed", "read", forged.pk)]


def test_a_write_entry_inserted_by_raw_sql_is_found(logged, counsellor_narpes):
    entry = LogEntry.objects.get_for_object(logged).get()
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO auditlog_logentry (content_type_id, object_pk, object_id, object_repr, action,"
            " changes_text, timestamp) VALUES (%s, %s, %s, 'Forged', 1, '', '2020-01-01T00:00:00Z')",
            [entry.content_type_id, entry.object_pk, entry.object_id],
        )
    assert reasons() == ["entry_unsealed"]


def test_a_seal_pointed_at_another_client_is_found(logged, narpes):
    # Hiding an entry from a client's filter by changing the copy on its seal.
    other = make_client(narpes, family_name="Else")
    AuditSeal.objects.filter(kind="read", client_id=logged.pk).update(client_id=other.pk)
    assert reasons() == ["entry_altered"]


def test_swapped_seals_are_found(logged):
    first, second = AuditSeal.objects.order_by("sequence")[:2]
    AuditSeal.objects.filter(pk=first.pk).update(sequence=-1)
    AuditSeal.objects.filter(pk=second.pk).update(sequence=first.sequence)
    AuditSeal.objects.filter(pk=first.pk).update(sequence=second.sequence)
    assert reasons() == ["link_broken"]


def test_a_chain_resealed_without_the_key_is_found(logged, settings):
    # Someone with the database but not the key recomputes every digest with a key of their own.
    from hemkommun.audit import chain
    from hemkommun.audit.verify import _entries_of

    real_key = settings.AUDIT_CHAIN_KEY
    settings.AUDIT_CHAIN_KEY = "guessed"
    event = ReadEvent.objects.order_by("pk").first()
    ReadEvent.objects.filter(pk=event.pk).update(context="rewritten")
    previous = ""
    for seal in AuditSeal.objects.order_by("sequence"):
        entry = _entries_of([seal])[(seal.kind, seal.entry_id)]
        seal.previous, seal.digest = previous, chain.digest(previous, seal, entry)
        seal.save()
        previous = seal.digest
    ChainHead.objects.filter(pk=1).update(digest=previous)
    assert verify_chain().ok  # consistent under the guessed key ...
    settings.AUDIT_CHAIN_KEY = real_key
    assert reasons()[0] == "entry_altered"  # ... and not under the real one


def test_the_command_fails_on_a_break(logged, capsys):
    ReadEvent.objects.order_by("pk").first().delete()
    with pytest.raises(CommandError):
        call_command("verify_audit_chain")
    assert "entry_removed" in capsys.readouterr().err


def test_reads_whose_seal_fails_are_not_written(logged, counsellor_narpes, monkeypatch):
    from hemkommun.audit import chain

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    before = ReadEvent.objects.count()
    monkeypatch.setattr(chain, "append", broken)
    with pytest.raises(RuntimeError):
        record_reads(user=counsellor_narpes, client_ids=[logged.pk], action=ReadEvent.Action.DETAIL)
    assert ReadEvent.objects.count() == before
    assert verify_chain().ok


def test_a_write_entry_is_sealed_whichever_path_wrote_it(logged, counsellor_narpes):
    # auditlog's m2m path sends no pre_log: the client is looked up from the object.
    entry = LogEntry.objects.log_m2m_changes(
        type(counsellor_narpes).objects.filter(pk=counsellor_narpes.pk), logged, "add", "participants"
    )
    seal = AuditSeal.objects.get(kind="write", entry_id=entry.pk)
    assert (seal.client_id, seal.action) == (logged.pk, "update")
    assert verify_chain().ok

"""Sealing entries of the read and write logs into one HMAC hash chain (docs/audit.md).

Each seal's digest is HMAC-SHA256, keyed with settings.AUDIT_CHAIN_KEY, over the previous seal's
digest and a canonical serialisation of the seal (sequence, kind, the copied filter fields) and
of every stored field of its entry. Removing, altering or inserting an entry, or a seal, breaks
the chain at that point; without the key nobody can compute a digest that fits again.
"""

import hashlib
import hmac
import json
from collections.abc import Sequence
from datetime import UTC, datetime

from auditlog.models import LogEntry
from django.conf import settings
from django.db import transaction

from hemkommun.core.models import ReadEvent

from .models import AuditSeal, ChainHead, Erasure

READ_FIELDS = [f.attname for f in ReadEvent._meta.concrete_fields]
WRITE_FIELDS = [f.attname for f in LogEntry._meta.concrete_fields]
ERASURE_FIELDS = [f.attname for f in Erasure._meta.concrete_fields]
WRITE_ACTIONS = {
    LogEntry.Action.CREATE: "create",
    LogEntry.Action.UPDATE: "update",
    LogEntry.Action.DELETE: "delete",
    LogEntry.Action.ACCESS: "access",
}


def _plain(value):
    """A value as JSON writes it the same way however it was read (from memory or either database)."""
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if value is None or isinstance(value, bool | int | float | str | list | dict):
        return value
    return str(value)


def canonical(seal: AuditSeal, entry: dict) -> bytes:
    """The seal and its entry as bytes that do not depend on key order or the database."""
    data = {
        "sequence": seal.sequence,
        "kind": seal.kind,
        "entry_id": seal.entry_id,
        "at": _plain(seal.at),
        "actor_id": seal.actor_id,
        "client_id": seal.client_id,
        "action": seal.action,
        "entry": {name: _plain(value) for name, value in entry.items()},
    }
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def digest(previous: str, seal: AuditSeal, entry: dict) -> str:
    key = settings.AUDIT_CHAIN_KEY.encode()
    return hmac.new(key, previous.encode() + b"\n" + canonical(seal, entry), hashlib.sha256).hexdigest()


def read_fields(event: ReadEvent) -> dict:
    return {name: getattr(event, name) for name in READ_FIELDS}


def read_seal(event: ReadEvent) -> AuditSeal:
    """The seal of a read event, its chain fields still empty."""
    return AuditSeal(
        kind=AuditSeal.Kind.READ,
        entry_id=event.pk,
        at=event.at,
        actor_id=event.user_id,
        client_id=event.client_id,
        action=event.action,
    )


def write_seal(entry: dict, client_id: int | None) -> AuditSeal:
    """The seal of a write-log entry (its stored fields, as ``LogEntry.objects.values()`` gives them)."""
    return AuditSeal(
        kind=AuditSeal.Kind.WRITE,
        entry_id=entry["id"],
        at=entry["timestamp"],
        actor_id=entry["actor_id"],
        client_id=client_id,
        action=WRITE_ACTIONS.get(entry["action"], str(entry["action"])),
    )


def erasure_seal(entry: dict) -> AuditSeal:
    """The seal of an erasure (its stored fields): no client, so the viewer never shows a number."""
    return AuditSeal(
        kind=AuditSeal.Kind.ERASURE,
        entry_id=entry["id"],
        at=entry["at"],
        actor_id=entry["actor_id"],
        client_id=None,
        action="erase",
    )


def append(pairs: Sequence[tuple[AuditSeal, dict]]) -> None:
    """Chain these seals after the head, in order: three queries however many there are.

    The head row is locked (PostgreSQL: SELECT ... FOR UPDATE; SQLite runs one writer at a time)
    until the caller's transaction ends, so two writers cannot both chain onto the same digest.
    """
    if not pairs:
        return
    with transaction.atomic():
        head = _locked_head()
        previous, sequence = head.digest, head.sequence
        for seal, entry in pairs:
            sequence += 1
            seal.sequence, seal.previous = sequence, previous
            seal.digest = previous = digest(previous, seal, entry)
        AuditSeal.objects.bulk_create([seal for seal, _entry in pairs])
        ChainHead.objects.filter(pk=head.pk).update(sequence=sequence, digest=previous)


def _locked_head() -> ChainHead:
    head = ChainHead.objects.select_for_update().filter(pk=1).first()
    if head is None:  # only after a flush of every table (transactional tests): start afresh
        head, _created = ChainHead.objects.select_for_update().get_or_create(pk=1)
    return head


def seal_reads(events: Sequence[ReadEvent]) -> None:
    """Seal read events just written by one bulk_create (their ids and times already set)."""
    append([(read_seal(event), read_fields(event)) for event in events])


def seal_log_entry(entry_id: int, client_id: int | None) -> None:
    """Seal one write-log entry, as stored (read back, so that the digest covers what the
    database holds, JSON and addresses as it returns them)."""
    entry = LogEntry.objects.filter(pk=entry_id).values(*WRITE_FIELDS).first()
    if entry is not None:
        append([(write_seal(entry, client_id), entry)])


def seal_erasure(erasure_id: int) -> None:
    """Seal an erasure as stored (read back, as a write-log entry is, so that the JSON list is
    covered as the database returns it)."""
    entry = Erasure.objects.filter(pk=erasure_id).values(*ERASURE_FIELDS).get()
    append([(erasure_seal(entry), entry)])

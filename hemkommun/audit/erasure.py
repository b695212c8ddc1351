"""Lawful removal of log entries (retention): the entries go, and the chain records that they
went (docs/audit.md, Lawful erasure).

The removal and its record are one transaction: an ``Erasure`` row listing the sequences of the
removed entries' seals, sealed as an entry of the chain. The verification accepts a missing
entry only where an intact erasure lists its seal. The removed entries' seals stay (the chain
links through them) but lose their copies of who, whom, what and when, which would otherwise
keep the very log the rule destroys.
"""

from collections.abc import Iterable

from auditlog.models import LogEntry
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from hemkommun.core.models import ReadEvent

from .chain import seal_erasure
from .models import AuditSeal, Erasure

BATCH = 1_000  # ids per statement: bounded statements whatever the number of rows
ERASED_ACTION = "erased"


def erase_entries(
    *,
    reads: QuerySet[ReadEvent] | None = None,
    writes: QuerySet[LogEntry] | None = None,
    purpose: str,
    reference: int | None = None,
    by=None,
) -> dict[str, int]:
    """Delete these read-log and write-log entries and seal an erasure listing their seals.

    Queries: two for the ids, three per thousand entries, five for the erasure's seal."""
    now = timezone.now()
    with transaction.atomic():
        read_ids = list(reads.values_list("pk", flat=True)) if reads is not None else []
        write_ids = list(writes.values_list("pk", flat=True)) if writes is not None else []
        sequences = _remove(ReadEvent, AuditSeal.Kind.READ, read_ids, now)
        sequences += _remove(LogEntry, AuditSeal.Kind.WRITE, write_ids, now)
        if sequences:  # entries from before the chain have no seals: nothing to record
            erasure = Erasure.objects.create(
                at=now,
                actor_id=getattr(by, "pk", None),
                purpose=purpose,
                reference=reference,
                sequences=runs(sequences),
                count=len(sequences),
            )
            seal_erasure(erasure.pk)
    return {"read": len(read_ids), "write": len(write_ids)}


def _remove(model, kind: str, ids: list[int], now) -> list[int]:
    """Delete the entries batch by batch and reduce their seals; the seals' sequences."""
    sequences: list[int] = []
    for start in range(0, len(ids), BATCH):
        batch = ids[start : start + BATCH]
        seals = AuditSeal.objects.filter(kind=kind, entry_id__in=batch)
        sequences += seals.values_list("sequence", flat=True)
        model.objects.filter(pk__in=batch).delete()
        # The time becomes the erasure's: with the client, staff member and action gone, the
        # seal keeps nothing of the removed entry but its place in the chain.
        seals.update(at=now, actor_id=None, client_id=None, action=ERASED_ACTION)
    return sequences


def runs(sequences: Iterable[int]) -> list[list[int]]:
    """Sorted sequences as runs ``[first, last]``: a day's read log is a few runs, not thousands."""
    result: list[list[int]] = []
    for sequence in sorted(set(sequences)):
        if result and result[-1][1] == sequence - 1:
            result[-1][1] = sequence
        else:
            result.append([sequence, sequence])
    return result

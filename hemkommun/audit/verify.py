"""Checking the audit chain: every seal in sequence, each digest recomputed from its entry as
stored now, and no entry of either log left outside the chain (docs/audit.md)."""

from dataclasses import dataclass, field
from datetime import timedelta

from auditlog.models import LogEntry
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hemkommun.core.models import ReadEvent

from .chain import READ_FIELDS, WRITE_FIELDS, digest
from .models import AuditSeal, ChainHead

BATCH = 2_000
# An entry written in the last moments may be committed a moment before its seal (a write-log
# entry saved outside a transaction): younger unsealed entries are not yet counted as breaks.
GRACE = timedelta(seconds=60)

REASONS = {
    "seal_missing": _("A seal is missing: an entry was removed together with its seal."),
    "link_broken": _("The seal does not link to the one before it: seals were reordered or replaced."),
    "entry_removed": _("The entry of this seal was removed."),
    "entry_altered": _("The entry or its seal was altered after it was written."),
    "tail_removed": _("The last seals do not match the end of the chain: seals were removed from the end."),
    "entry_unsealed": _("An entry is outside the chain: it was inserted without a seal."),
}


@dataclass(frozen=True)
class Break:
    reason: str
    sequence: int | None = None
    kind: str = ""
    entry_id: int | None = None

    @property
    def message(self) -> str:
        return str(REASONS[self.reason])


@dataclass
class Report:
    checked: int = 0
    head_sequence: int = 0
    head_digest: str = ""
    breaks: list[Break] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.breaks


def verify_chain() -> Report:
    """The chain's state: the first broken link, if any, and the first entry outside the chain of
    each log. The head is read first; seals added while this runs are left for the next check."""
    started = timezone.now()
    head = ChainHead.objects.filter(pk=1).first() or ChainHead(pk=1)
    report = Report(head_sequence=head.sequence, head_digest=head.digest)
    _walk(head, report)
    for kind in AuditSeal.Kind.values:
        found = _first_unsealed(kind, head, started)
        if found is not None:
            report.breaks.append(Break("entry_unsealed", kind=kind, entry_id=found))
    return report


def _walk(head: ChainHead, report: Report) -> None:
    previous, expected = "", 1
    seals = AuditSeal.objects.filter(sequence__lte=head.sequence).order_by("sequence")
    while expected <= head.sequence:
        batch = list(seals.filter(sequence__gte=expected)[:BATCH])
        if not batch:
            break
        entries = _entries_of(batch)
        for seal in batch:
            problem = _check(seal, expected, previous, entries.get((seal.kind, seal.entry_id)))
            if problem:
                report.breaks.append(Break(problem, seal.sequence, seal.kind, seal.entry_id))
                return
            previous, expected = seal.digest, expected + 1
            report.checked += 1
    if expected <= head.sequence or previous != head.digest:
        report.breaks.append(Break("tail_removed", sequence=expected))


def _check(seal: AuditSeal, expected: int, previous: str, entry: dict | None) -> str:
    if seal.sequence != expected:
        return "seal_missing"
    if seal.previous != previous:
        return "link_broken"
    if entry is None:
        return "entry_removed"
    if digest(previous, seal, entry) != seal.digest:
        return "entry_altered"
    return ""


def _entries_of(seals: list[AuditSeal]) -> dict[tuple[str, int], dict]:
    """The entries of a batch of seals as stored now: two queries."""
    read_ids = [s.entry_id for s in seals if s.kind == AuditSeal.Kind.READ]
    write_ids = [s.entry_id for s in seals if s.kind == AuditSeal.Kind.WRITE]
    found = {}
    for row in ReadEvent.objects.filter(pk__in=read_ids).values(*READ_FIELDS):
        found[(AuditSeal.Kind.READ, row["id"])] = row
    for row in LogEntry.objects.filter(pk__in=write_ids).values(*WRITE_FIELDS):
        found[(AuditSeal.Kind.WRITE, row["id"])] = row
    return found


def _first_unsealed(kind: str, head: ChainHead, started) -> int | None:
    """The first entry of this log newer than the chain's start that has no seal: one older than
    the grace period, or one below an entry that is sealed (ids are given in order)."""
    if kind == AuditSeal.Kind.READ:
        entries, legacy, time_field = ReadEvent.objects, head.legacy_read_max_id, "at"
    else:
        entries, legacy, time_field = LogEntry.objects, head.legacy_write_max_id, "timestamp"
    sealed = AuditSeal.objects.filter(kind=kind)
    highest = sealed.aggregate(highest=Max("entry_id"))["highest"] or 0
    suspect = Q(pk__lte=highest) | Q(**{f"{time_field}__lt": started - GRACE})
    unsealed = (
        entries.filter(pk__gt=legacy)
        .filter(suspect)
        .exclude(pk__in=sealed.values("entry_id"))
        .order_by("pk")
        .values_list("pk", flat=True)
        .first()
    )
    return unsealed

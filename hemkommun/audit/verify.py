"""Checking the audit chain: every seal in sequence, each digest recomputed from its entry as
stored now, and no entry of either log left outside the chain (docs/audit.md)."""

from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import timedelta

from auditlog.models import LogEntry
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hemkommun.core.models import ReadEvent

from .chain import ERASURE_FIELDS, READ_FIELDS, WRITE_FIELDS, digest
from .models import AuditSeal, ChainHead, Erasure

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
    erased: int = 0  # seals checked whose entries were removed lawfully
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
    erased = _lawfully_erased(head, report)
    _walk(head, report, erased)
    for kind in (AuditSeal.Kind.READ, AuditSeal.Kind.WRITE):
        found = _first_unsealed(kind, head, started)
        if found is not None:
            report.breaks.append(Break("entry_unsealed", kind=kind, entry_id=found))
    return report


class Runs:
    """Sequences given as sorted, non-overlapping runs [first, last]: membership by bisection,
    so that years of erased read log need not be held one number at a time."""

    def __init__(self, runs: list[list[int]]):
        merged: list[list[int]] = []
        for first, last in sorted(runs):
            if merged and first <= merged[-1][1] + 1:
                merged[-1][1] = max(merged[-1][1], last)
            else:
                merged.append([first, last])
        self.firsts = [first for first, _last in merged]
        self.lasts = [last for _first, last in merged]

    def __contains__(self, sequence: int) -> bool:
        at = bisect_right(self.firsts, sequence) - 1
        return at >= 0 and sequence <= self.lasts[at]


def _lawfully_erased(head: ChainHead, report: Report) -> Runs:
    """The sequences listed by intact erasures (two queries). An erasure counts only if its own
    digest is right, so its list cannot be extended without the key, and only for seals before
    it. An altered erasure is reported, and its removals are then reported as removals."""
    erasure_seals = AuditSeal.objects.filter(kind=AuditSeal.Kind.ERASURE, sequence__lte=head.sequence)
    seals = list(erasure_seals)
    # A subquery, not a list of ids: years of erasures stay within the databases' parameter limits.
    chosen = Erasure.objects.filter(pk__in=erasure_seals.values("entry_id"))
    rows = {row["id"]: row for row in chosen.values(*ERASURE_FIELDS)}
    runs: list[list[int]] = []
    for seal in sorted(seals, key=lambda s: s.sequence):
        row = rows.get(seal.entry_id)
        if row is None or digest(seal.previous, seal, row) != seal.digest:
            reason = "entry_removed" if row is None else "entry_altered"
            report.breaks.append(Break(reason, seal.sequence, seal.kind, seal.entry_id))
            continue
        runs += [
            [first, min(last, seal.sequence - 1)] for first, last in row["sequences"] if first < seal.sequence
        ]
    return Runs(runs)


def _walk(head: ChainHead, report: Report, erased: Runs) -> None:
    previous, expected = "", 1
    seals = AuditSeal.objects.filter(sequence__lte=head.sequence).order_by("sequence")
    while expected <= head.sequence:
        batch = list(seals.filter(sequence__gte=expected)[:BATCH])
        if not batch:
            break
        entries = _entries_of(batch)
        for seal in batch:
            lawful = seal.sequence in erased
            entry = entries.get((seal.kind, seal.entry_id))
            problem = _check(seal, expected, previous, entry, lawful)
            if problem:
                found = Break(problem, seal.sequence, seal.kind, seal.entry_id)
                if found not in report.breaks:  # an altered erasure is reported before the walk
                    report.breaks.append(found)
                return
            previous, expected = seal.digest, expected + 1
            report.checked += 1
            report.erased += lawful
    if expected <= head.sequence or previous != head.digest:
        report.breaks.append(Break("tail_removed", sequence=expected))


def _check(seal: AuditSeal, expected: int, previous: str, entry: dict | None, lawful: bool) -> str:
    """The problem with this seal, or "". A lawfully erased seal is only checked for its link:
    its entry is gone and its copies reduced, so its digest cannot be recomputed, but the next
    seal's digest covers it as ``previous``. Its entry must be gone: an entry found there means
    the seal was pointed at another one, to pass an inserted entry off as sealed."""
    if seal.sequence != expected:
        return "seal_missing"
    if seal.previous != previous:
        return "link_broken"
    if lawful:
        return "entry_altered" if entry is not None else ""
    if entry is None:
        return "entry_removed"
    if digest(previous, seal, entry) != seal.digest:
        return "entry_altered"
    return ""


def _entries_of(seals: list[AuditSeal]) -> dict[tuple[str, int], dict]:
    """The entries of a batch of seals as stored now: three queries."""
    read_ids = [s.entry_id for s in seals if s.kind == AuditSeal.Kind.READ]
    write_ids = [s.entry_id for s in seals if s.kind == AuditSeal.Kind.WRITE]
    erasure_ids = [s.entry_id for s in seals if s.kind == AuditSeal.Kind.ERASURE]
    found = {}
    for row in Erasure.objects.filter(pk__in=erasure_ids).values(*ERASURE_FIELDS):
        found[(AuditSeal.Kind.ERASURE, row["id"])] = row
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

"""What a data-protection officer sees of the audit log: the seals of entries about clients of
their organisations or by their staff, filtered, newest first; and the rows a page shows."""

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from auditlog.models import LogEntry
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Q, QuerySet
from django.utils import timezone

from hemkommun.access import policy
from hemkommun.clients.models import Client
from hemkommun.core.audit import MASK
from hemkommun.core.models import ReadEvent
from hemkommun.organizations.models import User

from .labels import action_label, erasure_text, kind_label, missing_entry
from .models import AuditSeal, Erasure

# A Finnish identity code anywhere in a text (the century sign also URL-encoded, as in a search
# address kept in a read event's context).
IDENTITY_CODE = re.compile(r"\d{6}(?:[-+A-FU-Y]|%2B)\d{3}[0-9A-Y]", re.IGNORECASE)


def mask_identity_codes(text: str) -> str:
    return IDENTITY_CODE.sub(MASK, text or "")


@dataclass(frozen=True)
class AuditFilter:
    client_ids: frozenset[int] | None = None  # None: every client; empty: none matched
    staff_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    action: str = ""  # "read", "write", or one action of either log


def organisation_ids(user) -> set[int]:
    return {organisation.pk for organisation in policy.audit_organisations(user)}


def staff_of(organisation_ids: set[int]) -> QuerySet[User]:
    """Everyone who has had a role in these organisations, past memberships included: what a
    former employee did stays theirs to answer for."""
    return User.objects.filter(memberships__unit__organisation__in=organisation_ids).distinct()


def audit_seals(*, user, selection: AuditFilter) -> QuerySet[AuditSeal]:
    """The entries the user may read, as seals, filtered, newest first."""
    ids = organisation_ids(user)
    if not ids:
        return AuditSeal.objects.none()
    clients = Client.objects.filter(organisation__in=ids).values("pk")
    staff = staff_of(ids).values("pk")
    seals = AuditSeal.objects.filter(Q(client_id__in=clients) | Q(actor_id__in=staff))
    return _filtered(seals, selection).order_by("-at", "-sequence")


def _filtered(seals: QuerySet[AuditSeal], selection: AuditFilter) -> QuerySet[AuditSeal]:
    if selection.client_ids is not None:
        seals = seals.filter(client_id__in=selection.client_ids)
    if selection.staff_id is not None:
        seals = seals.filter(actor_id=selection.staff_id)
    if selection.date_from:
        seals = seals.filter(at__gte=_start_of(selection.date_from))
    if selection.date_to:
        seals = seals.filter(at__lt=_start_of(selection.date_to + timedelta(days=1)))
    if selection.action in AuditSeal.Kind.values:
        seals = seals.filter(kind=selection.action)
    elif selection.action:
        seals = seals.filter(action=selection.action)
    return seals


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


@dataclass(frozen=True)
class Row:
    seal: AuditSeal
    kind: str
    action: str
    staff: str
    client_number: int | None
    client_name: str  # only for clients of the reader's organisations
    subject: str
    details: str


def rows_for(seals: list[AuditSeal], *, organisation_ids: set[int]) -> list[Row]:
    """The page's entries, read in five queries however many there are."""
    reads = ReadEvent.objects.select_related("share").in_bulk([s.entry_id for s in seals if s.kind == "read"])
    writes = LogEntry.objects.select_related("content_type").in_bulk(
        [s.entry_id for s in seals if s.kind == "write"]
    )
    erasures = Erasure.objects.in_bulk([s.entry_id for s in seals if s.kind == "erasure"])
    # display_name reads the Latin-letter forms first: all four, or one query per row for each.
    clients = Client.objects.only(
        "organisation_id", "family_name", "given_names", "family_name_latin", "given_names_latin"
    ).in_bulk({s.client_id for s in seals if s.client_id})
    users = User.objects.only("username", "first_name", "last_name").in_bulk(
        {s.actor_id for s in seals if s.actor_id}
    )
    entries = {"read": reads, "write": writes, "erasure": erasures}
    return [_row(seal, entries, clients, users, organisation_ids) for seal in seals]


def _row(seal, entries, clients, users, organisation_ids) -> Row:
    client = clients.get(seal.client_id)
    actor = users.get(seal.actor_id)
    subject, details = TEXTS[seal.kind](entries[seal.kind].get(seal.entry_id))
    if subject is None:
        subject, details = missing_entry(), ""
    return Row(
        seal=seal,
        kind=kind_label(seal.kind),
        action=action_label(seal.action),
        staff=(actor.get_full_name() or actor.username) if actor else "",
        client_number=seal.client_id,
        client_name=client.display_name if client and client.organisation_id in organisation_ids else "",
        subject=mask_identity_codes(subject),
        details=mask_identity_codes(details),
    )


def _read_text(event: ReadEvent | None) -> tuple[str | None, str]:
    if event is None:
        return None, ""
    basis = event.basis_text() if event.basis else ""
    return event.context, basis


def _erasure_text(erasure: Erasure | None) -> tuple[str | None, str]:
    return (erasure_text(erasure), "") if erasure is not None else (None, "")


def _write_text(entry: LogEntry | None) -> tuple[str | None, str]:
    if entry is None:
        return None, ""
    model = entry.content_type.model_class()
    kind = str(model._meta.verbose_name) if model else entry.content_type.model
    changes = entry.changes if isinstance(entry.changes, dict) else {}
    details = "; ".join(
        f"{_field_name(model, field)}: {_change(values)}" for field, values in sorted(changes.items())
    )
    return f"{kind}: {entry.object_repr}", details[:1000]


def _field_name(model, name: str) -> str:
    """The field's name in the reader's language where the model still has it."""
    try:
        return str(model._meta.get_field(name).verbose_name)
    except (AttributeError, FieldDoesNotExist):  # no model, or a field since removed
        return name


def _change(values) -> str:
    if isinstance(values, list) and len(values) == 2:
        return f"{values[0]} → {values[1]}"
    return str(values)


TEXTS = {"read": _read_text, "write": _write_text, "erasure": _erasure_text}

"""The daily job (django-q2 schedule, migration 0003): find what is due and propose it.

Idempotent: a client has at most one open proposal, an organisation one per bulk type (database
constraints); a second run the same day finds them and adds nothing. Bounded: at most
``BATCH`` clients a run, the rest on the following days. Open proposals no longer due (a hold
placed, a rule changed, the client active again) are withdrawn.
"""

import datetime

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from hemkommun.clients.models import Client
from hemkommun.organizations.models import Organisation

from . import records
from .models import INSTALLATION_TYPES, RecordType, RetentionProposal

BATCH = 500
# A rejected proposal is not made again for this long: the officer had a reason, and a daily
# repetition would only bury the other proposals. After it, the record is looked at afresh.
REJECTION_STANDS_FOR = datetime.timedelta(days=365)
BULK_TYPES = [t for t in RecordType if t != RecordType.CLIENT]


def propose_due(today: datetime.date | None = None, batch: int = BATCH) -> int:
    """Write proposals for what is due today; returns how many were made."""
    today = today or timezone.localdate()
    withdraw_stale(today)
    made = 0
    for organisation_id in Organisation.objects.values_list("pk", flat=True).order_by("pk"):
        made += _propose_clients(organisation_id, today, batch - made)
        for record_type in BULK_TYPES:
            if record_type not in INSTALLATION_TYPES:
                made += _propose_bulk(record_type, organisation_id, today)
    for record_type in INSTALLATION_TYPES:
        made += _propose_bulk(record_type, None, today)
    return made


def _propose_clients(organisation_id: int, today: datetime.date, room: int) -> int:
    rule = records.rule_in_force(RecordType.CLIENT, organisation_id, today)
    if rule is None or room <= 0:
        return 0
    open_numbers = RetentionProposal.objects.filter(
        Q(status__in=RetentionProposal.OPEN) | _rejected_lately(), client_number__isnull=False
    ).values("client_number")
    due = records.due_clients(organisation_id, rule, today).exclude(pk__in=open_numbers).order_by("pk")
    made = 0
    for client_id, last_event in due.values_list("pk", "last_event")[:room]:
        made += _create(
            organisation_id=organisation_id,
            rule=rule,
            record_type=RecordType.CLIENT,
            action=rule.action,
            client_number=client_id,
            due_since=last_event + rule.period,
        )
    return made


def _propose_bulk(record_type: str, organisation_id: int | None, today: datetime.date) -> int:
    rule = records.rule_in_force(record_type, organisation_id, today)
    if rule is None:
        return 0
    before = records.cutoff(rule, today)
    count = records.due_rows(record_type, organisation_id, rule, before).count()
    open_ = RetentionProposal.objects.filter(
        organisation_id=organisation_id, record_type=record_type, status__in=RetentionProposal.OPEN
    ).first()
    rejected = RetentionProposal.objects.filter(
        _rejected_lately(), organisation_id=organisation_id, record_type=record_type
    )
    if rejected.exists():
        return 0
    if open_ is not None:
        # Not yet decided: the proposal grows with what has become due since.
        if open_.status == RetentionProposal.Status.PROPOSED and count:
            open_.due_before, open_.record_count, open_.rule = before, count, rule
            open_.save(update_fields=["due_before", "record_count", "rule"])
        return 0
    if not count:
        return 0
    return _create(
        organisation_id=organisation_id,
        rule=rule,
        record_type=record_type,
        action=rule.action,
        due_before=before,
        record_count=count,
        due_since=today,
    )


def _rejected_lately() -> Q:
    since = timezone.now() - REJECTION_STANDS_FOR
    return Q(status=RetentionProposal.Status.REJECTED, decided_at__gte=since)


def _create(**fields) -> int:
    """One proposal; 0 when a parallel run made it first (the unique constraints decide)."""
    try:
        with transaction.atomic():
            RetentionProposal.objects.create(**fields)
    except IntegrityError:
        return 0
    return 1


def withdraw_stale(today: datetime.date) -> int:
    """Withdraw proposed clients no longer due (held, active again, or the rule changed)."""
    withdrawn = 0
    pending = RetentionProposal.objects.filter(
        status=RetentionProposal.Status.PROPOSED, record_type=RecordType.CLIENT
    ).order_by("pk")
    for proposal in pending.iterator():
        reason = client_not_due_reason(proposal, today)
        if reason:
            proposal.status = RetentionProposal.Status.WITHDRAWN
            proposal.reason = reason
            proposal.decided_at = timezone.now()
            proposal.save(update_fields=["status", "reason", "decided_at"])
            withdrawn += 1
    return withdrawn


def client_not_due_reason(proposal: RetentionProposal, today: datetime.date) -> str:
    """Why the client of a proposal may not be destroyed today; empty when it may.

    Kept in English in the database (it is shown translated at the time of a decision); the codes
    are stable words."""
    if not Client.objects.filter(
        pk=proposal.client_number, organisation_id=proposal.organisation_id
    ).exists():
        return "gone"
    if records.held_client_ids(today).filter(client_id=proposal.client_number).exists():
        return "legal_hold"
    rule = records.rule_in_force(RecordType.CLIENT, proposal.organisation_id, today)
    if rule is None or rule.action != proposal.action:
        return "rule_changed"
    due = records.due_clients(proposal.organisation_id, rule, today).filter(pk=proposal.client_number)
    return "" if due.exists() else "not_due"

"""Writes of retention: legal holds, and the data-protection officer's decisions on proposals.

Approval runs each proposal in its own transaction: the hold and the rule are checked again at
that moment, the record is destroyed or anonymised, and the destruction record written, or
nothing at all happens to that proposal.
"""

import datetime

from auditlog.context import set_actor
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hemkommun.audit.erasure import erase_entries
from hemkommun.clients.models import Client

from . import erasure, records
from .jobs import client_not_due_reason
from .models import Action, DestructionRecord, LegalHold, RecordType, RetentionProposal, holds_in_force_q

REASON_MAX = 300
CHUNK = 1000  # rows deleted at a time, so that memory and statements stay bounded
NOT_DUE = {
    "gone": gettext_lazy("the client record no longer exists in this organisation"),
    "legal_hold": gettext_lazy("the client is under a legal hold"),
    "rule_changed": gettext_lazy("the retention rule has changed"),
    "not_due": gettext_lazy("the record is no longer due (a later event, or a longer period)"),
}


# --- legal holds -------------------------------------------------------------------------------------


def hold_place(
    *, client: Client, by, reason: str, held_from: datetime.date, held_until: datetime.date | None = None
) -> LegalHold:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give the reason for the hold."), code="hold_reason")
    if len(reason) > REASON_MAX:
        raise ValidationError(_("Keep the reason under 300 characters."), code="hold_reason_length")
    if held_until is not None and held_until < held_from:
        raise ValidationError(_("A hold cannot end before it starts."), code="hold_period")
    with transaction.atomic(), set_actor(by):
        list(Client.objects.select_for_update().filter(pk=client.pk))  # see _execute_client
        return LegalHold.objects.create(
            client=client, reason=reason, placed_by=by, held_from=held_from, held_until=held_until
        )


def hold_lift(*, hold: LegalHold, by) -> LegalHold:
    if hold.lifted_at is not None:
        raise ValidationError(_("This hold has already been lifted."), code="hold_lifted")
    with transaction.atomic(), set_actor(by):
        hold.lifted_by, hold.lifted_at = by, timezone.now()
        hold.save(update_fields=["lifted_by", "lifted_at"])
    return hold


def holds_in_force(client: Client, today: datetime.date | None = None):
    return client.legal_holds.filter(holds_in_force_q(today or timezone.localdate()))


# --- decisions -----------------------------------------------------------------------------------------


def proposal_reject(*, proposal: RetentionProposal, by, reason: str) -> RetentionProposal:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give the reason for rejecting."), code="reject_reason")
    if len(reason) > REASON_MAX:
        raise ValidationError(_("Keep the reason under 300 characters."), code="reject_reason_length")
    with transaction.atomic():
        proposal = _lock_open(proposal)
        proposal.status = RetentionProposal.Status.REJECTED
        proposal.reason, proposal.decided_by, proposal.decided_at = reason, by, timezone.now()
        proposal.save(update_fields=["status", "reason", "decided_by", "decided_at"])
    return proposal


def proposal_approve(*, proposal: RetentionProposal, by) -> DestructionRecord:
    """Approve and carry out one proposal, all or nothing."""
    today = timezone.localdate()
    with transaction.atomic():
        proposal = _lock_open(proposal)
        if proposal.record_type == RecordType.CLIENT:
            details = _execute_client(proposal, today, by)
        else:
            details = _execute_bulk(proposal, today, by)
        proposal.status = RetentionProposal.Status.DONE
        proposal.decided_by, proposal.decided_at = by, timezone.now()
        proposal.save(update_fields=["status", "decided_by", "decided_at"])
        rule = proposal.rule
        return DestructionRecord.objects.create(
            record_type=proposal.record_type,
            action=proposal.action,
            organisation_id=proposal.organisation_id,
            client_number=proposal.client_number,
            record_count=proposal.record_count if proposal.client_number else details.pop("rows", 0),
            details=details,
            by=by,
            rule=rule,
            period=rule.period_display(),
            legal_source=rule.legal_source,
            proposal=proposal,
        )


def _lock_open(proposal: RetentionProposal) -> RetentionProposal:
    """The proposal read again under a lock: two officers cannot decide it twice."""
    locked = RetentionProposal.objects.select_for_update().get(pk=proposal.pk)
    if locked.status != RetentionProposal.Status.PROPOSED:
        raise ValidationError(_("This proposal has already been decided."), code="decided")
    return locked


def _execute_client(proposal: RetentionProposal, today: datetime.date, by) -> dict:
    # The client's row is locked before the checks, as hold_place locks it before placing a hold:
    # a hold placed at the same moment either waits for the destruction or stops it.
    list(Client.objects.select_for_update().filter(pk=proposal.client_number))
    reason = client_not_due_reason(proposal, today)
    if reason:
        raise ValidationError(
            _("Client no. %(number)s cannot be handled now: %(reason)s.")
            % {"number": proposal.client_number, "reason": NOT_DUE[reason]},
            code=f"not_due_{reason}",
        )
    client = Client.objects.get(pk=proposal.client_number)
    if proposal.action == Action.ANONYMISE:
        return erasure.anonymise_client(client, by=by, reference=proposal.pk)
    return erasure.erase_client(client, by=by, reference=proposal.pk)


def _execute_bulk(proposal: RetentionProposal, today: datetime.date, by) -> dict:
    """Delete what was proposed and is still due under the rule in force now: rows counted from
    before the earlier of the two cut-offs."""
    rule = records.rule_in_force(proposal.record_type, proposal.organisation_id, today)
    if rule is None or rule.action != proposal.action:
        raise ValidationError(
            _("The retention rule has changed since the proposal: wait for the next proposal."),
            code="not_due_rule_changed",
        )
    before = min(proposal.due_before, records.cutoff(rule, today))
    rows = records.due_rows(proposal.record_type, proposal.organisation_id, rule, before)
    deleted = 0
    while ids := list(rows.order_by("pk").values_list("pk", flat=True)[:CHUNK]):
        deleted += _delete_chunk(proposal, rows.model.objects.filter(pk__in=ids), by)
    return {"rows": deleted}


def _delete_chunk(proposal: RetentionProposal, chunk, by) -> int:
    """One chunk of a bulk type; read-log rows leave an erasure in the audit chain (one per chunk:
    a few queries per thousand rows), so that the chain still verifies after they are gone."""
    if proposal.record_type == RecordType.READ_LOG:
        return erase_entries(reads=chunk, purpose="read_log", reference=proposal.pk, by=by)["read"]
    if proposal.record_type == RecordType.EXPORT_JOB:
        for job in chunk.exclude(file=""):
            job.file.delete(save=False)
    return chunk.delete()[1].get(chunk.model._meta.label, 0)

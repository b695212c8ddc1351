"""Referrals between organisations (remiss / lähete), step by step.

sent -> acknowledged -> accepted -> completed (outcome reported), with rejected (from sent or
acknowledged) and withdrawn (by the sender, until the outcome is in) as the other ends. Each
step writes a ReferralEvent in the same transaction; accepting opens a share of the client
with the receiver, reporting the outcome or withdrawing ends it.
"""

import datetime

from auditlog.context import set_actor
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hemkommun.access import policy
from hemkommun.access.consents import consent_record, require_basis
from hemkommun.access.models import Purpose, Share
from hemkommun.access.services import share_close_for_referral, share_open_for_referral
from hemkommun.clients.models import Client
from hemkommun.organizations.models import Organisation
from hemkommun.webhooks.events import emit

from ..deadlines import refresh_deadlines
from ..models import Referral, ReferralEvent

# How long the receiver has to answer unless the sender says otherwise.
DEFAULT_ANSWER_DAYS = 14

Status = Referral.Status
# Which steps may follow which: the receiver answers open referrals, the sender withdraws
# any referral whose outcome is not yet in.
# The states from which each step may be taken: the one place for them (pages show the steps
# allowed, the services refuse the others).
ACKNOWLEDGEABLE = (Status.SENT,)
OPEN = (Status.SENT, Status.ACKNOWLEDGED)  # awaiting an answer: accept or reject
REPORTABLE = (Status.ACCEPTED,)
WITHDRAWABLE = (Status.SENT, Status.ACKNOWLEDGED, Status.ACCEPTED)


def health_scope_allowed(*, kind: str, to_organisation: Organisation) -> bool:
    """Health data goes only to a welfare area, or with a notification for social care."""
    return to_organisation.kind == Organisation.Kind.WELFARE_AREA or kind == Referral.Kind.SOCIAL_CARE


def referral_send(
    *,
    by,
    client: Client,
    kind: str,
    to_organisation: Organisation,
    reason: str,
    scope: str = Share.Scope.BASIC,
    due_on: datetime.date | None = None,
    consent_given: str = "",
) -> Referral:
    """Send a referral from the organisation holding the case; it is sent today.

    A referral passes the client's data on, so it needs the legal basis of referrals: where that
    is consent, one in force for the data asked for, or ``consent_given`` (how the client gave it
    now: a Consent.Form value), which records it with the referral."""
    if not policy.can_send_referral(by, client, kind):
        raise ValidationError(_("You may not send this referral."), code="referral_forbidden")
    sent_on = timezone.localdate()
    due_on = due_on or sent_on + datetime.timedelta(days=DEFAULT_ANSWER_DAYS)
    _validate_new(
        client=client, kind=kind, to_organisation=to_organisation, reason=reason, scope=scope, due_on=due_on
    )
    if scope == Share.Scope.HEALTH and not policy.can_view_health(by, client):
        # A share can pass on no more than the sender may see.
        raise ValidationError(
            {"scope": ValidationError(_("You may not pass on health data."), code="referral_scope_forbidden")}
        )
    with transaction.atomic():
        if consent_given:  # outside set_actor below: auditlog's actor contexts do not nest
            consent_record(
                by=by,
                client=client,
                purpose=Purpose.REFERRAL,
                scope=scope,
                form=consent_given,
                given_on=sent_on,
            )
        with set_actor(by):
            require_basis(client=client, purpose=Purpose.REFERRAL, scope=scope)
            referral = Referral.objects.create(
                client=client,
                kind=kind,
                from_organisation=client.organisation,
                to_organisation=to_organisation,
                sent_by=by,
                sent_on=sent_on,
                due_on=due_on,
                reason=reason.strip(),
                scope=scope,
            )
            _event(referral, Status.SENT, by=by, organisation_id=referral.from_organisation_id)
            emit("referral.sent", client=client, obj=referral)
            refresh_deadlines(client)  # a referral after the first plan meets "services after plan"
    return referral


def _validate_new(
    *,
    client: Client,
    kind: str,
    to_organisation: Organisation,
    reason: str,
    scope: str,
    due_on: datetime.date,
) -> None:
    errors: dict[str, ValidationError] = {}
    if due_on < timezone.localdate():
        errors["due_on"] = ValidationError(
            _("The answer cannot be due before the referral is sent."), code="referral_due"
        )
    if kind not in Referral.Kind.values:
        errors["kind"] = ValidationError(_("Choose what the referral is for."), code="referral_kind")
    if to_organisation.pk == client.organisation_id:
        errors["to_organisation"] = ValidationError(
            _("A referral goes to another organisation than the one holding the case."),
            code="referral_to_holder",
        )
    if not reason.strip():
        errors["reason"] = ValidationError(_("Write the reason and what is asked."), code="referral_reason")
    if scope not in Share.Scope.values:
        errors["scope"] = ValidationError(_("Choose the data the receiver needs."), code="referral_scope")
    elif scope == Share.Scope.HEALTH and not health_scope_allowed(kind=kind, to_organisation=to_organisation):
        errors["scope"] = ValidationError(
            _("Health data goes only to a welfare area or with a notification for social care."),
            code="referral_scope",
        )
    if errors:
        raise ValidationError(errors)


def referral_acknowledge(*, by, referral: Referral, note: str = "") -> Referral:
    """The receiver has seen the referral and is looking into it."""
    with transaction.atomic(), set_actor(by):
        referral = _locked(referral)
        _check_receiver(by, referral, allowed=ACKNOWLEDGEABLE)
        return _move(referral, Status.ACKNOWLEDGED, by=by, note=note)


def referral_accept(*, by, referral: Referral, note: str = "") -> Referral:
    """The receiver takes the client on: a share of the client opens with the scope asked for."""
    with transaction.atomic(), set_actor(by):
        referral = _locked(referral)
        _check_receiver(by, referral, allowed=OPEN)
        referral.share = share_open_for_referral(by=by, referral=referral)
        return _move(referral, Status.ACCEPTED, by=by, note=note, fields=["share"])


def referral_reject(*, by, referral: Referral, reason: str) -> Referral:
    """The receiver declines; the sender must learn why."""
    if not reason.strip():
        raise ValidationError(
            {
                "reason": ValidationError(
                    _("Write why the referral is rejected."), code="referral_rejection_reason"
                )
            }
        )
    with transaction.atomic(), set_actor(by):
        referral = _locked(referral)
        _check_receiver(by, referral, allowed=OPEN)
        referral.rejection_reason = reason.strip()
        return _move(referral, Status.REJECTED, by=by, note=reason, fields=["rejection_reason"])


def referral_report_outcome(*, by, referral: Referral, outcome: str) -> Referral:
    """The receiver reports what came of it; the share ends with the task."""
    if not outcome.strip():
        raise ValidationError({"outcome": ValidationError(_("Write the outcome."), code="referral_outcome")})
    with transaction.atomic(), set_actor(by):
        referral = _locked(referral)
        _check_receiver(by, referral, allowed=REPORTABLE)
        share_close_for_referral(by=by, referral=referral)
        referral.outcome = outcome.strip()
        return _move(referral, Status.COMPLETED, by=by, note=outcome, fields=["outcome"])


def referral_withdraw(*, by, referral: Referral, note: str = "") -> Referral:
    """The sender takes the referral back, before or after acceptance; any share ends."""
    with transaction.atomic(), set_actor(by):
        referral = _locked(referral)
        if not policy.can_withdraw_referral(by, referral):
            raise ValidationError(_("You may not withdraw this referral."), code="referral_forbidden")
        _check_state(referral, WITHDRAWABLE)
        share_close_for_referral(by=by, referral=referral)
        referral = _move(
            referral, Status.WITHDRAWN, by=by, note=note, organisation_id=referral.from_organisation_id
        )
        refresh_deadlines(referral.client)
    return referral


def _locked(referral: Referral) -> Referral:
    """The referral as it is now, locked for this step (two people may press at once)."""
    return (
        Referral.objects.select_for_update(of=("self",))
        .select_related("client", "share", "from_organisation", "to_organisation")
        .get(pk=referral.pk)
    )


def _check_receiver(by, referral: Referral, *, allowed) -> None:
    if not policy.can_handle_referral(by, referral):
        raise ValidationError(_("You may not answer this referral."), code="referral_forbidden")
    _check_state(referral, allowed)


def _check_state(referral: Referral, allowed) -> None:
    if referral.status not in allowed:
        raise ValidationError(
            _("This step is not possible: the referral is %(status)s.")
            % {"status": referral.get_status_display()},
            code="referral_state",
        )


def _move(
    referral: Referral, status: str, *, by, note: str, fields=(), organisation_id: int | None = None
) -> Referral:
    referral.status = status
    referral.save(update_fields=["status", *fields])
    emit("referral.changed", client=referral.client, obj=referral)
    _event(referral, status, by=by, organisation_id=organisation_id or referral.to_organisation_id, note=note)
    return referral


def _event(referral: Referral, status: str, *, by, organisation_id: int, note: str = "") -> ReferralEvent:
    return ReferralEvent.objects.create(
        referral=referral, status=status, by=by, organisation_id=organisation_id, note=note.strip()
    )

"""Consents and the legal basis of each purpose of processing (docs/consent.md).

Client data leaves the organisation holding the case only for a purpose whose legal basis is in
force. Where that basis is the client's consent, a consent in force for the purpose and the data
(basic, or basic and health) must be recorded first; withdrawing it ends the shares that rested
on it, at once.
"""

import datetime

from auditlog.context import set_actor
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hemkommun.clients.models import Client

from . import policy
from .models import Consent, LegalBasis, Purpose, Share


def legal_basis(purpose: str, day: datetime.date | None = None) -> LegalBasis | None:
    """The basis of ``purpose`` in force on ``day`` (today): the latest row starting by then."""
    day = day or timezone.localdate()
    return LegalBasis.objects.filter(purpose=purpose, valid_from__lte=day).order_by("-valid_from").first()


def require_basis(*, client: Client, purpose: str, scope: str) -> Consent | None:
    """The consent the processing rests on, None where the basis is not consent; refused with a
    message when there is no basis or no consent in force that covers ``scope``."""
    basis = legal_basis(purpose)
    label = Purpose(purpose).label
    if basis is None:
        raise ValidationError(
            _("No legal basis is recorded for this purpose: %(purpose)s.") % {"purpose": label},
            code="no_legal_basis",
        )
    if basis.kind != LegalBasis.Kind.CONSENT:
        return None
    consent = consent_in_force(client=client, purpose=purpose, scope=scope)
    if consent is None:
        raise ValidationError(
            _(
                "The client's consent to this is not recorded: %(purpose)s, %(scope)s. "
                "Record it on the client's page first."
            )
            % {"purpose": label, "scope": Share.Scope(scope).label.lower()},
            code="consent_missing",
        )
    return consent


def consent_in_force(*, client: Client, purpose: str, scope: str) -> Consent | None:
    """The most recent consent in force for the purpose that covers the data asked for."""
    for consent in (
        Consent.objects.in_force().filter(client=client, purpose=purpose).order_by("-given_on", "-pk")
    ):
        if consent.covers(scope):
            return consent
    return None


def consent_purposes() -> list[tuple[str, str]]:
    """The purposes whose basis in force today is consent: the ones a consent can be recorded for."""
    return [
        (value, label)
        for value, label in Purpose.choices
        if (basis := legal_basis(value)) is not None and basis.kind == LegalBasis.Kind.CONSENT
    ]


def consent_record(
    *,
    by,
    client: Client,
    purpose: str,
    scope: str,
    form: str,
    given_on: datetime.date,
    valid_until: datetime.date | None = None,
    note: str = "",
) -> Consent:
    _check_may_record(by, client)
    _validate_consent(purpose=purpose, scope=scope, form=form, given_on=given_on, valid_until=valid_until)
    with transaction.atomic(), set_actor(by):
        return Consent.objects.create(
            client=client,
            purpose=purpose,
            scope=scope,
            form=form,
            given_on=given_on,
            valid_until=valid_until,
            note=note.strip()[:300],
            recorded_by=by,
        )


def consent_withdraw(*, by, consent: Consent, note: str = "") -> list[Share]:
    """Record the withdrawal and end every share in force that rested on the consent."""
    if not policy.can_record_consent(by, consent.client):
        raise ValidationError(_("You may not record this client's consents."), code="consent_forbidden")
    if consent.withdrawn_at is not None:
        raise ValidationError(_("The consent has already been withdrawn."), code="consent_withdrawn")
    now = timezone.now()
    with transaction.atomic(), set_actor(by):
        consent.withdrawn_at, consent.withdrawn_by = now, by
        consent.withdrawal_note = note.strip()[:300]
        consent.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawal_note"])
        ended = list(consent.shares.filter(revoked_at__isnull=True, valid_until__gt=now))
        for share in ended:  # one by one, so that the write log records each
            share.revoked_at = now
            share.save(update_fields=["revoked_at"])
    return ended


def _check_may_record(by, client: Client) -> None:
    # A consent to health data holds none: whoever the client tells may record it. Whether health
    # data may then be passed on is the share's and the referral's own rule.
    if not policy.can_record_consent(by, client):
        raise ValidationError(_("You may not record this client's consents."), code="consent_forbidden")


def _validate_consent(*, purpose, scope, form, given_on, valid_until) -> None:
    errors = {}
    if purpose not in dict(consent_purposes()):
        errors["purpose"] = ValidationError(
            _("No consent is asked for this purpose."), code="consent_purpose"
        )
    if scope not in Share.Scope.values:
        errors["scope"] = ValidationError(_("Choose the data the consent covers."), code="consent_scope")
    if form not in Consent.Form.values:
        errors["form"] = ValidationError(_("Choose how the consent was given."), code="consent_form")
    today = timezone.localdate()
    if given_on > today:
        errors["given_on"] = ValidationError(
            _("A consent cannot be given in the future."), code="consent_date"
        )
    if valid_until is not None and valid_until < max(given_on, today):
        errors["valid_until"] = ValidationError(
            _("The consent must be valid today or later."), code="consent_valid_until"
        )
    if errors:
        raise ValidationError(errors)

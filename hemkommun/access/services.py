"""Shares of a client record with another organisation: explicit, time-limited, with a purpose."""

import datetime

from auditlog.context import set_actor
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hemkommun.clients.models import Client
from hemkommun.organizations.models import Organisation

from . import policy
from .consents import consent_record, require_basis
from .models import Purpose, Share

MAX_SHARE_DAYS = 730  # a share is a hand-over for a task, not a second owner


def share_create(
    *,
    by,
    client: Client,
    organisation: Organisation,
    purpose: str,
    scope: str,
    valid_until: datetime.date,
    consent_given: str = "",
) -> Share:
    """Share the record for multisectoral cooperation, on the legal basis of that purpose: where it
    is consent, one in force for the data shared, or ``consent_given`` (how the client gave it now:
    a Consent.Form value), which records it with the share."""
    if not policy.can_share_client(by, client):
        raise ValidationError(_("You may not share this client's record."), code="share_forbidden")
    if organisation.pk == client.organisation_id:
        raise ValidationError(_("The organisation already holds the case."), code="share_to_holder")
    today = timezone.localdate()
    if not today < valid_until <= today + datetime.timedelta(days=MAX_SHARE_DAYS):
        raise ValidationError(_("A share must end after today and within two years."), code="share_period")
    if not purpose.strip():
        raise ValidationError(_("Write the purpose of the share."), code="share_purpose")
    end = timezone.make_aware(datetime.datetime.combine(valid_until, datetime.time.max))
    with transaction.atomic():
        if consent_given:  # outside set_actor below: auditlog's actor contexts do not nest
            consent_record(
                by=by,
                client=client,
                purpose=Purpose.CASE_TEAM,
                scope=scope,
                form=consent_given,
                given_on=today,
            )
        with set_actor(by):
            consent = require_basis(client=client, purpose=Purpose.CASE_TEAM, scope=scope)
            if consent and consent.valid_until and valid_until > consent.valid_until:
                raise ValidationError(
                    _("The share must end by %(day)s, when the client's consent ends.")
                    % {"day": consent.valid_until.strftime("%d.%m.%Y")},
                    code="share_after_consent",
                )
            return Share.objects.create(
                client=client,
                organisation=organisation,
                purpose=purpose.strip(),
                scope=scope,
                valid_until=end,
                created_by=by,
                processing=Purpose.CASE_TEAM,
                consent=consent,
            )


def share_revoke(*, by, share: Share) -> Share:
    if not policy.can_share_client(by, share.client):
        raise ValidationError(_("You may not change this client's shares."), code="share_forbidden")
    with transaction.atomic(), set_actor(by):
        share.revoked_at = timezone.now()
        share.save(update_fields=["revoked_at"])
    return share


REFERRAL_SHARE_DAYS = 180  # long enough for the service the referral asks for; renewed by a new one


def share_open_for_referral(*, by, referral) -> Share:
    """The share that accepting a referral opens: the client with the receiving organisation,
    the scope the referral asked for, for REFERRAL_SHARE_DAYS, its purpose naming the referral.

    The receiver may not share the record (share_create), but the holder asked for this share
    when sending the referral; accepting it is the receiver's to do.
    """
    if not policy.can_handle_referral(by, referral):
        raise ValidationError(_("You may not answer this referral."), code="referral_forbidden")
    if referral.to_organisation_id == referral.client.organisation_id:
        raise ValidationError(_("The organisation already holds the case."), code="share_to_holder")
    consent = require_basis(client=referral.client, purpose=Purpose.REFERRAL, scope=referral.scope)
    last_day = timezone.localdate() + datetime.timedelta(days=REFERRAL_SHARE_DAYS)
    if consent and consent.valid_until:
        last_day = min(last_day, consent.valid_until)
    kind = referral.get_kind_display()
    purpose = _("Referral %(number)s: %(kind)s") % {"number": referral.pk, "kind": kind}
    with transaction.atomic(), set_actor(by):
        return Share.objects.create(
            client=referral.client,
            organisation=referral.to_organisation,
            purpose=str(purpose)[:300],
            scope=referral.scope,
            valid_until=timezone.make_aware(datetime.datetime.combine(last_day, datetime.time.max)),
            created_by=by,
            processing=Purpose.REFERRAL,
            consent=consent,
        )


def share_close_for_referral(*, by, referral) -> Share | None:
    """End the share a referral opened: its outcome is reported, or the sender withdrew it."""
    if not (policy.can_handle_referral(by, referral) or policy.can_withdraw_referral(by, referral)):
        raise ValidationError(_("You may not change this referral."), code="referral_forbidden")
    share = referral.share
    if share is None or share.revoked_at is not None:
        return share
    with transaction.atomic(), set_actor(by):
        share.revoked_at = timezone.now()
        share.save(update_fields=["revoked_at"])
    return share

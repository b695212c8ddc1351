"""Recording family-reunification needs and aftercare, by the organisation holding the case."""

import datetime

from auditlog.context import set_actor
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hemkommun.access import policy
from hemkommun.clients.models import Client

from ..models import Aftercare, FamilyReunificationNeed


def _check_may_record(by, client: Client) -> None:
    if not policy.can_do_casework(by, client):
        raise ValidationError(_("You may not record follow-ups for this client."), code="followup_forbidden")


def family_reunification_need_create(
    *,
    by,
    client: Client,
    family_abroad: str,
    guidance_given: str = "",
    status: str = FamilyReunificationNeed.Status.OPEN,
    recorded_on: datetime.date | None = None,
) -> FamilyReunificationNeed:
    _check_may_record(by, client)
    recorded_on = recorded_on or timezone.localdate()
    errors: dict[str, ValidationError] = {}
    if not family_abroad.strip():
        errors["family_abroad"] = ValidationError(
            _("Describe the family members abroad."), code="family_abroad_missing"
        )
    if status not in FamilyReunificationNeed.Status.values:
        errors["status"] = ValidationError(_("Choose a status."), code="followup_status")
    if recorded_on > timezone.localdate():
        errors["recorded_on"] = ValidationError(
            _("The date cannot be in the future."), code="followup_future"
        )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(), set_actor(by):
        return FamilyReunificationNeed.objects.create(
            client=client,
            recorded_on=recorded_on,
            by=by,
            family_abroad=family_abroad.strip(),
            guidance_given=guidance_given.strip(),
            status=status,
        )


def aftercare_create(
    *,
    by,
    client: Client,
    started_on: datetime.date,
    description: str,
    ended_on: datetime.date | None = None,
) -> Aftercare:
    _check_may_record(by, client)
    errors: dict[str, ValidationError] = {}
    if not description.strip():
        errors["description"] = ValidationError(_("Describe the aftercare."), code="aftercare_description")
    if ended_on is not None and ended_on < started_on:
        errors["ended_on"] = ValidationError(
            _("Aftercare cannot end before it starts."), code="aftercare_period"
        )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(), set_actor(by):
        return Aftercare.objects.create(
            client=client, started_on=started_on, ended_on=ended_on, description=description.strip(), by=by
        )

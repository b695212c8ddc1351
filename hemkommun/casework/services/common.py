"""Rules shared by the casework services."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from hemkommun.access import policy
from hemkommun.clients.models import Client
from hemkommun.organizations.models import Organisation

# Organisations that take part in a multisectoral assessment or plan (law 681/2023).
PARTICIPANT_KINDS = (Organisation.Kind.WELFARE_AREA, Organisation.Kind.EMPLOYMENT_AREA)


def check_casework_allowed(by, client: Client) -> None:
    if not policy.can_do_casework(by, client):
        raise ValidationError(_("You may not do casework for this client."), code="casework_forbidden")


def check_participants(record, participants, add) -> None:
    """A multisectoral assessment or plan names the welfare area or employment services taking part."""
    if any(organisation.kind not in PARTICIPANT_KINDS for organisation in participants):
        add(
            "participants",
            _("Only the welfare area or the employment services take part."),
            "participant_kind",
        )
    if record.multisectoral and not participants:
        add("participants", _("Name the organisations taking part."), "participants_missing")
    if participants and not record.multisectoral:
        add(
            "participants",
            _("Only a multisectoral record has participants."),
            "participants_not_multisectoral",
        )

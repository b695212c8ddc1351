"""A client's moves between municipalities.

The client's own fields say where the client lives now (the municipality of residence, or else
the municipality holding the case) and when they were first registered in a home municipality.
A move keeps the municipality left, and the day the client was registered in the new one, as an
EarlierResidence: the compensation forecast pays each month to the municipality of its first day.
A correction of a wrongly typed municipality is an edit of the client, not a move.
"""

import datetime

from auditlog.context import set_actor
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from hemkommun.access import policy
from hemkommun.organizations.models import Organisation

from .models import Client, EarlierResidence

# Without a registration on record, a move is still no earlier than 2000: a guard against a
# mistyped year, which would hand every month to the new municipality.
EARLIEST_MOVE = datetime.date(1999, 12, 31)


def home_municipality(client: Client) -> Organisation | None:
    """Where the client lives now: the municipality of residence, or else the municipality
    holding the case (a welfare area or an association is nobody's home municipality)."""
    if client.municipality_of_residence_id:
        return client.municipality_of_residence
    if client.organisation.kind == Organisation.Kind.MUNICIPALITY:
        return client.organisation
    return None


def client_move(
    *, by, client: Client, municipality: Organisation, moved_on: datetime.date
) -> EarlierResidence:
    """Record that the client was registered in ``municipality`` on ``moved_on``."""
    if not policy.can_edit_client(by, client):
        raise ValidationError(_("You may not change this client."), code="edit_forbidden")
    with transaction.atomic(), set_actor(by):
        # Locked, so that two moves recorded at once cannot both pass the date checks.
        client = Client.objects.select_for_update().select_related("organisation").get(pk=client.pk)
        left = home_municipality(client)
        _check_move(client, left, municipality, moved_on)
        earlier = EarlierResidence.objects.create(client=client, municipality=left, moved_out_on=moved_on)
        client.municipality_of_residence = municipality
        client.save(update_fields=["municipality_of_residence", "updated_at"])
        _refresh_deadlines(client)
    return earlier


def client_move_undo(*, by, client: Client) -> None:
    """Take back the latest move recorded by mistake: the client lives where they lived before."""
    if not policy.can_edit_client(by, client):
        raise ValidationError(_("You may not change this client."), code="edit_forbidden")
    with transaction.atomic(), set_actor(by):
        client = Client.objects.select_for_update().get(pk=client.pk)
        latest = client.earlier_residences.order_by("-moved_out_on").first()
        if latest is None:
            raise ValidationError(_("No move has been recorded."), code="no_move")
        client.municipality_of_residence = latest.municipality
        client.save(update_fields=["municipality_of_residence", "updated_at"])
        latest.delete()
        _refresh_deadlines(client)


def _check_move(client: Client, left: Organisation | None, municipality, moved_on: datetime.date) -> None:
    if left is None:
        raise ValidationError(
            _("Record the municipality of residence first: a move starts from there."), code="no_home"
        )
    if municipality.kind != Organisation.Kind.MUNICIPALITY:
        raise _field_error("municipality", _("Choose a municipality."), "not_a_municipality")
    if municipality.pk == left.pk:
        raise _field_error(
            "municipality", _("The client already lives in this municipality."), "same_municipality"
        )
    if moved_on > timezone.localdate():
        message = _("A move is recorded once it has been registered: the date cannot be in the future.")
        raise _field_error("moved_on", message, "move_in_future")
    latest = (
        client.earlier_residences.order_by("-moved_out_on").values_list("moved_out_on", flat=True).first()
    )
    since = max(filter(None, (latest, client.home_municipality_date, EARLIEST_MOVE)))
    if moved_on <= since:
        message = _("The move must come after %(date)s, when the client came to %(municipality)s.") % {
            "date": date_format(since, "SHORT_DATE_FORMAT"),
            "municipality": left.name,
        }
        raise _field_error("moved_on", message, "move_too_early")


def _field_error(field: str, message, code: str) -> ValidationError:
    return ValidationError({field: ValidationError(message, code=code)})


def _refresh_deadlines(client: Client) -> None:
    # A move may change the jurisdiction, and with it the law's deadlines.
    from hemkommun.casework.deadlines import refresh_deadlines

    refresh_deadlines(client)

"""Flats: one family at a time."""

import datetime

from auditlog.context import set_actor
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from hemkommun.access import policy

from ..models import ArrivalGroup, Flat, FlatAssignment


def flat_assign(
    *, by, flat: Flat, group: ArrivalGroup, starts_on: datetime.date, ends_on: datetime.date | None = None
) -> FlatAssignment:
    """Assign the flat to an arriving family; refused when it is already taken for any of those days."""
    if not policy.can_manage_arrivals(by, flat.municipality_id):
        raise ValidationError(
            _("You may not manage arrivals in this municipality."), code="reception_forbidden"
        )
    if group.municipality_id != flat.municipality_id:
        raise ValidationError(_("The flat is in another municipality."), code="flat_elsewhere")
    if ends_on is not None and ends_on < starts_on:
        raise ValidationError(
            {"ends_on": ValidationError(_("The end cannot come before the start."), code="period")}
        )
    with transaction.atomic(), set_actor(by):
        # The flat's row is locked so that two coordinators cannot book it at once (PostgreSQL;
        # SQLite serialises writers anyway).
        Flat.objects.select_for_update().get(pk=flat.pk)
        clash = _overlapping(flat, starts_on, ends_on).first()
        if clash is not None:
            raise ValidationError(
                _("The flat is already assigned from %(start)s.")
                % {"start": date_format(clash.starts_on, "SHORT_DATE_FORMAT")},
                code="flat_taken",
            )
        return FlatAssignment.objects.create(flat=flat, group=group, starts_on=starts_on, ends_on=ends_on)


def _overlapping(flat: Flat, starts_on: datetime.date, ends_on: datetime.date | None):
    """Assignments of the flat sharing a day with [starts_on, ends_on] (open ends run for ever)."""
    assignments = FlatAssignment.objects.filter(flat=flat).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=starts_on)
    )
    if ends_on is not None:
        assignments = assignments.filter(starts_on__lte=ends_on)
    return assignments

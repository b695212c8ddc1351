"""Flats reserved for arriving families: the flat's data, its furnishing, and who lives there
when. One family at a time: two assignments of a flat never share a day."""

import datetime

from auditlog.context import set_actor
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from hemkommun.organizations.models import Organisation

from ..models import ArrivalGroup, Flat, FlatAssignment, FurnishingItem
from .common import check_manager

# What a coordinator types about a flat; the municipality is chosen once, when it is created.
FLAT_FIELDS = ("street_address", "postal_code", "post_office", "rooms", "size_m2", "rent_eur", "landlord")


def _flat_data(data: dict) -> dict:
    unknown = set(data) - set(FLAT_FIELDS)
    if unknown:
        # A programming error, not the user's: the forms only send FLAT_FIELDS.
        raise ValueError(f"not flat fields: {sorted(unknown)}")
    return {key: value.strip() if isinstance(value, str) else value for key, value in data.items()}


def flat_create(*, by, municipality: Organisation, data: dict) -> Flat:
    """A flat the municipality has reserved for arriving families."""
    check_manager(by, municipality.pk)
    if municipality.kind != Organisation.Kind.MUNICIPALITY:
        raise ValidationError(
            {"municipality": ValidationError(_("Choose a municipality."), code="not_a_municipality")}
        )
    flat = Flat(municipality=municipality, **_flat_data(data))
    flat.full_clean()
    with transaction.atomic(), set_actor(by):
        flat.save()
    return flat


def flat_update(*, by, flat: Flat, data: dict) -> Flat:
    """New data of the flat (the rent went up, the landlord changed); its municipality stays."""
    check_manager(by, flat.municipality_id)
    data = _flat_data(data)
    with transaction.atomic(), set_actor(by):
        # Read again so that a refused change leaves the caller's object as it was.
        flat = Flat.objects.select_for_update().get(pk=flat.pk)
        for field, value in data.items():
            setattr(flat, field, value)
        flat.full_clean()
        flat.save(update_fields=list(data))
    return flat


def furnishing_add(
    *, by, flat: Flat, item: str, quantity: int = 1, state: str = FurnishingItem.State.NEEDED
) -> FurnishingItem:
    """One line of the flat's furnishing list: what, how many, and how far it has got."""
    check_manager(by, flat.municipality_id)
    errors = {}
    if not item.strip():
        errors["item"] = ValidationError(_("Write what is needed."), code="item_missing")
    if quantity < 1:
        errors["quantity"] = ValidationError(_("At least one."), code="quantity")
    if state not in FurnishingItem.State.values:
        errors["state"] = ValidationError(_("Unknown state."), code="furnishing_state")
    if errors:
        raise ValidationError(errors)
    furnishing = FurnishingItem(flat=flat, item=item.strip(), quantity=quantity, state=state)
    furnishing.full_clean()
    with transaction.atomic(), set_actor(by):
        furnishing.save()
    return furnishing


def furnishing_set_state(*, by, item: FurnishingItem, state: str) -> FurnishingItem:
    """Needed, ordered, in place: any step may be taken back (an order is cancelled)."""
    check_manager(by, item.flat.municipality_id)
    if state not in FurnishingItem.State.values:
        raise ValidationError({"state": ValidationError(_("Unknown state."), code="furnishing_state")})
    with transaction.atomic(), set_actor(by):
        item.state = state
        item.save(update_fields=["state"])
    return item


def furnishing_remove(*, by, item: FurnishingItem) -> None:
    """A line typed by mistake, or a thing the family does not need after all."""
    check_manager(by, item.flat.municipality_id)
    with transaction.atomic(), set_actor(by):
        item.delete()


def flat_assign(
    *, by, flat: Flat, group: ArrivalGroup, starts_on: datetime.date, ends_on: datetime.date | None = None
) -> FlatAssignment:
    """Assign the flat to an arriving family; refused when it is already taken for any of those days."""
    check_manager(by, flat.municipality_id)
    if group.municipality_id != flat.municipality_id:
        raise ValidationError(_("The flat is in another municipality."), code="flat_elsewhere")
    _check_period(starts_on, ends_on)
    with transaction.atomic(), set_actor(by):
        _lock_and_refuse_overlap(flat, starts_on, ends_on)
        # Read now, not from the caller's object: the arrival may have been cancelled meanwhile.
        if ArrivalGroup.objects.filter(pk=group.pk, status=ArrivalGroup.Status.CANCELLED).exists():
            raise ValidationError(_("The arrival has been cancelled."), code="arrival_state")
        return FlatAssignment.objects.create(flat=flat, group=group, starts_on=starts_on, ends_on=ends_on)


def assignment_end(*, by, assignment: FlatAssignment, ends_on: datetime.date) -> FlatAssignment:
    """The family moves out (or will): the last day they have the flat. A later end than before
    is refused where the flat is already someone else's by then."""
    flat = assignment.flat
    check_manager(by, flat.municipality_id)
    _check_period(assignment.starts_on, ends_on)
    with transaction.atomic(), set_actor(by):
        _lock_and_refuse_overlap(flat, assignment.starts_on, ends_on, exclude=assignment)
        assignment.ends_on = ends_on
        assignment.save(update_fields=["ends_on"])
    return assignment


def _check_period(starts_on: datetime.date, ends_on: datetime.date | None) -> None:
    if ends_on is not None and ends_on < starts_on:
        raise ValidationError(
            {"ends_on": ValidationError(_("The end cannot come before the start."), code="period")}
        )


def _lock_and_refuse_overlap(
    flat: Flat,
    starts_on: datetime.date,
    ends_on: datetime.date | None,
    exclude: FlatAssignment | None = None,
) -> None:
    """Inside the caller's transaction: the flat's row is locked so that two coordinators cannot
    book it at once (PostgreSQL; SQLite serialises writers anyway), then any clash refuses."""
    Flat.objects.select_for_update().get(pk=flat.pk)
    clashes = _overlapping(flat, starts_on, ends_on).select_related("group")
    if exclude is not None:
        clashes = clashes.exclude(pk=exclude.pk)
    clash = clashes.first()
    if clash is not None:
        raise ValidationError(_describe_clash(clash), code="flat_taken")


def _describe_clash(clash: FlatAssignment) -> str:
    """Whose the flat is and when, so the coordinator sees which dates to choose instead."""
    holder = (
        clash.group.reference if clash.group_id else _("client no. %(number)s") % {"number": clash.client_id}
    )
    start = date_format(clash.starts_on, "SHORT_DATE_FORMAT")
    if clash.ends_on is None:
        return _("The flat is already assigned to %(holder)s from %(start)s, with no end date.") % {
            "holder": holder,
            "start": start,
        }
    return _("The flat is already assigned to %(holder)s from %(start)s to %(end)s.") % {
        "holder": holder,
        "start": start,
        "end": date_format(clash.ends_on, "SHORT_DATE_FORMAT"),
    }


def _overlapping(flat: Flat, starts_on: datetime.date, ends_on: datetime.date | None):
    """Assignments of the flat sharing a day with [starts_on, ends_on] (open ends run for ever)."""
    assignments = FlatAssignment.objects.filter(flat=flat).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=starts_on)
    )
    if ends_on is not None:
        assignments = assignments.filter(starts_on__lte=ends_on)
    return assignments

"""Placements of unaccompanied minors (ilman huoltajaa tulleet alaikäiset / ensamkommande
minderåriga): a family group home (perheryhmäkoti / familjegrupphem) or supported housing
(tuettu asuminen / stött boende), under the municipality's placement agreement for minors.

Also the reads of placements, scoped like the client register, for the pages and the export.
"""

import calendar
import datetime

from auditlog.context import set_actor
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from hemkommun.access import policy
from hemkommun.clients.models import Client

from ..models import AgreedPlaces, MinorPlacement, PlaceCategory, PlacementAgreement
from ..pages import managed_municipality_ids
from .common import check_manager

ADULT_AGE = 18
# The fields a placement form edits; the client and the municipality never change.
EDITABLE_FIELDS = ("agreement", "kind", "unit_name", "starts_on", "ends_on", "representative", "notes")


# Age -----------------------------------------------------------------------------------------


def latest_birth_date(client: Client) -> datetime.date | None:
    """The latest date the client can have been born on, from the parts of the date known.

    A year alone counts as 31 December, a year and month as the month's last day. For an
    unaccompanied minor the benefit of the doubt goes to the child (as in age assessment):
    someone who may still be under 18 is treated as under 18. None when not even the year is known.
    """
    year, month, day = client.birth_year, client.birth_month, client.birth_day
    if not year:
        return None
    if not month:
        return datetime.date(year, 12, 31)
    last_day = calendar.monthrange(year, month)[1]
    return datetime.date(year, month, min(day, last_day) if day else last_day)


def birth_date_is_exact(client: Client) -> bool:
    return bool(client.birth_year and client.birth_month and client.birth_day)


def _birthday(born: datetime.date, years: int) -> datetime.date:
    try:
        return born.replace(year=born.year + years)
    except ValueError:  # born on 29 February: of age on 1 March, the later of the two readings
        return datetime.date(born.year + years, 3, 1)


def is_minor_on(client: Client, day: datetime.date) -> bool | None:
    """Whether the client is (or may be) under 18 on the day; None when the birth year is unknown."""
    born = latest_birth_date(client)
    if born is None:
        return None
    return day < _birthday(born, ADULT_AGE)


def age_on(client: Client, day: datetime.date) -> int | None:
    """Age in whole years on the day, counted from the latest possible date of birth."""
    born = latest_birth_date(client)
    if born is None or day < born:
        return None
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


# Reads ---------------------------------------------------------------------------------------


def placements_for(user) -> QuerySet[MinorPlacement]:
    """Placements in the municipalities where the user manages arrivals, of clients they see.

    Both conditions: a client who has moved to another organisation's case drops out of the
    old municipality's list rather than showing a name its staff may no longer read.
    """
    placements = MinorPlacement.objects.filter(municipality_id__in=managed_municipality_ids(user))
    visible = policy.visibility_q(
        user, organisation_field="client__organisation_id", client_field="client_id"
    )
    if visible is not None:
        placements = placements.filter(visible)
    return placements.select_related("client", "agreement", "municipality")


def placement_get(*, user, pk) -> MinorPlacement:
    """One placement the user may see, else 404: another municipality's id reveals nothing."""
    try:
        return placements_for(user).get(pk=pk)
    except (MinorPlacement.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def current_q(today: datetime.date) -> Q:
    """Placements not yet ended: no end date, or one today or later (the end day is included)."""
    return Q(ends_on__isnull=True) | Q(ends_on__gte=today)


# Writes --------------------------------------------------------------------------------------


def placement_create(
    *,
    by,
    client: Client,
    agreement: PlacementAgreement,
    kind: str,
    unit_name: str,
    starts_on: datetime.date,
    ends_on: datetime.date | None = None,
    representative: str = "",
    notes: str = "",
) -> MinorPlacement:
    """Place a minor of the municipality holding their case, under its agreement for minors.

    The client must be under 18 on ``starts_on``; a date of birth known only to the year (or
    month) counts as the latest date it allows (``latest_birth_date``). The agreement must be in
    force on ``starts_on`` with places for unaccompanied minors agreed for that year."""
    municipality = client.organisation
    check_manager(by, municipality.pk)
    placement = MinorPlacement(municipality=municipality, client=client)
    _assign(placement, agreement, kind, unit_name, starts_on, ends_on, representative, notes)
    with transaction.atomic(), set_actor(by):
        _lock_client(client)
        _validate(by, placement)
        placement.save()
    return placement


def placement_update(
    *,
    by,
    placement: MinorPlacement,
    agreement: PlacementAgreement,
    kind: str,
    unit_name: str,
    starts_on: datetime.date,
    ends_on: datetime.date | None = None,
    representative: str = "",
    notes: str = "",
) -> MinorPlacement:
    """Correct a placement: every editable field is given, as the form shows them all."""
    check_manager(by, placement.municipality_id)
    with transaction.atomic(), set_actor(by):
        _lock_client(placement.client)
        placement = MinorPlacement.objects.select_related("client", "municipality").get(pk=placement.pk)
        _assign(placement, agreement, kind, unit_name, starts_on, ends_on, representative, notes)
        _validate(by, placement)
        placement.save(update_fields=list(EDITABLE_FIELDS))
    return placement


def placement_end(*, by, placement: MinorPlacement, ends_on: datetime.date) -> MinorPlacement:
    """The minor leaves the placement: the last day placed (today, past or planned).

    A placement that has already ended is corrected with ``placement_update`` instead, so that
    ending stays the one step of a current placement."""
    check_manager(by, placement.municipality_id)
    with transaction.atomic(), set_actor(by):
        _lock_client(placement.client)
        placement = MinorPlacement.objects.select_related("client", "municipality").get(pk=placement.pk)
        if placement.ends_on and placement.ends_on < timezone.localdate():
            raise ValidationError(
                {"ends_on": ValidationError(_("This placement has already ended."), code="placement_ended")}
            )
        placement.ends_on = ends_on
        _validate(by, placement, age_and_agreement=False)
        placement.save(update_fields=["ends_on"])
    return placement


def _lock_client(client: Client) -> None:
    """Placements of one client are checked for overlap one writer at a time."""
    Client.objects.select_for_update().filter(pk=client.pk).exists()


def _assign(placement, agreement, kind, unit_name, starts_on, ends_on, representative, notes) -> None:
    placement.agreement = agreement
    placement.kind = kind
    placement.unit_name = (unit_name or "").strip()
    placement.starts_on = starts_on
    placement.ends_on = ends_on
    placement.representative = (representative or "").strip()
    placement.notes = notes or ""


# Validation ----------------------------------------------------------------------------------


class _Errors:
    """Errors keyed by field, raised together so the form shows them all at once."""

    def __init__(self) -> None:
        self.by_field: dict[str, list[ValidationError]] = {}

    def add(self, field: str, message: str, code: str) -> None:
        self.by_field.setdefault(field, []).append(ValidationError(message, code=code))

    def merge(self, error: ValidationError) -> None:
        for field, errors in error.error_dict.items():
            self.by_field.setdefault(field, []).extend(errors)

    def raise_any(self) -> None:
        if self.by_field:
            raise ValidationError(self.by_field)


def _validate(by, placement: MinorPlacement, *, age_and_agreement: bool = True) -> None:
    """Every rule of a placement. Ending one checks the dates only: the age and the agreement
    were right when it began, and a minor who has since turned 18 must still be able to leave."""
    errors = _Errors()
    try:
        placement.clean_fields(exclude=["municipality", "client", "agreement"])
    except ValidationError as error:
        errors.merge(error)
    _check_client(by, placement, errors)
    if placement.starts_on and placement.ends_on and placement.ends_on < placement.starts_on:
        errors.add("ends_on", _("The placement cannot end before it starts."), "placement_period")
    if age_and_agreement and placement.starts_on:
        _check_age(placement, errors)
        _check_agreement(placement, errors)
    if placement.starts_on and "ends_on" not in errors.by_field:
        _check_overlap(placement, errors)
    errors.raise_any()


def _check_client(by, placement: MinorPlacement, errors: _Errors) -> None:
    client = placement.client
    if client.organisation_id != placement.municipality_id or not policy.can_view_client(by, client):
        errors.add(
            "client",
            _("The client's case is not held by this municipality."),
            "client_of_another_municipality",
        )


def _check_age(placement: MinorPlacement, errors: _Errors) -> None:
    minor = is_minor_on(placement.client, placement.starts_on)
    if minor is None:
        errors.add(
            "client",
            _("Record the client's date of birth, at least the year, before placing them."),
            "birth_date_unknown",
        )
    elif not minor:
        errors.add(
            "starts_on",
            _("The client is 18 or older on this date: only minors are placed here."),
            "not_a_minor",
        )


def _check_agreement(placement: MinorPlacement, errors: _Errors) -> None:
    if placement.agreement_id is None:
        errors.add("agreement", _("Choose the placement agreement."), "agreement_missing")
        return
    agreement, starts_on = placement.agreement, placement.starts_on
    if agreement.municipality_id != placement.municipality_id:
        errors.add("agreement", _("Choose an agreement of this municipality."), "agreement_of_another")
    elif not agreement.starts_on <= starts_on <= agreement.ends_on:
        errors.add(
            "agreement",
            _("The agreement is not in force on %(date)s.") % {"date": starts_on.isoformat()},
            "agreement_not_in_force",
        )
    elif not AgreedPlaces.objects.filter(
        agreement=agreement,
        year=starts_on.year,
        category=PlaceCategory.UNACCOMPANIED_MINORS,
        places__gt=0,
    ).exists():
        errors.add(
            "agreement",
            _("The agreement has no places for unaccompanied minors agreed for %(year)s.")
            % {"year": starts_on.year},
            "no_places_for_minors",
        )


def _check_overlap(placement: MinorPlacement, errors: _Errors) -> None:
    """Both days of a period are included: a move is recorded as one end and the next day's start."""
    others = MinorPlacement.objects.filter(client_id=placement.client_id).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=placement.starts_on)
    )
    if placement.ends_on:
        others = others.filter(starts_on__lte=placement.ends_on)
    if placement.pk:
        others = others.exclude(pk=placement.pk)
    other = others.order_by("starts_on").first()
    if other is None:
        return
    if other.ends_on:
        message = _("The client already has a placement from %(start)s until %(end)s.") % {
            "start": other.starts_on.isoformat(),
            "end": other.ends_on.isoformat(),
        }
    else:
        message = _("The client already has a placement from %(start)s with no end date.") % {
            "start": other.starts_on.isoformat()
        }
    errors.add("starts_on", message, "placement_overlap")

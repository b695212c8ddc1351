"""Placement agreements (kuntapaikkasopimus / avtal om kommunplatser) with the regional state
centre: the agreement itself, the places of a year and category, the yearly negotiation rounds.

Who may: the municipality's coordinators write agreements (they sign for the municipality);
its coordinators and case workers (access.policy.RECEPTION_ROLES) read them. Places are revised
in place: the previous numbers stay in the write log (django-auditlog), which the agreement's
page shows as the revision history.
"""

import datetime
from collections.abc import Mapping

from auditlog.context import set_actor
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from hemkommun.access import policy
from hemkommun.organizations.models import Organisation, Role

from .models import AgreedPlaces, NegotiationRound, PlaceCategory, PlacementAgreement

AGREEMENT_FIELDS = (
    "state_centre",
    "starts_on",
    "ends_on",
    "decision_reference",
    "welfare_area",
    "welfare_consulted_on",
    "consultation_notes",
)
# The column is a PositiveSmallIntegerField: its limit on every database.
MAX_PLACES = 32_767

Errors = dict[str, list[ValidationError]]


def may_write(user, municipality_id: int) -> bool:
    return Role.COORDINATOR in policy.roles_in(user, municipality_id)


def writable_municipalities(user) -> list[Organisation]:
    """Municipalities whose agreements the user writes: where they are a coordinator."""
    return [
        organisation
        for organisation in policy.organisations_with(user, {Role.COORDINATOR})
        if organisation.kind == Organisation.Kind.MUNICIPALITY
    ]


def _check_writer(by, municipality_id: int) -> None:
    if not may_write(by, municipality_id):
        raise ValidationError(
            _("Only the municipality's coordinators may change its placement agreements."),
            code="agreement_forbidden",
        )


def _add(errors: Errors, field: str, message: str, code: str) -> None:
    errors.setdefault(field, []).append(ValidationError(message, code=code))


def agreement_create(
    *,
    by,
    municipality: Organisation,
    state_centre: Organisation,
    starts_on: datetime.date,
    ends_on: datetime.date,
    decision_reference: str = "",
    welfare_area: Organisation | None = None,
    welfare_consulted_on: datetime.date | None = None,
    consultation_notes: str = "",
) -> PlacementAgreement:
    """A new agreement of the municipality with the state centre, places to be set year by year."""
    _check_writer(by, municipality.pk)
    agreement = PlacementAgreement(
        municipality=municipality,
        state_centre=state_centre,
        starts_on=starts_on,
        ends_on=ends_on,
        decision_reference=decision_reference.strip(),
        welfare_area=welfare_area,
        welfare_consulted_on=welfare_consulted_on,
        consultation_notes=consultation_notes.strip(),
    )
    _validate_agreement(agreement, places_years=set())
    with transaction.atomic(), set_actor(by):
        agreement.save()
    return agreement


def agreement_update(*, by, agreement: PlacementAgreement, data: Mapping[str, object]) -> PlacementAgreement:
    """Change the period, parties or consultation; the municipality stays. ``data`` holds
    AGREEMENT_FIELDS (those left out keep their values)."""
    unknown = set(data) - set(AGREEMENT_FIELDS)
    if unknown:
        raise ValueError(f"not agreement fields: {sorted(unknown)}")
    _check_writer(by, agreement.municipality_id)
    with transaction.atomic(), set_actor(by):
        agreement = PlacementAgreement.objects.select_for_update().get(pk=agreement.pk)
        for field, value in data.items():
            setattr(agreement, field, value.strip() if isinstance(value, str) else value)
        years = set(agreement.places.values_list("year", flat=True))
        _validate_agreement(agreement, places_years=years)
        agreement.save()
    return agreement


def _validate_agreement(agreement: PlacementAgreement, *, places_years: set[int]) -> None:
    errors: Errors = {}
    _check_field_limits(agreement, errors)
    _check_parties(agreement, errors)
    if agreement.starts_on and agreement.ends_on:
        _check_period(agreement, places_years, errors)
    if errors:
        raise ValidationError(errors)


def _check_field_limits(agreement: PlacementAgreement, errors: Errors) -> None:
    """Dates given, lengths kept, as the model declares them (the parties are checked below)."""
    try:
        agreement.clean_fields(exclude=["municipality", "state_centre", "welfare_area"])
    except ValidationError as error:
        for field, messages in error.error_dict.items():
            errors.setdefault(field, []).extend(messages)


def _check_parties(agreement: PlacementAgreement, errors: Errors) -> None:
    if agreement.municipality.kind != Organisation.Kind.MUNICIPALITY:
        _add(errors, "municipality", _("Choose a municipality."), "not_a_municipality")
    state_centre = agreement.state_centre if agreement.state_centre_id else None
    if state_centre is None or state_centre.kind != Organisation.Kind.STATE_CENTRE:
        _add(errors, "state_centre", _("Choose a regional state centre."), "not_a_state_centre")
    welfare_area = agreement.welfare_area
    if welfare_area is not None and welfare_area.kind != Organisation.Kind.WELFARE_AREA:
        _add(errors, "welfare_area", _("Choose a welfare area."), "not_a_welfare_area")
    # The welfare area must be heard before the agreement: a hearing names who was heard.
    if welfare_area is None and (agreement.welfare_consulted_on or agreement.consultation_notes):
        _add(errors, "welfare_area", _("Choose the welfare area that was heard."), "welfare_area_missing")


def _check_period(agreement: PlacementAgreement, places_years: set[int], errors: Errors) -> None:
    if agreement.ends_on <= agreement.starts_on:
        _add(errors, "ends_on", _("The agreement must end after it starts."), "agreement_period")
        return
    outside = sorted(year for year in places_years if not _in_period(agreement, year))
    if outside:
        _add(
            errors,
            "ends_on",
            _("Places are agreed for %(years)s, outside this period.")
            % {"years": ", ".join(map(str, outside))},
            "places_outside_period",
        )


def _in_period(agreement: PlacementAgreement, year: int) -> bool:
    return agreement.starts_on.year <= year <= agreement.ends_on.year


def agreement_years(agreement: PlacementAgreement) -> list[int]:
    """The calendar years the agreement covers, in whole or in part."""
    return list(range(agreement.starts_on.year, agreement.ends_on.year + 1))


def places_set(*, by, agreement: PlacementAgreement, year: int, category: str, places: int) -> AgreedPlaces:
    """Set the places of a year and category: the first time, or a revision (the number before it
    stays in the write log)."""
    _check_writer(by, agreement.municipality_id)
    errors: Errors = {}
    _check_year(agreement, year, errors)
    if category not in PlaceCategory.values:
        _add(errors, "category", _("Choose a category of places."), "place_category")
    if not 0 <= places <= MAX_PLACES:
        _add(
            errors,
            "places",
            _("Give a number of places from 0 to %(max)s.") % {"max": MAX_PLACES},
            "places_range",
        )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(), set_actor(by):
        # Locked, so that two coordinators setting the same year and category do it one after another.
        PlacementAgreement.objects.select_for_update().get(pk=agreement.pk)
        row = AgreedPlaces.objects.filter(agreement=agreement, year=year, category=category).first()
        if row is None:
            return AgreedPlaces.objects.create(
                agreement=agreement, year=year, category=category, places=places
            )
        if row.places != places:
            row.places = places
            row.save(update_fields=["places"])
    return row


def round_add(
    *, by, agreement: PlacementAgreement, year: int, held_on: datetime.date, outcome: str = ""
) -> NegotiationRound:
    """Record a yearly negotiation on places with the state centre, and what came of it."""
    _check_writer(by, agreement.municipality_id)
    errors: Errors = {}
    _check_year(agreement, year, errors)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(), set_actor(by):
        return NegotiationRound.objects.create(
            agreement=agreement, year=year, held_on=held_on, outcome=outcome.strip()
        )


def _check_year(agreement: PlacementAgreement, year: int, errors: Errors) -> None:
    if not _in_period(agreement, year):
        _add(
            errors,
            "year",
            _("Choose a year of the agreement's period, %(first)s–%(last)s.")
            % {"first": agreement.starts_on.year, "last": agreement.ends_on.year},
            "year_outside_period",
        )

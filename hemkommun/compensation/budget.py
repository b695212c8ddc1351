"""The budget view: calculated compensation for this year and the next two, from the clients of
today and from the places agreed with the state centre but not yet used.

An agreed place not yet used is assumed to be taken on 1 July of its year (or next month, when
July has passed) by a person aged 7 or over, registered in the municipality that day: a quota place in the quota group, a place for a
person from a reception centre or for an unaccompanied minor in the other group. The assumption
is stated on the page beside the figures."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from hemkommun.clients.codes import ResidenceGround
from hemkommun.organizations.models import Organisation
from hemkommun.reception.models import PlaceCategory
from hemkommun.reception.places import places_table

from .forecast import Person, person_months, routes_for
from .rules import ParameterBook
from .totals import forecast_totals

YEARS_AHEAD = 3
# Who an unused place is assumed to bring, by category of place.
ASSUMED_GROUND = {
    PlaceCategory.QUOTA_REFUGEES: ResidenceGround.QUOTA_REFUGEE,
    PlaceCategory.RECEPTION_CENTRES: ResidenceGround.ASYLUM,
    PlaceCategory.UNACCOMPANIED_MINORS: ResidenceGround.ASYLUM,
}


@dataclass
class Budget:
    years: list[int]
    clients: dict[int, Decimal]
    places: dict[int, Decimal]
    unused_places: dict[int, int]

    def total(self, year: int) -> Decimal:
        return self.clients[year] + self.places[year]


def budget_window(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """January of this year to December of the year after next."""
    return datetime.date(today.year, 1, 1), datetime.date(today.year + YEARS_AHEAD - 1, 12, 1)


def budget(
    *, payee: Organisation, today: datetime.date, from_clients: dict[int, Decimal] | None = None
) -> Budget:
    """``from_clients``: the clients' totals by year over ``budget_window``, when already counted."""
    first, last = budget_window(today)
    years = list(range(first.year, last.year + 1))
    if from_clients is None:
        from_clients = forecast_totals(payee=payee, first=first, last=last).by_year
    places, unused = _from_unused_places(payee, years, first, last, today)
    return Budget(years, from_clients, places, unused)


def _from_unused_places(payee: Organisation, years: list[int], first, last, today) -> tuple[dict, dict]:
    book, (routes, payee_kind) = ParameterBook(), routes_for(payee)
    amounts = {year: Decimal(0) for year in years}
    unused = dict.fromkeys(years, 0)
    # The places of the municipalities whose compensation goes to the payee (itself, those routed
    # to it, as to KST, or those a welfare area serves).
    rows = places_table(municipality_ids=routes.municipalities_paying(payee.pk), years=years)
    # 1 July of the year, or the first month still to begin once July has passed.
    soonest = today if today.day == 1 else (today.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)
    for row in rows:
        free = max(row.agreed - row.used, 0)
        unused[row.year] += free
        assumed = _assumed_person(row.municipality, row.category, max(datetime.date(row.year, 7, 1), soonest))
        for month_row in person_months(assumed, book, first, last, routes.payee_of, payee_kind):
            if month_row.payee_id == payee.pk:
                amounts[month_row.month.year] += month_row.amount_eur * free
    return amounts, unused


def _assumed_person(municipality: Organisation, category: str, registered_on: datetime.date) -> Person:
    return Person(
        client_id=0,
        external_id="",
        birth_year=None,  # counted at the 7-and-over rate
        birth_month=None,
        birth_day=None,
        ground=ASSUMED_GROUND[category],
        registered_on=registered_on,
        municipality_id=municipality.pk,
        jurisdiction=municipality.jurisdiction,
        quota_household=False,
    )

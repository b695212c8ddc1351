"""The forecast of calculated compensation: per client and month, what is due and why.

A month is counted when the client is eligible on its first day (parameter ``month_rule``): the
residence ground qualifies on that day, and the day falls within the payment period counted from
the first home-municipality registration (3 or 2 years from 2025 on the mainland, 4 or 3 before,
by the date of that registration). The amount is the yearly rate for the client's age band on that
day divided by 12, rounded to the cent. A date of birth known only in part is read as the
parameter ``uncertain_birth_date`` says; a client with no year of birth is counted at the
7-and-over rate, the lower one, until the year is recorded.

The clients are read once, a few columns each, and streamed; nothing per client is queried.
"""

import calendar
import datetime
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from dateutil.relativedelta import relativedelta
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Coalesce

from hemkommun.clients.codes import ResidenceGround
from hemkommun.clients.models import Client, HouseholdMember
from hemkommun.organizations.models import Organisation

from .codes import AgeBand, BirthDateReading, Group, Key, PayeeKind
from .models import PayeeRoute
from .rules import ParameterBook

CENT = Decimal("0.01")


@dataclass(frozen=True)
class Person:
    """What the forecast needs of one client."""

    client_id: int
    external_id: str
    birth_year: int | None
    birth_month: int | None
    birth_day: int | None
    ground: str
    registered_on: datetime.date | None
    municipality_id: int
    jurisdiction: str
    quota_household: bool  # in a household with a quota refugee (a family member of one)


@dataclass(frozen=True)
class Row:
    client_id: int
    external_id: str
    month: datetime.date
    age_band: str
    group: str
    amount_eur: Decimal
    rule: str
    payee_id: int


def months(first: datetime.date, last: datetime.date) -> Iterator[datetime.date]:
    """The first days of the months from ``first`` to ``last``, both included."""
    month = first.replace(day=1)
    while month <= last:
        yield month
        month += relativedelta(months=1)


def group_of(person: Person) -> str:
    if person.ground == ResidenceGround.QUOTA_REFUGEE or (
        person.ground == ResidenceGround.FAMILY_OF_PROTECTED and person.quota_household
    ):
        return Group.QUOTA
    return Group.OTHER


def seventh_birthday(person: Person, reading: int) -> datetime.date | None:
    """The day the client turns 7, reading an unknown month or day as the parameter says."""
    if not person.birth_year:
        return None
    year = person.birth_year + 7
    if reading == BirthDateReading.LATEST:
        month = person.birth_month or 12
        day = person.birth_day or calendar.monthrange(year, month)[1]
    else:
        month = person.birth_month or 1
        day = person.birth_day or 1
    try:
        return datetime.date(year, month, day)
    except ValueError:  # born on 29 February: 7 on 1 March of a common year
        return datetime.date(year, 3, 1)


@dataclass(frozen=True)
class Period:
    """A client's payment period and the parameter that set its length."""

    group: str
    years: int
    starts_on: datetime.date
    ends_on: datetime.date  # the first day no longer paid
    rule_from: datetime.date  # the payment-period parameter's start


def payment_period(person: Person, book: ParameterBook) -> Period | None:
    if person.registered_on is None:
        return None
    group = group_of(person)
    parameter = book.find(person.jurisdiction, Key.PAYMENT_YEARS, group, person.registered_on)
    if parameter is None:
        return None
    years = int(parameter.value)
    ends_on = person.registered_on + relativedelta(years=years)
    return Period(group, years, person.registered_on, ends_on, parameter.valid_from)


def person_months(
    person: Person,
    book: ParameterBook,
    first: datetime.date,
    last: datetime.date,
    payee_of,
    payee_kind: str = PayeeKind.MUNICIPALITY,
) -> Iterator[Row]:
    """The months of [first, last] the client brings compensation for, one row each."""
    period = payment_period(person, book)
    if period is None:
        return
    turns_7 = seventh_birthday(person, book.birth_date_reading(person.jurisdiction, period.starts_on))
    for month in months(max(first, period.starts_on), min(last, period.ends_on)):
        if not (period.starts_on <= month < period.ends_on):
            continue  # eligible on the month's first day only
        if not book.qualifies(person.jurisdiction, person.ground, month):
            continue
        band = AgeBand.UNDER_7 if turns_7 is not None and month < turns_7 else AgeBand.FROM_7
        rate = book.find(person.jurisdiction, Key.CALCULATED_RATE, f"{payee_kind}:{band}", month)
        if rate is None:
            continue
        yield Row(
            client_id=person.client_id,
            external_id=person.external_id,
            month=month,
            age_band=band,
            group=period.group,
            amount_eur=(rate.value / 12).quantize(CENT, rounding=ROUND_HALF_UP),
            rule=f"{person.jurisdiction} {period.group} {period.years}y (rule of {period.rule_from}); "
            f"registered {period.starts_on}; rate of {rate.valid_from}",
            payee_id=payee_of(person.municipality_id, month),
        )


class Routes:
    """Who is paid for a municipality's clients in a month: the municipality, unless a route
    sends it to another body for that month."""

    def __init__(self, routes: Iterable[PayeeRoute] | None = None):
        self._routes: dict[int, list[PayeeRoute]] = {}
        for route in routes if routes is not None else PayeeRoute.objects.all():
            self._routes.setdefault(route.municipality_id, []).append(route)

    def payee_of(self, municipality_id: int, month: datetime.date) -> int:
        for route in self._routes.get(municipality_id, []):
            if route.valid_from <= month and (route.valid_until is None or month <= route.valid_until):
                return route.payee_id
        return municipality_id

    def municipalities_paying(self, payee_id: int) -> set[int]:
        """The municipalities whose clients' compensation may go to the payee."""
        routed = {m for m, routes in self._routes.items() if any(r.payee_id == payee_id for r in routes)}
        return routed | {payee_id}


def people(municipality_ids: Iterable[int]) -> Iterator[Person]:
    """The clients whose home municipality is one of these, a few columns each, streamed."""
    quota_relative = HouseholdMember.objects.filter(
        household=OuterRef("household_member__household"),
        client__residence_ground=ResidenceGround.QUOTA_REFUGEE,
    )
    home = Coalesce("municipality_of_residence", "organisation")
    rows = (
        Client.objects.annotate(home=home)
        .filter(home__in=list(municipality_ids), home_municipality_date__isnull=False)
        .exclude(Q(residence_ground="") | Q(home__isnull=True))
        .annotate(quota_household=Exists(quota_relative))
        .values_list(
            "pk",
            "external_id",
            "birth_year",
            "birth_month",
            "birth_day",
            "residence_ground",
            "home_municipality_date",
            "home",
            "quota_household",
        )
        .order_by("pk")
    )
    jurisdictions = dict(Organisation.objects.values_list("pk", "jurisdiction"))
    for pk, external_id, year, month, day, ground, registered_on, home_id, quota_household in rows.iterator(
        chunk_size=5000
    ):
        yield Person(
            pk,
            external_id,
            year,
            month,
            day,
            ground,
            registered_on,
            home_id,
            jurisdictions[home_id],
            quota_household,
        )


def forecast(*, payee: Organisation, first: datetime.date, last: datetime.date) -> Iterator[Row]:
    """Every client-month of [first, last] whose calculated compensation goes to the payee."""
    book, routes = ParameterBook(), Routes()
    for person in people(routes.municipalities_paying(payee.pk)):
        for row in person_months(person, book, first, last, routes.payee_of):
            if row.payee_id == payee.pk:
                yield row

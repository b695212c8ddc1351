"""The forecast of calculated compensation: per client and month, what is due and why.

A month is counted when the client is eligible on its first day (as parameter ``month_rule``
documents): the residence ground qualifies on that day, and the day falls within the payment
period counted from the first home-municipality registration (3 or 2 years from 2025 on the
mainland, 4 or 3 before, by the date of that registration). The amount is the yearly rate for the
client's age band on that day divided by 12, rounded to the cent. A date of birth known only in
part is read as the parameter ``uncertain_birth_date`` in force on the registration day says; a
client with no year of birth is counted at the 7-and-over rate until the year is recorded.

The clients are read once, a few columns each, and streamed; nothing per client is queried.
"""

import calendar
import datetime
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Case, Exists, OuterRef, Q, QuerySet, When
from django.db.models.functions import Coalesce

from hemkommun.clients.codes import ResidenceGround
from hemkommun.clients.models import Client, EarlierResidence, HouseholdMember
from hemkommun.organizations.models import Organisation

from .codes import AgeBand, BirthDateReading, Group, Key, PayeeKind
from .models import PayeeRoute
from .rules import ParameterBook


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
    # The municipalities lived in before the present one, oldest first, each as (the first month
    # no longer lived there, municipality id, jurisdiction): see ``homes``.
    earlier_homes: tuple[tuple[int, int, str], ...] = ()


@dataclass(frozen=True, slots=True)
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
    for index in range(month_index(first), month_index(last) + 1):
        yield month_of(index)


def month_index(day: datetime.date) -> int:
    """Months counted from year 0: consecutive months are consecutive numbers."""
    return day.year * 12 + day.month - 1


def month_of(index: int) -> datetime.date:
    return datetime.date(index // 12, index % 12 + 1, 1)


def add_years(day: datetime.date, years: int) -> datetime.date:
    """The same day ``years`` later; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def first_month_on_or_after(day: datetime.date) -> int:
    """The first month whose first day is ``day`` or later."""
    return month_index(day) + (0 if day.day == 1 else 1)


def group_of(person: Person) -> str:
    if person.ground == ResidenceGround.QUOTA_REFUGEE or (
        person.ground == ResidenceGround.FAMILY_OF_PROTECTED and person.quota_household
    ):
        return Group.QUOTA
    return Group.OTHER


def seventh_birthday(person: Person, reading: int) -> datetime.date | None:
    return birthday(person, 7, reading)


def birthday(born, age: int, reading: int) -> datetime.date | None:
    """The day a person (a Person or a Client: anything with birth_year, birth_month, birth_day)
    turns ``age``, reading an unknown month or day as the parameter says."""
    if not born.birth_year:
        return None
    year = born.birth_year + age
    if reading == BirthDateReading.LATEST:
        month = born.birth_month or 12
        day = born.birth_day or calendar.monthrange(year, month)[1]
    else:
        month = born.birth_month or 1
        day = born.birth_day or 1
    try:
        return datetime.date(year, month, day)
    except ValueError:  # born on 29 February: the birthday is 1 March in a common year
        return datetime.date(year, 3, 1)


@dataclass(frozen=True)
class Period:
    """A client's payment period and the parameter that set its length."""

    group: str
    years: int
    starts_on: datetime.date
    ends_on: datetime.date  # the first day no longer paid
    rule_from: datetime.date  # the payment-period parameter's start


def payment_period(person: Person, jurisdiction: str, book: ParameterBook) -> Period | None:
    """The period as the jurisdiction's rules set it: each jurisdiction the client lives in applies
    its own to its months, counted from the same first registration."""
    if person.registered_on is None:
        return None
    group = group_of(person)
    parameter = book.find(jurisdiction, Key.PAYMENT_YEARS, group, person.registered_on)
    if parameter is None:
        return None
    years = int(parameter.value)
    ends_on = add_years(person.registered_on, years)
    return Period(group, years, person.registered_on, ends_on, parameter.valid_from)


NO_END = month_index(datetime.date.max) + 1


def homes(person: Person) -> Iterator[tuple[int, str, int, int]]:
    """Each municipality the client has lived in as (id, jurisdiction, first month, the month
    after the last). A month belongs to the municipality lived in on its first day."""
    start = 0
    for until, municipality_id, jurisdiction in person.earlier_homes:
        yield municipality_id, jurisdiction, start, until
        start = until
    yield person.municipality_id, person.jurisdiction, start, NO_END


def home_in(person: Person, index: int) -> tuple[int, str]:
    """The municipality (id, jurisdiction) the client lived in on the first day of month ``index``."""
    return next((m, j) for m, j, start, end in homes(person) if start <= index < end)


@dataclass(frozen=True)
class Span:
    """Consecutive months [start, end) in the payment period while living in one municipality;
    the 7-and-over rate applies from ``first_month_at_7`` (start <= it <= end)."""

    municipality_id: int
    jurisdiction: str
    period: Period
    start: int
    end: int
    first_month_at_7: int


def spans(person: Person, book: ParameterBook, first: int, end: int) -> Iterator[Span]:
    """The client's spans within the months [first, end), numbered as ``month_index`` does.
    A month counts when its first day is in the period (the client is eligible that day)."""
    for municipality_id, jurisdiction, home_start, home_end in homes(person):
        low, high = max(first, home_start), min(end, home_end)
        if low >= high:
            continue
        period = payment_period(person, jurisdiction, book)
        if period is None:
            continue
        start = max(low, first_month_on_or_after(period.starts_on))
        stop = min(high, first_month_on_or_after(period.ends_on))
        if start >= stop:
            continue
        turns_7 = seventh_birthday(person, book.birth_date_reading(jurisdiction, period.starts_on))
        at_7 = first_month_on_or_after(turns_7) if turns_7 else start
        yield Span(municipality_id, jurisdiction, period, start, stop, min(max(at_7, start), stop))


def person_months(
    person: Person,
    book: ParameterBook,
    first: datetime.date,
    last: datetime.date,
    payee_of,
    payee_kind: str = PayeeKind.MUNICIPALITY,
) -> Iterator[Row]:
    """The months of [first, last] the client brings compensation for, one row each."""
    for span in spans(person, book, month_index(first), month_index(last) + 1):
        period = span.period
        rule = (
            f"{span.jurisdiction} {period.group} {period.years}y (rule of {period.rule_from}); "
            f"registered {period.starts_on}; rate of "
        )
        for index in range(span.start, span.end):
            if not book.qualifies_in(span.jurisdiction, person.ground, index):
                continue
            band = AgeBand.UNDER_7 if index < span.first_month_at_7 else AgeBand.FROM_7
            rate = book.rate_in(span.jurisdiction, f"{payee_kind}:{band}", index)
            if rate is None:
                continue
            month = month_of(index)
            yield Row(
                client_id=person.client_id,
                external_id=person.external_id,
                month=month,
                age_band=band,
                group=period.group,
                amount_eur=book.monthly_amount(rate),
                rule=f"{rule}{rate.valid_from}",
                payee_id=payee_of(span.municipality_id, month),
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


class WelfareRoutes:
    """Who receives the welfare area's share of a municipality's clients: the welfare area that
    provides the municipality's social and health services (Organisation.welfare_area)."""

    def __init__(self):
        self._areas = dict(
            Organisation.objects.filter(welfare_area__isnull=False).values_list("pk", "welfare_area")
        )

    def payee_of(self, municipality_id: int, month: datetime.date) -> int | None:
        return self._areas.get(municipality_id)

    def municipalities_paying(self, payee_id: int) -> set[int]:
        return {municipality for municipality, area in self._areas.items() if area == payee_id}


def routes_for(payee: Organisation) -> tuple[Routes | WelfareRoutes, str]:
    """How the payee is paid: a welfare area its own share (the welfare area's rates) for the
    municipalities it serves; a municipality or a body receiving for one the municipality's share."""
    if payee.kind == Organisation.Kind.WELFARE_AREA:
        return WelfareRoutes(), PayeeKind.WELFARE_AREA
    return Routes(), PayeeKind.MUNICIPALITY


def clients_of(municipality_ids: Iterable[int]) -> QuerySet[Client]:
    """The clients who live or have lived in one of these municipalities."""
    ids = list(municipality_ids)
    lived_there = EarlierResidence.objects.filter(client=OuterRef("pk"), municipality__in=ids)
    return Client.objects.annotate(home=HOME).filter(Q(home__in=ids) | Exists(lived_there))


def people(municipality_ids: Iterable[int]) -> Iterator[Person]:
    """The clients of these municipalities (``clients_of``) registered in a home municipality,
    a few columns each, streamed."""
    return _people(clients_of(municipality_ids).filter(home_municipality_date__isnull=False))


def people_with_ids(client_ids: Iterable[int]) -> Iterator[Person]:
    """These clients as the forecast sees them (whatever their registration), streamed."""
    return _people(Client.objects.annotate(home=HOME).filter(pk__in=list(client_ids)))


# The home municipality: the municipality of residence, or else the organisation holding the case
# when that is a municipality (a welfare area or an association is nobody's home municipality).
# clients.moves.home_municipality says the same of one client.
HOME = Coalesce(
    "municipality_of_residence",
    Case(When(organisation__kind=Organisation.Kind.MUNICIPALITY, then="organisation")),
)


def _people(clients) -> Iterator[Person]:
    quota_relative = HouseholdMember.objects.filter(
        household=OuterRef("household_member__household"),
        client__residence_ground=ResidenceGround.QUOTA_REFUGEE,
    )
    rows = (
        clients.annotate(quota_household=Exists(quota_relative))
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
    earlier = _earlier_homes(clients, jurisdictions)
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
            jurisdictions.get(home_id, ""),  # no home now: only the earlier homes are paid for
            quota_household,
            earlier.get(pk, ()),
        )


def _earlier_homes(clients, jurisdictions: dict[int, str]) -> dict[int, tuple]:
    """The earlier homes of these clients, read in one query: few clients have moved."""
    moves = (
        EarlierResidence.objects.filter(client__in=clients.values("pk"))
        .order_by("client_id", "moved_out_on")
        .values_list("client_id", "municipality_id", "moved_out_on")
    )
    earlier: dict[int, tuple] = {}
    for client_id, municipality_id, moved_out_on in moves:
        home = (first_month_on_or_after(moved_out_on), municipality_id, jurisdictions[municipality_id])
        earlier[client_id] = earlier.get(client_id, ()) + (home,)
    return earlier


def forecast(*, payee: Organisation, first: datetime.date, last: datetime.date) -> Iterator[Row]:
    """Every client-month of [first, last] whose calculated compensation goes to the payee."""
    book, (routes, payee_kind) = ParameterBook(), routes_for(payee)
    for person in people(routes.municipalities_paying(payee.pk)):
        for row in person_months(person, book, first, last, routes.payee_of, payee_kind):
            if row.payee_id == payee.pk:
                yield row


@dataclass
class Totals:
    """What the rows add up to, per month and per year, and how many client-months they are."""

    by_month: dict[datetime.date, Decimal]
    by_year: dict[int, Decimal]
    client_months: int
    clients: int

    @property
    def total(self) -> Decimal:
        return sum(self.by_year.values(), Decimal(0))


def summarise(rows: Iterable[Row], first: datetime.date, last: datetime.date) -> Totals:
    by_month = {month: Decimal(0) for month in months(first, last)}
    clients, count = set(), 0
    for row in rows:
        by_month[row.month] += row.amount_eur
        clients.add(row.client_id)
        count += 1
    by_year: dict[int, Decimal] = {}
    for month, amount in by_month.items():
        by_year[month.year] = by_year.get(month.year, Decimal(0)) + amount
    return Totals(by_month, by_year, count, len(clients))

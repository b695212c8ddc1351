"""The forecast's totals for a payee, computed without a row per client and month.

Each client adds two intervals of months, under 7 and from 7, for each municipality lived in
(``forecast.spans``, the rows' own reading), to a running count kept per jurisdiction, residence
ground and home municipality (a difference array: +1 where an interval starts, -1 after it
ends). The months a ground qualifies and the payee is paid are worked out once
per such key, as a bit mask over the window. The totals are then the counts times the monthly
rate, month by month. The result equals the sum of the rows of ``forecast.person_months``
(tests check it on random clients); it is what the forecast page and the budget use.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from .codes import AgeBand, PayeeKind
from .forecast import (
    Person,
    Routes,
    Totals,
    month_index,
    month_of,
    people,
    routes_for,
    spans,
)
from .rules import ParameterBook

Key = tuple[str, str, int, str]  # jurisdiction, residence ground, home municipality, age band


class _Counter:
    def __init__(
        self, book: ParameterBook, routes: Routes, payee_id: int, first: int, last: int, payee_kind: str
    ):
        self.book, self.routes, self.payee_id, self.payee_kind = book, routes, payee_id, payee_kind
        self.first, self.months = first, last - first + 1
        self.masks: dict[Key, int] = {}
        self.counts: dict[Key, list[int]] = defaultdict(lambda: [0] * (self.months + 1))
        self.clients = 0

    def mask(self, key: Key) -> int:
        """Bit i set: in the window's month i the ground qualifies, the payee is paid, and the age
        band has a rate."""
        if key not in self.masks:
            jurisdiction, ground, municipality_id, band = key
            bits = 0
            for offset in range(self.months):
                index = self.first + offset
                if (
                    self.book.qualifies_in(jurisdiction, ground, index)
                    and self.routes.payee_of(municipality_id, month_of(index)) == self.payee_id
                    and self._rate(key, index) is not None
                ):
                    bits |= 1 << offset
            self.masks[key] = bits
        return self.masks[key]

    def _rate(self, key: Key, index: int):
        return self.book.rate_in(key[0], f"{self.payee_kind}:{key[3]}", index)

    def add(self, person: Person) -> None:
        counted = False
        for span in spans(person, self.book, self.first, self.first + self.months):
            split = span.first_month_at_7 - self.first
            start, end = span.start - self.first, span.end - self.first
            for band, low, high in ((AgeBand.UNDER_7, start, split), (AgeBand.FROM_7, split, end)):
                key = (span.jurisdiction, person.ground, span.municipality_id, band)
                if low < high and self.mask(key) >> low & ((1 << (high - low)) - 1):
                    counted = True
                    counts = self.counts[key]
                    counts[low] += 1
                    counts[high] -= 1
        self.clients += counted

    def totals(self) -> Totals:
        by_month = [Decimal(0)] * self.months
        client_months = 0
        for key, changes in self.counts.items():
            mask, running = self.masks[key], 0
            for offset in range(self.months):
                running += changes[offset]
                if running and mask >> offset & 1:
                    rate = self._rate(key, self.first + offset)
                    by_month[offset] += running * self.book.monthly_amount(rate)
                    client_months += running
        months = {month_of(self.first + offset): amount for offset, amount in enumerate(by_month)}
        by_year: dict[int, Decimal] = {}
        for month, amount in months.items():
            by_year[month.year] = by_year.get(month.year, Decimal(0)) + amount
        return Totals(months, by_year, client_months, self.clients)


def totals_for(
    people_: Iterable[Person],
    *,
    payee_id: int,
    first: datetime.date,
    last: datetime.date,
    book: ParameterBook | None = None,
    routes: Routes | None = None,
    payee_kind: str = PayeeKind.MUNICIPALITY,
) -> Totals:
    counter = _Counter(
        book or ParameterBook(),
        routes or Routes(),
        payee_id,
        month_index(first),
        month_index(last),
        payee_kind,
    )
    for person in people_:
        counter.add(person)
    return counter.totals()


def forecast_totals(*, payee, first: datetime.date, last: datetime.date) -> Totals:
    """The payee's totals per month and year over [first, last], from today's clients."""
    return forecast_totals_for_windows(payee=payee, windows=[(first, last)])[0]


def forecast_totals_for_windows(*, payee, windows: list[tuple[datetime.date, datetime.date]]) -> list[Totals]:
    """The totals of several windows (the page's months and the budget's years) from one reading
    of the clients, the slow part at scale."""
    book, (routes, payee_kind) = ParameterBook(), routes_for(payee)
    counters = [
        _Counter(book, routes, payee.pk, month_index(first), month_index(last), payee_kind)
        for first, last in windows
    ]
    for person in people(routes.municipalities_paying(payee.pk)):
        for counter in counters:
            counter.add(person)
    return [counter.totals() for counter in counters]

"""The forecast's totals for a payee, computed without a row per client and month.

Each client adds two intervals of months, under 7 and from 7, to a running count kept per
jurisdiction, residence ground and home municipality (a difference array: +1 where an interval
starts, -1 after it ends). The months a ground qualifies and the payee is paid are worked out once
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
    first_month_on_or_after,
    month_index,
    month_of,
    payment_period,
    people,
    seventh_birthday,
)
from .rules import ParameterBook

Key = tuple[str, str, int]  # jurisdiction, residence ground, home municipality


class _Counter:
    def __init__(self, book: ParameterBook, routes: Routes, payee_id: int, first: int, last: int):
        self.book, self.routes, self.payee_id = book, routes, payee_id
        self.first, self.months = first, last - first + 1
        self.masks: dict[Key, int] = {}
        self.counts: dict[tuple[Key, str], list[int]] = defaultdict(lambda: [0] * (self.months + 1))
        self.clients = 0

    def mask(self, key: Key) -> int:
        """Bit i set: in the window's month i the ground qualifies and the payee is paid."""
        if key not in self.masks:
            jurisdiction, ground, municipality_id = key
            bits = 0
            for offset in range(self.months):
                index = self.first + offset
                if self.book.qualifies_in(jurisdiction, ground, index) and (
                    self.routes.payee_of(municipality_id, month_of(index)) == self.payee_id
                ):
                    bits |= 1 << offset
            self.masks[key] = bits
        return self.masks[key]

    def add(self, person: Person) -> None:
        period = payment_period(person, self.book)
        if period is None:
            return
        start = max(self.first, first_month_on_or_after(period.starts_on)) - self.first
        end = min(self.first + self.months, first_month_on_or_after(period.ends_on)) - self.first
        if start >= end:
            return
        key = (person.jurisdiction, person.ground, person.municipality_id)
        if not self.mask(key) >> start & ((1 << (end - start)) - 1):
            return
        self.clients += 1
        turns_7 = seventh_birthday(
            person, self.book.birth_date_reading(person.jurisdiction, period.starts_on)
        )
        split = first_month_on_or_after(turns_7) - self.first if turns_7 else start
        split = min(max(split, start), end)
        for band, low, high in ((AgeBand.UNDER_7, start, split), (AgeBand.FROM_7, split, end)):
            if low < high:
                counts = self.counts[(key, band)]
                counts[low] += 1
                counts[high] -= 1

    def totals(self, payee_kind: str) -> Totals:
        by_month = [Decimal(0)] * self.months
        client_months = 0
        for (key, band), changes in self.counts.items():
            jurisdiction, mask, running = key[0], self.masks[key], 0
            for offset in range(self.months):
                running += changes[offset]
                if running and mask >> offset & 1:
                    rate = self.book.rate_in(jurisdiction, f"{payee_kind}:{band}", self.first + offset)
                    if rate is not None:
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
        book or ParameterBook(), routes or Routes(), payee_id, month_index(first), month_index(last)
    )
    for person in people_:
        counter.add(person)
    return counter.totals(payee_kind)


def forecast_totals(*, payee, first: datetime.date, last: datetime.date) -> Totals:
    """The payee's totals per month and year over [first, last], from today's clients."""
    return forecast_totals_for_windows(payee=payee, windows=[(first, last)])[0]


def forecast_totals_for_windows(*, payee, windows: list[tuple[datetime.date, datetime.date]]) -> list[Totals]:
    """The totals of several windows (the page's months and the budget's years) from one reading
    of the clients, the slow part at scale."""
    book, routes = ParameterBook(), Routes()
    counters = [
        _Counter(book, routes, payee.pk, month_index(first), month_index(last)) for first, last in windows
    ]
    for person in people(routes.municipalities_paying(payee.pk)):
        for counter in counters:
            counter.add(person)
    return [counter.totals(PayeeKind.MUNICIPALITY) for counter in counters]

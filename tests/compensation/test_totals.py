"""The fast totals equal the sum of the forecast's rows, on random clients of every kind."""

import datetime
import random

import pytest

from hemkommun.compensation.forecast import Person, Routes, month_index, person_months, summarise
from hemkommun.compensation.models import PayeeRoute
from hemkommun.compensation.rules import ParameterBook
from hemkommun.compensation.totals import totals_for

GROUNDS = ["quota_refugee", "asylum", "family_of_protected", "temporary_protection", "work", "humanitarian"]


def random_people(seed: int, count: int) -> list[Person]:
    rng = random.Random(seed)
    people = []
    for number in range(count):
        year = rng.randint(1950, 2025)
        month = rng.choice([None, rng.randint(1, 12)])
        day = rng.choice([None, rng.randint(1, 28)]) if month else None
        registered = datetime.date(2021, 1, 1) + datetime.timedelta(days=rng.randint(0, 2000))
        people.append(
            Person(
                client_id=number,
                external_id="",
                birth_year=rng.choice([None, year, year, year]),
                birth_month=month,
                birth_day=day,
                ground=rng.choice(GROUNDS),
                registered_on=rng.choice([None, registered, registered, registered]),
                municipality_id=rng.choice([1, 2]),
                jurisdiction=rng.choice(["mainland", "aland"]),
                quota_household=rng.random() < 0.5,
                earlier_homes=random_moves(rng, registered),
            )
        )
    return people


def random_moves(rng: random.Random, registered: datetime.date) -> tuple:
    """None, or one or two earlier homes, in either jurisdiction, left after the registration."""
    moves, month = [], month_index(registered)
    for _ in range(rng.choice([0, 0, 1, 2])):
        month += rng.randint(1, 20)
        moves.append((month, rng.choice([1, 2]), rng.choice(["mainland", "aland"])))
    return tuple(moves)


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize(
    "window",
    [
        (datetime.date(2022, 1, 1), datetime.date(2026, 12, 1)),
        (datetime.date(2025, 3, 1), datetime.date(2025, 3, 1)),
    ],
)
def test_fast_totals_equal_the_rows(db, seed, window):
    first, last = window
    book = ParameterBook()
    # Municipality 2 is paid to body 9 from March 2024.
    routes = Routes([PayeeRoute(municipality_id=2, payee_id=9, valid_from=datetime.date(2024, 3, 1))])
    people = random_people(seed, 400)
    for payee_id in (1, 2, 9):
        rows = [
            row
            for person in people
            for row in person_months(person, book, first, last, routes.payee_of)
            if row.payee_id == payee_id
        ]
        slow = summarise(rows, first, last)
        fast = totals_for(people, payee_id=payee_id, first=first, last=last, book=book, routes=routes)
        assert fast.by_month == slow.by_month
        assert fast.by_year == slow.by_year
        assert (fast.client_months, fast.clients) == (slow.client_months, slow.clients)
    assert slow.client_months > 0 or first == last  # the random clients do bring compensation

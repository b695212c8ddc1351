"""The limits the parameters set on actual costs (kotoutuminen.fi, "Toteutuneiden kustannusten
mukaan korvattavat kustannukset"):

- special costs are paid for at most 10 years from the first home-municipality registration;
- the support of a former unaccompanied minor is paid up to an age (25, and 23 from 2025 on the
  mainland);
- special costs must be substantial: more than one year's calculated compensation for a person.

The first two are read on the first day the cost covers and refuse the cost. The third concerns a
client's special costs of a year together, so a claim shows it as a warning: the state centre
decides on substantial costs, and a cost may yet be joined by others of the same year.
All are read under the rules of the payee's jurisdiction.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from .claims_models import CostCategory, CostEntry
from .codes import AgeBand, Key, PayeeKind
from .forecast import add_years, birthday, month_index
from .rules import CENT, ParameterBook


def cost_limit_errors(cost: CostEntry, book: ParameterBook | None = None) -> list[ValidationError]:
    """Why the cost is beyond the years or the age the parameters allow; empty when it is not."""
    if cost.client is None:
        return []
    book = book or ParameterBook()
    client, jurisdiction = cost.client, cost.payee.jurisdiction
    first_day = cost.period_from or cost.cost_date
    errors = []
    if cost.category == CostCategory.SPECIAL_COSTS and client.home_municipality_date:
        years = book.find(jurisdiction, Key.SPECIAL_COST_MAX_YEARS, "", client.home_municipality_date)
        if years and first_day >= add_years(client.home_municipality_date, int(years.value)):
            message = _(
                "Special costs are paid for at most %(years)s years from the first home-municipality "
                "registration (%(registered)s)."
            ) % {
                "years": int(years.value),
                "registered": date_format(client.home_municipality_date, "SHORT_DATE_FORMAT"),
            }
            errors.append(ValidationError(message, code="special_costs_too_late"))
    if cost.category == CostCategory.UNACCOMPANIED_MINORS:
        limit = book.find(jurisdiction, Key.FORMER_MINOR_AGE_LIMIT, "", first_day)
        turned = limit and birthday(
            client, int(limit.value), book.birth_date_reading(jurisdiction, first_day)
        )
        if turned and first_day >= turned:
            message = _(
                "Support for former unaccompanied minors is paid up to the age of %(age)s: the client "
                "turned %(age)s on %(day)s."
            ) % {"age": int(limit.value), "day": date_format(turned, "SHORT_DATE_FORMAT")}
            errors.append(ValidationError(message, code="former_minor_too_old"))
    return errors


@dataclass(frozen=True)
class SmallSpecialCosts:
    """A client's special costs of a year that are not more than the threshold."""

    client_id: int
    year: int
    amount: Decimal
    threshold: Decimal


def small_special_costs(
    costs: Iterable[CostEntry], jurisdiction: str, book: ParameterBook | None = None
) -> list[SmallSpecialCosts]:
    """The clients' special costs, added up per year, that do not exceed the threshold parameter
    times the yearly calculated compensation (the 7-and-over rate in force on 1 January; the
    sources give that amount as the measure)."""
    book = book or ParameterBook()
    sums: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
    for cost in costs:
        # By the year the cost arose, as its claim deadline is; the limits above read the first
        # day the cost covers instead, since they concern the person's time, not the accounts.
        if cost.category == CostCategory.SPECIAL_COSTS and cost.client_id is not None:
            sums[(cost.client_id, cost.cost_date.year)] += cost.amount_eur
    small = []
    for (client_id, year), amount in sorted(sums.items()):
        threshold = _threshold(book, jurisdiction, year)
        if threshold is not None and amount <= threshold:
            small.append(SmallSpecialCosts(client_id, year, amount, threshold))
    return small


def _threshold(book: ParameterBook, jurisdiction: str, year: int) -> Decimal | None:
    january = datetime.date(year, 1, 1)
    years = book.value(jurisdiction, Key.SPECIAL_COST_THRESHOLD, "", january)
    rate = book.rate_in(jurisdiction, f"{PayeeKind.MUNICIPALITY}:{AgeBand.FROM_7}", month_index(january))
    if years is None or rate is None:
        return None
    return (years * rate.value).quantize(CENT)

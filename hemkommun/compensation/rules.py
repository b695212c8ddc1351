"""The parameters read once and looked up by jurisdiction, key, qualifier and day."""

import datetime
from bisect import bisect_right
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from .codes import BirthDateReading, Key
from .models import Parameter

CENT = Decimal("0.01")


class ParameterBook:
    """Every parameter, indexed for look-ups by day; one query however many clients are computed."""

    def __init__(self, parameters=None):
        self._index: dict[tuple[str, str, str], list[Parameter]] = defaultdict(list)
        for parameter in parameters if parameters is not None else Parameter.objects.all():
            self._index[(parameter.jurisdiction, parameter.key, parameter.qualifier)].append(parameter)
        for rows in self._index.values():
            rows.sort(key=lambda parameter: parameter.valid_from)
        self._starts = {key: [row.valid_from for row in rows] for key, rows in self._index.items()}
        # A forecast asks the same few questions for every client: the answers are kept.
        self._by_month: dict[tuple, Parameter | None] = {}
        self._amounts: dict[Decimal, Decimal] = {}

    def find(self, jurisdiction: str, key: str, qualifier: str, on: datetime.date) -> Parameter | None:
        """The parameter in force on the day, or None."""
        index_key = (jurisdiction, key, qualifier)
        position = bisect_right(self._starts.get(index_key, []), on) - 1
        if position < 0:
            return None
        parameter = self._index[index_key][position]
        if parameter.valid_until is not None and parameter.valid_until < on:
            return None
        return parameter

    def value(self, jurisdiction: str, key: str, qualifier: str, on: datetime.date) -> Decimal | None:
        parameter = self.find(jurisdiction, key, qualifier, on)
        return parameter.value if parameter else None

    def qualifying_grounds(self, jurisdiction: str, on: datetime.date) -> set[str]:
        """The residence grounds in the integration act's scope on the day."""
        return {
            qualifier
            for (parameter_jurisdiction, key, qualifier) in self._index
            if parameter_jurisdiction == jurisdiction
            and key == Key.QUALIFYING_GROUND
            and self.find(jurisdiction, key, qualifier, on) is not None
        }

    def birth_date_reading(self, jurisdiction: str, on: datetime.date) -> int:
        value = self.value(jurisdiction, Key.UNCERTAIN_BIRTH_DATE, "", on)
        return int(value) if value is not None else BirthDateReading.EARLIEST

    def _in_month(self, jurisdiction: str, key: str, qualifier: str, month_index: int) -> Parameter | None:
        question = (jurisdiction, key, qualifier, month_index)
        if question not in self._by_month:
            first_day = datetime.date(month_index // 12, month_index % 12 + 1, 1)
            self._by_month[question] = self.find(jurisdiction, key, qualifier, first_day)
        return self._by_month[question]

    def qualifies_in(self, jurisdiction: str, ground: str, month_index: int) -> bool:
        """Whether the ground qualifies on the first day of the month (numbered as forecast.month_index)."""
        return self._in_month(jurisdiction, Key.QUALIFYING_GROUND, ground, month_index) is not None

    def rate_in(self, jurisdiction: str, qualifier: str, month_index: int) -> Parameter | None:
        return self._in_month(jurisdiction, Key.CALCULATED_RATE, qualifier, month_index)

    def monthly_amount(self, rate: Parameter) -> Decimal:
        """A twelfth of the yearly rate, to the cent."""
        if rate.value not in self._amounts:
            self._amounts[rate.value] = (rate.value / 12).quantize(CENT, rounding=ROUND_HALF_UP)
        return self._amounts[rate.value]

"""The parameters read once and looked up by jurisdiction, key, qualifier and day."""

import datetime
from bisect import bisect_right
from collections import defaultdict
from decimal import Decimal

from .codes import BirthDateReading, Key
from .models import Parameter


class ParameterBook:
    """Every parameter, indexed for look-ups by day; one query however many clients are computed."""

    def __init__(self, parameters=None):
        self._index: dict[tuple[str, str, str], list[Parameter]] = defaultdict(list)
        for parameter in parameters if parameters is not None else Parameter.objects.all():
            self._index[(parameter.jurisdiction, parameter.key, parameter.qualifier)].append(parameter)
        for rows in self._index.values():
            rows.sort(key=lambda parameter: parameter.valid_from)
        self._starts = {key: [row.valid_from for row in rows] for key, rows in self._index.items()}

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

    def qualifies(self, jurisdiction: str, ground: str, on: datetime.date) -> bool:
        return self.find(jurisdiction, Key.QUALIFYING_GROUND, ground, on) is not None

    def birth_date_reading(self, jurisdiction: str, on: datetime.date) -> int:
        value = self.value(jurisdiction, Key.UNCERTAIN_BIRTH_DATE, "", on)
        return int(value) if value is not None else BirthDateReading.EARLIEST

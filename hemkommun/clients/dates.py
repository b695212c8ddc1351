"""Dates of birth that may be known only to the year or the month."""

import datetime
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")

BirthDate = tuple[int | None, int | None, int | None]


def parse_birth_date(text: str, *, today: datetime.date | None = None) -> BirthDate:
    """'1985' -> (1985, None, None); '1985-03' -> (1985, 3, None); '1985-03-14' -> full date.

    The unknown parts stay None: a day is never invented.
    """
    text = (text or "").strip()
    if not text:
        return (None, None, None)
    match = _PARTIAL_DATE.match(text)
    if not match:
        raise ValidationError(
            _("Write the date of birth as YYYY, YYYY-MM or YYYY-MM-DD."), code="birth_date_format"
        )
    year, month, day = (int(part) if part else None for part in match.groups())
    try:
        # "00" is a month or day that does not exist, not an unknown one: only missing parts default.
        datetime.date(year, 1 if month is None else month, 1 if day is None else day)
    except ValueError:
        raise ValidationError(_("This date of birth does not exist."), code="birth_date_invalid") from None
    today = today or datetime.date.today()
    if year < 1900 or (year, month or 1, day or 1) > (today.year, today.month, today.day):
        raise ValidationError(_("The date of birth must be between 1900 and today."), code="birth_date_range")
    return (year, month, day)


def format_birth_date(year: int | None, month: int | None, day: int | None) -> str:
    if not year:
        return ""
    text = f"{year:04d}"
    if month:
        text += f"-{month:02d}"
        if day:
            text += f"-{day:02d}"
    return text

"""Reconciliation: the state's payment specification against the forecast, per person and month.

The specification is a CSV file (UTF-8, a BOM allowed) with a header row naming at least these
columns, in any order (separated by semicolons when the header has one, else by commas):

- ``identity_code``: the person's Finnish personal identity code;
- ``month``: the month paid for, YYYY-MM;
- ``amount_eur``: the amount paid, with a decimal point or comma.

Other columns are ignored. Each payment is matched to the client with that identity code and to
the forecast row of that client and month. Differences are listed as *missing* (forecast, not
paid), *extra* (paid, not forecast) or *different* (both, other amounts), each with its reason
and the sum at stake (what was forecast minus what was paid).
"""

import csv
import datetime
import io
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from hemkommun.clients.models import Client
from hemkommun.organizations.models import Organisation

from .codes import AgeBand, Key
from .forecast import (
    Person,
    clients_of,
    forecast,
    home_in,
    month_index,
    payment_period,
    people_with_ids,
    routes_for,
)
from .rules import ParameterBook

REQUIRED_COLUMNS = ("identity_code", "month", "amount_eur")
MAX_LINES = 200_000


@dataclass(frozen=True)
class Payment:
    line: int
    identity_code: str
    month: datetime.date
    amount: Decimal


class SpecificationError(ValueError):
    """The file cannot be read as a payment specification; the messages say why, by line."""

    def __init__(self, messages: list[str]):
        super().__init__("; ".join(messages))
        self.messages = messages


def parse_specification(content: bytes) -> list[Payment]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise SpecificationError([_("The file is not UTF-8 text.")]) from None
    try:
        return _read(text)
    except csv.Error:
        raise SpecificationError([_("The file cannot be read as CSV.")]) from None


def _read(text: str) -> list[Payment]:
    header = text.splitlines()[0] if text else ""
    rows = csv.reader(io.StringIO(text, newline=""), delimiter=";" if ";" in header else ",")
    columns = [name.strip().lower() for name in next(rows, [])]
    missing = [column for column in REQUIRED_COLUMNS if columns.count(column) != 1]
    if missing:
        raise SpecificationError(
            [_("Columns missing or named twice: %(columns)s") % {"columns": ", ".join(missing)}]
        )
    payments, errors = [], []
    for values in rows:
        if not any(value.strip() for value in values):
            continue  # a blank line
        if len(payments) + len(errors) >= MAX_LINES:
            raise SpecificationError([_("More than %(limit)s lines.") % {"limit": MAX_LINES}])
        try:
            if len(values) != len(columns):
                # Most often a decimal comma in a comma-separated file: the amount splits in two.
                raise ValueError(_("the line has another number of columns than the header"))
            payments.append(_payment(rows.line_num, dict(zip(columns, values, strict=True))))
        except ValueError as error:
            errors.append(_("Line %(line)s: %(error)s") % {"line": rows.line_num, "error": error})
    if errors:
        raise SpecificationError(errors[:20])
    return payments


def _payment(line: int, row: dict) -> Payment:
    code = row["identity_code"].strip().upper()
    if not code:
        raise ValueError(_("the identity code is missing"))
    try:
        month = datetime.datetime.strptime(row["month"].strip(), "%Y-%m").date()
    except ValueError:
        raise ValueError(_("write the month as YYYY-MM")) from None
    if not 2000 <= month.year <= 2099:
        raise ValueError(_("the month is not between 2000 and 2099"))
    try:
        amount = Decimal(row["amount_eur"].strip().replace(",", "."))
    except InvalidOperation:
        raise ValueError(_("the amount is not a number")) from None
    # Below ten million euros and in whole cents; adjusted() reads the size without arithmetic,
    # which a number like 1e999999999 would overflow.
    if not amount.is_finite() or amount.adjusted() > 6 or amount.as_tuple().exponent < -2:
        raise ValueError(_("the amount is not a sum of euros and cents"))
    return Payment(line, code, month, amount)


@dataclass(frozen=True)
class Difference:
    kind: str  # missing, extra, different
    client_id: int | None
    identity_code: str
    month: datetime.date
    forecast: Decimal
    paid: Decimal
    reason: str

    @property
    def at_stake(self) -> Decimal:
        """What the payee is still owed (negative: paid more than forecast)."""
        return self.forecast - self.paid


@dataclass
class Reconciliation:
    first: datetime.date
    last: datetime.date
    matched: int = 0
    forecast_total: Decimal = Decimal(0)
    paid_total: Decimal = Decimal(0)
    differences: list[Difference] = field(default_factory=list)

    @property
    def at_stake(self) -> Decimal:
        return sum((difference.at_stake for difference in self.differences), Decimal(0))


def _clients_by_identity_code(clients, codes: set[str]) -> dict[str, int]:
    """{identity code: client id} of these codes among ``clients``; the codes are encrypted in
    the database, so they are matched through their blind index."""
    index_of = Client._meta.get_field("identity_code_index").index_of
    codes_by_index = {index_of(code): code for code in codes if code}
    found = clients.filter(identity_code_index__in=codes_by_index).values_list("identity_code_index", "pk")
    return {codes_by_index[index]: pk for index, pk in found}


def reconcile(*, payee: Organisation, payments: list[Payment]) -> Reconciliation:
    """Match the payments, over the months they cover, against the payee's forecast."""
    if not payments:
        raise SpecificationError([_("The file has no payments.")])
    first, last = min(p.month for p in payments), max(p.month for p in payments)
    result = Reconciliation(first, last)
    # Only the payee's own clients (living or having lived in its municipalities) are looked up:
    # anyone else is "no client" here.
    own = clients_of(routes_for(payee)[0].municipalities_paying(payee.pk))
    clients = _clients_by_identity_code(own, {p.identity_code for p in payments})
    expected = {(row.client_id, row.month): row for row in forecast(payee=payee, first=first, last=last)}
    codes = {pk: code for code, pk in clients.items()}
    paid: dict[tuple, Payment] = {}
    for payment in payments:
        # A person with no client here is keyed by the identity code itself.
        key = (clients.get(payment.identity_code, payment.identity_code), payment.month)
        if key in paid:  # two lines for one person and month: add them up
            payment = Payment(
                payment.line, payment.identity_code, payment.month, paid[key].amount + payment.amount
            )
        paid[key] = payment
    explain = _Explainer(payee, clients.values())
    for (person, month), payment in paid.items():
        result.paid_total += payment.amount
        client_id = person if isinstance(person, int) else None
        row = expected.get((person, month))
        if row is None:
            reason = explain.why_not(client_id, month)
            amounts = (Decimal(0), payment.amount)
            result.differences.append(
                Difference("extra", client_id, payment.identity_code, month, *amounts, reason)
            )
        elif row.amount_eur != payment.amount:
            reason = _("Forecast %(amount)s € (%(band)s; %(rule)s)") % {
                "amount": row.amount_eur,
                "band": AgeBand(row.age_band).label,
                "rule": row.rule,
            }
            amounts = (row.amount_eur, payment.amount)
            result.differences.append(
                Difference("different", client_id, payment.identity_code, month, *amounts, reason)
            )
        else:
            result.matched += 1
    for key, row in expected.items():
        result.forecast_total += row.amount_eur
        if key not in paid:
            reason = _("Forecast, not paid (%(rule)s)") % {"rule": row.rule}
            code = codes.get(row.client_id, "")
            amounts = (row.amount_eur, Decimal(0))
            result.differences.append(Difference("missing", row.client_id, code, row.month, *amounts, reason))
    result.differences.sort(key=lambda d: (d.month, d.client_id or 0, d.kind))
    return result


class _Explainer:
    """Why a month paid for is not in the forecast."""

    def __init__(self, payee: Organisation, client_ids: Iterable[int]):
        self.payee = payee
        self.book, (self.routes, _kind) = ParameterBook(), routes_for(payee)
        self.people: dict[int, Person] = {person.client_id: person for person in people_with_ids(client_ids)}

    def why_not(self, client_id: int | None, month: datetime.date) -> str:
        person = self.people.get(client_id) if client_id else None
        if person is None:
            return _("No client has this identity code.")
        if person.registered_on is None:
            return _("The client's first home-municipality registration is not recorded.")
        municipality_id, jurisdiction = home_in(person, month_index(month))
        if not self.book.find(jurisdiction, Key.QUALIFYING_GROUND, person.ground, month):
            return _("The residence ground does not qualify in that month.")
        period = payment_period(person, jurisdiction, self.book)
        if period is None or not period.starts_on <= month < period.ends_on:
            return _("The month is outside the payment period.")
        if self.routes.payee_of(municipality_id, month) != self.payee.pk:
            return _("The compensation for this client goes to another payee.")
        return _("Not forecast.")


def hide_invisible_clients(result: Reconciliation, visible: set[int]) -> Reconciliation:
    """The differences as a user may see them: a client held by an organisation the user cannot
    see keeps its sums, but neither its number nor the reason, which tells of its case."""
    hidden = _("A client whose case another organisation holds.")
    result.differences = [
        d if d.client_id is None or d.client_id in visible else replace(d, client_id=None, reason=hidden)
        for d in result.differences
    ]
    return result

"""``manage.py compensation_forecast --payee CODE --from YYYY-MM --to YYYY-MM --format csv``:
one row per client and month whose calculated compensation goes to the payee."""

import csv
import datetime

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from hemkommun.core.spreadsheets import safe_cell
from hemkommun.organizations.models import Organisation

from ...forecast import forecast

COLUMNS = ["external_id", "client_id", "month", "age_band", "group", "amount_eur", "rule"]


def parse_month(text: str) -> datetime.date:
    try:
        month = datetime.datetime.strptime(text, "%Y-%m").date()
    except ValueError:
        raise CommandError(_("Write the month as YYYY-MM: %(value)s") % {"value": text}) from None
    if not 2000 <= month.year <= 2099:
        raise CommandError(_("Give a month between 2000 and 2099: %(value)s") % {"value": text})
    return month


class Command(BaseCommand):
    help = "Print the forecast of calculated compensation for a payee, one row per client and month."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--payee", required=True, help="Code of the municipality or body paid.")
        parser.add_argument("--from", dest="first", required=True, help="First month, YYYY-MM.")
        parser.add_argument("--to", dest="last", required=True, help="Last month, YYYY-MM.")
        parser.add_argument("--format", choices=["csv"], default="csv")

    def handle(self, *args, payee: str, first: str, last: str, **options) -> None:
        organisation = Organisation.objects.filter(code=payee).first()
        if organisation is None:
            raise CommandError(_("No organisation has the code “%(code)s”.") % {"code": payee})
        first_month, last_month = parse_month(first), parse_month(last)
        if last_month < first_month:
            raise CommandError(_("The last month comes before the first."))
        writer = csv.writer(self.stdout, lineterminator="\n")
        writer.writerow(COLUMNS)
        for row in forecast(payee=organisation, first=first_month, last=last_month):
            writer.writerow(  # formula-safe: an external id may start with = or -
                [
                    safe_cell(row.external_id),
                    row.client_id,
                    row.month.strftime("%Y-%m"),
                    row.age_band,
                    row.group,
                    f"{row.amount_eur:.2f}",
                    row.rule,
                ]
            )

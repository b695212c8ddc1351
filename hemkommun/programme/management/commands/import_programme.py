"""``manage.py import_programme FILE --owners CODES --period 2023-2025 [--dry-run]``: a new
integration programme from an action programme in text (tab-separated, as seed 002) or .xlsx."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from hemkommun.core.commands import acting_user
from hemkommun.organizations.models import Organisation
from hemkommun.programme import services
from hemkommun.programme.parsing import ParsedProgramme, ProgrammeFileError, parse_file

MAX_BYTES = 5 * 1024 * 1024


class DryRun(Exception):
    """Raised inside the transaction of a dry run, so that everything checked is rolled back."""


class Command(BaseCommand):
    help = (
        "Import an integration programme's action programme from a text file (a theme heading, then "
        "a tab-separated header row Goal, Action, Responsible, Partners, Follow-up, in Swedish, "
        "Finnish or English, then rows) or an .xlsx workbook. --dry-run checks and reports, and "
        "writes nothing. The import acts as --user, a coordinator of one of the owners; without "
        "--user, as the first active superuser."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file")
        parser.add_argument(
            "--owners", required=True, help="municipality codes, comma-separated: 287,231,545"
        )
        parser.add_argument("--period", required=True, help="first and last year: 2023-2025")
        parser.add_argument("--title", help="default: “Integration programme” and the period")
        parser.add_argument(
            "--language", default="sv", choices=["fi", "sv", "en"], help="language of the text"
        )
        parser.add_argument("--user", help="username of the acting coordinator")
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args, **options) -> None:
        owners = self._owners(options["owners"])
        user = acting_user(options["user"], self.stderr)
        parsed = self._parse(Path(options["file"]))
        try:
            period = services.Period.parse(options["period"])
            title = options["title"] or _("Integration programme %(first)s–%(last)s") % {
                "first": period.first_year,
                "last": period.last_year,
            }
            programme = self._import(user, owners, period, parsed, title, options)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self._report(parsed, programme)

    def _import(self, user, owners, period, parsed, title, options):
        """Import, or with --dry-run go through the same checks and writes and roll them back."""
        try:
            with transaction.atomic():
                programme = services.programme_import(
                    by=user,
                    owners=owners,
                    period=period,
                    parsed=parsed,
                    title=title,
                    language=options["language"],
                )
                if options["dry_run"]:
                    raise DryRun
        except DryRun:
            return None
        return programme

    def _owners(self, codes: str) -> list[Organisation]:
        wanted = [code.strip() for code in codes.split(",") if code.strip()]
        found = {o.code: o for o in Organisation.objects.filter(code__in=wanted)}
        missing = [code for code in wanted if code not in found]
        if missing or not wanted:
            raise CommandError(_("No organisation has the code “%(code)s”.") % {"code": ", ".join(missing)})
        return [found[code] for code in wanted]

    def _parse(self, path: Path) -> ParsedProgramme:
        try:
            if path.stat().st_size > MAX_BYTES:
                raise CommandError(_("The file is larger than 5 MB."))
            return parse_file(path.read_bytes(), path.name)
        except ProgrammeFileError as error:
            raise CommandError("\n".join(error.messages)) from None
        except OSError as error:
            raise CommandError(
                _("Cannot read %(path)s: %(error)s") % {"path": path, "error": error}
            ) from None

    def _report(self, parsed: ParsedProgramme, programme) -> None:
        for theme in parsed.themes:
            self.stdout.write(
                _("%(theme)s: %(count)s actions") % {"theme": theme.title, "count": len(theme.rows)}
            )
        values = {"themes": len(parsed.themes), "rows": parsed.row_count}
        if programme is None:
            self.stdout.write(
                _("Dry run: %(themes)s themes, %(rows)s actions. Nothing was written.") % values
            )
        else:
            values["id"] = programme.pk
            self.stdout.write(_("Imported programme %(id)s: %(themes)s themes, %(rows)s actions.") % values)

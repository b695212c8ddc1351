"""manage.py import_clients FILE [--dry-run] --organisation CODE [--user USERNAME]"""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from hemkommun.clients import importing
from hemkommun.core.commands import acting_user
from hemkommun.organizations.models import Organisation


class Command(BaseCommand):
    help = (
        "Import clients from a CSV or .xlsx file (format: docs/import.md). All or nothing: when any "
        "row has an error, nothing is written. --dry-run only reports what would happen. The import "
        "acts as --user, who needs the coordinator or administrator role in the organisation; without "
        "--user it acts as the first active superuser."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="CSV (UTF-8, comma or semicolon) or .xlsx file")
        parser.add_argument("--organisation", required=True, help="Organisation.code of the holder")
        parser.add_argument("--dry-run", action="store_true", help="check and report, write nothing")
        parser.add_argument(
            "--user", help="username of the acting staff member (default: the first active superuser)"
        )

    def handle(self, *args, **options) -> None:
        organisation = self._organisation(options["organisation"])
        user = acting_user(options["user"], self.stderr)
        content = self._content(Path(options["file"]))
        try:
            result = importing.import_clients(
                by=user,
                organisation=organisation,
                content=content,
                filename=options["file"],
                dry_run=options["dry_run"],
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self._report(result)
        if not result.ok:
            raise CommandError(_("Nothing was written."))

    def _organisation(self, code: str) -> Organisation:
        try:
            return Organisation.objects.get(code=code)
        except Organisation.DoesNotExist:
            raise CommandError(_("No organisation has the code “%(code)s”.") % {"code": code}) from None

    def _content(self, path: Path) -> bytes:
        try:
            importing.check_size(path.stat().st_size)
            return path.read_bytes()
        except importing.ImportFileError as error:
            raise CommandError(error.message) from None
        except OSError as error:
            raise CommandError(
                _("Cannot read %(path)s: %(error)s") % {"path": path, "error": error}
            ) from None

    def _report(self, result: importing.ImportResult) -> None:
        for notice in result.notices:
            self.stdout.write(_("Notice: %(notice)s") % {"notice": notice})
        for error in result.file_errors:
            self.stderr.write(self.style.ERROR(_("File: %(error)s") % {"error": error}))
        for row in result.bad_rows:
            for error in row.errors:
                self.stderr.write(
                    self.style.ERROR(
                        _("Line %(line)s (%(external_id)s) %(column)s: %(message)s")
                        % {
                            "line": row.line,
                            "external_id": row.external_id or "–",
                            "column": error.column or "–",
                            "message": strip_tags(error.message),
                        }
                    )
                )
        counts = result.counts
        values = {
            "create": counts["create"],
            "update": counts["update"],
            "unchanged": counts["unchanged"],
            "error": counts["error"],
        }
        if result.written:
            summary = _("Imported: %(create)s created, %(update)s updated, %(unchanged)s unchanged.")
        elif result.ok:
            summary = _(
                "Dry run: %(create)s would be created, %(update)s updated, %(unchanged)s unchanged. "
                "Nothing was written."
            )
        else:
            summary = _("%(error)s rows have errors.")
        self.stdout.write(summary % values)

"""manage.py import_record FILE --organisation CODE --user USERNAME [--dry-run] [--confirm-duplicate]"""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from hemkommun.core.commands import acting_user
from hemkommun.exchange import importing
from hemkommun.organizations.models import Organisation


class Command(BaseCommand):
    help = (
        "Import one client's integration record (format: docs/exchange.md) into an organisation, "
        "acting as --user, who needs a casework role there. All or nothing. --dry-run checks only."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="integration record, JSON")
        parser.add_argument("--organisation", required=True, help="Organisation.code of the receiver")
        parser.add_argument("--user", required=True, help="username of the acting staff member")
        parser.add_argument("--dry-run", action="store_true", help="check and report, write nothing")
        parser.add_argument(
            "--confirm-duplicate",
            action="store_true",
            help="import although a client with the same name and date of birth exists",
        )

    def handle(self, *args, **options) -> None:
        organisation = Organisation.objects.filter(code=options["organisation"]).first()
        if organisation is None:
            raise CommandError(
                _("No organisation has the code “%(code)s”.") % {"code": options["organisation"]}
            )
        user = acting_user(options["user"], self.stderr)
        path = Path(options["file"])
        try:
            if path.stat().st_size > importing.MAX_FILE_SIZE:
                raise CommandError(_("The file is larger than %(size)d MB.") % {"size": 2})
            content = path.read_bytes()
        except OSError as error:
            raise CommandError(str(error)) from None
        try:
            result = importing.import_record(
                by=user,
                organisation=organisation,
                content=content,
                confirm_duplicate=options["confirm_duplicate"],
                dry_run=options["dry_run"],
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        for message in result.errors:
            self.stderr.write(strip_tags(str(message)))
        for duplicate in result.possible_duplicates:
            self.stderr.write(strip_tags(str(importing.duplicate_message(duplicate))))
        if result.errors or result.needs_confirmation:
            raise CommandError(_("Nothing was written."))
        if result.client is not None:
            self.stdout.write(
                _("Imported client %(id)s: %(name)s.")
                % {"id": result.client.pk, "name": result.client.display_name}
            )
        else:
            self.stdout.write(_("The file is fine. Nothing was written (dry run)."))

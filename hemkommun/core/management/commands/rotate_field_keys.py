"""Key rotation of the encrypted fields and the blind index (docs/encryption.md).

manage.py rotate_field_keys              re-encrypt under the first FIELD_ENCRYPTION_KEYS key
manage.py rotate_field_keys --check      count what is still under another key; no writes
manage.py rotate_field_keys --blind-index   recompute the identity-code index (offline)
manage.py rotate_field_keys --generate-key  print a new random key
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from hemkommun.core import crypto, field_encryption


class Command(BaseCommand):
    help = _("Re-encrypt every encrypted value with the current key, or recompute the blind index.")

    def add_arguments(self, parser):
        parser.add_argument(
            "--blind-index", action="store_true", help=_("Recompute the blind index instead.")
        )
        parser.add_argument("--check", action="store_true", help=_("Only count the values still to do."))
        parser.add_argument(
            "--batch", type=int, default=field_encryption.BATCH, help=_("Rows per transaction.")
        )
        parser.add_argument("--generate-key", action="store_true", help=_("Print a new random key and stop."))

    def handle(self, *args, blind_index, check, batch, generate_key, **options):
        if generate_key:
            self.stdout.write(crypto.generate_key())
            return
        if batch < 1:
            raise CommandError(_("--batch must be at least 1."))
        fields = field_encryption.blind_index_fields() if blind_index else field_encryption.encrypted_fields()
        work = field_encryption.reindex if blind_index else field_encryption.reencrypt
        stale = field_encryption.stale_index_rows if blind_index else field_encryption.stale_rows
        total = 0
        for field in fields:
            label = f"{field.model._meta.label}.{field.name}"
            if check:
                count = stale(field).count()
                self.stdout.write(_("%(field)s: %(count)s still to do") % {"field": label, "count": count})
            else:
                count = self._run(work, field, label, batch)
            total += count
        key = crypto.blind_index_key_id() if blind_index else crypto.current_key_id()
        summary = (
            _("%(count)s values still to do under key %(key)s.")
            if check
            else _("%(count)s values now under key %(key)s.")
        )
        self.stdout.write(summary % {"count": total, "key": key})

    def _run(self, work, field, label: str, batch: int) -> int:
        done = 0
        try:
            for count in work(field, batch=batch):
                done += count
                self.stdout.write(_("%(field)s: %(count)s done") % {"field": label, "count": done})
        except crypto.DecryptionError as error:
            # What was committed stays: running the command again continues from there.
            raise CommandError(
                _("Stopped at %(field)s after %(count)s values: %(error)s")
                % {"field": label, "count": done, "error": error}
            ) from error
        return done

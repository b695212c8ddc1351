from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from hemkommun.casework.reminders import send_deadline_reminders


class Command(BaseCommand):
    help = (
        "Send the deadline reminders now (the qcluster runs them daily; this is for cron or a one-off run)."
    )

    def handle(self, *args, **options) -> None:
        count = send_deadline_reminders()
        self.stdout.write(_("%(count)s new reminders.") % {"count": count})

"""The note an imported record carries: where it came from, when, and who did what there.

People of the exporting organisation have no accounts here: the casework rows of an imported
record name the importing staff member as their worker (the foreign keys need a user), and this
note keeps the names the file gave, per row, so that the record (and a later export) tells the
truth about who did what.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from hemkommun.clients.models import Client


class RecordImport(models.Model):
    client = models.OneToOneField(Client, on_delete=models.CASCADE, related_name="record_import")
    source_organisation_code = models.CharField(_("imported from (code)"), max_length=40)
    source_organisation_name = models.CharField(_("imported from"), max_length=200)
    exported_at = models.DateTimeField(_("exported at"))
    exported_by = models.CharField(_("exported by"), max_length=200, blank=True)
    imported_at = models.DateTimeField(_("imported at"), auto_now_add=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("imported by")
    )
    # {"assessment:12": "Anna Berg", "review:7": "…", "event:40": "…"}: keys are the kind and
    # the id of the row made by the import.
    people = models.JSONField(_("people named in the file"), default=dict, blank=True)

    class Meta:
        verbose_name = _("imported record")
        verbose_name_plural = _("imported records")

    def __str__(self) -> str:
        return f"{self.source_organisation_code} {self.exported_at:%Y-%m-%d}"

"""The read log: every read of client data, with who, when, what and why (DESIGN.md, Access)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ReadEvent(models.Model):
    class Action(models.TextChoices):
        DETAIL = "detail", _("Opened the record")
        LIST = "list", _("Shown in a list")
        SEARCH = "search", _("Shown in search results")
        EXPORT = "export", _("Exported")
        API = "api", _("Read through the API")

    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("staff member")
    )
    client = models.ForeignKey(
        "clients.Client", on_delete=models.CASCADE, related_name="read_events", verbose_name=_("client")
    )
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    basis = models.CharField(
        _("basis"),
        max_length=200,
        blank=True,
        help_text=_("Why the staff member could see the record: own organisation or a share."),
    )
    context = models.CharField(_("context"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("read event")
        verbose_name_plural = _("read events")
        indexes = [models.Index(fields=["client", "-at"], name="read_event_client_idx")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user} {self.action} {self.client_id}"

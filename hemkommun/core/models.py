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
        DUPLICATE = "duplicate", _("Named as the holder of an identity code entered again")

    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("staff member")
    )
    client = models.ForeignKey(
        "clients.Client", on_delete=models.CASCADE, related_name="read_events", verbose_name=_("client")
    )
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)

    class Basis(models.TextChoices):
        OWN_ORGANISATION = "own", _("Own organisation holds the case")
        SHARE = "share", _("Share")

    # Why the staff member could see the record; recorded for detail reads, where it is checked.
    basis = models.CharField(_("basis"), max_length=10, choices=Basis.choices, blank=True)
    share = models.ForeignKey(
        "access.Share",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("share"),
    )
    context = models.CharField(_("context"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("read event")
        verbose_name_plural = _("read events")
        indexes = [models.Index(fields=["client", "-at"], name="read_event_client_idx")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user} {self.action} {self.client_id}"

    def basis_text(self) -> str:
        """The basis in the reader's language, whatever language the read was made in."""
        return self.share.describe() if self.share_id else self.get_basis_display()

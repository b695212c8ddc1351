"""Placements of unaccompanied minors who have received a residence permit: a family group home
or supported housing, under the municipality's placement agreement for minors."""

from auditlog.models import AuditlogHistoryField
from django.db import models
from django.utils.translation import gettext_lazy as _

from hemkommun.clients.models import Client
from hemkommun.organizations.models import Organisation

from .agreements import PlacementAgreement


class MinorPlacement(models.Model):
    class Kind(models.TextChoices):
        FAMILY_GROUP_HOME = "family_group_home", _("Family group home")
        SUPPORTED_HOUSING = "supported_housing", _("Supported housing")

    municipality = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="minor_placements",
        verbose_name=_("municipality"),
    )
    client = models.ForeignKey(
        Client, on_delete=models.CASCADE, related_name="minor_placements", verbose_name=_("client")
    )
    agreement = models.ForeignKey(
        PlacementAgreement,
        on_delete=models.PROTECT,
        related_name="minor_placements",
        verbose_name=_("placement agreement"),
    )
    kind = models.CharField(_("form of placement"), max_length=20, choices=Kind.choices)
    unit_name = models.CharField(_("placement unit"), max_length=200)
    starts_on = models.DateField(_("placed from"))
    ends_on = models.DateField(_("placed until"), null=True, blank=True)
    representative = models.CharField(
        _("representative"),
        max_length=200,
        blank=True,
        help_text=_("The representative appointed by the district court, while the minor has one."),
    )
    notes = models.TextField(_("notes"), blank=True)

    history = AuditlogHistoryField()

    class Meta:
        verbose_name = _("placement of an unaccompanied minor")
        verbose_name_plural = _("placements of unaccompanied minors")
        ordering = ["-starts_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=models.F("starts_on")),
                name="minor_placement_period",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.unit_name} {self.starts_on}"

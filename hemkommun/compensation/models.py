"""The compensation rules as effective-dated data, per jurisdiction, each with its legal source;
and who receives a municipality's compensation (a joint authority such as KST, say).

One table holds every parameter: a key (what it is), a qualifier (for which age band, group or
residence ground), the period it applies to, and its value. Administrators correct them in the
admin; auditlog keeps every earlier value; every user may read them on the parameters page."""

from auditlog.models import AuditlogHistoryField
from django.db import models
from django.utils.translation import gettext_lazy as _

from hemkommun.organizations.models import Jurisdiction, Organisation

from .codes import Key


class Parameter(models.Model):
    jurisdiction = models.CharField(_("jurisdiction"), max_length=10, choices=Jurisdiction.choices)
    key = models.CharField(_("parameter"), max_length=30, choices=Key.choices)
    qualifier = models.CharField(
        _("applies to"),
        max_length=40,
        blank=True,
        help_text=_(
            "Calculated rate: payee kind and age band (municipality:under_7). Payment period: "
            "the group (quota, other). Qualifying ground: the residence ground code."
        ),
    )
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    value = models.DecimalField(_("value"), max_digits=12, decimal_places=2)
    legal_source = models.CharField(_("legal source"), max_length=300)
    note = models.TextField(
        _("note"), blank=True, help_text=_("The reading chosen where the law is unclear, and why.")
    )

    history = AuditlogHistoryField()

    class Meta:
        verbose_name = _("compensation parameter")
        verbose_name_plural = _("compensation parameters")
        ordering = ["jurisdiction", "key", "qualifier", "valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_until__isnull=True)
                | models.Q(valid_until__gte=models.F("valid_from")),
                name="parameter_period",
            ),
            models.UniqueConstraint(
                fields=["jurisdiction", "key", "qualifier", "valid_from"], name="parameter_once_per_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.jurisdiction} {self.key} {self.qualifier} {self.valid_from}: {self.value}"


class PayeeRoute(models.Model):
    """The compensation earned by a municipality's clients is paid to another body for the period,
    e.g. to KST on Åland for the integration work it does for its member municipalities."""

    municipality = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="payee_routes", verbose_name=_("municipality")
    )
    payee = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("paid to")
    )
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    legal_source = models.CharField(_("basis"), max_length=300, blank=True)

    history = AuditlogHistoryField()

    class Meta:
        verbose_name = _("payee route")
        verbose_name_plural = _("payee routes")
        ordering = ["municipality", "valid_from"]

    def __str__(self) -> str:
        return f"{self.municipality} → {self.payee} {self.valid_from}"


from .claims_models import Claim, CostCategory, CostEntry  # noqa: E402, F401

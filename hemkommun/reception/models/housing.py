"""Flats reserved for arriving families, their furnishing, and who lives there when."""

from auditlog.models import AuditlogHistoryField
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from hemkommun.clients.models import Client
from hemkommun.organizations.models import Organisation

from .arrivals import ArrivalGroup


class Flat(models.Model):
    municipality = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="flats", verbose_name=_("municipality")
    )
    street_address = models.CharField(_("street address"), max_length=200)
    postal_code = models.CharField(_("postal code"), max_length=10, blank=True)
    post_office = models.CharField(_("post office"), max_length=100, blank=True)
    rooms = models.PositiveSmallIntegerField(_("rooms"), validators=[MinValueValidator(1)])
    size_m2 = models.DecimalField(
        _("size (m²)"), max_digits=6, decimal_places=1, validators=[MinValueValidator(1)]
    )
    rent_eur = models.DecimalField(
        _("rent (€ a month)"), max_digits=8, decimal_places=2, validators=[MinValueValidator(0)]
    )
    landlord = models.CharField(_("landlord"), max_length=200, blank=True)

    history = AuditlogHistoryField()

    class Meta:
        verbose_name = _("flat")
        verbose_name_plural = _("flats")
        ordering = ["street_address"]

    def __str__(self) -> str:
        return self.street_address


class FurnishingItem(models.Model):
    class State(models.TextChoices):
        NEEDED = "needed", _("Needed")
        ORDERED = "ordered", _("Ordered")
        IN_PLACE = "in_place", _("In place")

    flat = models.ForeignKey(Flat, on_delete=models.CASCADE, related_name="furnishing")
    item = models.CharField(_("item"), max_length=200)
    quantity = models.PositiveSmallIntegerField(_("quantity"), default=1)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.NEEDED)

    class Meta:
        verbose_name = _("furnishing item")
        verbose_name_plural = _("furnishing items")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.item


class FlatAssignment(models.Model):
    """A flat for a family (an expected group) or a client, from a day, open-ended or to a day.

    Two assignments of one flat may not overlap (reception.services.housing checks it, with the
    flat's row locked, on both databases)."""

    flat = models.ForeignKey(Flat, on_delete=models.PROTECT, related_name="assignments")
    group = models.ForeignKey(
        ArrivalGroup, on_delete=models.CASCADE, null=True, blank=True, related_name="flats"
    )
    client = models.ForeignKey(Client, on_delete=models.CASCADE, null=True, blank=True, related_name="flats")
    starts_on = models.DateField(_("assigned from"))
    ends_on = models.DateField(_("assigned until"), null=True, blank=True)

    history = AuditlogHistoryField()

    class Meta:
        verbose_name = _("flat assignment")
        verbose_name_plural = _("flat assignments")
        ordering = ["starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=models.F("starts_on")),
                name="flat_assignment_period",
            ),
            models.CheckConstraint(
                condition=models.Q(group__isnull=False) | models.Q(client__isnull=False),
                name="flat_assigned_to_someone",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.flat} {self.starts_on}–{self.ends_on or ''}"

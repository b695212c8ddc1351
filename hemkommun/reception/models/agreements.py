"""Placement agreements (kuntapaikkasopimus / avtal om kommunplatser) between a municipality and
the regional state centre: places per year and category, the welfare area heard first, yearly
negotiation rounds. The precondition for state compensations."""

from auditlog.models import AuditlogHistoryField
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from hemkommun.organizations.models import Organisation


class PlaceCategory(models.TextChoices):
    QUOTA_REFUGEES = "quota", _("Quota refugees")
    RECEPTION_CENTRES = "reception_centre", _("People from reception centres")
    UNACCOMPANIED_MINORS = "unaccompanied_minor", _("Unaccompanied minors")


class PlacementAgreement(models.Model):
    municipality = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="placement_agreements",
        verbose_name=_("municipality"),
    )
    state_centre = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("regional state centre")
    )
    starts_on = models.DateField(_("in force from"))
    ends_on = models.DateField(_("in force until"))
    decision_reference = models.CharField(_("decision reference"), max_length=200, blank=True)
    welfare_area = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("welfare area"),
    )
    welfare_consulted_on = models.DateField(_("welfare area heard on"), null=True, blank=True)
    consultation_notes = models.TextField(_("what the welfare area said"), blank=True)

    history = AuditlogHistoryField()

    class Meta:
        verbose_name = _("placement agreement")
        verbose_name_plural = _("placement agreements")
        ordering = ["municipality", "-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gt=models.F("starts_on")), name="agreement_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.municipality} {self.starts_on.year}–{self.ends_on.year}"


class AgreedPlaces(models.Model):
    """Places agreed for one year and category; a revision changes the number (with history)."""

    agreement = models.ForeignKey(PlacementAgreement, on_delete=models.CASCADE, related_name="places")
    year = models.PositiveSmallIntegerField(_("year"))
    category = models.CharField(_("category"), max_length=20, choices=PlaceCategory.choices)
    places = models.PositiveSmallIntegerField(_("places"), validators=[MinValueValidator(0)])

    history = AuditlogHistoryField()

    class Meta:
        verbose_name = _("agreed places")
        verbose_name_plural = _("agreed places")
        ordering = ["year", "category"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "year", "category"], name="places_once_per_year_and_category"
            )
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.get_category_display()}: {self.places}"


class NegotiationRound(models.Model):
    """The yearly negotiation on places with the state centre, and what came of it."""

    agreement = models.ForeignKey(PlacementAgreement, on_delete=models.CASCADE, related_name="rounds")
    year = models.PositiveSmallIntegerField(_("for the year"))
    held_on = models.DateField(_("held on"))
    outcome = models.TextField(_("outcome"), blank=True)

    class Meta:
        verbose_name = _("negotiation round")
        verbose_name_plural = _("negotiation rounds")
        ordering = ["-held_on"]

    def __str__(self) -> str:
        return f"{self.year} ({self.held_on})"

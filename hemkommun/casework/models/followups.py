"""Follow-ups outside the plan: mapping of family-reunification needs and aftercare.

Family reunification (familjeåterförening / perheenyhdistäminen): the family members abroad and
the guidance given about applying for them. Aftercare (eftervård / jälkihuolto): support after
the integration period, for a young person leaving care above all.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from hemkommun.clients.models import Client


class FamilyReunificationNeed(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        IN_PROGRESS = "in_progress", _("In progress")
        CLOSED = "closed", _("Closed")

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="family_reunification_needs")
    recorded_on = models.DateField(_("recorded on"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    family_abroad = models.TextField(_("family members abroad"))
    guidance_given = models.TextField(_("guidance given"), blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.OPEN)

    class Meta:
        verbose_name = _("family-reunification need")
        verbose_name_plural = _("family-reunification needs")
        ordering = ["-recorded_on", "-id"]

    def __str__(self) -> str:
        return f"{self.client_id} {self.recorded_on:%Y-%m-%d}"


class Aftercare(models.Model):
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="aftercare")
    started_on = models.DateField(_("started on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    description = models.TextField(_("description"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )

    class Meta:
        verbose_name = _("aftercare")
        verbose_name_plural = _("aftercare")
        ordering = ["-started_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True) | models.Q(ended_on__gte=models.F("started_on")),
                name="aftercare_ends_after_start",
                violation_error_code="aftercare_period",
                violation_error_message=_("Aftercare cannot end before it starts."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.client_id} {self.started_on:%Y-%m-%d}"

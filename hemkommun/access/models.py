"""Shares: the only way an organisation sees a client held by another one."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hemkommun.clients.models import Client
from hemkommun.organizations.models import Organisation


class ShareQuerySet(models.QuerySet):
    def in_force(self, at=None):
        at = at or timezone.now()
        return self.filter(valid_from__lte=at, valid_until__gt=at, revoked_at__isnull=True)


class Share(models.Model):
    class Scope(models.TextChoices):
        BASIC = "basic", _("Basic data")
        HEALTH = "health", _("Basic and health data")

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="shares")
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="shares_received",
        verbose_name=_("shared with"),
    )
    purpose = models.CharField(_("purpose"), max_length=300)
    scope = models.CharField(_("scope"), max_length=10, choices=Scope.choices, default=Scope.BASIC)
    valid_from = models.DateTimeField(_("valid from"), default=timezone.now)
    valid_until = models.DateTimeField(_("valid until"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = ShareQuerySet.as_manager()

    class Meta:
        verbose_name = _("share")
        verbose_name_plural = _("shares")
        indexes = [models.Index(fields=["organisation", "valid_until", "client"], name="share_org_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_until__gt=models.F("valid_from")),
                name="share_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.client_id} → {self.organisation}"

    def describe(self) -> str:
        return _("Share: %(purpose)s (until %(until)s)") % {
            "purpose": self.purpose,
            "until": timezone.localdate(self.valid_until).isoformat(),
        }

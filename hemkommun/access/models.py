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


class Purpose(models.TextChoices):
    """Purposes for which client data leaves the organisation holding the case. Each has a legal
    basis (LegalBasis, law data); where the basis is consent, the client's consent in force for
    that purpose is needed first (access/consents.py)."""

    REFERRAL = "referral", _("Referral to another organisation")
    CASE_TEAM = "case_team", _("Multisectoral cooperation (a share of the record)")
    TRANSFER = "transfer", _("Transfer of the integration record to a new home municipality")
    NATIONAL_SYSTEM = "national_system", _("Transfer to the national integration client system")


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
    # The purpose of processing and, where its legal basis is consent, the consent the share rests
    # on: withdrawing it ends the share. Empty on shares made before consents were recorded.
    processing = models.CharField(
        _("purpose of processing"), max_length=20, choices=Purpose.choices, blank=True
    )
    consent = models.ForeignKey(
        "Consent",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="shares",
        verbose_name=_("consent"),
    )

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


class LegalBasis(models.Model):
    """The legal basis of a purpose of processing from a day on, with its source: law data, read
    by date, edited in the admin when the organisation's legal counsel decides otherwise."""

    class Kind(models.TextChoices):
        CONSENT = "consent", _("Consent of the client")
        LEGAL_OBLIGATION = "legal_obligation", _("Legal obligation")
        PUBLIC_TASK = "public_task", _("Task in the public interest")

    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices)
    kind = models.CharField(_("legal basis"), max_length=20, choices=Kind.choices)
    valid_from = models.DateField(_("valid from"))
    source = models.TextField(_("legal source"))

    class Meta:
        verbose_name = _("legal basis")
        verbose_name_plural = _("legal bases")
        ordering = ["purpose", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["purpose", "valid_from"], name="legal_basis_one_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()}: {self.get_kind_display()} ({self.valid_from})"


class ConsentQuerySet(models.QuerySet):
    def in_force(self, day=None):
        day = day or timezone.localdate()
        return self.filter(given_on__lte=day, withdrawn_at__isnull=True).filter(
            models.Q(valid_until__isnull=True) | models.Q(valid_until__gte=day)
        )


class Consent(models.Model):
    """A client's consent to one purpose, to basic data or to basic and health data (GDPR art. 7
    and, for health data, art. 9(2)(a)): recorded by staff, withdrawn at any time."""

    class Form(models.TextChoices):
        WRITTEN = "written", _("In writing")
        ORAL = "oral", _("Orally, recorded by staff")
        ELECTRONIC = "electronic", _("Electronically")

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices)
    scope = models.CharField(
        _("scope"), max_length=10, choices=Share.Scope.choices, default=Share.Scope.BASIC
    )
    form = models.CharField(_("given"), max_length=12, choices=Form.choices)
    given_on = models.DateField(_("given on"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    withdrawal_note = models.CharField(_("note on the withdrawal"), max_length=300, blank=True)

    objects = ConsentQuerySet.as_manager()

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        indexes = [models.Index(fields=["client", "purpose"], name="consent_client_purpose_idx")]

    def __str__(self) -> str:
        return f"{self.client_id} {self.purpose} {self.scope}"

    def covers(self, scope: str) -> bool:
        """A consent to health data covers basic data too; one to basic data only that."""
        return self.scope == Share.Scope.HEALTH or scope == Share.Scope.BASIC

"""Referrals between organisations: a hand-over that must not get lost.

Sent by the organisation holding the case, acknowledged, accepted or rejected (with a reason)
by the receiving one, and closed by an outcome reported back. Accepting opens a time-limited
share of the client's record with the scope the referral needs. Every step is an event that
both sides see.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from hemkommun.access.models import Share
from hemkommun.clients.models import Client
from hemkommun.organizations.models import Organisation


class Referral(models.Model):
    class Kind(models.TextChoices):
        SOCIAL_CARE = "social_care", _("Notification for a social-care needs assessment")
        EMPLOYMENT = "employment", _("Employment services")
        INTEGRATION_TRAINING = "integration_training", _("Integration training")
        LANGUAGE_COURSE = "language_course", _("Language course")
        THIRD_SECTOR = "third_sector", _("Third-sector activity")
        OTHER = "other", _("Other service")

    class Status(models.TextChoices):
        SENT = "sent", _("Sent")
        ACKNOWLEDGED = "acknowledged", _("Acknowledged")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")
        COMPLETED = "completed", _("Outcome reported")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="referrals")
    kind = models.CharField(_("referral to"), max_length=25, choices=Kind.choices)
    from_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="referrals_sent", verbose_name=_("from")
    )
    to_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="referrals_received", verbose_name=_("to")
    )
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    sent_on = models.DateField(_("sent on"))
    due_on = models.DateField(_("answer due"))
    reason = models.TextField(_("reason and what is asked"))
    scope = models.CharField(
        _("data the receiver needs"), max_length=10, choices=Share.Scope.choices, default=Share.Scope.BASIC
    )
    status = models.CharField(_("status"), max_length=15, choices=Status.choices, default=Status.SENT)
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    share = models.OneToOneField(
        Share,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="referral",
        verbose_name=_("share"),
    )

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["-sent_on", "-id"]
        indexes = [
            models.Index(fields=["to_organisation", "status", "due_on"], name="referral_inbox_idx"),
            models.Index(fields=["client", "sent_on"], name="referral_client_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → {self.to_organisation}"


class ReferralEvent(models.Model):
    """One step of a referral, as both organisations see it."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="events")
    status = models.CharField(_("status"), max_length=15, choices=Referral.Status.choices)
    at = models.DateTimeField(_("time"), auto_now_add=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("referral event")
        verbose_name_plural = _("referral events")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.get_status_display()} {self.at:%Y-%m-%d}"

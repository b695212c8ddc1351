"""Webhooks (issue 7): integrations subscribe to changes and are told of them by a signed POST.

A subscription belongs to an API token: the token's account and scopes decide which events, and
of which records, the integration hears, exactly as they decide what it may read through the API.
The payload is thin (the event and the addresses of the records changed, no personal data): the
receiver fetches the record through the API, where the access rules and the read log apply.

The signing secret is shown once, when the subscription is made. Unlike the token's key it must
be kept as it is (a hash cannot sign), so it is stored, but never shown again.
"""

import base64
import secrets
import uuid

from auditlog.models import AuditlogHistoryField
from django.db import models
from django.utils.translation import gettext_lazy as _

from hemkommun.api.models import ApiToken, Scope


class EventType(models.TextChoices):
    CLIENT_CREATED = "client.created", _("A client was registered")
    CLIENT_CHANGED = "client.changed", _("A client's data changed")
    CONTACT_RECORDED = "contact.recorded", _("A guidance contact was recorded")
    ASSESSMENT_COMPLETED = "assessment.completed", _("An assessment was completed")
    ASSESSMENT_SIGNED = "assessment.signed", _("An assessment was signed")
    PLAN_AGREED = "plan.agreed", _("An integration plan was agreed")
    PLAN_CHANGED = "plan.changed", _("An integration plan changed")
    REFERRAL_SENT = "referral.sent", _("A referral was sent")
    REFERRAL_CHANGED = "referral.changed", _("A referral's state changed")
    ARRIVAL_CHANGED = "arrival.changed", _("An expected arrival was added or changed")


# The scope a token needs to hear of each kind of record: the scope that reads it in the API.
SCOPE_OF_KIND = {
    "client": Scope.CLIENTS_READ,
    "contact": Scope.CONTACTS_READ,
    "assessment": Scope.ASSESSMENTS_READ,
    "plan": Scope.PLANS_READ,
    "referral": Scope.REFERRALS_READ,
    "arrival": Scope.RECEPTION_READ,
}


def scope_for(event_type: str) -> str:
    return SCOPE_OF_KIND[event_type.split(".", 1)[0]]


class Subscription(models.Model):
    name = models.CharField(_("name"), max_length=200)
    token = models.ForeignKey(
        ApiToken,
        on_delete=models.PROTECT,
        related_name="subscriptions",
        verbose_name=_("API token"),
        help_text=_("The token's account and scopes decide which events, of which records, are sent."),
    )
    url = models.URLField(_("address"), max_length=500, help_text=_("Where the events are posted (https)."))
    event_types = models.CharField(_("events"), max_length=500, help_text=_("Comma-separated event types."))
    secret = models.CharField(max_length=100, editable=False)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    changed_at = models.DateTimeField(_("changed"), auto_now=True)

    history = AuditlogHistoryField()

    class Meta:
        verbose_name = _("webhook subscription")
        verbose_name_plural = _("webhook subscriptions")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def event_type_set(self) -> set[str]:
        return {kind.strip() for kind in self.event_types.split(",") if kind.strip()}

    def issue_secret(self) -> str:
        """A new signing secret in the Standard Webhooks form (``whsec_`` and base64 of 32
        random bytes); the caller shows it once."""
        self.secret = "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()
        return self.secret

    def clean(self) -> None:
        from .addresses import check_url

        super().clean()
        if self.url:
            check_url(self.url, field="url", resolve=True)


class Delivery(models.Model):
    """One event for one subscription, and what became of sending it: the delivery log."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        FAILED = "failed", _("Failed, will be retried")
        DELIVERED = "delivered", _("Delivered")
        GIVEN_UP = "given_up", _("Given up")

    subscription = models.ForeignKey(
        Subscription, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("subscription")
    )
    event_id = models.UUIDField(_("event"), default=uuid.uuid4)
    event_type = models.CharField(_("event type"), max_length=40, choices=EventType.choices)
    payload = models.JSONField(_("payload"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_status_code = models.PositiveSmallIntegerField(_("last HTTP status"), null=True, blank=True)
    last_response = models.CharField(_("last response or error"), max_length=500, blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_attempt_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "event_id"], name="webhooks_one_delivery_per_event"
            )
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="webhooks_due")]

    def __str__(self) -> str:
        return f"{self.event_type} {self.event_id}"

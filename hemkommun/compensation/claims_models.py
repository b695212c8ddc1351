"""Actual costs (todelliset kustannukset / faktiska kostnader) and the claims that ask the state
to compensate them (korvaushakemus / ersättningsansökan).

A cost is recorded against the body that claims it (the payee), and against a client where it
concerns one person; a claim gathers a payee's costs of a period and follows the state's handling:
draft, sent, decided (in full, or partly rejected), paid. The rules are in claims.py; nothing here
decides anything (DESIGN.md: no business logic in save()).
"""

from auditlog.models import AuditlogHistoryField
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from hemkommun.clients.models import Client
from hemkommun.organizations.models import Organisation

__all__ = ["Claim", "CostCategory", "CostEntry"]


class CostCategory(models.TextChoices):
    """The actual costs the state compensates on application (kotoutuminen.fi; 1386/2010 and
    681/2023)."""

    INTERPRETING = "interpreting", _("Interpreting and translation")
    SOCIAL_ASSISTANCE = "social_assistance", _("Social assistance")
    SPECIAL_COSTS = "special_costs", _("Special costs (illness, disability, other special needs)")
    QUOTA_PREPARATION = "quota_preparation", _("Preparing to receive quota refugees")
    UNACCOMPANIED_MINORS = "unaccompanied_minors", _("Care and support of unaccompanied minors")
    OTHER_SPECIAL = "other_special", _("Other costs for special reasons")


class Claim(models.Model):
    """A payee's claim for the actual costs of a period, from draft to payment."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SENT = "sent", _("Sent")
        DECIDED = "decided", _("Decided")
        PARTLY_REJECTED = "partly_rejected", _("Partly rejected")
        PAID = "paid", _("Paid")

    payee = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="cost_claims", verbose_name=_("claimed by")
    )
    period_first = models.DateField(_("period from"))
    period_last = models.DateField(_("period until"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    # Set when the claim is sent: the sum asked for, which the costs can no longer change.
    claimed_eur = models.DecimalField(_("claimed (€)"), max_digits=12, decimal_places=2, null=True)
    sent_on = models.DateField(_("sent on"), null=True, blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decision_reference = models.CharField(_("decision reference"), max_length=200, blank=True)
    decision_note = models.TextField(_("reasons given for what was rejected"), blank=True)
    accepted_eur = models.DecimalField(
        _("accepted (€)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    rejected_eur = models.DecimalField(
        _("rejected (€)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    paid_eur = models.DecimalField(_("paid (€)"), max_digits=12, decimal_places=2, null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = AuditlogHistoryField()

    class Meta:
        verbose_name = _("cost claim")
        verbose_name_plural = _("cost claims")
        ordering = ["-period_last", "-pk"]
        indexes = [models.Index(fields=["payee", "status"], name="claim_payee_status")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_last__gte=models.F("period_first")), name="claim_period"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.payee} {self.period_first}–{self.period_last} ({self.status})"

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT


class CostEntry(models.Model):
    """One actual cost: what it was, when it arose, what it cost, and the papers that prove it."""

    payee = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="cost_entries", verbose_name=_("claimed by")
    )
    # Empty for costs of no one person, such as preparing to receive quota refugees. PROTECT: a cost
    # is an accounting record; the client's retention must settle it before the client goes.
    client = models.ForeignKey(
        Client,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cost_entries",
        verbose_name=_("client"),
    )
    category = models.CharField(_("kind of cost"), max_length=30, choices=CostCategory.choices)
    cost_date = models.DateField(_("date of the cost"), help_text=_("The day the cost arose (invoice date)."))
    period_from = models.DateField(_("covers from"), null=True, blank=True)
    period_until = models.DateField(_("covers until"), null=True, blank=True)
    amount_eur = models.DecimalField(_("amount (€)"), max_digits=12, decimal_places=2)
    description = models.TextField(_("description"), max_length=4000, blank=True)
    invoice_reference = models.CharField(_("invoice or voucher"), max_length=100, blank=True)
    decision_reference = models.CharField(
        _("decision of the state centre"),
        max_length=200,
        blank=True,
        help_text=_(
            "Required for special costs, other costs for special reasons and preparing for quota refugees."
        ),
    )
    decision_date = models.DateField(_("date of the decision"), null=True, blank=True)
    attachments = models.TextField(
        _("attachments"),
        max_length=4000,
        blank=True,
        help_text=_("The documents sent with the claim, one a line."),
    )
    claim = models.ForeignKey(
        Claim,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="costs",
        verbose_name=_("claim"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    history = AuditlogHistoryField()

    class Meta:
        verbose_name = _("actual cost")
        verbose_name_plural = _("actual costs")
        ordering = ["-cost_date", "-pk"]
        indexes = [
            models.Index(fields=["payee", "cost_date"], name="cost_payee_date"),
            models.Index(fields=["payee", "claim"], name="cost_payee_claim"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount_eur__gt=0), name="cost_amount_positive"),
            models.CheckConstraint(
                condition=models.Q(period_from__isnull=True)
                | models.Q(period_until__isnull=True)
                | models.Q(period_until__gte=models.F("period_from")),
                name="cost_period",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()} {self.cost_date} {self.amount_eur} €"

    @property
    def attachment_names(self) -> list[str]:
        return [line.strip() for line in self.attachments.splitlines() if line.strip()]

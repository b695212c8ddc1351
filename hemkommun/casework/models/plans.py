"""Integration plans (kotoutumissuunnitelma / integrationsplan): goals and measures agreed with
the client, for a period; reviewed and extended within the limits of the client's rule set.

A plan is a draft until the client accepts it; then it is agreed (signed) and its period runs.
A later plan continues the earlier ones: the limits count the total of all agreed plans.
"""

from auditlog.models import AuditlogHistoryField
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from hemkommun.clients.codes import LanguageLevel
from hemkommun.clients.models import Client
from hemkommun.core.fields import EncryptedTextField
from hemkommun.organizations.models import Organisation

from .assessments import Assessment


class Party(models.TextChoices):
    """Who is responsible for a measure or a part of the plan."""

    CLIENT = "client", _("Client")
    MUNICIPALITY = "municipality", _("Municipality")
    EMPLOYMENT = "employment", _("Employment services")
    WELFARE = "welfare", _("Welfare area")
    OTHER = "other", _("Other")


class IntegrationPlan(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        AGREED = "agreed", _("Agreed")
        ENDED = "ended", _("Ended")

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="plans")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("organisation")
    )
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("worker")
    )
    assessment = models.ForeignKey(
        Assessment,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plans",
        verbose_name=_("assessment"),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    drafted_on = models.DateField(_("plan work started on"))
    starts_on = models.DateField(_("period starts"))
    ends_on = models.DateField(_("period ends"))
    agreed_on = models.DateField(_("accepted by the client on"), null=True, blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    multisectoral = models.BooleanField(_("multisectoral"), default=False)
    participants = models.ManyToManyField(
        Organisation, blank=True, related_name="+", verbose_name=_("organisations taking part")
    )
    summary = models.TextField(_("summary"), blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    history = AuditlogHistoryField()

    class Meta:
        verbose_name = _("integration plan")
        verbose_name_plural = _("integration plans")
        ordering = ["-starts_on", "-id"]
        indexes = [models.Index(fields=["client", "starts_on"], name="plan_client_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gt=models.F("starts_on")), name="plan_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.starts_on}–{self.ends_on}"


class PlanGoal(models.Model):
    class Kind(models.TextChoices):
        EMPLOYMENT = "employment", _("Employment")
        STUDIES = "studies", _("Studies")
        LANGUAGE = "language", _("Language")
        PARTICIPATION = "participation", _("Social participation")
        PARENTING = "parenting", _("Parenting")
        HEALTH = "health", _("Health and well-being")

    plan = models.ForeignKey(IntegrationPlan, on_delete=models.CASCADE, related_name="goals")
    kind = models.CharField(_("goal"), max_length=20, choices=Kind.choices)
    # A health goal's description is health data; every goal's is encrypted at rest, so the
    # column need not change with the goal's kind (docs/encryption.md).
    description = EncryptedTextField(_("description"), blank=True)
    target_level = models.CharField(
        _("language level aimed at"), max_length=10, choices=LanguageLevel.choices, blank=True
    )

    class Meta:
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.get_kind_display()

    @property
    def is_health(self) -> bool:
        return self.kind == self.Kind.HEALTH


class PlanMeasure(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        ONGOING = "ongoing", _("Ongoing")
        DONE = "done", _("Completed")
        INTERRUPTED = "interrupted", _("Interrupted")
        CANCELLED = "cancelled", _("Cancelled")

    plan = models.ForeignKey(IntegrationPlan, on_delete=models.CASCADE, related_name="measures")
    goal = models.ForeignKey(
        PlanGoal, on_delete=models.SET_NULL, null=True, blank=True, related_name="measures"
    )
    service = models.CharField(_("service"), max_length=200)
    provider = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("provider"),
    )
    provider_name = models.CharField(_("other provider"), max_length=200, blank=True)
    responsible = models.CharField(
        _("responsible"), max_length=15, choices=Party.choices, default=Party.MUNICIPALITY
    )
    starts_on = models.DateField(_("starts"), null=True, blank=True)
    ends_on = models.DateField(_("ends"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PLANNED)

    class Meta:
        verbose_name = _("measure")
        verbose_name_plural = _("measures")
        ordering = ["starts_on", "id"]

    def __str__(self) -> str:
        return self.service

    @property
    def is_under_way(self) -> bool:
        return self.status in (self.Status.ONGOING, self.Status.DONE)


class PlanResponsibility(models.Model):
    """What one party undertakes in the plan, in a sentence or two."""

    plan = models.ForeignKey(IntegrationPlan, on_delete=models.CASCADE, related_name="responsibilities")
    party = models.CharField(_("party"), max_length=15, choices=Party.choices)
    description = models.TextField(_("undertakes"))

    class Meta:
        verbose_name = _("responsibility")
        verbose_name_plural = _("responsibilities")
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["plan", "party"], name="one_responsibility_per_party")]

    def __str__(self) -> str:
        return self.get_party_display()


class PlanReview(models.Model):
    plan = models.ForeignKey(IntegrationPlan, on_delete=models.CASCADE, related_name="reviews")
    reviewed_on = models.DateField(_("reviewed on"))
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("plan review")
        verbose_name_plural = _("plan reviews")
        ordering = ["reviewed_on", "id"]

    def __str__(self) -> str:
        return str(self.reviewed_on)


class PlanExtension(models.Model):
    plan = models.ForeignKey(IntegrationPlan, on_delete=models.CASCADE, related_name="extensions")
    decided_on = models.DateField(_("decided on"))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    previous_end = models.DateField(_("ended before"))
    new_end = models.DateField(_("now ends"))
    reason = models.TextField(_("reason"))

    class Meta:
        verbose_name = _("plan extension")
        verbose_name_plural = _("plan extensions")
        ordering = ["decided_on", "id"]

    def __str__(self) -> str:
        return f"{self.previous_end} → {self.new_end}"

"""Retention (säilytysajat / bevarandetider): how long each kind of record is kept, legal holds,
proposals of what is due, and the record of what was destroyed.

The periods are law data (DESIGN.md): effective-dated rows with their source, per organisation
or installation-wide, edited in the admin. Public authorities set them in their information
management plan (tiedonohjaussuunnitelma), so the seeded rows are defaults to be checked.
"""

from auditlog.models import AuditlogHistoryField
from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from hemkommun.clients.models import Client
from hemkommun.organizations.models import Organisation


class RecordType(models.TextChoices):
    CLIENT = "client", _("Client record")
    ANONYMOUS_CONTACT = "anonymous_contact", _("Anonymous contacts")
    READ_LOG = "read_log", _("Read log")
    WEBHOOK_DELIVERY = "webhook_delivery", _("Webhook deliveries")
    EXPORT_JOB = "export_job", _("Finished export jobs")


# Record types that belong to no organisation: their rules and proposals are installation-wide.
INSTALLATION_TYPES = frozenset({RecordType.WEBHOOK_DELIVERY, RecordType.EXPORT_JOB})


class Action(models.TextChoices):
    ERASE = "erase", _("Erase")
    ANONYMISE = "anonymise", _("Anonymise")


class CountedFrom(models.TextChoices):
    LAST_EVENT = "last_event", _("End of the client relationship or the last event, whichever is later")
    CREATED = "created", _("Creation of the record")
    FINISHED = "finished", _("Finishing of the job or delivery")


# What each record type may be counted from and what may be done to it.
ALLOWED = {
    RecordType.CLIENT: ({CountedFrom.LAST_EVENT}, {Action.ERASE, Action.ANONYMISE}),
    RecordType.ANONYMOUS_CONTACT: ({CountedFrom.CREATED}, {Action.ERASE}),
    RecordType.READ_LOG: ({CountedFrom.CREATED}, {Action.ERASE}),
    RecordType.WEBHOOK_DELIVERY: ({CountedFrom.CREATED, CountedFrom.FINISHED}, {Action.ERASE}),
    RecordType.EXPORT_JOB: ({CountedFrom.CREATED, CountedFrom.FINISHED}, {Action.ERASE}),
}


class RetentionRule(models.Model):
    """How long one type of record is kept, from which event, and what then happens to it."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
        help_text=_(
            "Empty: the installation-wide default, used where an organisation has no rule of its own."
        ),
    )
    record_type = models.CharField(_("record type"), max_length=20, choices=RecordType.choices)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    years = models.PositiveSmallIntegerField(_("years"), default=0, validators=[MaxValueValidator(150)])
    months = models.PositiveSmallIntegerField(_("months"), default=0, validators=[MaxValueValidator(11)])
    counted_from = models.CharField(_("counted from"), max_length=12, choices=CountedFrom.choices)
    action = models.CharField(_("then"), max_length=10, choices=Action.choices)
    legal_source = models.TextField(_("legal source"))
    is_default = models.BooleanField(
        _("default to be checked"),
        default=False,
        help_text=_("A seeded period, to be checked against the organisation's information management plan."),
    )

    history = AuditlogHistoryField()

    class Meta:
        verbose_name = _("retention rule")
        verbose_name_plural = _("retention rules")
        ordering = ["record_type", "organisation", "valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "record_type", "valid_from"], name="retention_rule_once_per_start"
            ),
            models.UniqueConstraint(
                fields=["record_type", "valid_from"],
                condition=models.Q(organisation__isnull=True),
                name="retention_default_once_per_start",
            ),
            models.CheckConstraint(
                condition=models.Q(valid_until__isnull=True)
                | models.Q(valid_until__gte=models.F("valid_from")),
                name="retention_rule_period",
            ),
            models.CheckConstraint(
                condition=models.Q(years__gt=0) | models.Q(months__gt=0), name="retention_rule_not_zero"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_record_type_display()}: {self.period_display()}"

    def clean(self) -> None:
        counted, actions = ALLOWED.get(self.record_type, (set(), set()))
        if self.counted_from and self.counted_from not in counted:
            _refuse("counted_from", _("This record type cannot be counted from that event."))
        if self.action and self.action not in actions:
            _refuse("action", _("This record type can only be erased."))
        if self.organisation_id and self.record_type in INSTALLATION_TYPES:
            _refuse("organisation", _("This record type belongs to no organisation: leave it empty."))
        if not self.years and not self.months:
            raise ValidationError(_("Give a period of at least one month."), code="zero_period")

    @property
    def period(self) -> relativedelta:
        return relativedelta(years=self.years, months=self.months)

    def period_display(self) -> str:
        return _("%(years)s years %(months)s months") % {"years": self.years, "months": self.months}


def _refuse(field: str, message) -> None:
    """A field's error with the field's name as its code."""
    raise ValidationError({field: ValidationError(message, code=field)})


class LegalHold(models.Model):
    """A client's record may not be destroyed while a hold is in force (a complaint, a court case,
    an audit): it is neither proposed nor erased nor anonymised."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="legal_holds")
    reason = models.CharField(_("reason"), max_length=300)
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("placed by")
    )
    placed_at = models.DateTimeField(_("placed"), auto_now_add=True)
    held_from = models.DateField(_("from"))
    held_until = models.DateField(_("until"), null=True, blank=True, help_text=_("Empty: until lifted."))
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("lifted by"),
    )
    lifted_at = models.DateTimeField(_("lifted"), null=True, blank=True)

    history = AuditlogHistoryField()

    class Meta:
        verbose_name = _("legal hold")
        verbose_name_plural = _("legal holds")
        ordering = ["-placed_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(held_until__isnull=True) | models.Q(held_until__gte=models.F("held_from")),
                name="legal_hold_period",
            )
        ]

    def __str__(self) -> str:
        return f"#{self.client_id} {self.held_from}–{self.held_until or ''}"


def holds_in_force_q(today, prefix: str = "") -> models.Q:
    """Holds in force on ``today``, as a filter on LegalHold (or through ``prefix``)."""
    return models.Q(**{f"{prefix}lifted_at__isnull": True, f"{prefix}held_from__lte": today}) & (
        models.Q(**{f"{prefix}held_until__isnull": True}) | models.Q(**{f"{prefix}held_until__gte": today})
    )


class RetentionProposal(models.Model):
    """Records found due by the daily job, waiting for the data-protection officer.

    A client record is proposed alone (by its number, not a foreign key: the proposal outlives the
    record); the other types in one proposal per organisation, up to a cut-off: every record
    counted from before ``due_before``.
    """

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        DONE = "done", _("Done")
        WITHDRAWN = "withdrawn", _("Withdrawn, no longer due")

    OPEN = (Status.PROPOSED, Status.APPROVED)

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    rule = models.ForeignKey(RetentionRule, on_delete=models.PROTECT, related_name="proposals")
    record_type = models.CharField(_("record type"), max_length=20, choices=RecordType.choices)
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    client_number = models.PositiveBigIntegerField(_("client number"), null=True, blank=True)
    due_before = models.DateField(_("counted from before"), null=True, blank=True)
    record_count = models.PositiveIntegerField(_("records"), default=1)
    due_since = models.DateField(_("due since"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PROPOSED)
    proposed_at = models.DateTimeField(_("proposed"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("retention proposal")
        verbose_name_plural = _("retention proposals")
        ordering = ["due_since", "id"]
        indexes = [models.Index(fields=["organisation", "status", "due_since"], name="retention_review_idx")]
        constraints = [
            # What makes the daily job idempotent: one open proposal per client, and per
            # organisation and type for the others.
            models.UniqueConstraint(
                fields=["client_number"],
                condition=models.Q(status__in=["proposed", "approved"], client_number__isnull=False),
                name="retention_one_open_per_client",
            ),
            models.UniqueConstraint(
                fields=["organisation", "record_type"],
                condition=models.Q(status__in=["proposed", "approved"], client_number__isnull=True),
                name="retention_one_open_per_type",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_record_type_display()} {self.client_number or self.due_before} ({self.status})"


class DestructionRecord(models.Model):
    """What was destroyed: kept for good, with no personal data beyond the pseudonymous client
    number (the record it names is gone or anonymised)."""

    record_type = models.CharField(_("record type"), max_length=20, choices=RecordType.choices)
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    client_number = models.PositiveBigIntegerField(_("client number"), null=True, blank=True)
    record_count = models.PositiveIntegerField(_("records"))
    details = models.JSONField(_("rows by kind"), default=dict)
    at = models.DateTimeField(_("time"), auto_now_add=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    rule = models.ForeignKey(RetentionRule, on_delete=models.PROTECT, related_name="+")
    # Copies: the rule may be corrected later, the record says what applied.
    period = models.CharField(_("period"), max_length=60)
    legal_source = models.TextField(_("legal source"))
    proposal = models.OneToOneField(RetentionProposal, on_delete=models.PROTECT, related_name="destruction")

    class Meta:
        verbose_name = _("destruction record")
        verbose_name_plural = _("destruction records")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d} {self.record_type} {self.record_count}"

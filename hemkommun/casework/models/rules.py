"""Deadline rules of the law, as effective-dated data (DOMAIN.md, 'The service continuum').

A rule set holds one law's deadlines for one jurisdiction; which set applies to a client is
chosen by the jurisdiction of their municipality and the date their client relationship started.
Administrators view and correct the rules (with history); the deadline engine
(casework.deadlines) reads them and never hard-codes a period.
"""

import datetime

from auditlog.models import AuditlogHistoryField
from dateutil.relativedelta import relativedelta
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from hemkommun.organizations.models import Jurisdiction


class RuleSet(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    jurisdiction = models.CharField(_("jurisdiction"), max_length=10, choices=Jurisdiction.choices)
    act = models.CharField(_("act"), max_length=100, help_text=_("The law, e.g. 681/2023 or ÅFS 2012:74."))
    applies_from = models.DateField(_("for client relationships started on or after"))
    applies_until = models.DateField(_("and before"), null=True, blank=True)

    history = AuditlogHistoryField()

    class Meta:
        verbose_name = _("deadline rule set")
        verbose_name_plural = _("deadline rule sets")
        ordering = ["jurisdiction", "-applies_from"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(applies_until__isnull=True)
                | models.Q(applies_until__gt=models.F("applies_from")),
                name="rule_set_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_jurisdiction_display()}: {self.act}"


class Period(models.TextChoices):
    DAYS = "days", _("days")
    WEEKS = "weeks", _("weeks")
    MONTHS = "months", _("months")
    YEARS = "years", _("years")


class RuleKind(models.TextChoices):
    # Deadlines: a clock starts on an event and stops when an act is done.
    ASSESSMENT_START = "assessment_start", _("Start the assessment")
    PLAN_AFTER_ASSESSMENT = "plan_after_assessment", _("Draw up the plan after the assessment")
    SERVICES_AFTER_PLAN = "services_after_plan", _("Refer to services after the plan")
    PLAN_REVIEW = "plan_review", _("Review the plan")
    PERMIT_WINDOW = "permit_window", _("First plan within the window from the first residence permit")
    # Limits on the length of plans.
    FIRST_PLAN_LENGTH = "first_plan_length", _("Longest first plan")
    TOTAL_PLAN_LENGTH = "total_plan_length", _("Longest total of plans, as a rule")
    EXTENSION = "extension", _("Longest extension beyond the total")


LIMIT_KINDS = frozenset({RuleKind.FIRST_PLAN_LENGTH, RuleKind.TOTAL_PLAN_LENGTH, RuleKind.EXTENSION})


class ClockStart(models.TextChoices):
    """The event that starts a deadline's clock."""

    CLIENT_SINCE = "client_since", _("Client relationship started")
    FIRST_PERMIT = "first_permit", _("First residence permit")
    ASSESSMENT_COMPLETED = "assessment_completed", _("Assessment completed, a plan needed")
    PLAN_AGREED = "plan_agreed", _("First plan agreed")
    LAST_REVIEW = "last_review", _("Plan agreed or last reviewed")


class ClockStop(models.TextChoices):
    """The act that meets a deadline."""

    ASSESSMENT_STARTED = "assessment_started", _("Assessment started")
    ASSESSMENT_COMPLETED = "assessment_completed", _("Assessment completed")
    PLAN_STARTED = "plan_started", _("Plan work started")
    PLAN_AGREED = "plan_agreed", _("First plan agreed")
    REFERRAL_SENT = "referral_sent", _("Referred to a service")
    PLAN_REVIEWED = "plan_reviewed", _("Plan reviewed")


class Rule(models.Model):
    rule_set = models.ForeignKey(RuleSet, on_delete=models.CASCADE, related_name="rules")
    kind = models.CharField(_("rule"), max_length=30, choices=RuleKind.choices)
    amount = models.PositiveSmallIntegerField(_("period"), validators=[MinValueValidator(0)])
    unit = models.CharField(_("unit"), max_length=10, choices=Period.choices)
    starts_on = models.CharField(_("clock starts on"), max_length=30, choices=ClockStart.choices, blank=True)
    stopped_by = models.CharField(_("clock stops when"), max_length=30, choices=ClockStop.choices, blank=True)
    exempt_grounds = models.CharField(
        _("residence grounds exempt"),
        max_length=200,
        blank=True,
        help_text=_("Codes separated by commas, e.g. trafficking_victim."),
    )
    legal_source = models.CharField(_("legal source"), max_length=200)
    note = models.TextField(
        _("note"), blank=True, help_text=_("How the rule was read, and what is unverified.")
    )

    history = AuditlogHistoryField()

    class Meta:
        verbose_name = _("deadline rule")
        verbose_name_plural = _("deadline rules")
        ordering = ["rule_set", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["rule_set", "kind"], name="one_rule_of_a_kind_per_set")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.amount} {self.get_unit_display()}"

    def period_display(self) -> str:
        """ "2 months", "1 year": the period in words, singular or plural as the number needs."""
        forms = {
            Period.DAYS: ngettext("%(count)s day", "%(count)s days", self.amount),
            Period.WEEKS: ngettext("%(count)s week", "%(count)s weeks", self.amount),
            Period.MONTHS: ngettext("%(count)s month", "%(count)s months", self.amount),
            Period.YEARS: ngettext("%(count)s year", "%(count)s years", self.amount),
        }
        return forms[self.unit] % {"count": self.amount}

    @property
    def is_limit(self) -> bool:
        return self.kind in LIMIT_KINDS

    def add_to(self, start: datetime.date) -> datetime.date | None:
        """The date this rule's period after ``start`` (a month after 31.1 is 28/29.2); None past
        the calendar's end (a mistyped year 9999), so that nothing else has to guard against it."""
        try:
            return start + relativedelta(**{self.unit: self.amount})
        except (OverflowError, ValueError):
            return None

    def exempts(self, residence_ground: str) -> bool:
        grounds = {code.strip() for code in self.exempt_grounds.split(",") if code.strip()}
        return residence_ground in grounds

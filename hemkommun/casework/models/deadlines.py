"""Deadlines of the law for each client, computed from the rules and the casework records.

Rows are rebuilt by casework.deadlines whenever a record that starts or stops a clock changes,
so the worklist is an indexed query rather than a computation over every client.
"""

import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _

from hemkommun.clients.models import Client

from .plans import IntegrationPlan
from .rules import Rule, RuleKind


class DeadlineStatus(models.TextChoices):
    OPEN = "open", _("Open")
    OVERDUE = "overdue", _("Overdue")
    MET = "met", _("Met")
    MET_LATE = "met_late", _("Met late")


class Deadline(models.Model):
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="deadlines")
    rule = models.ForeignKey(Rule, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("deadline"), max_length=30, choices=RuleKind.choices)
    plan = models.ForeignKey(
        IntegrationPlan, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    starts_on = models.DateField(_("clock started"))
    due_on = models.DateField(_("due"))
    met_on = models.DateField(_("met on"), null=True, blank=True)

    class Meta:
        verbose_name = _("deadline")
        verbose_name_plural = _("deadlines")
        ordering = ["due_on", "id"]
        indexes = [
            models.Index(fields=["client", "due_on"], name="deadline_client_idx"),
            # The worklist: open deadlines in due order.
            models.Index(
                fields=["due_on", "client"], name="deadline_open_idx", condition=models.Q(met_on__isnull=True)
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["client", "kind", "starts_on"], name="deadline_once_per_clock")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.due_on}"

    def status(self, today: datetime.date) -> str:
        """Met (on time or late), or still open: overdue once the due day has passed."""
        if self.met_on is not None:
            return DeadlineStatus.MET if self.met_on <= self.due_on else DeadlineStatus.MET_LATE
        return DeadlineStatus.OPEN if today <= self.due_on else DeadlineStatus.OVERDUE

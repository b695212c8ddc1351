"""In-app notifications: reminders of deadlines, kept until the worker has seen them."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from hemkommun.clients.models import Client

from .rules import RuleKind


class Notification(models.Model):
    class Kind(models.TextChoices):
        UPCOMING = "upcoming", _("Deadline approaching")
        OVERDUE = "overdue", _("Deadline passed")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("notification"), max_length=10, choices=Kind.choices)
    # The deadline by its stable key: deadline rows are rebuilt when records change.
    deadline_kind = models.CharField(_("deadline"), max_length=30, choices=RuleKind.choices)
    deadline_starts_on = models.DateField()
    due_on = models.DateField(_("due"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["user", "created_at"],
                name="notification_unread_idx",
                condition=models.Q(read_at__isnull=True),
            )
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "client", "deadline_kind", "deadline_starts_on", "kind"],
                name="one_reminder_per_stage",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.get_deadline_kind_display()} {self.due_on}"

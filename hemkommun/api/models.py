"""Tokens of the integrations that use the API (`/api/v1/`).

A token acts as a staff account of its own, whose roles decide what it sees, exactly as on the
pages; its scopes narrow that further to the endpoints the integration needs. Only a hash of the
token is stored: the token is shown once, when an administrator issues it."""

import hashlib
import secrets

from auditlog.models import AuditlogHistoryField
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Scope(models.TextChoices):
    CLIENTS_READ = "clients:read", _("Read clients")
    CONTACTS_READ = "contacts:read", _("Read guidance and counselling contacts")
    ASSESSMENTS_READ = "assessments:read", _("Read assessments")
    PLANS_READ = "plans:read", _("Read integration plans")
    REFERRALS_READ = "referrals:read", _("Read referrals")
    RECEPTION_READ = "reception:read", _("Read arrivals")
    ACTIVITIES_READ = "activities:read", _("Read activities")
    STATISTICS_READ = "statistics:read", _("Read statistics")


class ApiToken(models.Model):
    name = models.CharField(_("integration"), max_length=200)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="api_tokens",
        verbose_name=_("acts as"),
        help_text=_("The staff account whose roles decide what the integration may see."),
    )
    scopes = models.CharField(_("scopes"), max_length=500, help_text=_("Comma-separated, e.g. clients:read."))
    prefix = models.CharField(_("starts with"), max_length=8, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("issued"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True, editable=False)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)

    history = AuditlogHistoryField()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["name", "-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def hash(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @property
    def scope_set(self) -> set[str]:
        return {scope.strip() for scope in self.scopes.split(",") if scope.strip()}

    @property
    def in_force(self) -> bool:
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > timezone.now())

    def issue_key(self) -> str:
        """A new secret for this token: stored as a hash; the caller shows it once."""
        key = "hk_" + secrets.token_urlsafe(32)
        self.prefix, self.key_hash = key[:8], self.hash(key)
        return key

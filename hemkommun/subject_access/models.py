"""The note that a subject-access report was produced (rekisteröidyn tarkastuspyyntö /
registrerades begäran om tillgång): kept so that the client's page lists every report made."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from hemkommun.clients.models import Client


class SubjectAccessRequest(models.Model):
    class Format(models.TextChoices):
        JSON = "json", _("JSON file")
        PDF = "pdf", _("PDF document")

    client = models.ForeignKey(
        Client, on_delete=models.CASCADE, related_name="subject_access_requests", verbose_name=_("client")
    )
    produced_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("produced by")
    )
    produced_at = models.DateTimeField(_("produced at"), auto_now_add=True)
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES)
    format = models.CharField(_("format"), max_length=4, choices=Format.choices)

    class Meta:
        verbose_name = _("subject-access report")
        verbose_name_plural = _("subject-access reports")
        indexes = [models.Index(fields=["client", "-produced_at"], name="subject_access_client_idx")]

    def __str__(self) -> str:
        # No names and no identity code: auditlog keeps this text as the entry's object_repr.
        return f"{self.format} {self.client_id} {self.produced_at:%Y-%m-%d %H:%M}"

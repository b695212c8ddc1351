"""Guidance and counselling contacts (ohjaus ja neuvonta / vägledning och rådgivning).

A contact is with a registered client, or anonymous: a drop-in at a service point, of which
only counts are kept (language, topics, channel, age group) and nothing that identifies anyone.
"""

from auditlog.models import AuditlogHistoryField
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hemkommun.clients.codes import language_choices
from hemkommun.clients.models import Client
from hemkommun.organizations.models import Organisation, Unit

from ..codes import AgeGroup, Channel, InfoMaterial, Topic


class Contact(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("organisation")
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("unit")
    )
    client = models.ForeignKey(
        Client,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="contacts",
        verbose_name=_("client"),
        help_text=_("Empty for an anonymous contact."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    occurred_at = models.DateTimeField(_("time"), default=timezone.now)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices, default=Channel.VISIT)
    language = models.CharField(_("language used"), max_length=3, choices=language_choices, blank=True)
    age_group = models.CharField(
        _("age group"), max_length=10, choices=AgeGroup.choices, default=AgeGroup.UNKNOWN
    )
    interpreter_used = models.BooleanField(_("interpreter used"), default=False)
    interpreter_language = models.CharField(
        _("interpreter language"), max_length=3, choices=language_choices, blank=True
    )
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(600)],
    )
    info_material = models.CharField(
        _("basic information given"), max_length=20, choices=InfoMaterial.choices, blank=True
    )
    info_language = models.CharField(
        _("language of the material"), max_length=3, choices=language_choices, blank=True
    )
    # Only for a registered client: an anonymous contact keeps no free text that could identify.
    notes = models.TextField(_("notes"), blank=True)

    history = AuditlogHistoryField()

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(fields=["organisation", "occurred_at"], name="contact_org_time_idx"),
            models.Index(fields=["client", "occurred_at"], name="contact_client_time_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(client__isnull=False) | models.Q(notes=""),
                name="anonymous_contact_has_no_notes",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {timezone.localtime(self.occurred_at):%Y-%m-%d %H:%M}"

    @property
    def is_anonymous(self) -> bool:
        return self.client_id is None

    @property
    def topic_codes(self) -> list[str]:
        return [topic.topic for topic in self.topics.all()]


class ContactTopic(models.Model):
    """One topic of a contact: a row each, so that statistics count topics with an index."""

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="topics")
    topic = models.CharField(_("topic"), max_length=20, choices=Topic.choices)

    class Meta:
        verbose_name = _("contact topic")
        verbose_name_plural = _("contact topics")
        constraints = [models.UniqueConstraint(fields=["contact", "topic"], name="contact_topic_once")]

    def __str__(self) -> str:
        return self.get_topic_display()

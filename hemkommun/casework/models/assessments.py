"""Assessment of skills and integration service needs (osaamisen ja kotoutumispalvelutarpeen
arviointi / bedömning av kompetens och behov av integrationstjänster); before 2025 the initial
assessment (alkukartoitus / inledande kartläggning).

Draft, then completed, then signed. The health notes are special-category data: only roles
that may see a client's health data read them (access.policy.can_view_health).
"""

from auditlog.models import AuditlogHistoryField
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from hemkommun.clients.codes import LanguageLevel, language_choices
from hemkommun.clients.models import Client
from hemkommun.core.fields import EncryptedTextField
from hemkommun.organizations.models import Organisation


class Assessment(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        COMPLETED = "completed", _("Completed")
        SIGNED = "signed", _("Signed")

    class EducationLevel(models.TextChoices):
        NONE = "none", _("No school education")
        PRIMARY = "primary", _("Primary school")
        SECONDARY = "secondary", _("Secondary school")
        VOCATIONAL = "vocational", _("Vocational education")
        BACHELOR = "bachelor", _("Bachelor's degree or equivalent")
        MASTER = "master", _("Master's degree or higher")
        UNKNOWN = "unknown", _("Not known")

    class Literacy(models.TextChoices):
        NONE = "none", _("Does not read or write")
        OWN_SCRIPT = "own_script", _("Reads and writes in another script only")
        LATIN = "latin", _("Reads and writes the Latin alphabet")

    class DigitalSkills(models.TextChoices):
        NONE = "none", _("None")
        BASIC = "basic", _("Basic")
        GOOD = "good", _("Good")

    class Path(models.TextChoices):
        EMPLOYMENT = "employment", _("Employment")
        STUDIES = "studies", _("Studies")
        HOME_OTHER = "home_other", _("Home or other")

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="assessments")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("organisation")
    )
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("worker")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    requested_on = models.DateField(_("requested by the client on"), null=True, blank=True)
    started_on = models.DateField(_("started on"))
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    multisectoral = models.BooleanField(_("multisectoral"), default=False)
    participants = models.ManyToManyField(
        Organisation,
        blank=True,
        related_name="+",
        verbose_name=_("organisations taking part"),
        help_text=_("The welfare area or the employment services, in a multisectoral assessment."),
    )

    education_level = models.CharField(
        _("education"), max_length=12, choices=EducationLevel.choices, default=EducationLevel.UNKNOWN
    )
    education_years = models.PositiveSmallIntegerField(_("years of education"), null=True, blank=True)
    education_country = models.CharField(_("country of education"), max_length=2, blank=True)
    education_field = models.CharField(_("field of education"), max_length=200, blank=True)
    work_history = models.TextField(_("work history"), blank=True)
    literacy = models.CharField(_("literacy"), max_length=12, choices=Literacy.choices, blank=True)
    digital_skills = models.CharField(
        _("digital skills"), max_length=10, choices=DigitalSkills.choices, blank=True
    )
    family_situation = models.TextField(_("family situation"), blank=True)
    language_training_need = models.TextField(_("need for language training"), blank=True)
    other_service_needs = models.TextField(_("need for other services"), blank=True)
    # Special-category data: encrypted at rest (docs/encryption.md).
    health_notes = EncryptedTextField(
        _("health and functional capacity"),
        blank=True,
        help_text=_("Seen only by those who may see the client's health data."),
    )

    plan_needed = models.BooleanField(_("integration plan needed"), null=True, blank=True)
    path = models.CharField(_("path"), max_length=12, choices=Path.choices, blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    history = AuditlogHistoryField()

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        ordering = ["-started_on", "-id"]
        indexes = [models.Index(fields=["client", "started_on"], name="assessment_client_idx")]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.started_on}"


class AssessedLanguage(models.Model):
    """A language skill found in the assessment, with its CEFR level."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="languages")
    language = models.CharField(_("language"), max_length=3, choices=language_choices)
    level = models.CharField(_("level"), max_length=10, choices=LanguageLevel.choices)

    class Meta:
        verbose_name = _("assessed language")
        verbose_name_plural = _("assessed languages")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "language"], name="assessed_language_once")
        ]

    def __str__(self) -> str:
        return f"{self.language} {self.level}"

"""Organisations of a region, their units and the staff memberships with roles.

Finnish/Swedish: kunta/kommun (municipality), hyvinvointialue/välfärdsområde (welfare area),
työllisyysalue/sysselsättningsområde (employment area), ELY-keskus/NTM-central, later
elinvoimakeskus (regional state centre), vastaanottokeskus/mottagningscentral (reception centre).
"""

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A staff member. What they may do comes from their memberships, not from this row."""

    class Meta:
        verbose_name = _("staff member")
        verbose_name_plural = _("staff members")


class Jurisdiction(models.TextChoices):
    MAINLAND = "mainland", _("Mainland Finland")
    ALAND = "aland", _("Åland")


class Organisation(models.Model):
    class Kind(models.TextChoices):
        MUNICIPALITY = "municipality", _("Municipality")
        WELFARE_AREA = "welfare_area", _("Welfare area")
        EMPLOYMENT_AREA = "employment_area", _("Employment area")
        STATE_CENTRE = "state_centre", _("Regional state centre")
        RECEPTION_CENTRE = "reception_centre", _("Reception centre")
        JOINT_AUTHORITY = "joint_authority", _("Joint authority")
        THIRD_SECTOR = "third_sector", _("Third-sector organisation")

    code = models.CharField(
        _("code"),
        max_length=40,
        unique=True,
        validators=[RegexValidator(r"^[a-z0-9-]+$", _("Use lower-case letters, digits and dashes."))],
        help_text=_("Short code used in files and links; for a municipality its official code."),
    )
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    name_fi = models.CharField(_("name in Finnish"), max_length=200)
    name_sv = models.CharField(_("name in Swedish"), max_length=200)
    municipality_code = models.CharField(
        _("municipality code"),
        max_length=3,
        blank=True,
        validators=[RegexValidator(r"^\d{3}$", _("A municipality code has three digits."))],
        help_text=_("The official three-digit code of Statistics Finland."),
    )
    jurisdiction = models.CharField(
        _("jurisdiction"), max_length=10, choices=Jurisdiction.choices, default=Jurisdiction.MAINLAND
    )
    welfare_area = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="served_municipalities",
        limit_choices_to={"kind": "welfare_area"},
        verbose_name=_("welfare area"),
        help_text=_(
            "For a municipality: the welfare area providing its social and health services, which "
            "receives the welfare area's share of the calculated compensation for its clients."
        ),
    )
    mfa_required = models.BooleanField(
        _("second factor required"),
        default=True,
        help_text=_(
            "Staff whose roles here see client data must confirm their sign-in with a second factor "
            "(an authenticator app or a security key)."
        ),
    )

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name_fi"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality_code"],
                condition=~models.Q(municipality_code=""),
                name="organisation_unique_municipality_code",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="municipality") | ~models.Q(municipality_code=""),
                name="municipality_has_code",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.welfare_area_id and self.kind != self.Kind.MUNICIPALITY:
            raise ValidationError({"welfare_area": _("Only a municipality is served by a welfare area.")})

    @property
    def name(self) -> str:
        """The name in the language of the page: Swedish where asked for, Finnish otherwise."""
        from django.utils.translation import get_language

        return self.name_sv if (get_language() or "").startswith("sv") else self.name_fi


class Unit(models.Model):
    class Kind(models.TextChoices):
        INTEGRATION_UNIT = "integration_unit", _("Integration unit")
        WELCOME_OFFICE = "welcome_office", _("Welcome Office")
        SERVICE_POINT = "service_point", _("Service point")
        OTHER = "other", _("Other unit")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="units", verbose_name=_("organisation")
    )
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    name_fi = models.CharField(_("name in Finnish"), max_length=200)
    name_sv = models.CharField(_("name in Swedish"), max_length=200)

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["organisation", "name_fi"]

    def __str__(self) -> str:
        return f"{self.organisation} / {self.name}"

    name = Organisation.name


class Role(models.TextChoices):
    COUNSELLOR = "counsellor", _("Counsellor")
    CASE_WORKER = "case_worker", _("Case worker")
    COORDINATOR = "coordinator", _("Coordinator")
    SOCIAL_WORKER = "social_worker", _("Social worker")
    EMPLOYMENT_OFFICER = "employment_officer", _("Employment officer")
    REPORTING = "reporting", _("Reporting")
    ADMINISTRATOR = "administrator", _("Administrator")
    DATA_PROTECTION_OFFICER = "dpo", _("Data-protection officer")


class Membership(models.Model):
    """A staff member's role in one unit; the organisation follows from the unit."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("staff member")
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("unit")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "unit", "role"], name="membership_unique_role")
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.unit} – {self.get_role_display()}"

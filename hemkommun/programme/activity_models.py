"""Activities of the integration work (seed 003: the weekly morning coffee; language cafés,
courses, meeting places, the friend-person programme) and who came to each session: named
clients, or anonymous counts by age group, gender and language, which identify nobody."""

from auditlog.models import AuditlogHistoryField
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from hemkommun.casework.codes import AgeGroup
from hemkommun.clients.codes import language_choices
from hemkommun.clients.models import Client
from hemkommun.organizations.models import Organisation

__all__ = ["Activity", "AnonymousAttendance", "Attendance", "Session"]


class Activity(models.Model):
    class Kind(models.TextChoices):
        RECURRING = "recurring", _("Recurring activity")
        EVENT = "event", _("Event")
        COURSE = "course", _("Course")
        LANGUAGE_CAFE = "language_cafe", _("Language café")
        MEETING_PLACE = "meeting_place", _("Meeting place")
        FRIEND_PROGRAMME = "friend_programme", _("Friend-person programme")

    municipality = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("municipality"),
        help_text=_("The municipality whose integration work it is; its programme counts it."),
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    organiser = models.CharField(_("organiser"), max_length=200)
    partners = models.CharField(_("partners"), max_length=500, blank=True)
    languages = models.CharField(
        _("languages"),
        max_length=200,
        blank=True,
        help_text=_("Language codes, comma-separated: sv, fi, uk, ru."),
    )
    target_group = models.CharField(_("target group"), max_length=300, blank=True)
    schedule = models.CharField(_("when"), max_length=200, blank=True, help_text=_("E.g. Tuesdays 9–11."))
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True, max_length=4000)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    history = AuditlogHistoryField()

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["municipality", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=models.F("starts_on")),
                name="activity_period",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def language_codes(self) -> list[str]:
        return [code.strip() for code in self.languages.split(",") if code.strip()]


class Session(models.Model):
    """One meeting of an activity: a morning coffee, a course evening, an event."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="sessions")
    held_on = models.DateField(_("held on"))
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["activity", "-held_on"]
        indexes = [models.Index(fields=["activity", "held_on"], name="session_activity_day")]

    def __str__(self) -> str:
        return f"{self.activity} {self.held_on}"


class Attendance(models.Model):
    """A named client came to the session."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendances")
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="attendances")

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        constraints = [models.UniqueConstraint(fields=["session", "client"], name="attendance_once")]

    def __str__(self) -> str:
        return f"{self.session}: #{self.client_id}"


class AnonymousAttendance(models.Model):
    """So many people of this age group, gender and language came, without names."""

    class Gender(models.TextChoices):
        FEMALE = "F", _("Female")
        MALE = "M", _("Male")
        OTHER = "X", _("Other")
        UNKNOWN = "", _("Not known")

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="anonymous")
    age_group = models.CharField(
        _("age group"), max_length=10, choices=AgeGroup.choices, default=AgeGroup.UNKNOWN
    )
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices, blank=True)
    language = models.CharField(_("language"), max_length=3, blank=True, choices=language_choices)
    count = models.PositiveIntegerField(_("people"))

    class Meta:
        verbose_name = _("anonymous attendance")
        verbose_name_plural = _("anonymous attendances")
        constraints = [
            models.CheckConstraint(condition=models.Q(count__gt=0), name="anonymous_count_positive"),
            models.UniqueConstraint(
                fields=["session", "age_group", "gender", "language"], name="anonymous_group_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.session}: {self.count}"

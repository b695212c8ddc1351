"""Integration programmes (kotouttamisohjelma / integrationsprogram) and their action programmes.

A programme belongs to one or several municipalities, each of whose councils approves it, and is
reviewed at least every 4 years on the mainland (integration act 681/2023; the interval is
law data, ReviewInterval). Its action programme is a table
per theme: goal, action, responsible body, partners, follow-up (seed 002). Each action gets a
status and a comment per year, which the yearly follow-up report gathers.

A programme is kept in versions: revising one copies it into a new version, and the earlier one
stays readable as it was, approvals and statuses included. Writes go through services.py.
"""

from auditlog.models import AuditlogHistoryField
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hemkommun.organizations.models import Jurisdiction, Organisation


class ReviewInterval(models.Model):
    """How often the law asks a programme to be reviewed, by jurisdiction and date (law data,
    kept like the casework rule sets and the compensation parameters: edited in the admin, each
    row with its source). The interval in force on 1 January of a programme's first year gives
    the review date when none is given."""

    jurisdiction = models.CharField(_("jurisdiction"), max_length=10, choices=Jurisdiction.choices)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    years = models.PositiveSmallIntegerField(
        _("years"),
        validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text=_("At least every … years."),
    )
    legal_source = models.CharField(_("legal source"), max_length=300)
    note = models.TextField(
        _("note"), blank=True, help_text=_("The reading chosen where the law is unclear, and why.")
    )

    history = AuditlogHistoryField()

    class Meta:
        verbose_name = _("programme review interval")
        verbose_name_plural = _("programme review intervals")
        ordering = ["jurisdiction", "valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["jurisdiction", "valid_from"], name="review_interval_once_per_start"
            ),
            models.CheckConstraint(
                condition=models.Q(valid_until__isnull=True)
                | models.Q(valid_until__gte=models.F("valid_from")),
                name="review_interval_period",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_jurisdiction_display()} {self.valid_from}: {self.years}"


class Programme(models.Model):
    title = models.CharField(_("title"), max_length=300)
    first_year = models.PositiveSmallIntegerField(_("first year"))
    last_year = models.PositiveSmallIntegerField(_("last year"))
    language = models.CharField(
        _("language of the text"),
        max_length=2,
        choices=[("fi", _("Finnish")), ("sv", _("Swedish")), ("en", _("English"))],
        default="sv",
    )
    review_due = models.DateField(
        _("review due"),
        help_text=_("The council must review the programme at least as often as the law asks."),
    )
    budget_notes = models.TextField(_("budget notes"), blank=True, max_length=4000)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    revision_of = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="revision",
        verbose_name=_("revises"),
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    history = AuditlogHistoryField()

    class Meta:
        verbose_name = _("integration programme")
        verbose_name_plural = _("integration programmes")
        ordering = ["-last_year", "title", "-version"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(last_year__gte=models.F("first_year")), name="programme_period"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} {self.first_year}–{self.last_year}"

    @property
    def years(self) -> range:
        return range(self.first_year, self.last_year + 1)


class ProgrammeOwner(models.Model):
    """A municipality whose programme it is, and its council's approval."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="owners")
    municipality = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("municipality")
    )
    approved_by = models.CharField(
        _("approved by"), max_length=200, blank=True, help_text=_("E.g. the council.")
    )
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    decision_reference = models.CharField(_("decision reference"), max_length=200, blank=True)

    history = AuditlogHistoryField()

    class Meta:
        verbose_name = _("programme owner")
        verbose_name_plural = _("programme owners")
        ordering = ["programme", "municipality__name_fi"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "municipality"], name="programme_owner_once")
        ]

    def __str__(self) -> str:
        return str(self.municipality)


class Theme(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="themes")
    position = models.PositiveSmallIntegerField()
    title = models.TextField(_("theme"), max_length=4000)  # as long as the parser allows a cell

    class Meta:
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = ["programme", "position"]

    def __str__(self) -> str:
        return self.title


class Action(models.Model):
    """A row of the action programme."""

    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="actions")
    position = models.PositiveSmallIntegerField()
    goal = models.TextField(_("goal"), blank=True, max_length=4000)
    action = models.TextField(pgettext_lazy("programme", "action"), blank=True, max_length=4000)
    responsible = models.TextField(_("responsible body"), blank=True, max_length=4000)
    partners = models.TextField(_("partners"), blank=True, max_length=4000)
    follow_up = models.TextField(_("follow-up"), blank=True, max_length=4000)

    class Meta:
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        ordering = ["theme", "position"]

    def __str__(self) -> str:
        return self.action[:80]


class ActionStatus(models.Model):
    """How an action stood in a year, with a comment for the follow-up report."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        IN_PROGRESS = "in_progress", pgettext_lazy("programme", "In progress")
        CONTINUOUS = "continuous", _("Continuous")
        DONE = "done", pgettext_lazy("programme", "Done")
        POSTPONED = "postponed", _("Postponed")

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="statuses")
    year = models.PositiveSmallIntegerField(_("year"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    comment = models.TextField(_("comment"), blank=True, max_length=4000)

    history = AuditlogHistoryField()

    class Meta:
        verbose_name = _("status of an action")
        verbose_name_plural = _("statuses of actions")
        ordering = ["action", "year"]
        constraints = [models.UniqueConstraint(fields=["action", "year"], name="action_status_once_a_year")]

    def __str__(self) -> str:
        return f"{self.year}: {self.get_status_display()}"


class Indicator(models.Model):
    """A figure that follows up the programme's actions, year by year: computed from the case
    data (indicators.py), or typed in per year."""

    class Kind(models.TextChoices):
        COMPUTED = "computed", _("Computed from the data")
        TYPED = "typed", _("Typed in per year")
        SURVEY = "survey", _("From the survey")

    class Figure(models.TextChoices):
        NEW_CLIENTS = "new_clients", _("New clients")
        ASSESSMENTS = "assessments", _("Initial assessments completed")
        PLANS = "plans", _("Integration plans agreed")
        REFERRALS = "referrals", _("Referrals sent")
        ACTIVITY_SESSIONS = "activity_sessions", _("Activity sessions held")
        ACTIVITY_PARTICIPANTS = "activity_participants", _("Participants in activities")
        EVENTS = "events", _("Events held")
        MEETING_PLACES = "meeting_places", _("Meeting places")
        FRIEND_PROGRAMME = "friend_programme", _("Participants in the friend-person programme")

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="indicators")
    name = models.CharField(_("name"), max_length=300)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    figure = models.CharField(_("figure"), max_length=30, choices=Figure.choices, blank=True)
    unit = models.CharField(_("unit"), max_length=50, blank=True)
    # A survey indicator: the average value of the options chosen, of the question of this
    # position in each year's survey (so that the indicator runs across the years' surveys).
    survey_question = models.PositiveSmallIntegerField(
        _("survey question number"),
        null=True,
        blank=True,
        help_text=_("For an indicator from the survey: the number of the question in each year's survey."),
    )
    actions = models.ManyToManyField(
        Action, related_name="indicators", blank=True, verbose_name=_("actions followed")
    )

    history = AuditlogHistoryField()

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["programme", "name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind="computed", figure__gt="")
                | models.Q(kind="typed", figure="")
                | models.Q(kind="survey", figure="", survey_question__isnull=False),
                name="indicator_figure_if_computed",
            )
        ]

    def __str__(self) -> str:
        return self.name


class IndicatorValue(models.Model):
    """A typed-in indicator's value for a year."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    year = models.PositiveSmallIntegerField(_("year"))
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)
    note = models.CharField(_("note"), max_length=300, blank=True)

    history = AuditlogHistoryField()

    class Meta:
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        ordering = ["indicator", "year"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "year"], name="indicator_value_once_a_year")
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.value}"


from .activity_models import Activity, AnonymousAttendance, Attendance, Session  # noqa: E402, F401
from .survey_models import Answer, Invitation, Question, Response, Survey  # noqa: E402, F401

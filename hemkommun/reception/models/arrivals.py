"""Arrivals: quota refugees (an expected family or group with anonymised pre-arrival data) and
moves from reception centres (a placement request, then an assisted or independent move). Both
get a task list generated from the municipality's template for that kind, each task due relative
to the arrival, and both end with the people becoming clients.

Health flags from the country of origin are for the welfare area only (access.policy
reception rules): the municipality sees that a health task exists, never the flags.
"""

from auditlog.models import AuditlogHistoryField
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from hemkommun.clients.codes import Relation, ResidenceGround, Sex
from hemkommun.clients.models import Client
from hemkommun.core.fields import EncryptedTextField
from hemkommun.organizations.models import Organisation


class ArrivalKind(models.TextChoices):
    QUOTA = "quota", _("Quota refugees")
    RECEPTION_CENTRE = "reception_centre", _("Move from a reception centre")


class TaskTemplate(models.Model):
    """A municipality's checklist for one kind of arrival; edited by its reception staff."""

    municipality = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="arrival_templates",
        verbose_name=_("municipality"),
    )
    kind = models.CharField(
        _("kind of arrival"), max_length=20, choices=ArrivalKind.choices, default=ArrivalKind.QUOTA
    )

    history = AuditlogHistoryField()

    class Meta:
        verbose_name = _("arrival task template")
        verbose_name_plural = _("arrival task templates")
        constraints = [models.UniqueConstraint(fields=["municipality", "kind"], name="one_template_per_kind")]

    def __str__(self) -> str:
        return f"{self.municipality}: {self.get_kind_display()}"


class TaskTemplateItem(models.Model):
    template = models.ForeignKey(TaskTemplate, on_delete=models.CASCADE, related_name="items")
    title = models.CharField(_("task"), max_length=200)
    offset_days = models.SmallIntegerField(
        _("days from arrival"),
        validators=[MinValueValidator(-365), MaxValueValidator(365)],
        help_text=_("Negative before the arrival, e.g. -14; 0 on the day; 14 two weeks after."),
    )
    responsible = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("responsible organisation"),
        help_text=_("Empty: the municipality itself."),
    )
    health_related = models.BooleanField(
        _("health task"), default=False, help_text=_("Seen with the health flags by the welfare area only.")
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("template task")
        verbose_name_plural = _("template tasks")
        ordering = ["offset_days", "position", "id"]

    def __str__(self) -> str:
        return self.title


class ArrivalGroup(models.Model):
    """An expected family or group: quota refugees, or people moving from a reception centre."""

    class Status(models.TextChoices):
        # Moves start with the reception centre's placement request; quota arrivals are expected
        # from the start, as the state centre has already placed them.
        REQUESTED = "requested", _("Placement requested")
        EXPECTED = "expected", _("Expected")
        ARRIVED = "arrived", _("Arrived")
        CANCELLED = "cancelled", _("Cancelled")

    class MoveType(models.TextChoices):
        ASSISTED = "assisted", _("Assisted move")
        INDEPENDENT = "independent", _("Independent move")

    kind = models.CharField(
        _("kind of arrival"), max_length=20, choices=ArrivalKind.choices, default=ArrivalKind.QUOTA
    )
    municipality = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="arrivals", verbose_name=_("municipality")
    )
    welfare_area = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("welfare area")
    )
    reference = models.CharField(
        _("reference"), max_length=100, help_text=_("E.g. the state centre's case number.")
    )
    expected_on = models.DateField(_("expected arrival"))
    arrived_on = models.DateField(_("arrived on"), null=True, blank=True)
    permit_granted_on = models.DateField(_("residence permits granted on"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.EXPECTED)
    residence_ground = models.CharField(
        _("residence ground"),
        max_length=30,
        choices=ResidenceGround.choices,
        default=ResidenceGround.QUOTA_REFUGEE,
        help_text=_("Given to the clients made on arrival."),
    )
    reception_centre = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reception centre"),
    )
    move_type = models.CharField(_("type of move"), max_length=12, choices=MoveType.choices, blank=True)
    placement_requested_on = models.DateField(_("placement requested on"), null=True, blank=True)
    move_reported_on = models.DateField(
        _("move report received on"),
        null=True,
        blank=True,
        help_text=_("The reception centre's report that the person has moved to the municipality."),
    )
    family_reunification = models.TextField(
        _("family reunification"),
        blank=True,
        help_text=_("Family members still abroad and applications for family reunification pending."),
    )
    notes = models.TextField(
        _("notes"), blank=True, help_text=_("No health data here: use the members' health flags.")
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    household = models.ForeignKey(
        "clients.Household", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    history = AuditlogHistoryField()

    class Meta:
        verbose_name = _("expected arrival")
        verbose_name_plural = _("expected arrivals")
        ordering = ["expected_on", "id"]
        indexes = [models.Index(fields=["municipality", "status", "expected_on"], name="arrival_board_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind=ArrivalKind.RECEPTION_CENTRE)
                | models.Q(reception_centre__isnull=True),
                name="reception_centre_only_for_moves",
            ),
            # A second click on "save" must not make a second family.
            models.UniqueConstraint(fields=["municipality", "reference"], name="arrival_reference_once"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} ({self.expected_on})"


class ExpectedMember(models.Model):
    """One person of the group before arrival: anonymised, no name until they arrive."""

    group = models.ForeignKey(ArrivalGroup, on_delete=models.CASCADE, related_name="members")
    relation = models.CharField(_("relation"), max_length=10, choices=Relation.choices)
    birth_year = models.PositiveSmallIntegerField(
        _("year of birth"), validators=[MinValueValidator(1900)], null=True, blank=True
    )
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, blank=True)
    languages = models.CharField(
        _("languages"), max_length=100, blank=True, help_text=_("Codes, e.g. ar, ku.")
    )
    education = models.CharField(_("education"), max_length=200, blank=True)
    # Special-category data: encrypted at rest (docs/encryption.md).
    health_flags = EncryptedTextField(
        _("health flags"),
        blank=True,
        help_text=_("From the country of origin; seen by the welfare area only."),
    )
    client = models.OneToOneField(
        Client, on_delete=models.SET_NULL, null=True, blank=True, related_name="arrival_member"
    )

    class Meta:
        verbose_name = _("expected member")
        verbose_name_plural = _("expected members")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.get_relation_display()} {self.birth_year or ''}".strip()


class ArrivalTask(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("To do")
        DONE = "done", _("Done")
        NOT_NEEDED = "not_needed", _("Not needed")

    group = models.ForeignKey(ArrivalGroup, on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField(_("task"), max_length=200)
    offset_days = models.SmallIntegerField(_("days from arrival"))
    due_on = models.DateField(_("due"))
    responsible = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("responsible organisation")
    )
    responsible_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("responsible person"),
    )
    health_related = models.BooleanField(_("health task"), default=False)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.OPEN)
    done_on = models.DateField(_("done on"), null=True, blank=True)

    history = AuditlogHistoryField()

    class Meta:
        verbose_name = _("arrival task")
        verbose_name_plural = _("arrival tasks")
        ordering = ["due_on", "id"]
        # The worklist: a person's open tasks in due order.
        indexes = [
            models.Index(fields=["responsible_user", "status", "due_on"], name="arrival_task_worker_idx")
        ]

    def __str__(self) -> str:
        return self.title

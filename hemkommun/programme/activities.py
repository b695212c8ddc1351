"""Writes of activities and their sessions. Attendance names only clients the writer may see;
anonymous attendance is a count per age group, gender and language, and identifies nobody."""

import datetime
from collections import defaultdict
from collections.abc import Iterable, Mapping

from auditlog.context import set_actor
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hemkommun.access import policy
from hemkommun.casework.codes import AgeGroup
from hemkommun.clients.codes import LANGUAGES

from .models import Activity, AnonymousAttendance, Attendance, Session

ACTIVITY_FIELDS = (
    "name",
    "kind",
    "organiser",
    "partners",
    "languages",
    "target_group",
    "schedule",
    "starts_on",
    "ends_on",
    "description",
)
MOST_PEOPLE = 10_000  # in one anonymous group of one session
Errors = dict[str, list[ValidationError]]


def _add(errors: Errors, field: str | None, message: str, code: str) -> None:
    errors.setdefault(field or "__all__", []).append(ValidationError(message, code=code))


def _check_runner(by, municipality_id: int) -> None:
    if municipality_id not in {m.pk for m in policy.activity_municipalities(by)}:
        raise ValidationError(
            _("You may not keep the activities of this municipality."), code="activity_forbidden"
        )


def activity_save(
    *, by, municipality, data: Mapping[str, object], activity: Activity | None = None
) -> Activity:
    """Create an activity of ``municipality``, or change ``activity``; ``data`` holds ACTIVITY_FIELDS."""
    _check_runner(by, municipality.pk)
    if activity is not None and activity.municipality_id != municipality.pk:
        raise ValidationError(
            _("You may not keep the activities of this municipality."), code="activity_forbidden"
        )
    activity = activity or Activity(municipality=municipality, created_by=by)
    for field in ACTIVITY_FIELDS:
        value = data.get(field, getattr(activity, field))
        setattr(activity, field, value.strip() if isinstance(value, str) else value)
    activity.languages = ", ".join(
        code.strip().lower() for code in activity.languages.split(",") if code.strip()
    )
    _validate_activity(activity)
    with transaction.atomic(), set_actor(by):
        activity.save()
    return activity


def _validate_activity(activity: Activity) -> None:
    errors: Errors = {}
    try:
        activity.full_clean(exclude=["municipality", "created_by"], validate_constraints=False)
    except ValidationError as error:
        for field, messages in error.error_dict.items():
            errors.setdefault(field, []).extend(messages)
    for code in activity.language_codes:
        if code not in LANGUAGES:
            _add(
                errors, "languages", _("Unknown language code “%(code)s”.") % {"code": code}, "language_code"
            )
    if activity.starts_on and activity.ends_on and activity.ends_on < activity.starts_on:
        _add(errors, "ends_on", _("The activity ends before it starts."), "activity_period")
    if errors:
        raise ValidationError(errors)


def session_record(
    *,
    by,
    activity: Activity,
    held_on: datetime.date,
    note: str = "",
    client_ids: Iterable[int] = (),
    anonymous: Iterable[tuple[str, str, str, int]] = (),
) -> Session:
    """A session held, with the named clients who came and anonymous counts of the others:
    (age group, gender, language, people). All or nothing."""
    _check_runner(by, activity.municipality_id)
    client_ids = sorted(set(client_ids))
    groups = _merged_groups(anonymous)
    errors: Errors = {}
    _check_day(activity, held_on, errors)
    visible = set(policy.visible_clients(by).filter(pk__in=client_ids).values_list("pk", flat=True))
    unknown = [str(number) for number in client_ids if number not in visible]
    if unknown:
        _add(
            errors,
            "clients",
            _("No client with the record number %(numbers)s is visible to you.")
            % {"numbers": ", ".join(unknown)},
            "no_such_client",
        )
    _check_groups(groups, errors)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(), set_actor(by):
        session = Session.objects.create(activity=activity, held_on=held_on, note=note.strip()[:300])
        for client_id in client_ids:
            Attendance.objects.create(session=session, client_id=client_id)
        for (age_group, gender, language), count in groups.items():
            AnonymousAttendance.objects.create(
                session=session, age_group=age_group, gender=gender, language=language, count=count
            )
    return session


def _merged_groups(anonymous: Iterable[tuple[str, str, str, int]]) -> dict[tuple[str, str, str], int]:
    """Rows of one group (age group, gender, language) typed twice count together."""
    groups: dict[tuple[str, str, str], int] = defaultdict(int)
    for age_group, gender, language, count in anonymous:
        if count:
            groups[(age_group or AgeGroup.UNKNOWN, gender or "", language or "")] += count
    return dict(groups)


def _check_day(activity: Activity, held_on: datetime.date, errors: Errors) -> None:
    if held_on > timezone.localdate():
        _add(errors, "held_on", _("A session is recorded once it has been held."), "session_in_future")
    elif held_on < activity.starts_on or (activity.ends_on and held_on > activity.ends_on):
        _add(errors, "held_on", _("The day is outside the activity's period."), "session_outside")


def _check_groups(groups: dict[tuple[str, str, str], int], errors: Errors) -> None:
    for (age_group, gender, language), count in groups.items():
        if age_group not in AgeGroup.values or gender not in AnonymousAttendance.Gender.values:
            _add(errors, "anonymous", _("Choose the age group and gender from the lists."), "group_unknown")
        if language and language not in LANGUAGES:
            _add(
                errors,
                "anonymous",
                _("Unknown language code “%(code)s”.") % {"code": language},
                "language_code",
            )
        if not 0 < count <= MOST_PEOPLE:
            _add(
                errors,
                "anonymous",
                _("A group has from 1 to %(most)s people.") % {"most": MOST_PEOPLE},
                "group_count",
            )


def session_delete(*, by, session: Session) -> None:
    _check_runner(by, session.activity.municipality_id)
    with transaction.atomic(), set_actor(by):
        for attendance in session.attendances.all():  # one by one, so the write log sees each
            attendance.delete()
        for group in session.anonymous.all():
            group.delete()
        session.delete()

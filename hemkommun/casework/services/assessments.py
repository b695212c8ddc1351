"""Assessments of skills and integration service needs: draft, completed, signed."""

import datetime
from collections.abc import Iterable

from auditlog.context import set_actor
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hemkommun.access import policy
from hemkommun.clients.codes import LANGUAGES, LanguageLevel
from hemkommun.clients.models import Client
from hemkommun.clients.services import replace_language_levels
from hemkommun.organizations.models import Organisation
from hemkommun.webhooks.events import ASSESSMENT_EVENTS, emit

from ..deadlines import refresh_deadlines
from ..models import Assessment
from .common import check_casework_allowed, check_participants

ASSESSMENT_FIELDS = (
    "requested_on",
    "started_on",
    "multisectoral",
    "education_level",
    "education_years",
    "education_country",
    "education_field",
    "work_history",
    "literacy",
    "digital_skills",
    "family_situation",
    "language_training_need",
    "other_service_needs",
    "health_notes",
    "plan_needed",
    "path",
)


def assessment_create(
    *,
    by,
    client: Client,
    data: dict,
    languages: Iterable[tuple[str, str]] = (),
    participants: Iterable[Organisation] = (),
) -> Assessment:
    check_casework_allowed(by, client)
    assessment = Assessment(client=client, organisation=client.organisation, worker=by)
    data = {"started_on": timezone.localdate(), **data}
    return _save(by=by, assessment=assessment, data=data, languages=languages, participants=participants)


def assessment_update(
    *,
    by,
    assessment: Assessment,
    data: dict,
    languages: Iterable[tuple[str, str]] | None = None,
    participants: Iterable[Organisation] | None = None,
) -> Assessment:
    check_casework_allowed(by, assessment.client)
    if assessment.status == Assessment.Status.SIGNED:
        raise ValidationError(_("A signed assessment can no longer be changed."), code="assessment_signed")
    return _save(by=by, assessment=assessment, data=data, languages=languages, participants=participants)


def assessment_complete(
    *, by, assessment: Assessment, completed_on: datetime.date | None = None
) -> Assessment:
    """The assessment is done: its outcome must say whether a plan is needed, and on which path."""
    check_casework_allowed(by, assessment.client)
    if assessment.status != Assessment.Status.DRAFT:
        raise ValidationError(_("Only a draft can be completed."), code="assessment_state")
    completed_on = completed_on or timezone.localdate()
    _raise_if(_completion_errors(assessment, completed_on))
    return _set_status(by, assessment, Assessment.Status.COMPLETED, completed_on=completed_on)


def assessment_sign(*, by, assessment: Assessment, signed_on: datetime.date | None = None) -> Assessment:
    check_casework_allowed(by, assessment.client)
    if assessment.status != Assessment.Status.COMPLETED:
        raise ValidationError(_("Only a completed assessment can be signed."), code="assessment_state")
    signed_on = signed_on or timezone.localdate()
    errors = _completion_errors(assessment, assessment.completed_on)
    if not assessment.completed_on <= signed_on <= timezone.localdate():
        errors["signed_on"] = ValidationError(
            _("An assessment is signed between its completion and today."), code="signed_on_date"
        )
    _raise_if(errors)
    return _set_status(by, assessment, Assessment.Status.SIGNED, signed_on=signed_on)


def _completion_errors(assessment: Assessment, completed_on: datetime.date) -> dict:
    """What a completed assessment must have: an outcome, a path when a plan is needed, and a
    completion between its start and today. Checked on completion, on every later edit and on
    signing, so that a completed assessment never loses its outcome."""
    errors = {}
    if assessment.plan_needed is None:
        errors["plan_needed"] = ValidationError(
            _("Say whether an integration plan is needed."), code="outcome_missing"
        )
    if assessment.plan_needed and not assessment.path:
        errors["path"] = ValidationError(_("Choose the path of the plan."), code="path_missing")
    if completed_on < assessment.started_on:
        errors["completed_on"] = ValidationError(
            _("The assessment cannot be completed before it started."), code="completed_before_start"
        )
    elif completed_on > timezone.localdate():
        errors["completed_on"] = ValidationError(
            _("The completion cannot be in the future."), code="date_in_future"
        )
    return errors


def _raise_if(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)


def _set_status(by, assessment: Assessment, status: str, **dates) -> Assessment:
    with transaction.atomic(), set_actor(by):
        assessment.status = status
        for name, value in dates.items():
            setattr(assessment, name, value)
        assessment.save()
        emit(ASSESSMENT_EVENTS[status], client=assessment.client, obj=assessment)
        refresh_deadlines(assessment.client)
    return assessment


def _save(*, by, assessment: Assessment, data: dict, languages, participants) -> Assessment:
    unknown = set(data) - set(ASSESSMENT_FIELDS)
    if unknown:
        raise ValueError(f"not assessment fields: {sorted(unknown)}")
    changes_health = "health_notes" in data and data["health_notes"] != assessment.health_notes
    if changes_health and not policy.can_view_health(by, assessment.client):
        error = ValidationError(_("You may not record health data."), code="health_forbidden")
        raise ValidationError({"health_notes": error})
    for name, value in data.items():
        setattr(assessment, name, value)
    participants = list(participants) if participants is not None else None
    languages = list(languages) if languages is not None else None
    _validate(assessment, languages, participants)
    if assessment.status == Assessment.Status.COMPLETED:
        _raise_if(_completion_errors(assessment, assessment.completed_on))
    with transaction.atomic(), set_actor(by):
        assessment.save()
        if participants is not None:
            assessment.participants.set(participants)
        if languages is not None:
            replace_language_levels(assessment.languages, languages)
        refresh_deadlines(assessment.client)
    return assessment


def _validate(assessment: Assessment, languages, participants) -> None:
    errors: dict[str, list[ValidationError]] = {}

    def add(field, message, code):
        errors.setdefault(field, []).append(ValidationError(message, code=code))

    try:
        assessment.full_clean(exclude=["client", "organisation", "worker"])
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            for message in messages:
                add(field, message, "invalid")
    today = timezone.localdate()
    if assessment.started_on and assessment.started_on > today:
        add("started_on", _("The start cannot be in the future."), "date_in_future")
    if assessment.requested_on and assessment.started_on and assessment.requested_on > assessment.started_on:
        add("requested_on", _("The request cannot come after the start."), "requested_after_start")
    if assessment.education_country and not (
        len(assessment.education_country) == 2 and assessment.education_country.isalpha()
    ):
        add("education_country", _("Use a two-letter country code, e.g. SY."), "country_code")
    assessment.education_country = assessment.education_country.upper()
    if participants is not None:
        check_participants(assessment, participants, add)
    for code, level in languages or ():
        if code not in LANGUAGES:
            add("languages", _("Unknown language code “%(code)s”.") % {"code": code}, "language_code")
        if level not in LanguageLevel.values:
            add(
                "languages",
                _("Unknown level “%(level)s”: use A1–C2 or native.") % {"level": level},
                "language_level",
            )
    if errors:
        raise ValidationError(errors)

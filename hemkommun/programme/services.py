"""Writes to integration programmes. Views and the import command come through here.

A programme that has been revised is kept as it was: only its latest version changes."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from auditlog.context import set_actor
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from hemkommun.access import policy
from hemkommun.organizations.models import Organisation

from .models import (
    Action,
    ActionStatus,
    Indicator,
    IndicatorValue,
    Programme,
    ProgrammeOwner,
    ReviewInterval,
    Theme,
)
from .parsing import ParsedProgramme

EARLIEST_YEAR, LATEST_YEAR = 2000, 2100
LONGEST_PERIOD = 10  # years; the act asks for a review every 4
TEXT_LIMIT = 4000


@dataclass(frozen=True)
class Period:
    first_year: int
    last_year: int

    @classmethod
    def parse(cls, text: str) -> "Period":
        """``2023-2025`` (or with an en dash), or a single year."""
        parts = [part.strip() for part in text.replace("–", "-").split("-")]
        if len(parts) not in (1, 2) or not all(part.isdecimal() and len(part) <= 4 for part in parts):
            raise ValidationError(
                _("Give the period as two years, for example 2023-2025."), code="period_format"
            )
        return cls(int(parts[0]), int(parts[-1]))


def review_interval(*, jurisdiction: str, first_year: int) -> ReviewInterval | None:
    """The review interval in force on 1 January of the programme's first year, if any."""
    start = datetime.date(first_year, 1, 1)
    return (
        ReviewInterval.objects.filter(jurisdiction=jurisdiction, valid_from__lte=start)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=start))
        .order_by("-valid_from")
        .first()
    )


def default_review_due(period: Period, owners: Iterable[Organisation]) -> datetime.date | None:
    """By the end of the interval's last year counted from the start of the period (every 4
    years: by 31.12. of the fourth year), or None when no interval is in force for the owners'
    jurisdiction (then the date must be given)."""
    jurisdictions = {owner.jurisdiction for owner in owners}
    if len(jurisdictions) != 1:
        return None
    interval = review_interval(jurisdiction=jurisdictions.pop(), first_year=period.first_year)
    return datetime.date(period.first_year + interval.years - 1, 12, 31) if interval else None


def programme_import(
    *,
    by,
    owners: Iterable[Organisation],
    period: Period,
    parsed: ParsedProgramme,
    title: str,
    language: str = "sv",
    review_due: datetime.date | None = None,
    budget_notes: str = "",
) -> Programme:
    """A new programme of ``owners`` holding the parsed action programme, all or nothing."""
    owners = list(dict.fromkeys(owners))
    _check_new(by=by, owners=owners, period=period, parsed=parsed, title=title)
    review_due = review_due or default_review_due(period, owners)
    if review_due is None:
        raise ValidationError(
            {
                "review_due": ValidationError(
                    _(
                        "No review interval is in force for these municipalities: give the date the review is due."
                    ),
                    code="review_due_required",
                )
            }
        )
    with transaction.atomic(), set_actor(by):
        programme = Programme.objects.create(
            title=title.strip(),
            first_year=period.first_year,
            last_year=period.last_year,
            language=language,
            review_due=review_due,
            budget_notes=budget_notes.strip(),
            created_by=by,
        )
        for municipality in owners:
            ProgrammeOwner.objects.create(programme=programme, municipality=municipality)
        for position, parsed_theme in enumerate(parsed.themes, start=1):
            theme = Theme.objects.create(programme=programme, position=position, title=parsed_theme.title)
            for row_position, row in enumerate(parsed_theme.rows, start=1):
                Action.objects.create(
                    theme=theme,
                    position=row_position,
                    goal=row.goal,
                    action=row.action,
                    responsible=row.responsible,
                    partners=row.partners,
                    follow_up=row.follow_up,
                )
    return programme


def _check_new(
    *, by, owners: list[Organisation], period: Period, parsed: ParsedProgramme, title: str
) -> None:
    errors: dict[str, list[ValidationError]] = {}

    def add(field: str, message: str, code: str) -> None:
        errors.setdefault(field, []).append(ValidationError(message, code=code))

    writable = {municipality.pk for municipality in policy.programme_writer_municipalities(by)}
    if not owners:
        add("owners", _("Choose the municipalities whose programme it is."), "owners_missing")
    elif not writable.intersection(owner.pk for owner in owners):
        add(
            "owners",
            _("You may keep programmes only for the municipalities you coordinate."),
            "owners_forbidden",
        )
    if any(owner.kind != Organisation.Kind.MUNICIPALITY for owner in owners):
        add("owners", _("Only municipalities own an integration programme."), "owner_not_municipality")
    if not (EARLIEST_YEAR <= period.first_year <= period.last_year <= LATEST_YEAR):
        add(
            "period",
            _("Give the period as two years from 2000 to 2100, the first not after the last."),
            "period_range",
        )
    elif period.last_year - period.first_year >= LONGEST_PERIOD:
        add(
            "period",
            _("A programme covers at most %(years)s years.") % {"years": LONGEST_PERIOD},
            "period_long",
        )
    if not title.strip():
        add("title", _("Give the programme a title."), "title_missing")
    elif len(title.strip()) > 300:
        add("title", _("Write at most %(limit)s characters.") % {"limit": 300}, "too_long")
    if not parsed.themes:
        add("file", _("The file holds no themes."), "no_themes")
    if errors:
        raise ValidationError(errors)


def statuses_set(*, by, programme: Programme, year: int, entries: Iterable[tuple[Action, str, str]]) -> int:
    """Record how each action stood in ``year``: (action, status, comment). An entry with no
    status and no comment clears the year's status. Returns how many changed."""
    check_writer(by, programme)
    if year not in programme.years:
        raise ValidationError(
            _("The programme covers %(first)s–%(last)s.")
            % {"first": programme.first_year, "last": programme.last_year},
            code="year_outside",
        )
    changed = 0
    with transaction.atomic(), set_actor(by):
        programme = _locked_latest(programme)
        action_ids = set(Action.objects.filter(theme__programme=programme).values_list("pk", flat=True))
        existing = {s.action_id: s for s in ActionStatus.objects.filter(action_id__in=action_ids, year=year)}
        for action, status, comment in entries:
            if action.pk not in action_ids:
                raise ValidationError(_("The action is not in this programme."), code="action_elsewhere")
            changed += _set_status(action, year, status, comment.strip(), existing.get(action.pk))
    return changed


def _set_status(action: Action, year: int, status: str, comment: str, current: ActionStatus | None) -> int:
    if not status and not comment:
        if current is None:
            return 0
        current.delete()
        return 1
    if status not in ActionStatus.Status.values:
        raise ValidationError(_("Choose a status for an action with a comment."), code="status_missing")
    if len(comment) > TEXT_LIMIT:
        raise ValidationError(
            _("Write at most %(limit)s characters.") % {"limit": TEXT_LIMIT}, code="too_long"
        )
    if current is None:
        ActionStatus.objects.create(action=action, year=year, status=status, comment=comment)
        return 1
    if (current.status, current.comment) == (status, comment):
        return 0
    current.status, current.comment = status, comment
    current.save()
    return 1


def approval_set(
    *, by, owner: ProgrammeOwner, approved_by: str, approved_on: datetime.date | None, decision_reference: str
) -> ProgrammeOwner:
    """Record a council's approval (or correct it); all three parts go together."""
    check_writer(by, owner.programme)
    values = (approved_by.strip(), approved_on, decision_reference.strip())
    if any(values) and not all(values):
        raise ValidationError(
            _("An approval needs the body, the date and the decision reference."), code="approval_incomplete"
        )
    if approved_on and not datetime.date(EARLIEST_YEAR, 1, 1) <= approved_on <= timezone.localdate():
        raise ValidationError({"approved_on": _("Give a date from 2000 to today.")}, code="approved_on_range")
    with transaction.atomic(), set_actor(by):
        _locked_latest(owner.programme)
        owner.approved_by, owner.approved_on, owner.decision_reference = values
        owner.save()
    return owner


def programme_revise(*, by, programme: Programme) -> Programme:
    """A new version to work on, copied from this one (texts, owners, statuses and indicators; the
    approvals are the new version's own to record; the surveys move to it). This version stays as
    it is, readable."""
    check_writer(by, programme)
    with transaction.atomic(), set_actor(by):
        programme = _locked_latest(programme)
        revision = Programme.objects.create(
            title=programme.title,
            first_year=programme.first_year,
            last_year=programme.last_year,
            language=programme.language,
            review_due=programme.review_due,
            budget_notes=programme.budget_notes,
            version=programme.version + 1,
            revision_of=programme,
            created_by=by,
        )
        for owner in programme.owners.all():
            ProgrammeOwner.objects.create(programme=revision, municipality_id=owner.municipality_id)
        copied: dict[int, Action] = {}
        for theme in programme.themes.prefetch_related("actions__statuses"):
            copied.update(_copy_theme(theme, revision))
        for indicator in programme.indicators.prefetch_related("actions", "values"):
            _copy_indicator(indicator, revision, copied)
        # The surveys are the follow-up's, not the text's: they go on with the latest version.
        for survey in programme.surveys.all():
            survey.programme = revision
            survey.save(update_fields=["programme"])
    return revision


def _copy_indicator(indicator: Indicator, programme: Programme, copied: dict[int, Action]) -> None:
    copy = Indicator.objects.create(
        programme=programme,
        name=indicator.name,
        kind=indicator.kind,
        figure=indicator.figure,
        unit=indicator.unit,
        survey_question=indicator.survey_question,
    )
    copy.actions.set([copied[action.pk] for action in indicator.actions.all()])
    for value in indicator.values.all():
        IndicatorValue.objects.create(indicator=copy, year=value.year, value=value.value, note=value.note)


def _copy_theme(theme: Theme, programme: Programme) -> dict[int, Action]:
    """Copy the theme and its actions; returns the copies by the originals' ids."""
    copies = {}
    copy = Theme.objects.create(programme=programme, position=theme.position, title=theme.title)
    for action in theme.actions.all():
        new = Action.objects.create(
            theme=copy,
            position=action.position,
            goal=action.goal,
            action=action.action,
            responsible=action.responsible,
            partners=action.partners,
            follow_up=action.follow_up,
        )
        for status in action.statuses.all():
            ActionStatus.objects.create(
                action=new, year=status.year, status=status.status, comment=status.comment
            )
        copies[action.pk] = new
    return copies


def check_writer(by, programme: Programme) -> None:
    if not policy.may_write_programme(by, programme):
        raise ValidationError(_("You may not change this programme."), code="programme_forbidden")


def _locked_latest(programme: Programme) -> Programme:
    """The programme's row, locked; refused when a later version exists (it is kept as it was)."""
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    refuse_superseded(programme)
    return programme


def refuse_superseded(programme: Programme) -> None:
    if Programme.objects.filter(revision_of=programme).exists():
        raise ValidationError(
            _("A later version of this programme exists: this one is kept as it was."),
            code="programme_revised",
        )


# --- indicators ---------------------------------------------------------------------------------


def indicator_save(
    *,
    by,
    programme: Programme,
    name: str,
    kind: str,
    figure: str = "",
    unit: str = "",
    actions: Iterable[Action] = (),
    survey_question: int | None = None,
    indicator: Indicator | None = None,
) -> Indicator:
    """Create an indicator of the programme, or change ``indicator``; ``actions`` are the
    follow-up measures it follows up (actions of this programme)."""
    check_writer(by, programme)
    actions = list(actions)
    errors = _indicator_errors(programme, name, kind, figure, actions, survey_question)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(), set_actor(by):
        _locked_latest(programme)
        indicator = indicator or Indicator(programme=programme)
        indicator.name, indicator.kind, indicator.unit = name.strip(), kind, unit.strip()
        indicator.figure = figure if kind == Indicator.Kind.COMPUTED else ""
        indicator.survey_question = survey_question if kind == Indicator.Kind.SURVEY else None
        indicator.save()
        indicator.actions.set(actions)
    return indicator


def _indicator_errors(
    programme, name: str, kind: str, figure: str, actions: list[Action], survey_question: int | None
) -> dict:
    errors: dict[str, list[ValidationError]] = {}

    def add(field: str, message: str, code: str) -> None:
        errors.setdefault(field, []).append(ValidationError(message, code=code))

    if not name.strip():
        add("name", _("Give the indicator a name."), "name_missing")
    if kind not in Indicator.Kind.values:
        add("kind", _("Choose the kind of indicator."), "kind_missing")
    elif kind == Indicator.Kind.COMPUTED and figure not in Indicator.Figure.values:
        add("figure", _("Choose the figure a computed indicator counts."), "figure_missing")
    elif kind == Indicator.Kind.SURVEY and not survey_question:
        add("survey_question", _("Give the number of the survey question."), "question_missing")
    if any(action.theme.programme_id != programme.pk for action in actions):
        add("actions", _("The action is not in this programme."), "action_elsewhere")
    return errors


def indicator_delete(*, by, indicator: Indicator) -> None:
    check_writer(by, indicator.programme)
    with transaction.atomic(), set_actor(by):
        _locked_latest(indicator.programme)
        indicator.delete()


def indicator_value_set(
    *, by, indicator: Indicator, year: int, value: Decimal | None, note: str = ""
) -> None:
    """The value of a typed indicator for a year; None clears it."""
    check_writer(by, indicator.programme)
    if indicator.kind != Indicator.Kind.TYPED:
        raise ValidationError(
            _("A computed indicator is counted from the data, not typed in."), code="computed"
        )
    if value is not None and not EARLIEST_YEAR <= year <= LATEST_YEAR:
        raise ValidationError(_("Give a year from 2000 to 2100."), code="year_range")
    with transaction.atomic(), set_actor(by):
        _locked_latest(indicator.programme)
        current = IndicatorValue.objects.filter(indicator=indicator, year=year).first()
        if value is None:
            if current is not None:
                current.delete()
            return
        current = current or IndicatorValue(indicator=indicator, year=year)
        current.value, current.note = value, note.strip()
        current.save()

"""The yearly follow-up report of a programme: per theme and action the year's status and
comment, the indicators the action follows with their values against earlier years, and the
counts of statuses. The page, the PDF and the workbook are all made from one FollowUpReport."""

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from hemkommun.core.spreadsheets import Sheet

from .indicators import programme_values
from .models import Action, ActionStatus, Indicator, Programme
from .selectors import EARLIER_YEARS


@dataclass(frozen=True)
class IndicatorLine:
    indicator: Indicator
    values: list[Decimal | None]  # one per year of the report


@dataclass(frozen=True)
class ActionLine:
    action: Action
    status: ActionStatus | None
    indicators: list[IndicatorLine]


@dataclass(frozen=True)
class ThemeSection:
    title: str
    actions: list[ActionLine]


@dataclass(frozen=True)
class FollowUpReport:
    programme: Programme
    year: int
    years: list[int]  # the years the indicators are shown for, up to the report's year
    sections: list[ThemeSection]
    indicators: list[IndicatorLine]
    status_counts: list[tuple[str, str, int]]  # (status, label, count), "" for actions without one


def follow_up_report(programme: Programme, year: int) -> FollowUpReport:
    years = list(range(programme.first_year - EARLIER_YEARS, year + 1))
    values = programme_values(programme, years)
    lines = {
        indicator.pk: IndicatorLine(indicator, [values[indicator.pk][y] for y in years])
        for indicator in programme.indicators.all()
    }
    statuses = Prefetch("statuses", queryset=ActionStatus.objects.filter(year=year), to_attr="year_statuses")
    followed = Prefetch("indicators", queryset=Indicator.objects.only("pk"), to_attr="followed")
    sections = []
    counted: Counter = Counter()
    for theme in programme.themes.prefetch_related(
        Prefetch("actions", queryset=Action.objects.prefetch_related(statuses, followed))
    ):
        actions = []
        for action in theme.actions.all():
            status = action.year_statuses[0] if action.year_statuses else None
            counted[status.status if status else ""] += 1
            actions.append(ActionLine(action, status, [lines[i.pk] for i in action.followed]))
        sections.append(ThemeSection(theme.title, actions))
    status_counts = [
        (status, label, counted[status]) for status, label in ActionStatus.Status.choices if counted[status]
    ]
    if counted[""]:
        status_counts.append(("", _("No status recorded"), counted[""]))
    return FollowUpReport(programme, year, years, sections, list(lines.values()), status_counts)


def report_sheets(report: FollowUpReport, notes: list[str]) -> list[Sheet]:
    """The report as worksheets: the actions with their status, and the indicators by year."""
    actions = [
        [
            section.title,
            line.action.goal,
            line.action.action,
            line.action.responsible,
            line.action.partners,
            line.action.follow_up,
            line.status.get_status_display() if line.status else "",
            line.status.comment if line.status else "",
        ]
        for section in report.sections
        for line in section.actions
    ]
    indicators = [
        [
            line.indicator.name,
            line.indicator.unit,
            *[float(v) if v is not None else None for v in line.values],
        ]
        for line in report.indicators
    ]
    action_headers = [
        _("Theme"),
        _("Goal"),
        pgettext("programme", "Action"),
        _("Responsible body"),
        _("Partners"),
        _("Follow-up"),
        _("Status %(year)s") % {"year": report.year},
        _("Comment"),
    ]
    return [
        Sheet(pgettext("programme", "Actions"), action_headers, actions, notes),
        Sheet(_("Indicators"), [_("Indicator"), _("Unit"), *map(str, report.years)], indicators, notes),
    ]

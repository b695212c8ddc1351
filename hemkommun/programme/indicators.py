"""The values of a programme's indicators, year by year.

A computed indicator counts the owner municipalities' own records of a year (one query per
figure, grouped by year):
- new clients: clients whose client relationship started in the year;
- initial assessments completed, integration plans agreed (accepted by the client), referrals
  sent, by the date of that step;
- activity sessions held, and events (sessions of activities of the kind "event");
- participants in activities, and in the friend-person programme: named clients counted once a
  year, plus the anonymous counts of each session (anonymous people cannot be told apart);
- meeting places: activities of the kind "meeting place" running at some time in the year.
A typed indicator has the value typed in for the year, or none. A survey indicator is the average
value of the options chosen to the question of its number in the year's survey (surveys.py),
withheld below 5 answers.
"""

from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.db.models.functions import ExtractYear

from hemkommun.casework.models import Assessment, IntegrationPlan, Referral
from hemkommun.clients.models import Client

from .models import (
    Activity,
    AnonymousAttendance,
    Attendance,
    Indicator,
    IndicatorValue,
    Programme,
    Question,
    Session,
)
from .selectors import versions
from .surveys import question_average

Figure = Indicator.Figure
Values = dict[int, Decimal | None]  # year -> value


def programme_values(programme: Programme, years: Iterable[int]) -> dict[int, Values]:
    """Every indicator of the programme: its id -> {year: value}."""
    years = list(years)
    owners = list(programme.owners.values_list("municipality_id", flat=True))
    figures: dict[str, dict[int, Decimal]] = {}
    result: dict[int, Values] = {}
    typed = _typed_values(programme, years)
    for indicator in programme.indicators.all():
        if indicator.kind == Indicator.Kind.TYPED:
            result[indicator.pk] = {year: typed.get((indicator.pk, year)) for year in years}
            continue
        if indicator.kind == Indicator.Kind.SURVEY:
            result[indicator.pk] = _survey_values(programme, indicator.survey_question, years)
            continue
        if indicator.figure not in figures:
            figures[indicator.figure] = figure_by_year(indicator.figure, owners, years)
        counted = figures[indicator.figure]
        result[indicator.pk] = {year: counted.get(year, Decimal(0)) for year in years}
    return result


def _survey_values(programme: Programme, position: int, years: list[int]) -> Values:
    """The average of the question at ``position`` in each year's survey; None where there is
    no such question or fewer than 5 answers."""
    chain = [version.pk for version in versions(programme)]  # the surveys go on with the latest version
    questions = {
        q.survey.year: q
        for q in Question.objects.filter(survey__programme__in=chain, position=position).select_related(
            "survey"
        )
    }
    return {year: question_average(questions[year]) if year in questions else None for year in years}


def _typed_values(programme: Programme, years: list[int]) -> dict[tuple[int, int], Decimal]:
    values = IndicatorValue.objects.filter(indicator__programme=programme, year__in=years)
    return {(value.indicator_id, value.year): value.value for value in values}


def figure_by_year(figure: str, municipality_ids: list[int], years: list[int]) -> dict[int, Decimal]:
    """The figure for the municipalities, per year of ``years``."""
    first, last = min(years), max(years)
    counted = COUNTERS[figure](municipality_ids, first, last)
    return {year: Decimal(counted.get(year, 0)) for year in years}


def _per_year(queryset, date_field: str, first: int, last: int, value=None) -> dict[int, int]:
    """``queryset`` counted (or ``value`` summed) per year of ``date_field``, over [first, last]."""
    rows = (
        queryset.filter(**{f"{date_field}__year__gte": first, f"{date_field}__year__lte": last})
        .annotate(year=ExtractYear(date_field))
        .values("year")
        .annotate(n=value if value is not None else Count("pk"))
    )
    return {row["year"]: row["n"] or 0 for row in rows}


def _participants(activities: Q):
    def count(municipality_ids: list[int], first: int, last: int) -> dict[int, int]:
        scope = Q(activity__municipality__in=municipality_ids) & activities
        named = _per_year(
            Attendance.objects.filter(session__in=Session.objects.filter(scope)),
            "session__held_on",
            first,
            last,
            Count("client", distinct=True),
        )
        anonymous = _per_year(
            AnonymousAttendance.objects.filter(session__in=Session.objects.filter(scope)),
            "session__held_on",
            first,
            last,
            Sum("count"),
        )
        totals: dict[int, int] = defaultdict(int)
        for part in (named, anonymous):
            for year, n in part.items():
                totals[year] += n
        return totals

    return count


def _meeting_places(municipality_ids: list[int], first: int, last: int) -> dict[int, int]:
    places = Activity.objects.filter(municipality__in=municipality_ids, kind=Activity.Kind.MEETING_PLACE)
    totals: dict[int, int] = defaultdict(int)
    for starts_on, ends_on in places.values_list("starts_on", "ends_on"):
        for year in range(max(first, starts_on.year), min(last, ends_on.year if ends_on else last) + 1):
            totals[year] += 1
    return totals


EVERY_ACTIVITY = Q()
COUNTERS = {
    Figure.NEW_CLIENTS: lambda ids, first, last: _per_year(
        Client.objects.filter(organisation__in=ids), "client_since", first, last
    ),
    Figure.ASSESSMENTS: lambda ids, first, last: _per_year(
        Assessment.objects.filter(organisation__in=ids).exclude(status=Assessment.Status.DRAFT),
        "completed_on",
        first,
        last,
    ),
    Figure.PLANS: lambda ids, first, last: _per_year(
        IntegrationPlan.objects.filter(organisation__in=ids), "agreed_on", first, last
    ),
    Figure.REFERRALS: lambda ids, first, last: _per_year(
        Referral.objects.filter(from_organisation__in=ids), "sent_on", first, last
    ),
    Figure.ACTIVITY_SESSIONS: lambda ids, first, last: _per_year(
        Session.objects.filter(activity__municipality__in=ids), "held_on", first, last
    ),
    Figure.EVENTS: lambda ids, first, last: _per_year(
        Session.objects.filter(activity__municipality__in=ids, activity__kind=Activity.Kind.EVENT),
        "held_on",
        first,
        last,
    ),
    Figure.ACTIVITY_PARTICIPANTS: _participants(EVERY_ACTIVITY),
    Figure.FRIEND_PROGRAMME: _participants(Q(activity__kind=Activity.Kind.FRIEND_PROGRAMME)),
    Figure.MEETING_PLACES: _meeting_places,
}

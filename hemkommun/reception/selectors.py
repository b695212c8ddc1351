"""What the arrival pages read: the board by stage, the calendar, the overdue tasks, the welfare
area's health view, and a worker's own tasks. Every query is filtered by the organisations the
user works for; a group of another municipality is not found (404), never forbidden."""

import datetime

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404

from hemkommun.access import policy

from .models import ArrivalGroup, ArrivalTask, FlatAssignment

Status = ArrivalGroup.Status
PENDING = (Status.REQUESTED, Status.EXPECTED)
# Arrived families stay on the board this long: their first weeks' tasks are still running.
ARRIVED_DAYS_ON_BOARD = 60
OPEN = ArrivalTask.Status.OPEN


def _with_counts(groups: QuerySet[ArrivalGroup], today: datetime.date) -> QuerySet[ArrivalGroup]:
    return groups.annotate(
        persons=Count("members", distinct=True),
        open_tasks=Count("tasks", filter=Q(tasks__status=OPEN), distinct=True),
        overdue_tasks=Count("tasks", filter=Q(tasks__status=OPEN, tasks__due_on__lt=today), distinct=True),
        has_flat=Exists(FlatAssignment.objects.filter(group=OuterRef("pk"))),
    ).select_related("municipality", "reception_centre")


def board_groups(*, municipality_ids, today: datetime.date) -> dict[str, list[ArrivalGroup]]:
    """Pending arrivals and moves, and those arrived lately, by stage; within a stage the ones
    with overdue tasks first, then by date."""
    recent = today - datetime.timedelta(days=ARRIVED_DAYS_ON_BOARD)
    groups = ArrivalGroup.objects.filter(municipality__in=municipality_ids).filter(
        Q(status__in=PENDING) | Q(status=Status.ARRIVED, arrived_on__gte=recent)
    )
    stages: dict[str, list[ArrivalGroup]] = {Status.REQUESTED: [], Status.EXPECTED: [], Status.ARRIVED: []}
    for group in _with_counts(groups, today).order_by("expected_on", "id"):
        stages[group.status].append(group)
    for members in stages.values():
        members.sort(key=lambda group: group.overdue_tasks == 0)  # stable: dates kept within
    return stages


def overdue_tasks(*, municipality_ids, today: datetime.date) -> QuerySet[ArrivalTask]:
    """Open tasks past their date, of groups not cancelled, the oldest first."""
    return (
        ArrivalTask.objects.filter(group__municipality__in=municipality_ids, status=OPEN, due_on__lt=today)
        .exclude(group__status=Status.CANCELLED)
        .select_related("group", "responsible", "responsible_user")
        .order_by("due_on", "id")
    )


def calendar_groups(*, municipality_ids, first: datetime.date, last: datetime.date) -> list[ArrivalGroup]:
    """Arrivals and moves on their day in the period: the arrival date once they have come."""
    in_period = Q(status__in=PENDING, expected_on__range=(first, last)) | Q(
        status=Status.ARRIVED, arrived_on__range=(first, last)
    )
    return list(
        ArrivalGroup.objects.filter(municipality__in=municipality_ids)
        .filter(in_period)
        .annotate(persons=Count("members"))
        .order_by("expected_on", "id")
    )


def export_groups(*, municipality_ids, today: datetime.date) -> QuerySet[ArrivalGroup]:
    """Every arrival and move of the municipalities, newest first, with their counts."""
    groups = ArrivalGroup.objects.filter(municipality__in=municipality_ids)
    return _with_counts(groups, today).order_by("-expected_on", "-id")


def group_get(*, user, pk: int) -> ArrivalGroup:
    """A group the user manages, or 404."""
    group = (
        ArrivalGroup.objects.filter(pk=pk, municipality__in=policy.arrival_municipalities(user))
        .select_related("municipality", "welfare_area", "reception_centre", "household")
        .first()
    )
    if group is None:
        raise Http404
    return group


def health_groups(*, user) -> QuerySet[ArrivalGroup]:
    """The welfare area's view: groups still to come, or with a health task still open."""
    open_health = ArrivalTask.objects.filter(group=OuterRef("pk"), health_related=True, status=OPEN)
    return (
        ArrivalGroup.objects.filter(welfare_area__in=policy.arrival_health_organisation_ids(user))
        .filter(Q(status__in=PENDING) | Q(Exists(open_health), status=Status.ARRIVED))
        .annotate(persons=Count("members"))
        .select_related("municipality")
        .order_by("expected_on", "id")
    )


def health_group_get(*, user, pk: int) -> ArrivalGroup:
    group = (
        ArrivalGroup.objects.filter(pk=pk, welfare_area__in=policy.arrival_health_organisation_ids(user))
        .select_related("municipality")
        .first()
    )
    if group is None:
        raise Http404
    return group


def my_open_tasks(*, user, until: datetime.date) -> QuerySet[ArrivalTask]:
    """The open arrival tasks the user is responsible for, due by ``until`` (overdue included)."""
    return (
        ArrivalTask.objects.filter(responsible_user=user, status=OPEN, due_on__lte=until)
        .exclude(group__status=Status.CANCELLED)
        .select_related("group")
        .order_by("due_on", "id")
    )

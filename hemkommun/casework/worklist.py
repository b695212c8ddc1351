"""The worklist: open deadlines of the clients a worker is responsible for, most urgent first;
for a coordinator, the whole organisation by unit and worker, with the deadlines met late."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, F, Q, QuerySet

from hemkommun.access import policy
from hemkommun.organizations.models import Role, Unit, User

from .models import Deadline

# A worklist shows deadlines due within this many days, and every overdue one.
HORIZON_DAYS = 60


@dataclass(frozen=True)
class WorklistFilter:
    """Whose deadlines: the user's own, or (coordinators) an organisation's by unit and worker."""

    organisation_wide: bool = False
    unit: Unit | None = None
    worker: User | None = None
    unassigned: bool = False


def coordinated_organisation_ids(user) -> set[int]:
    return policy.organisation_ids_with(user, {Role.COORDINATOR})


def open_deadlines(*, user, selection: WorklistFilter, today: datetime.date) -> QuerySet[Deadline]:
    """Open deadlines due by the horizon (overdue ones included), in due order, for visible clients."""
    deadlines = Deadline.objects.filter(
        met_on__isnull=True, due_on__lte=today + datetime.timedelta(days=HORIZON_DAYS)
    ).filter(client__in=policy.visible_clients(user))
    deadlines = _scope(deadlines, user, selection)
    return deadlines.select_related("client", "client__responsible_worker", "rule").order_by(
        "due_on", "client_id", "id"
    )


def _scope(deadlines: QuerySet[Deadline], user, selection: WorklistFilter) -> QuerySet[Deadline]:
    if not selection.organisation_wide:
        return deadlines.filter(client__responsible_worker=user)
    deadlines = deadlines.filter(client__organisation__in=coordinated_organisation_ids(user))
    if selection.unit is not None:
        deadlines = deadlines.filter(client__responsible_unit=selection.unit)
    if selection.worker is not None:
        deadlines = deadlines.filter(client__responsible_worker=selection.worker)
    if selection.unassigned:
        deadlines = deadlines.filter(client__responsible_worker__isnull=True)
    return deadlines


def met_late_by_worker(*, user, year: int) -> list[dict]:
    """Deadlines met in the year, and how many of them late, per responsible worker, in the
    organisations the user coordinates."""
    worker = "client__responsible_worker"
    return list(
        Deadline.objects.filter(
            client__organisation__in=coordinated_organisation_ids(user), met_on__year=year
        )
        .values(f"{worker}__username", f"{worker}__first_name", f"{worker}__last_name")
        .annotate(met=Count("id"), late=Count("id", filter=Q(met_on__gt=F("due_on"))))
        .order_by("-late", f"{worker}__username")
    )
